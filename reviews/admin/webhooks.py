"""Admin of webhooks: the endpoints operators register, the deliveries of loop events to them
with every attempt, and the outbox of events. Saving and re-sending go through the services."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from a2i_portal.console import DomainErrorsAsMessages
from reviews.forms import WebhookEndpointForm
from reviews.models import DeliveryAttempt, LoopEvent, WebhookDelivery, WebhookEndpoint
from reviews.services.webhooks import redeliver, register_endpoint, rotate_secret, update_endpoint


def moment(at: Any) -> str:
    return "—" if at is None else at.strftime("%Y-%m-%d %H:%M:%S UTC")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "is_active", "status_list", "flows", "pending", "abandoned"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    filter_horizontal = ["flow_definitions"]
    secret_template = "admin/reviews/webhookendpoint/secret.html"

    def get_fields(self, request: HttpRequest, obj: WebhookEndpoint | None = None) -> list[str]:
        fields = ["name", "url", "statuses", "flow_definitions", "is_active", "new_secret"]
        return [*fields, "generate_secret"] if obj is not None else fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookEndpoint]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related("flow_definitions")
            .annotate(
                pending_count=Count("deliveries", filter=Q(deliveries__state="pending")),
                abandoned_count=Count("deliveries", filter=Q(deliveries__state="abandoned")),
            )
        )

    @admin.display(description="Statuses")
    def status_list(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.statuses)

    @admin.display(description="Flow definitions")
    def flows(self, endpoint: WebhookEndpoint) -> str:
        names = [flow.name for flow in endpoint.flow_definitions.all()]
        return ", ".join(names) if names else "All"

    @admin.display(description="Pending", ordering="pending_count")
    def pending(self, endpoint: WebhookEndpoint) -> int:
        return endpoint.pending_count

    @admin.display(description="Abandoned", ordering="abandoned_count")
    def abandoned(self, endpoint: WebhookEndpoint) -> str:
        if not endpoint.abandoned_count:
            return "0"
        url = reverse("admin:reviews_webhookdelivery_changelist")
        return format_html(
            '<a href="{}?endpoint__id__exact={}&state__exact=abandoned">{}</a>',
            url,
            endpoint.pk,
            endpoint.abandoned_count,
        )

    def save_model(
        self, request: HttpRequest, obj: WebhookEndpoint, form: ModelForm, change: bool
    ) -> None:
        data = form.cleaned_data
        flow_ids = [flow.pk for flow in data["flow_definitions"]]
        if not change:
            saved, secret = register_endpoint(
                name=data["name"],
                url=data["url"],
                secret=data["new_secret"],
                statuses=list(data["statuses"]),
                flow_definition_ids=flow_ids,
                is_active=data["is_active"],
            )
            obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db
            obj.shown_once = secret if not data["new_secret"] else None
            return
        update_endpoint(
            endpoint=obj,
            url=data["url"],
            statuses=list(data["statuses"]),
            flow_definition_ids=flow_ids,
            is_active=data["is_active"],
        )
        if data["new_secret"] or data.get("generate_secret"):
            secret = rotate_secret(endpoint=obj, secret=data["new_secret"])
            obj.shown_once = secret if not data["new_secret"] else None

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list, change: bool
    ) -> None:
        """The flow definitions were set by the service."""

    def response_add(
        self, request: HttpRequest, obj: WebhookEndpoint, post_url_continue: str | None = None
    ) -> HttpResponse:
        return self.secret_page(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request: HttpRequest, obj: WebhookEndpoint) -> HttpResponse:
        return self.secret_page(request, obj) or super().response_change(request, obj)

    def secret_page(self, request: HttpRequest, endpoint: WebhookEndpoint) -> HttpResponse | None:
        """A generated secret is shown on the page that answers the save, and nowhere else: not
        in the session, a message cookie or a cache."""
        secret = getattr(endpoint, "shown_once", None)
        if not secret:
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Signing secret of {endpoint.name}",
            "opts": self.opts,
            "endpoint": endpoint,
            "secret": secret,
        }
        response = TemplateResponse(request, self.secret_template, context)
        add_never_cache_headers(response)
        return response


class LogInline(admin.TabularInline):
    """Rows of a log: shown, never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttemptInline(LogInline):
    model = DeliveryAttempt
    fields = ["number", "started", "status_code", "latency", "error"]
    readonly_fields = fields

    @admin.display(description="Started (UTC)")
    def started(self, attempt: DeliveryAttempt) -> str:
        return attempt.started_at.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]

    @admin.display(description="Latency")
    def latency(self, attempt: DeliveryAttempt) -> str:
        return f"{attempt.latency_ms} ms"


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "loop",
        "status",
        "endpoint",
        "state",
        "attempts",
        "last_answer",
        "next_attempt",
        "delivered",
    ]
    list_filter = ["state", "endpoint", "event__status"]
    list_select_related = ["event", "endpoint"]
    search_fields = ["event__loop_name", "=event__event_id"]
    readonly_fields = [
        "event_link",
        "event_id",
        "endpoint",
        "state",
        "attempts",
        "retrying_since",
        "next_attempt",
        "delivered",
        "payload",
    ]
    fields = readonly_fields
    inlines = [AttemptInline]
    actions = ["send_again"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A delivery's page is read-only; the list's "send again" is the one change."""
        return obj is None and super().has_change_permission(request)

    @admin.display(description="Retrying since")
    def retrying_since(self, delivery: WebhookDelivery) -> str:
        return moment(delivery.created_at)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookDelivery]:
        return super().get_queryset(request).prefetch_related("attempt_log")

    @admin.display(description="Loop", ordering="event__loop_name")
    def loop(self, delivery: WebhookDelivery) -> str:
        if delivery.event.loop_id is None:
            return f"{delivery.event.loop_name} (deleted)"
        url = reverse("admin:reviews_humanloop_change", args=[delivery.event.loop_id])
        return format_html('<a href="{}">{}</a>', url, delivery.event.loop_name)

    @admin.display(description="Loop status", ordering="event__status")
    def status(self, delivery: WebhookDelivery) -> str:
        return delivery.event.status

    @admin.display(description="Last answer")
    def last_answer(self, delivery: WebhookDelivery) -> str:
        attempts = list(delivery.attempt_log.all())
        if not attempts:
            return "—"
        last = attempts[-1]
        return str(last.status_code) if last.status_code else last.error[:60]

    @admin.display(description="Next attempt", ordering="next_attempt_at")
    def next_attempt(self, delivery: WebhookDelivery) -> str:
        if delivery.state != WebhookDelivery.State.PENDING:
            return "—"
        return moment(delivery.next_attempt_at)

    @admin.display(description="Delivered", ordering="delivered_at")
    def delivered(self, delivery: WebhookDelivery) -> str:
        return moment(delivery.delivered_at)

    @admin.display(description="Event")
    def event_link(self, delivery: WebhookDelivery) -> str:
        url = reverse("admin:reviews_loopevent_change", args=[delivery.event_id])
        return format_html('<a href="{}">{}</a>', url, delivery.event)

    @admin.display(description="Event id (X-A2I-Event-Id)")
    def event_id(self, delivery: WebhookDelivery) -> str:
        return str(delivery.event.event_id)

    @admin.display(description="What is POSTed")
    def payload(self, delivery: WebhookDelivery) -> str:
        return pretty_json(delivery.event.payload)

    @admin.action(description="Send the selected deliveries again", permissions=["change"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        count = 0
        for delivery in queryset:
            redeliver(delivery=delivery)
            count += 1
        self.message_user(
            request,
            f"{count} deliver{'y' if count == 1 else 'ies'} queued again; the receiver "
            "de-duplicates on the event id if it had one already.",
            messages.SUCCESS,
        )


def pretty_json(value: Any) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, sort_keys=True))


class DeliveryInline(LogInline):
    model = WebhookDelivery
    fields = ["endpoint", "state", "attempts", "next_attempt_at", "delivered_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(LoopEvent)
class LoopEventAdmin(admin.ModelAdmin):
    """The outbox, read-only: every loop status change, and where it was delivered."""

    list_display = ["occurred_at", "loop_name", "flow_definition_name", "status", "outgoing"]
    list_filter = ["status"]
    search_fields = ["loop_name", "=event_id"]
    readonly_fields = [
        "event_id",
        "loop_name",
        "flow_definition_name",
        "previous_status",
        "status",
        "occurred_at",
        "awaits_output",
        "dispatched_at",
        "payload_json",
    ]
    fields = readonly_fields
    inlines = [DeliveryInline]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Webhooks")
    def outgoing(self, event: LoopEvent) -> str:
        if event.awaits_output:
            return "waiting for output.json"
        return "queued" if event.dispatched_at else "not yet queued"

    @admin.display(description="Event (as POSTed)")
    def payload_json(self, event: LoopEvent) -> str:
        return pretty_json(event.payload)
