"""State changes of access keys: create, revoke, record a use."""

from __future__ import annotations

import secrets
import string
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from a2i_portal import clock
from a2i_portal.access.models import (
    KEY_ID_LENGTH,
    KEY_ID_PREFIX,
    SECRET_LENGTH,
    AccessKey,
    encrypt_secret,
)
from a2i_portal.errors import Conflict

KEY_ID_ALPHABET = string.ascii_uppercase + string.digits
SECRET_ALPHABET = string.ascii_letters + string.digits
# A key used by a busy client would otherwise write its row on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


@transaction.atomic
def create_access_key(*, user: AbstractBaseUser, description: str = "") -> tuple[AccessKey, str]:
    """(nothing) -> active key. Returns the key and its secret: the only time the secret is
    available in plain text."""
    secret = _random(SECRET_ALPHABET, SECRET_LENGTH)
    while True:  # 36**16 ids: a clash is all but impossible, but the column is unique
        key_id = KEY_ID_PREFIX + _random(KEY_ID_ALPHABET, KEY_ID_LENGTH - len(KEY_ID_PREFIX))
        if not AccessKey.objects.filter(key_id=key_id).exists():
            break
    key = AccessKey.objects.create(
        user=user,
        key_id=key_id,
        encrypted_secret=encrypt_secret(secret),
        description=description,
        created_at=clock.now(),
    )
    return key, secret


@transaction.atomic
def revoke_access_key(*, key: AccessKey) -> AccessKey:
    """active -> revoked, for good. Raises Conflict if the key is already revoked."""
    key = AccessKey.objects.select_for_update().get(pk=key.pk)
    if key.is_revoked:
        raise Conflict("key", f"access key {key.key_id} is already revoked")
    key.revoked_at = clock.now()
    key.save(update_fields=["revoked_at"])
    return key


def record_use(*, key: AccessKey) -> bool:
    """Note that the key authenticated a request: one UPDATE, and only if the last noted use is
    more than a minute old (as read with the key, then as the database has it, so concurrent
    requests write it once). Returns whether the row was written."""
    now = clock.now()
    if key.last_used_at is not None and key.last_used_at > now - LAST_USED_RESOLUTION:
        return False  # the row was just read: no round trip for a use already noted
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
    written = AccessKey.objects.filter(stale, pk=key.pk).update(last_used_at=now)
    if written:
        key.last_used_at = now
    return bool(written)
