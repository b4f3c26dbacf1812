"""The stable, pseudonymous identity a reviewer has in output.json (workerId, identityData)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models


def new_worker_id() -> str:
    return secrets.token_hex(8)  # A2I's workerIds are 16 lowercase hex characters


class WorkerIdentity(models.Model):
    """What output.json says about a reviewer, without naming them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="worker_identity",
    )
    worker_id = models.CharField(max_length=16, unique=True, default=new_worker_id)
    sub = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        verbose_name_plural = "worker identities"

    def __str__(self) -> str:
        return self.worker_id
