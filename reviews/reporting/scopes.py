"""The loops and answers a report window covers.

Each is an exact range on the time the figure is about (creation, completion, submission).
loops_started_in is served by loops_by_creation (created_at, id). loops_completed_in and
answers_submitted_in are ranges on completed_at and submitted_at, which no index leads yet: they
read every completed loop (or every slot) until one does. No bound on creation time can stand
in for one: a re-opened loop (reopen_loop) keeps its creation time and may complete, and be
answered, any time later. The indexes that serve them are measured by
tests/benchmarks/dashboard_benchmark.py (PROPOSED_INDEXES).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from reviews.models import HumanLoop, TaskSlot
from reviews.reporting.windows import ReportWindow


def on_postgresql() -> bool:
    """PostgreSQL computes percentiles and compares JSON itself; other databases get a bounded
    sample computed in Python."""
    return connection.vendor == "postgresql"


def loops_started_in(window: ReportWindow) -> QuerySet[HumanLoop]:
    """Loops created inside the window, whatever became of them."""
    return HumanLoop.objects.filter(created_at__gte=window.start, created_at__lt=window.end)


def loops_completed_in(window: ReportWindow) -> QuerySet[HumanLoop]:
    """Loops that reached Completed (every answer in) inside the window."""
    return HumanLoop.objects.filter(
        status=HumanLoop.Status.COMPLETED,
        completed_at__gte=window.start,
        completed_at__lt=window.end,
    )


def answers_submitted_in(window: ReportWindow) -> QuerySet[TaskSlot]:
    """Task slots answered inside the window, whatever their loop became since."""
    return TaskSlot.objects.filter(
        state=TaskSlot.State.SUBMITTED,
        submitted_at__gte=window.start,
        submitted_at__lt=window.end,
    )
