"""What reviewers did: tasks per reviewer over a window, and one reviewer's summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from reviews.reporting.agreement import Agreement, agreement_report
from reviews.reporting.labels import duration_label
from reviews.reporting.percentiles import SAMPLE_SIZE, PercentileCont, percentile_cont
from reviews.reporting.scopes import answers_submitted_in, on_postgresql
from reviews.reporting.windows import ReportWindow, report_window
from workflows.models import WorkTeam

REVIEWER_WINDOW = "30d"  # what the reviewer's page summarises


@dataclass(frozen=True)
class ReviewerTasks:
    """Tasks a reviewer answered (task slots submitted) inside the window."""

    reviewer_id: int
    username: str
    tasks: int


def tasks_per_reviewer(window: ReportWindow) -> list[ReviewerTasks]:
    """Every reviewer who answered a task in the window, most tasks first.

    Counted per user (tasks_done_in): a range of each user's answers rather than every answer
    of the window grouped afterwards, so one index on (reviewer, submitted_at) serves this, the
    reviewer's page and the user list alike. Users who answered nothing are dropped here, not
    in SQL, where the count would be computed twice.
    """
    rows = (
        get_user_model()
        .objects.annotate(tasks=tasks_done_in(window))
        .order_by()
        .values_list("pk", "username", "tasks")
    )
    return sorted(
        (
            ReviewerTasks(reviewer_id=pk, username=username, tasks=tasks)
            for pk, username, tasks in rows
            if tasks
        ),
        key=lambda row: (-row.tasks, row.username),
    )


@dataclass(frozen=True)
class ReviewerSummary:
    """A reviewer at a glance, over `window`.

    `teams`: work teams they belong to, directly or through a group (now, not over the window).
    `tasks_done`: task slots they answered in the window.
    `median_seconds_per_task`: median active working time (time_spent) of those answers; None
    without any. `sampled` says it comes from the most recent SAMPLE_SIZE answers only.
    `agreement`: over the multi-review loops they answered in the window, now complete (see
    reviews.reporting.agreement).
    """

    window: ReportWindow
    teams: list[WorkTeam]
    tasks_done: int
    median_seconds_per_task: float | None
    agreement: Agreement
    sampled: bool = False

    @property
    def median_label(self) -> str:
        return duration_label(self.median_seconds_per_task)


def reviewer_summary(user: Any, *, window: ReportWindow | None = None) -> ReviewerSummary:
    """The reviewer's teams, tasks done, median time per task and agreement with the other
    reviewers, over `window` (by default the last 30 days)."""
    window = window or report_window(REVIEWER_WINDOW)
    teams = list(
        WorkTeam.objects.filter(Q(members=user) | Q(member_groups__user=user))
        .distinct()
        .order_by("name")
    )
    answers = answers_submitted_in(window).filter(reviewer=user)
    if on_postgresql():
        figures = answers.aggregate(
            tasks=Count("*"), median=PercentileCont("time_spent", fraction=0.5)
        )
        tasks, median, sampled = figures["tasks"], figures["median"], False
    else:
        tasks = answers.count()
        times = list(
            answers.exclude(time_spent=None)
            .order_by("-submitted_at")
            .values_list("time_spent", flat=True)[: SAMPLE_SIZE + 1]
        )
        sampled = len(times) > SAMPLE_SIZE
        median = percentile_cont(times[:SAMPLE_SIZE], 0.5)
    agreement = agreement_report(window, reviewer=user)
    return ReviewerSummary(
        window=window,
        teams=teams,
        tasks_done=tasks,
        median_seconds_per_task=median,
        agreement=agreement.of_reviewer(user.pk),
        sampled=sampled or agreement.sampled,
    )


def tasks_done_in(window: ReportWindow) -> Coalesce:
    """An annotation for users: how many tasks each answered in the window. A correlated
    subquery, so a page of users costs one probe per user on the page."""
    counts = (
        answers_submitted_in(window)
        .filter(reviewer=OuterRef("pk"))
        .order_by()
        .values("reviewer")
        .annotate(count=Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))
