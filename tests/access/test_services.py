import re
from datetime import timedelta

import pytest
from cryptography.fernet import InvalidToken
from django.db import connection

from a2i_portal.access.models import KEY_ID_PATTERN, AccessKey
from a2i_portal.access.services import create_access_key, record_use, revoke_access_key
from a2i_portal.errors import Conflict

pytestmark = pytest.mark.django_db


def test_a_new_key_has_an_aws_shaped_id_and_a_forty_character_secret(reviewer):
    key, secret = create_access_key(user=reviewer, description="nightly batch")

    assert key.user == reviewer
    assert key.description == "nightly batch"
    assert len(key.key_id) == 20
    assert key.key_id.startswith("A2IP")
    assert re.fullmatch(KEY_ID_PATTERN, key.key_id)
    assert len(secret) == 40
    assert secret.isalnum()
    assert key.revoked_at is None
    assert key.last_used_at is None


def test_the_secret_is_encrypted_at_rest_and_decrypts_back(reviewer):
    key, secret = create_access_key(user=reviewer)

    with connection.cursor() as cursor:
        cursor.execute("SELECT encrypted_secret FROM access_accesskey WHERE id = %s", [key.pk])
        (stored,) = cursor.fetchone()
    assert secret not in stored
    assert AccessKey.objects.get(pk=key.pk).secret == secret


def test_every_key_gets_its_own_id_and_secret(reviewer):
    first, first_secret = create_access_key(user=reviewer)
    second, second_secret = create_access_key(user=reviewer)

    assert first.key_id != second.key_id
    assert first_secret != second_secret


def test_a_separate_encryption_key_setting_replaces_the_secret_key(reviewer, settings):
    settings.ACCESS_KEY_ENCRYPTION_KEY = "operator-chosen-encryption-key"
    key, secret = create_access_key(user=reviewer)

    assert AccessKey.objects.get(pk=key.pk).secret == secret
    settings.ACCESS_KEY_ENCRYPTION_KEY = ""
    with pytest.raises(InvalidToken):
        _ = AccessKey.objects.get(pk=key.pk).secret


def test_revoking_a_key_stamps_the_time(reviewer, clock):
    key, _ = create_access_key(user=reviewer)

    revoke_access_key(key=key)

    key.refresh_from_db()
    assert key.revoked_at == clock.now()


def test_a_revoked_key_cannot_be_revoked_again_and_keeps_its_time(reviewer, clock):
    key, _ = create_access_key(user=reviewer)
    revoke_access_key(key=key)
    first_revoked_at = AccessKey.objects.get(pk=key.pk).revoked_at
    clock.advance(timedelta(hours=1))

    with pytest.raises(Conflict, match="already revoked"):
        revoke_access_key(key=key)
    assert AccessKey.objects.get(pk=key.pk).revoked_at == first_revoked_at


def test_the_first_use_is_recorded(reviewer, clock):
    key, _ = create_access_key(user=reviewer)

    assert record_use(key=key) is True

    assert AccessKey.objects.get(pk=key.pk).last_used_at == clock.now()


def test_uses_within_a_minute_write_nothing(reviewer, clock, django_assert_num_queries):
    key, _ = create_access_key(user=reviewer)
    record_use(key=key)
    first_use = clock.now()
    clock.advance(timedelta(seconds=59))

    with django_assert_num_queries(0):  # the key as read already says it was just used
        assert record_use(key=key) is False
    assert AccessKey.objects.get(pk=key.pk).last_used_at == first_use


def test_a_use_noted_by_another_request_is_not_written_again(
    reviewer, clock, django_assert_num_queries
):
    key, _ = create_access_key(user=reviewer)
    read_before = AccessKey.objects.get(pk=key.pk)  # another request read it unused
    record_use(key=key)
    clock.advance(timedelta(seconds=5))

    with django_assert_num_queries(1):  # the guarded UPDATE, matching no row
        assert record_use(key=read_before) is False
    assert AccessKey.objects.get(pk=key.pk).last_used_at == clock.now() - timedelta(seconds=5)


def test_a_use_a_minute_later_is_recorded_in_one_update(reviewer, clock, django_assert_num_queries):
    key, _ = create_access_key(user=reviewer)
    record_use(key=key)
    clock.advance(timedelta(minutes=1))

    with django_assert_num_queries(1):
        assert record_use(key=key) is True
    assert AccessKey.objects.get(pk=key.pk).last_used_at == clock.now()
