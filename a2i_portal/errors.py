"""Domain errors: the four ways the domain refuses a request. Each front end maps them once."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses: `field` says what was wrong, `message` the rule."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


class NotFound(DomainError):
    """The named thing does not exist (or is not visible to the caller)."""


class Conflict(DomainError):
    """The request clashes with the current state (a name in use, a slot not held)."""


class Invalid(DomainError):
    """The request breaks a rule of the reference (pattern, length, range, JSON)."""


class QuotaExceeded(DomainError):
    """A configured quota (in-progress loops) would be exceeded."""
