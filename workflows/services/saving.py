"""Saving a new configuration object: validate, insert, and turn a taken name into Conflict."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction

from a2i_portal.errors import Conflict
from a2i_portal.validation import full_clean_or_invalid


def insert_named(instance: models.Model, *, kind: str, exclude: tuple[str, ...] = ()) -> None:
    """Validate `instance` against the reference's rules and insert it; its `name` must be free."""
    full_clean_or_invalid(instance, exclude=exclude)
    model = type(instance)
    name = instance.name  # type: ignore[attr-defined]
    taken = Conflict("name", f"a {kind} named {name!r} already exists")
    if model._default_manager.filter(name=name).exists():
        raise taken
    try:
        with transaction.atomic():  # a savepoint: a concurrent insert of the name lands here
            instance.save(force_insert=True)
    except IntegrityError as exc:
        raise taken from exc
