"""How long loops take from start to completion, per flow definition."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F

from reviews.reporting.labels import duration_label
from reviews.reporting.percentiles import (
    SAMPLE_SIZE,
    EpochSeconds,
    PercentileCont,
    percentile_cont,
)
from reviews.reporting.scopes import loops_completed_in, on_postgresql
from reviews.reporting.windows import ReportWindow


@dataclass(frozen=True)
class CompletionTimes:
    """Time to completion (completed_at - created_at) of a flow definition's loops that reached
    Completed inside the window: the median and the 90th percentile (percentile_cont, so
    interpolated between the two nearest loops), in seconds.

    `loops` is how many loops the figures describe; `sampled` says they are the most recent
    SAMPLE_SIZE completions of the window rather than all (databases without percentile_cont).
    """

    flow_id: int
    flow_name: str
    loops: int
    median_seconds: float
    p90_seconds: float
    sampled: bool = False

    @property
    def median_label(self) -> str:
        return duration_label(self.median_seconds)

    @property
    def p90_label(self) -> str:
        return duration_label(self.p90_seconds)


def completion_times(window: ReportWindow) -> list[CompletionTimes]:
    """One row per flow definition with a loop completed in the window, by flow name."""
    if on_postgresql():
        return completion_times_in_database(window)
    return completion_times_in_python(window)


def completion_times_in_database(window: ReportWindow) -> list[CompletionTimes]:
    duration = EpochSeconds(F("completed_at") - F("created_at"))
    rows = (
        loops_completed_in(window)
        .order_by()
        .values("flow_definition_id", "flow_definition__name")
        .annotate(
            loops=Count("*"),
            median=PercentileCont(duration, fraction=0.5),
            p90=PercentileCont(duration, fraction=0.9),
        )
        .order_by("flow_definition__name")
    )
    return [
        CompletionTimes(
            flow_id=row["flow_definition_id"],
            flow_name=row["flow_definition__name"],
            loops=row["loops"],
            median_seconds=float(row["median"]),
            p90_seconds=float(row["p90"]),
        )
        for row in rows
    ]


def completion_times_in_python(window: ReportWindow) -> list[CompletionTimes]:
    rows = list(
        loops_completed_in(window)
        .order_by("-completed_at")
        .values_list("flow_definition_id", "flow_definition__name", "created_at", "completed_at")[
            : SAMPLE_SIZE + 1
        ]
    )
    sampled = len(rows) > SAMPLE_SIZE
    durations: dict[tuple[int, str], list[float]] = defaultdict(list)
    for flow_id, name, created_at, completed_at in rows[:SAMPLE_SIZE]:
        durations[flow_id, name].append((completed_at - created_at).total_seconds())
    return [
        CompletionTimes(
            flow_id=flow_id,
            flow_name=name,
            loops=len(seconds),
            median_seconds=percentile_cont(seconds, 0.5),
            p90_seconds=percentile_cont(seconds, 0.9),
            sampled=sampled,
        )
        for (flow_id, name), seconds in sorted(durations.items(), key=lambda item: item[0][1])
    ]
