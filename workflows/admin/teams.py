"""Admin of work teams."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from a2i_portal import clock
from workflows.models import WorkTeam


@admin.register(WorkTeam)
class WorkTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "notify_by_email", "created_at"]
    search_fields = ["name", "description"]
    filter_horizontal = ["members", "member_groups"]
    readonly_fields = ["arn", "created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: WorkTeam, form: Any, change: bool) -> None:
        obj.updated_at = clock.now()
        super().save_model(request, obj, form, change)
