"""Report windows: the whole clock hours (UTC) a figure covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from a2i_portal import clock
from a2i_portal.errors import Invalid


@dataclass(frozen=True)
class WindowChoice:
    """A window an operator can pick: its key in the URL, its label, its length."""

    key: str
    label: str
    length: timedelta


WINDOWS = {
    choice.key: choice
    for choice in [
        WindowChoice("24h", "24 hours", timedelta(hours=24)),
        WindowChoice("7d", "7 days", timedelta(days=7)),
        WindowChoice("30d", "30 days", timedelta(days=30)),
    ]
}
DEFAULT_WINDOW = "24h"


@dataclass(frozen=True)
class ReportWindow:
    """The half-open interval [start, end) of whole hours, the current hour the last of them:
    "24 hours" is the hour now running and the 23 before it."""

    key: str
    label: str
    start: datetime
    end: datetime
    now: datetime

    @property
    def hours(self) -> list[datetime]:
        """The start of every hour in the window, oldest first."""
        count = int((self.end - self.start) / timedelta(hours=1))
        return [self.start + timedelta(hours=number) for number in range(count)]


def report_window(key: str = DEFAULT_WINDOW, *, now: datetime | None = None) -> ReportWindow:
    """The window called `key` ("24h", "7d", "30d") ending with the current hour. Raises
    Invalid for any other key."""
    choice = WINDOWS.get(key)
    if choice is None:
        raise Invalid("window", f"must be one of: {', '.join(WINDOWS)}")
    now = (now or clock.now()).astimezone(UTC)
    end = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return ReportWindow(
        key=choice.key, label=choice.label, start=end - choice.length, end=end, now=now
    )
