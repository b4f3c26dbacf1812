"""Delivering loop status-change events to webhook endpoints: at least once, signed, retried
with capped exponential backoff, every attempt logged.

A delivery is claimed with a lease before its POST and settled after it, in two short
transactions: no row lock is held while the receiver answers. A worker killed mid-POST leaves
the lease to run out; the outbox sweep then sends the event again, and the receiver
de-duplicates on the event id (the `X-A2I-Event-Id` header, the payload's `id`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import urllib3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from a2i_portal import clock
from a2i_portal.access.models import encrypt_secret
from a2i_portal.errors import Conflict, Invalid
from a2i_portal.validation import full_clean_or_invalid
from reviews import signals
from reviews.models import DeliveryAttempt, LoopEvent, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-A2I-Signature"
TIMESTAMP_HEADER = "X-A2I-Timestamp"
EVENT_ID_HEADER = "X-A2I-Event-Id"
ATTEMPT_HEADER = "X-A2I-Delivery-Attempt"
USER_AGENT = "A2I-Portal-Webhooks/1"
SECRET_MIN_LENGTH = 16

# One pool per process: connections to a receiver are reused across deliveries.
http = urllib3.PoolManager(retries=False, headers={"User-Agent": USER_AGENT})


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


@transaction.atomic
def register_endpoint(
    *,
    name: str,
    url: str,
    secret: str = "",
    statuses: list[str] | None = None,
    flow_definition_ids: list[int] | None = None,
    is_active: bool = True,
) -> tuple[WebhookEndpoint, str]:
    """A new webhook endpoint; returns it with its signing secret (generated when none is
    given; shown to the operator once). Raises Invalid (URL, statuses, secret) and Conflict
    (name taken)."""
    secret = secret or new_secret()
    check_secret(secret)
    endpoint = WebhookEndpoint(name=name, url=url, is_active=is_active)
    if statuses is not None:
        endpoint.statuses = statuses
    endpoint.secret_encrypted = encrypt_secret(secret)
    full_clean_or_invalid(endpoint)
    try:
        with transaction.atomic():
            endpoint.save()
    except IntegrityError as exc:
        raise Conflict("name", f"a webhook endpoint named {name!r} exists already") from exc
    if flow_definition_ids:
        endpoint.flow_definitions.set(flow_definition_ids)
    return endpoint, secret


@transaction.atomic
def update_endpoint(
    *,
    endpoint: WebhookEndpoint,
    url: str,
    statuses: list[str],
    flow_definition_ids: list[int],
    is_active: bool,
) -> WebhookEndpoint:
    """Change where and what an endpoint receives; deliveries already made keep their URL's
    answer in the log, pending ones go to the new URL. Raises Invalid (URL, statuses)."""
    endpoint.url, endpoint.statuses, endpoint.is_active = url, statuses, is_active
    full_clean_or_invalid(endpoint)
    endpoint.save(update_fields=["url", "statuses", "is_active"])
    endpoint.flow_definitions.set(flow_definition_ids)
    return endpoint


@transaction.atomic
def rotate_secret(*, endpoint: WebhookEndpoint, secret: str = "") -> str:
    """A new signing secret for the endpoint; deliveries from now on are signed with it."""
    secret = secret or new_secret()
    check_secret(secret)
    endpoint.secret_encrypted = encrypt_secret(secret)
    endpoint.save(update_fields=["secret_encrypted"])
    return secret


def check_secret(secret: str) -> None:
    if len(secret) < SECRET_MIN_LENGTH:
        raise Invalid("secret", f"must be at least {SECRET_MIN_LENGTH} characters long")


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256 of `{timestamp}.{body}` under the endpoint's secret."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def wants(endpoint: WebhookEndpoint, event: LoopEvent) -> bool:
    return event.status in endpoint.statuses


@transaction.atomic
def dispatch_event(*, event_pk: int) -> list[int]:
    """Fan an event out: one pending delivery per active endpoint that wants it (its flow
    definitions and statuses). Runs once per event; returns the new deliveries' ids, whose POSTs
    are queued after the commit. An event still waiting for its output.json is left alone."""
    event = LoopEvent.objects.select_for_update().filter(pk=event_pk).first()
    if event is None or event.dispatched_at is not None or event.awaits_output:
        return []
    endpoints = (
        WebhookEndpoint.objects.filter(is_active=True)
        .filter(Q(flow_definitions=None) | Q(flow_definitions=event.flow_definition_id))
        .distinct()
    )
    now = clock.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(event=event, endpoint=endpoint, created_at=now, next_attempt_at=now)
        for endpoint in endpoints
        if wants(endpoint, event)
    )
    event.dispatched_at = now
    event.save(update_fields=["dispatched_at"])
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: queue_deliveries(ids))
    return ids


def queue_deliveries(ids: list[int], countdown: float = 0) -> None:
    from reviews.tasks import deliver_webhook  # the tasks module imports the services

    for delivery_id in ids:
        deliver_webhook.apply_async((delivery_id,), countdown=countdown or None)


@dataclass(frozen=True)
class PostResult:
    status_code: int | None
    latency_ms: int
    error: str

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def deliver(*, delivery_id: int) -> DeliveryAttempt | None:
    """POST a pending, due delivery once and log the attempt. None when there is nothing to do:
    delivered or abandoned already, not due yet, or another worker holds its lease."""
    now = clock.now()
    # Long enough for the slowest POST (the timeout bounds the connection and the answer
    # each) and the settling transaction after it.
    lease = now + timedelta(seconds=2 * settings.WEBHOOK_TIMEOUT_SECONDS + 5)
    claimed = (
        WebhookDelivery.objects.filter(
            pk=delivery_id, state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lte=now))
        .update(leased_until=lease)
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    number = delivery.attempts + 1
    result = post(delivery=delivery, number=number)
    return settle(delivery_id=delivery_id, number=number, started_at=now, result=result)


def post(*, delivery: WebhookDelivery, number: int) -> PostResult:
    body = json.dumps(delivery.event.payload, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        EVENT_ID_HEADER: str(delivery.event.event_id),
        ATTEMPT_HEADER: str(number),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(
            secret=delivery.endpoint.secret, timestamp=timestamp, body=body
        ),
    }
    started = time.monotonic()
    try:
        response = http.request(
            "POST",
            delivery.endpoint.url,
            body=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            redirect=False,
            preload_content=False,
        )
        try:
            excerpt = response.read(300, decode_content=True)
        finally:
            response.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        latency = round((time.monotonic() - started) * 1000)
        return PostResult(None, latency, describe(exc))
    latency = round((time.monotonic() - started) * 1000)
    error = ""
    if not 200 <= response.status < 300:
        error = f"HTTP {response.status}: {excerpt.decode(errors='replace')}".strip()
    return PostResult(response.status, latency, error[:500])


def describe(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    return f"{type(exc).__name__}: {reason}"[:500]


def backoff(number: int) -> float:
    """Seconds before the attempt after attempt `number`: doubling from the base, capped."""
    base, cap = settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS
    return min(cap, base * 2 ** min(number - 1, 32))


@transaction.atomic
def settle(
    *, delivery_id: int, number: int, started_at: datetime, result: PostResult
) -> DeliveryAttempt:
    """Log an attempt; pending -> delivered on a 2xx answer, else the next attempt is scheduled,
    or, once WEBHOOK_RETRY_FOR_SECONDS have passed since the event, pending -> abandoned."""
    delivery = (
        WebhookDelivery.objects.select_for_update(of=("self",))
        .select_related("event", "endpoint")
        .get(pk=delivery_id)
    )
    attempt = DeliveryAttempt.objects.create(
        delivery=delivery,
        number=number,
        started_at=started_at,
        status_code=result.status_code,
        latency_ms=result.latency_ms,
        error=result.error,
    )
    now = clock.now()
    delivery.attempts, delivery.leased_until = max(delivery.attempts, number), None
    retry_in = 0.0
    if result.succeeded:
        delivery.state, delivery.delivered_at = WebhookDelivery.State.DELIVERED, now
    elif delivery.state == WebhookDelivery.State.PENDING:
        retry_in = backoff(number)
        give_up_at = delivery.created_at + timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS)
        if now + timedelta(seconds=retry_in) > give_up_at:
            delivery.state, retry_in = WebhookDelivery.State.ABANDONED, 0.0
        else:
            delivery.next_attempt_at = now + timedelta(seconds=retry_in)
    delivery.save(
        update_fields=["attempts", "leased_until", "state", "delivered_at", "next_attempt_at"]
    )
    log_attempt(delivery, attempt)
    transaction.on_commit(
        lambda: signals.webhook_attempted.send_robust(
            sender=WebhookDelivery, delivery=delivery, attempt=attempt
        )
    )
    if retry_in:
        transaction.on_commit(lambda: queue_deliveries([delivery_id], countdown=retry_in))
    return attempt


def log_attempt(delivery: WebhookDelivery, attempt: DeliveryAttempt) -> None:
    level = logging.INFO if attempt.succeeded else logging.WARNING
    logger.log(
        level,
        "webhook %s, event %s, attempt %s: %s",
        delivery.endpoint.name,
        delivery.event.event_id,
        attempt.number,
        attempt.status_code or attempt.error,
        extra={
            "event": "webhook.attempted",
            "endpoint": delivery.endpoint.name,
            "event_id": str(delivery.event.event_id),
            "attempt": attempt.number,
            "status_code": attempt.status_code,
            "latency_ms": attempt.latency_ms,
            "error": attempt.error or None,
            "delivery_state": delivery.state,
        },
    )


@transaction.atomic
def redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """An operator sends a delivery again (abandoned, or delivered and lost by the receiver):
    -> pending, due now, with a fresh retry window. Its attempts so far stay in the log."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    now = clock.now()
    delivery.state, delivery.delivered_at = WebhookDelivery.State.PENDING, None
    delivery.created_at = delivery.next_attempt_at = now
    delivery.leased_until = None
    delivery.save(
        update_fields=["state", "delivered_at", "created_at", "next_attempt_at", "leased_until"]
    )
    delivery_id = delivery.pk
    transaction.on_commit(lambda: queue_deliveries([delivery_id]))
    return delivery
