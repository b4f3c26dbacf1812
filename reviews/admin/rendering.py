"""Admin of the templates that failed to render for a task."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from reviews.models import RenderFailure


@admin.register(RenderFailure)
class RenderFailureAdmin(admin.ModelAdmin):
    """Templates that failed for a task's input: the line and reason, to fix the template."""

    list_display = ["at", "task_ui", "loop", "reviewer", "problem"]
    list_filter = ["task_ui"]
    list_select_related = ["task_ui", "loop", "reviewer"]
    search_fields = ["problem", "loop__name"]
    readonly_fields = ["at", "task_ui", "loop", "slot", "reviewer", "problem"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
