"""Prometheus metrics of the review work (served by a2i_portal.metrics at /metrics).

Counters and the time-per-task histogram are kept by signal receivers in the process where the
change happened (a web worker, a Celery worker); prometheus-client's multiprocess mode adds the
processes up at scrape time. What the database holds (loops by status, the queue, the webhook
backlog) is read once per scrape by `DatabaseCollector`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Min
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

from a2i_portal import clock
from reviews.models import (
    DeliveryAttempt,
    HumanLoop,
    LoopEvent,
    OpenSlot,
    SlotEvent,
    TaskSlot,
    WebhookDelivery,
    WebhookEndpoint,
)
from workflows.models import FlowDefinition

LOOP_STATUS_CHANGES = Counter(
    "a2i_loop_status_changes_total",
    "Human loops that reached a status, by flow definition (a started or re-opened loop "
    "reaches InProgress).",
    ["flow_definition", "status"],
)
TASK_EVENTS = Counter(
    "a2i_task_events_total",
    "Task events by flow definition and kind: claimed, released, declined, expired, "
    "submitted, withdrawn, reopened.",
    ["flow_definition", "kind"],
)
# Human work: a yes/no label takes seconds, a long transcription an hour or more.
TASK_TIME_BUCKETS = (5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)
TASK_TIME = Histogram(
    "a2i_task_time_spent_seconds",
    "Working time of each submitted task, by flow definition: the active time the work page "
    "measured (pauses excluded), else the time from claim to answer.",
    ["flow_definition"],
    buckets=TASK_TIME_BUCKETS,
)
WEBHOOK_ATTEMPTS = Counter(
    "a2i_webhook_attempts_total",
    "POSTs of loop status-change events to webhook endpoints, by endpoint and outcome "
    "(delivered: a 2xx answer; failed: anything else).",
    ["endpoint", "outcome"],
)
WEBHOOK_FAILURES = Counter(
    "a2i_webhook_failures_total",
    "Failed webhook POSTs, by endpoint and reason: http_3xx, http_4xx, http_5xx, or "
    "no_response (timeout, refused connection, DNS or TLS error).",
    ["endpoint", "reason"],
)


def count_loop_status(sender: type, event: LoopEvent, **kwargs: Any) -> None:
    LOOP_STATUS_CHANGES.labels(event.flow_definition_name, event.status).inc()


def count_slot_event(sender: type, event: SlotEvent, slot: TaskSlot, **kwargs: Any) -> None:
    flow_definition = flow_definition_name(event, slot)
    TASK_EVENTS.labels(flow_definition, event.kind).inc()
    if event.kind == SlotEvent.Kind.SUBMITTED and slot.time_spent is not None:
        TASK_TIME.labels(flow_definition).observe(slot.time_spent)


def flow_definition_name(event: SlotEvent, slot: TaskSlot) -> str:
    """The slot's flow definition: from the loop when the service left it on the event or the
    slot with its flow definition, else one query by primary keys. Empty if the loop is gone."""
    for owner in (event, slot):
        if type(owner).loop.is_cached(owner) and HumanLoop.flow_definition.is_cached(owner.loop):
            return owner.loop.flow_definition.name
    names = HumanLoop.objects.filter(pk=event.loop_id).values_list("flow_definition__name")
    return next((name for (name,) in names), "")


def count_webhook_attempt(
    sender: type, delivery: WebhookDelivery, attempt: DeliveryAttempt, **kwargs: Any
) -> None:
    endpoint = delivery.endpoint.name
    if attempt.succeeded:
        WEBHOOK_ATTEMPTS.labels(endpoint, "delivered").inc()
        return
    WEBHOOK_ATTEMPTS.labels(endpoint, "failed").inc()
    WEBHOOK_FAILURES.labels(endpoint, failure_reason(attempt)).inc()


def failure_reason(attempt: DeliveryAttempt) -> str:
    if attempt.status_code is None:
        return "no_response"
    return f"http_{attempt.status_code // 100}xx"


class DatabaseCollector:
    """Gauges of what the database holds, read when a scrape asks: at most six queries (three
    of them GROUP BY), whatever the number of flow definitions, loops and endpoints. Every flow
    definition and endpoint is reported, zeros included, so a series does not vanish when its
    queue empties."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        flows = dict(FlowDefinition.objects.order_by().values_list("pk", "name"))
        yield self.loops(flows)
        yield from self.queue(flows)
        yield self.webhook_deliveries()

    def loops(self, flows: dict[int, str]) -> GaugeMetricFamily:
        # Counts every loop: the loops_by_flow_status index (flow definition, status, ...)
        # can answer it with an index-only scan.
        counts = {
            (flow_id, status): count
            for flow_id, status, count in HumanLoop.objects.order_by()
            .values_list("flow_definition_id", "status")
            .annotate(Count("pk"))
        }
        gauge = GaugeMetricFamily(
            "a2i_human_loops",
            "Human loops in the database, by flow definition and status.",
            labels=["flow_definition", "status"],
        )
        for flow_id, name in flows.items():
            for status in HumanLoop.Status.values:
                gauge.add_metric([name, status], counts.get((flow_id, status), 0))
        return gauge

    def queue(self, flows: dict[int, str]) -> Iterator[GaugeMetricFamily]:
        # Depth and head per flow definition, which the queue_by_flow index (flow definition,
        # slot) can answer alone. The head is the lowest slot id, the next task a claim hands
        # out; slot ids grow with loop age, so its loop is the oldest waiting.
        queue = {
            flow_id: (depth, head)
            for flow_id, depth, head in OpenSlot.objects.order_by()
            .values_list("flow_definition_id")
            .annotate(Count("pk"), Min("slot_id"))
        }
        heads = [head for _, head in queue.values()]
        created = {}
        if heads:
            slots = TaskSlot.objects.filter(pk__in=heads).order_by()
            created = dict(slots.values_list("pk", "loop__created_at"))
        now = clock.now()
        depth_gauge = GaugeMetricFamily(
            "a2i_open_tasks",
            "Tasks waiting in the queue for a reviewer, by flow definition.",
            labels=["flow_definition"],
        )
        age_gauge = GaugeMetricFamily(
            "a2i_oldest_open_task_age_seconds",
            "Seconds since the loop of the next task in the queue was created, by flow "
            "definition: how long the oldest waiting loop has waited for an answer (a task "
            "given back keeps its loop's age); 0 when no task is waiting.",
            labels=["flow_definition"],
        )
        for flow_id, name in flows.items():
            depth, head = queue.get(flow_id, (0, None))
            depth_gauge.add_metric([name], depth)
            age = (now - created[head]).total_seconds() if head in created else 0.0
            age_gauge.add_metric([name], max(age, 0.0))
        yield depth_gauge
        yield age_gauge

    def webhook_deliveries(self) -> GaugeMetricFamily:
        endpoints = dict(WebhookEndpoint.objects.order_by().values_list("pk", "name"))
        states = [WebhookDelivery.State.PENDING, WebhookDelivery.State.ABANDONED]
        # No index has the deliveries by state and endpoint (deliveries_due holds the pending
        # ones by due time only), so this reads the table, delivered rows included.
        counts = {
            (endpoint_id, state): count
            for endpoint_id, state, count in WebhookDelivery.objects.filter(state__in=states)
            .order_by()
            .values_list("endpoint_id", "state")
            .annotate(Count("pk"))
        }
        gauge = GaugeMetricFamily(
            "a2i_webhook_deliveries",
            "Webhook deliveries by endpoint and state: pending (not delivered yet, being "
            "retried) or abandoned (retries ran out; an operator may send them again).",
            labels=["endpoint", "state"],
        )
        for endpoint_id, name in endpoints.items():
            for state in states:
                gauge.add_metric([name, state], counts.get((endpoint_id, state), 0))
        return gauge
