"""Admin of flow definitions: created through the same service as the API, read-only afterwards
(A2I has no UpdateFlowDefinition), with its human loops counted by status, and deleted as A2I
deletes one, after a page that says what the deletion will do to its loops."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from a2i_portal.console import DomainErrorsAsMessages
from a2i_portal.errors import DomainError
from workflows.forms.flow_definitions import FlowDefinitionForm
from workflows.models import FlowDefinition
from workflows.services.flow_definitions import create_flow_definition, delete_flow_definition

# Slot states in which a reviewer has started a loop: such a loop finishes before it is deleted.
STARTED_SLOT_STATES = ("claimed", "submitted")


def loop_model() -> type[Model]:
    """HumanLoop, reached through FlowDefinition.loops: workflows never imports reviews."""
    return FlowDefinition._meta.get_field("loops").related_model


def loops_url(flow: FlowDefinition, status: str | None = None) -> str:
    query = {"flow_definition__id__exact": flow.pk}
    if status:
        query["status__exact"] = status
    return f"{reverse('admin:reviews_humanloop_changelist')}?{urlencode(query)}"


@dataclass(frozen=True)
class DeletionImpact:
    """What deleting a flow definition does to its human loops (reference §7.7)."""

    flow: FlowDefinition
    unstarted: int  # InProgress, no reviewer started: stopped and deleted at once
    being_worked: int  # a reviewer started (or Stopping): they end first, then are deleted
    ended: int  # Completed, Failed or Stopped: deleted (their output files stay)

    @property
    def total(self) -> int:
        return self.unstarted + self.being_worked + self.ended


def deletion_impacts(queryset: QuerySet[FlowDefinition]) -> list[DeletionImpact]:
    """The deletion impact of each flow definition, counted in one query over their loops."""
    flows = list(queryset.order_by("name"))
    Loop = loop_model()
    statuses = Loop.Status
    slots = Loop._meta.get_field("slots").related_model
    started = Exists(slots.objects.filter(loop=OuterRef("pk"), state__in=STARTED_SLOT_STATES))
    counts = {
        row["flow_definition"]: row
        for row in Loop.objects.filter(flow_definition__in=[flow.pk for flow in flows])
        .annotate(started=started)
        .values("flow_definition")
        .annotate(
            unstarted=Count("pk", filter=Q(status=statuses.IN_PROGRESS, started=False)),
            being_worked=Count(
                "pk",
                filter=Q(status=statuses.IN_PROGRESS, started=True) | Q(status=statuses.STOPPING),
            ),
            ended=Count("pk", filter=Q(status__in=Loop.TERMINAL)),
        )
        .order_by()
    }
    empty = {"unstarted": 0, "being_worked": 0, "ended": 0}
    return [
        DeletionImpact(
            flow=flow,
            unstarted=counts.get(flow.pk, empty)["unstarted"],
            being_worked=counts.get(flow.pk, empty)["being_worked"],
            ended=counts.get(flow.pk, empty)["ended"],
        )
        for flow in flows
    ]


@admin.register(FlowDefinition)
class FlowDefinitionAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    form = FlowDefinitionForm
    list_display = [
        "name",
        "request_source_name",
        "work_team",
        "task_ui",
        "task_count",
        "status",
        "in_progress",
        "completed",
    ]
    list_filter = ["status", "request_source", "work_team"]
    list_select_related = ["work_team", "task_ui"]
    search_fields = ["name", "task_title"]
    readonly_fields = [
        "arn",
        "status",
        "failure_reason",
        "created_at",
        "loops_by_status",
        "conditions",
        "routing",
        "keywords",
    ]
    actions = ["delete_as_a2i_does"]
    change_form_template = "admin/workflows/flowdefinition/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[FlowDefinition]:
        statuses = loop_model().Status
        return (
            super()
            .get_queryset(request)
            .annotate(
                in_progress_count=Count("loops", filter=Q(loops__status=statuses.IN_PROGRESS)),
                completed_count=Count("loops", filter=Q(loops__status=statuses.COMPLETED)),
            )
        )

    def get_fieldsets(self, request: HttpRequest, obj: FlowDefinition | None = None) -> list:
        who = [
            "work_team",
            "task_ui",
            "request_source",
            "activation_conditions",
            "routing_conditions",
        ]
        task = [
            "task_title",
            "task_description",
            "task_keywords",
            "task_count",
            "task_availability_lifetime",
            "task_time_limit",
        ]
        output = ["output_path", "kms_key_id", "role_arn"]
        if obj is None:
            return [
                (None, {"fields": ["name"]}),
                ("Who and what", {"fields": who}),
                ("Task", {"fields": task}),
                ("Output", {"fields": output}),
            ]
        shown = {
            "activation_conditions": "conditions",
            "routing_conditions": "routing",
            "task_keywords": "keywords",
        }
        return [
            (None, {"fields": ["name", "arn", "status", "failure_reason", "created_at"]}),
            ("Human loops", {"fields": ["loops_by_status"]}),
            ("Who and what", {"fields": [shown.get(f, f) for f in who]}),
            ("Task", {"fields": [shown.get(f, f) for f in task]}),
            ("Output", {"fields": output}),
        ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            return False  # A2I has no UpdateFlowDefinition: an existing one is only viewed
        return super().has_change_permission(request)  # what the deletion action needs

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a flow definition goes through Deleting: see delete_as_a2i_does

    # Creating through the service, as the API does.

    def save_model(
        self, request: HttpRequest, obj: FlowDefinition, form: FlowDefinitionForm, change: bool
    ) -> None:
        values = {field: form.cleaned_data[field] for field in FlowDefinitionForm.Meta.fields}
        created = create_flow_definition(**values)
        obj.pk, obj.status, obj.created_at = created.pk, created.status, created.created_at

    # What an operator reads at a glance.

    @admin.display(description="request source", ordering="request_source")
    def request_source_name(self, obj: FlowDefinition) -> str:
        return "Custom" if not obj.is_built_in else obj.get_request_source_display()

    @admin.display(description="in progress", ordering="in_progress_count")
    def in_progress(self, obj: FlowDefinition) -> str:
        return self.count_link(obj, loop_model().Status.IN_PROGRESS, obj.in_progress_count)

    @admin.display(description="completed", ordering="completed_count")
    def completed(self, obj: FlowDefinition) -> str:
        return self.count_link(obj, loop_model().Status.COMPLETED, obj.completed_count)

    @staticmethod
    def count_link(obj: FlowDefinition, status: str, count: int) -> str:
        if not count:
            return "0"
        return format_html('<a href="{}">{}</a>', loops_url(obj, status), count)

    @admin.display(description="activation conditions")
    def conditions(self, obj: FlowDefinition) -> str:
        if obj.activation_conditions is None:
            return "none: every request starts a human loop" if obj.is_built_in else "-"
        text = json.dumps(obj.activation_conditions, indent=2, ensure_ascii=False)
        return format_html('<pre class="json-view">{}</pre>', text)

    @admin.display(description="routing conditions")
    def routing(self, obj: FlowDefinition) -> str:
        if obj.routing_conditions is None:
            return "-" if obj.is_built_in else "none: clients start loops with StartHumanLoop"
        text = json.dumps(obj.routing_conditions, indent=2, ensure_ascii=False)
        return format_html('<pre class="json-view">{}</pre>', text)

    @admin.display(description="task keywords")
    def keywords(self, obj: FlowDefinition) -> str:
        return ", ".join(obj.task_keywords) or "-"

    @admin.display(description="loops by status")
    def loops_by_status(self, obj: FlowDefinition) -> str:
        counts = dict(obj.loops.values_list("status").annotate(count=Count("pk")).order_by())
        statuses = loop_model().Status
        cells = format_html_join(
            "",
            '<li class="loop-count loop-{}"><a href="{}"><strong>{}</strong> {}</a></li>',
            (
                (
                    status.value.lower(),
                    loops_url(obj, status.value),
                    counts.get(status.value, 0),
                    status.value,  # as A2I spells it, and as the loop list filters it
                )
                for status in statuses
            ),
        )
        total = sum(counts.values())
        return format_html(
            '<div class="loop-summary"><ul class="loop-counts">{}</ul><a href="{}">All {} loop{}</a>'
            "</div>",
            cells,
            loops_url(obj),
            total,
            "" if total == 1 else "s",
        )

    # Deleting as A2I does.

    @admin.action(
        description="Delete the selected flow definitions (Deleting until their tasks end)",
        permissions=["change"],
    )
    def delete_as_a2i_does(
        self, request: HttpRequest, queryset: QuerySet[FlowDefinition]
    ) -> HttpResponse | None:
        if request.POST.get("confirm") != "yes":
            return self.deletion_confirmation(request, queryset)
        for flow in queryset.order_by("name"):
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
        return None

    def deletion_confirmation(
        self, request: HttpRequest, queryset: QuerySet[FlowDefinition]
    ) -> TemplateResponse:
        impacts = deletion_impacts(queryset)
        not_active = [i.flow for i in impacts if i.flow.status != FlowDefinition.Status.ACTIVE]
        context = {
            **self.admin_site.each_context(request),
            "title": "Delete flow definitions?",
            "opts": self.model._meta,
            "impacts": impacts,
            "not_active": not_active,
            "totals": {
                "unstarted": sum(i.unstarted for i in impacts),
                "being_worked": sum(i.being_worked for i in impacts),
                "ended": sum(i.ended for i in impacts),
            },
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "delete_as_a2i_does",
            "index": request.POST.get("index", "0"),
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/workflows/flowdefinition/delete_confirmation.html", context
        )
