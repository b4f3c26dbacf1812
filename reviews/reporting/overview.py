"""Every dashboard figure of one window, read together."""

from __future__ import annotations

from dataclasses import dataclass

from reviews.reporting.agreement import AgreementReport, agreement_report
from reviews.reporting.backlog import FlowBacklog, backlog_by_flow
from reviews.reporting.completion import CompletionTimes, completion_times
from reviews.reporting.reviewers import ReviewerTasks, tasks_per_reviewer
from reviews.reporting.throughput import HourlyCount, loops_per_hour
from reviews.reporting.windows import ReportWindow


@dataclass(frozen=True)
class Overview:
    """The dashboard: throughput and reviewers over the window, the backlog as it is now."""

    window: ReportWindow
    hours: list[HourlyCount]
    backlog: list[FlowBacklog]
    completion: list[CompletionTimes]
    reviewers: list[ReviewerTasks]
    agreement: AgreementReport

    @property
    def started(self) -> int:
        return sum(hour.started for hour in self.hours)

    @property
    def completed(self) -> int:
        return sum(hour.completed for hour in self.hours)

    @property
    def open_tasks(self) -> int:
        return sum(flow.open_tasks for flow in self.backlog)

    @property
    def in_progress_loops(self) -> int:
        return sum(flow.in_progress_loops for flow in self.backlog)

    @property
    def tasks_done(self) -> int:
        return sum(reviewer.tasks for reviewer in self.reviewers)


def overview(window: ReportWindow) -> Overview:
    return Overview(
        window=window,
        hours=loops_per_hour(window),
        backlog=backlog_by_flow(now=window.now),
        completion=completion_times(window),
        reviewers=tasks_per_reviewer(window),
        agreement=agreement_report(window),
    )
