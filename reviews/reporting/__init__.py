"""Reporting reads for the operator console: throughput, backlog, completion times, reviewers
and agreement between reviewers, over a time window; and their charts as inline SVG.

Every figure here is a read: nothing changes state. Each query is a range of a report window
(the backlog: the work waiting now), so that, served by an index leading with that time (see
reviews.reporting.scopes), its cost follows the window's traffic, not the loops ever started.
"""

from reviews.reporting.agreement import (
    Agreement,
    AgreementReport,
    FlowAgreement,
    ReviewerAgreement,
    agreement_report,
    canonical_json,
)
from reviews.reporting.backlog import FlowBacklog, backlog_by_flow
from reviews.reporting.completion import CompletionTimes, completion_times
from reviews.reporting.overview import Overview, overview
from reviews.reporting.reviewers import (
    ReviewerSummary,
    ReviewerTasks,
    reviewer_summary,
    tasks_per_reviewer,
)
from reviews.reporting.throughput import HourlyCount, loops_per_hour
from reviews.reporting.windows import DEFAULT_WINDOW, WINDOWS, ReportWindow, report_window

__all__ = [
    "DEFAULT_WINDOW",
    "WINDOWS",
    "Agreement",
    "AgreementReport",
    "CompletionTimes",
    "FlowAgreement",
    "FlowBacklog",
    "HourlyCount",
    "Overview",
    "ReportWindow",
    "ReviewerAgreement",
    "ReviewerSummary",
    "ReviewerTasks",
    "agreement_report",
    "backlog_by_flow",
    "canonical_json",
    "completion_times",
    "loops_per_hour",
    "overview",
    "report_window",
    "reviewer_summary",
    "tasks_per_reviewer",
]
