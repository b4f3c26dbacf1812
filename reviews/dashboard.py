"""The operator console's dashboard: throughput, backlog, completion times, reviewers and their
agreement, over a window the operator picks. Staff only, in the admin's look."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from reviews.reporting import DEFAULT_WINDOW, WINDOWS, Overview, overview, report_window
from reviews.reporting.agreement import DEFINITION as AGREEMENT_DEFINITION
from reviews.reporting.charts import Bar, Point, bar_chart, time_chart
from reviews.reporting.labels import duration_label, share_label
from reviews.reporting.percentiles import SAMPLE_SIZE

CHART_ROWS = 15  # bars per chart; the table below each chart lists every row


@dataclass(frozen=True)
class WindowLink:
    """One choice of the window selector."""

    key: str
    label: str
    current: bool


@admin.site.admin_view
@require_GET
def dashboard(request: HttpRequest) -> TemplateResponse:
    """The dashboard; `?window=` picks 24h (the default), 7d or 30d."""
    key = request.GET.get("window", DEFAULT_WINDOW)
    if key not in WINDOWS:
        key = DEFAULT_WINDOW
    figures = overview(report_window(key))
    context = {
        **admin.site.each_context(request),
        "title": "Dashboard",
        "figures": figures,
        "window": figures.window,
        "windows": [WindowLink(k, choice.label, k == key) for k, choice in WINDOWS.items()],
        "charts": charts_of(figures),
        "chart_rows": CHART_ROWS,
        "agreement_definition": AGREEMENT_DEFINITION,
        "sample_size": SAMPLE_SIZE,
    }
    return TemplateResponse(request, "admin/dashboard.html", context)


def charts_of(figures: Overview) -> dict[str, str]:
    """The SVG of every chart that has something to show."""
    period = f"the last {figures.window.label}"
    charts = {}
    if figures.started or figures.completed:
        charts["throughput"] = time_chart(
            chart_id="chart-throughput",
            title=f"Loops started and completed per hour, {period}",
            description=f"{figures.started:,} loops started and {figures.completed:,} completed "
            f"in {period}, per hour (UTC).",
            series=["Started", "Completed"],
            points=[Point(hour.hour, (hour.started, hour.completed)) for hour in figures.hours],
        )
    if figures.backlog:
        charts["backlog"] = bar_chart(
            chart_id="chart-backlog",
            title="Backlog by flow definition",
            description=f"{figures.open_tasks:,} open tasks and {figures.in_progress_loops:,} "
            f"loops in progress, per flow definition.",
            series=["Open tasks", "In-progress loops"],
            bars=[
                Bar(
                    row.flow_name,
                    (row.open_tasks, row.in_progress_loops),
                    (f"{row.open_tasks:,}", f"{row.in_progress_loops:,}"),
                )
                for row in figures.backlog[:CHART_ROWS]
            ],
        )
    if figures.completion:
        charts["completion"] = bar_chart(
            chart_id="chart-completion",
            title=f"Time to completion per flow definition, {period}",
            description="Median and 90th percentile of the time from a loop's start to its "
            f"completion, for loops completed in {period}.",
            series=["Median", "90th percentile"],
            bars=[
                Bar(
                    row.flow_name,
                    (row.median_seconds, row.p90_seconds),
                    (duration_label(row.median_seconds), duration_label(row.p90_seconds)),
                )
                for row in figures.completion[:CHART_ROWS]
            ],
        )
    if figures.reviewers:
        charts["reviewers"] = bar_chart(
            chart_id="chart-reviewers",
            title=f"Tasks per reviewer, {period}",
            description=f"{figures.tasks_done:,} tasks answered in {period} by "
            f"{len(figures.reviewers):,} reviewers.",
            series=["Tasks"],
            bars=[
                Bar(row.username, (row.tasks,), (f"{row.tasks:,}",))
                for row in figures.reviewers[:CHART_ROWS]
            ],
        )
    if figures.agreement.flows:
        charts["agreement"] = bar_chart(
            chart_id="chart-agreement",
            title=f"Agreement between reviewers per flow definition, {period}",
            description="Share of the loops answered by two or more reviewers in which all "
            "answers are equal, per flow definition with more than one reviewer per loop.",
            series=["Agreement"],
            bars=[
                Bar(
                    row.flow_name,
                    (row.agreement.share or 0,),
                    (
                        f"{share_label(row.agreement.share)} of {row.agreement.loops:,} "
                        f"loop{'s' if row.agreement.loops != 1 else ''}",
                    ),
                )
                for row in figures.agreement.flows[:CHART_ROWS]
            ],
            maximum=1,
        )
    return charts
