"""Running model validators and turning Django's ValidationError into the domain's Invalid."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models

from a2i_portal.errors import Invalid


def invalid_from(error: ValidationError) -> Invalid:
    """The first field error as an Invalid naming that field and its rule."""
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        return Invalid(field, " ".join(e.message % (e.params or {}) for e in errors))
    return Invalid("__all__", " ".join(error.messages))


def full_clean_or_invalid(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Run field validators and clean(); uniqueness and constraints are left to the database,
    whose IntegrityError the services turn into Conflict."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        raise invalid_from(exc) from exc
