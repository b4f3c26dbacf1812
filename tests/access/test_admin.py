import re

import pytest
from django.contrib.messages import get_messages

from a2i_portal.access.models import AccessKey
from a2i_portal.access.services import create_access_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def test_the_access_key_pages_load_for_an_operator(operator_client, reviewer):
    key, _ = create_access_key(user=reviewer)

    for page in [
        "/admin/access/accesskey/",
        "/admin/access/accesskey/add/",
        f"/admin/access/accesskey/{key.pk}/change/",
    ]:
        assert operator_client.get(page).status_code == 200, page


def test_adding_a_key_shows_its_secret_once(operator_client, reviewer):
    response = operator_client.post(
        "/admin/access/accesskey/add/", {"user": reviewer.pk, "description": "etl"}
    )

    key = AccessKey.objects.get()
    assert (key.user, key.description) == (reviewer, "etl")
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    secret = next(re.search(r"secret access key is (\w{40})", m) for m in shown if key.key_id in m)
    assert secret is not None
    assert secret.group(1) == key.secret


def test_the_secret_is_never_shown_again(operator_client, reviewer):
    key, secret = create_access_key(user=reviewer)

    for page in ["/admin/access/accesskey/", f"/admin/access/accesskey/{key.pk}/change/"]:
        content = operator_client.get(page).content.decode()
        assert key.key_id in content
        assert secret not in content
        assert key.encrypted_secret not in content


def test_the_revoke_action_revokes_the_selected_keys(operator_client, reviewer, clock):
    key, _ = create_access_key(user=reviewer)
    kept, _ = create_access_key(user=reviewer)

    operator_client.post(
        "/admin/access/accesskey/",
        {"action": "revoke_selected", "_selected_action": [key.pk]},
    )

    assert AccessKey.objects.get(pk=key.pk).revoked_at == clock.now()
    assert AccessKey.objects.get(pk=kept.pk).revoked_at is None


def test_revoking_an_already_revoked_key_says_so(operator_client, reviewer):
    key, _ = create_access_key(user=reviewer)
    operator_client.post(
        "/admin/access/accesskey/", {"action": "revoke_selected", "_selected_action": [key.pk]}
    )

    response = operator_client.post(
        "/admin/access/accesskey/",
        {"action": "revoke_selected", "_selected_action": [key.pk]},
        follow=True,
    )

    assert f"{key.key_id}: access key {key.key_id} is already revoked" in response.content.decode()


def test_keys_cannot_be_deleted_only_revoked(operator_client, reviewer):
    key, _ = create_access_key(user=reviewer)

    assert operator_client.get(f"/admin/access/accesskey/{key.pk}/delete/").status_code == 403
