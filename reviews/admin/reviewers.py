"""Users, as the operator console shows them: Django's user admin, plus what each reviewer did
over the last 30 days (tasks done in the list; teams, tasks, time per task and agreement with
the other reviewers on the change page)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from a2i_portal.access.admin import OperatorSafeUserAdminMixin
from a2i_portal.console import change_links
from reviews.reporting import ReviewerSummary, report_window, reviewer_summary
from reviews.reporting.reviewers import REVIEWER_WINDOW, tasks_done_in

User = get_user_model()

REVIEW_FIELDS = [
    "review_teams",
    "review_tasks_done",
    "review_median_time_per_task",
    "review_agreement",
]

REVIEW_WORK = (
    "Tasks done: answers submitted in the last 30 days. Median time per task: their active "
    "working time on those answers. Agreement with other reviewers: among the loops they "
    "answered in the last 30 days that are complete with answers from other reviewers too "
    "(flow definitions with more than one reviewer per loop), the share in which their answer "
    "matched every other answer, compared as JSON with key order ignored."
)

# Importing UserAdmin above registered Django's own admin for the user model; this one replaces
# it and keeps all it does.
admin.site.unregister(User)


@admin.register(User)
class ReviewerAdmin(OperatorSafeUserAdminMixin, UserAdmin):
    list_display = [*UserAdmin.list_display, "tasks_done"]
    readonly_fields = [*UserAdmin.readonly_fields, *REVIEW_FIELDS]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .annotate(tasks_done_recently=tasks_done_in(report_window(REVIEWER_WINDOW)))
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        review = (
            "Review work, last 30 days",
            {"fields": REVIEW_FIELDS, "description": REVIEW_WORK},
        )
        return [*fieldsets[:1], review, *fieldsets[1:]]  # right under the username

    @admin.display(description="tasks done (30 days)", ordering="tasks_done_recently")
    def tasks_done(self, obj: Any) -> int:
        return obj.tasks_done_recently

    @admin.display(description="teams")
    def review_teams(self, obj: Any) -> str:
        teams = summary_of(obj).teams
        if not teams:
            return "In no work team: this user gets no tasks."
        return change_links(teams, "admin:workflows_workteam_change")

    @admin.display(description="tasks done")
    def review_tasks_done(self, obj: Any) -> str:
        return f"{summary_of(obj).tasks_done:,}"

    @admin.display(description="median time per task")
    def review_median_time_per_task(self, obj: Any) -> str:
        summary = summary_of(obj)
        if summary.median_seconds_per_task is None:
            return "No task done in the last 30 days."
        return f"{summary.median_label} of active work"

    @admin.display(description="agreement with other reviewers")
    def review_agreement(self, obj: Any) -> str:
        agreement = summary_of(obj).agreement
        if not agreement.loops:
            return "No loop answered together with other reviewers in the last 30 days."
        return (
            f"{agreement.share_label}: matched every other answer in {agreement.agreed:,} of "
            f"{agreement.loops:,} loops answered by several reviewers"
        )


def summary_of(user: Any) -> ReviewerSummary:
    """The reviewer's summary, read once per page however many fields show it."""
    summary = getattr(user, "_review_summary", None)
    if summary is None:
        summary = user._review_summary = reviewer_summary(user)
    return summary
