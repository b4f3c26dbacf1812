"""Assertions shared by several test modules."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, models, transaction


def refused_by_the_database(instance: models.Model, **fields: Any) -> None:
    """Apply `fields` with a bare UPDATE; the database must refuse and keep the row."""
    row = type(instance).objects.filter(pk=instance.pk)
    before = row.values().get()
    with pytest.raises(IntegrityError), transaction.atomic():
        row.update(**fields)
    assert row.values().get() == before
