"""Admin of flow definitions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from a2i_portal.errors import DomainError
from workflows.models import FlowDefinition
from workflows.services.flow_definitions import delete_flow_definition


@admin.register(FlowDefinition)
class FlowDefinitionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "request_source",
        "work_team",
        "task_ui",
        "task_count",
        "status",
    ]
    list_filter = ["status", "request_source", "work_team"]
    list_select_related = ["work_team", "task_ui"]
    search_fields = ["name", "task_title"]
    readonly_fields = ["arn", "status", "failure_reason", "created_at"]
    actions = ["delete_as_a2i_does"]
    fieldsets = [
        (None, {"fields": ["name", "arn", "status", "failure_reason", "created_at"]}),
        (
            "Who and what",
            {
                "fields": [
                    "work_team",
                    "task_ui",
                    "request_source",
                    "activation_conditions",
                ]
            },
        ),
        (
            "Task",
            {
                "fields": [
                    "task_title",
                    "task_description",
                    "task_keywords",
                    "task_count",
                    "task_availability_lifetime",
                    "task_time_limit",
                ]
            },
        ),
        ("Output", {"fields": ["output_path", "kms_key_id", "role_arn"]}),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a flow definition goes through Deleting: see delete_as_a2i_does

    @admin.action(
        description="Delete the selected flow definitions (Deleting until their tasks end)",
        permissions=["change"],
    )
    def delete_as_a2i_does(self, request: HttpRequest, queryset: QuerySet[FlowDefinition]) -> None:
        for flow in queryset:
            try:
                delete_flow_definition(flow=flow)
            except DomainError as exc:
                self.message_user(request, f"{flow.name}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{flow.name} is Deleting: unstarted loops are stopped and deleted, and it is "
                    "removed once the loops being worked on have ended.",
                    messages.SUCCESS,
                )
