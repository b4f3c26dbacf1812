"""API access keys: a key id and a secret a client signs its requests with (HTTP Basic or
AWS Signature V4). SigV4 needs the secret itself on the server, so it is stored encrypted
(Fernet), never hashed."""

from __future__ import annotations

import base64
from datetime import datetime

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models
from django.db.models import Q

from a2i_portal import clock

KEY_ID_PREFIX = "A2IP"
KEY_ID_LENGTH = 20
KEY_ID_PATTERN = rf"^{KEY_ID_PREFIX}[A-Z0-9]{{{KEY_ID_LENGTH - len(KEY_ID_PREFIX)}}}$"
SECRET_LENGTH = 40


def now() -> datetime:
    """Default for creation times: through the one clock, so tests that move time see it."""
    return clock.now()


def _fernet() -> Fernet:
    """The cipher for stored secrets, its key derived from ACCESS_KEY_ENCRYPTION_KEY (or, when
    that is empty, SECRET_KEY). HKDF with its own `info` keeps this key apart from every other
    use of SECRET_KEY."""
    material = settings.ACCESS_KEY_ENCRYPTION_KEY or settings.SECRET_KEY
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"a2i-portal access-key secrets"
    ).derive(material.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode("ascii")


def decrypt_secret(token: str) -> str:
    return _fernet().decrypt(token.encode("ascii")).decode()


class AccessKeyQuerySet(models.QuerySet):
    def usable(self) -> AccessKeyQuerySet:
        """Keys that may authenticate: not revoked, and their user still active."""
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class AccessKey(models.Model):
    """A client's credential for the API: the key id is public, the secret is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_keys"
    )
    key_id = models.CharField(max_length=KEY_ID_LENGTH, unique=True, editable=False)
    encrypted_secret = models.TextField(editable=False)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AccessKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_id__regex=KEY_ID_PATTERN), name="access_key_id_shape"
            ),
        ]

    def __str__(self) -> str:
        return self.key_id

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def secret(self) -> str:
        """The plain secret, for verifying a signature; never shown after creation."""
        return decrypt_secret(self.encrypted_secret)
