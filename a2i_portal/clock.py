"""The one clock. Domain code calls `clock.now()` through this module so tests can move time."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return timezone.now()


def iso8601_millis(moment: datetime) -> str:
    """A2I's timestamp form: UTC, millisecond precision, `Z` (2021-02-17T19:20:52.563Z)."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
