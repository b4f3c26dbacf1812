"""Admin of human loops, with their slots and history. State changes go through the services;
nothing here edits a status field."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from a2i_portal.errors import DomainError
from reviews.models import HumanLoop, SlotEvent, TaskSlot
from reviews.services.loops import delete_loop, stop_loop


class TaskSlotInline(admin.TabularInline):
    model = TaskSlot
    fields = [
        "index",
        "state",
        "reviewer",
        "claimed_at",
        "deadline",
        "submitted_at",
        "time_spent",
        "answer",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: HumanLoop | None = None) -> bool:
        return False


class SlotEventInline(admin.TabularInline):
    model = SlotEvent
    fields = ["at", "kind", "slot", "reviewer"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: HumanLoop | None = None) -> bool:
        return False


@admin.register(HumanLoop)
class HumanLoopAdmin(admin.ModelAdmin):
    list_display = ["name", "flow_definition", "status", "created_at", "completed_at"]
    list_filter = ["status", "flow_definition"]
    list_select_related = ["flow_definition"]
    search_fields = ["name"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # no count(*) over every loop on each page
    readonly_fields = [
        "name",
        "arn",
        "flow_definition",
        "status",
        "input_content",
        "data_attributes",
        "failure_code",
        "failure_reason",
        "output_uri",
        "created_at",
        "updated_at",
        "expires_at",
        "completed_at",
    ]
    inlines = [TaskSlotInline, SlotEventInline]
    actions = ["stop_selected", "delete_selected_loops"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # loops start through the API, where the reference's rules apply

    def has_delete_permission(self, request: HttpRequest, obj: HumanLoop | None = None) -> bool:
        return False  # deletion goes through delete_loop (only terminal loops)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Stop the selected loops")
    def stop_selected(self, request: HttpRequest, queryset: QuerySet[HumanLoop]) -> None:
        self.apply(request, queryset, stop_loop, "stopped")

    @admin.action(description="Delete the selected loops (Completed, Failed or Stopped only)")
    def delete_selected_loops(self, request: HttpRequest, queryset: QuerySet[HumanLoop]) -> None:
        self.apply(request, queryset, delete_loop, "deleted")

    def apply(
        self, request: HttpRequest, queryset: QuerySet[HumanLoop], service, verb: str
    ) -> None:
        done = 0
        for loop in queryset:
            try:
                service(loop=loop)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{loop.name}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} loop(s) {verb}.", messages.SUCCESS)
