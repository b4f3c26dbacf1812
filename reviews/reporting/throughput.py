"""Loops started and completed per hour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncHour

from reviews.models import HumanLoop
from reviews.reporting.scopes import loops_completed_in, loops_started_in
from reviews.reporting.windows import ReportWindow


@dataclass(frozen=True)
class HourlyCount:
    """One hour of the window (UTC): loops created in it, loops that reached Completed in it."""

    hour: datetime
    started: int
    completed: int


def loops_per_hour(window: ReportWindow) -> list[HourlyCount]:
    """Every hour of the window, oldest first, hours without loops included (as zeros)."""
    started = counts_by_hour(loops_started_in(window), "created_at")
    completed = counts_by_hour(loops_completed_in(window), "completed_at")
    return [
        HourlyCount(hour=hour, started=started.get(hour, 0), completed=completed.get(hour, 0))
        for hour in window.hours
    ]


def counts_by_hour(loops: QuerySet[HumanLoop], field: str) -> dict[datetime, int]:
    rows = (
        loops.annotate(hour=TruncHour(field, tzinfo=UTC))
        .order_by()
        .values("hour")
        .annotate(count=Count("*"))
        .values_list("hour", "count")
    )
    return dict(rows)
