"""Sweeps and webhook workers racing each other (PostgreSQL row locks, one connection each):
several workers at once never change a loop twice, fan an event out twice, or POST one delivery
twice at the same time."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from reviews.models import DeliveryAttempt, HumanLoop, LoopEvent, WebhookDelivery
from reviews.services import webhooks
from reviews.services.loops import fail_expired_loops
from reviews.services.outbox import recover_outbox
from tests.concurrency.threads import open_loops, run_together, values
from tests.factories import LoopEventFactory, WebhookEndpointFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

EXPIRED = 150


def test_two_loop_expiry_sweeps_at_once_fail_each_loop_once_with_one_event(flow, clock):
    open_loops(flow, EXPIRED)
    clock.advance(timedelta(seconds=flow.task_availability_lifetime))

    failed = values(run_together([fail_expired_loops, fail_expired_loops]))

    assert sum(failed) == EXPIRED
    assert HumanLoop.objects.filter(status="Failed").count() == EXPIRED
    events = LoopEvent.objects.filter(status="Failed")
    assert events.count() == EXPIRED
    assert events.values("loop").distinct().count() == EXPIRED


class SlowReceiver:
    """Answers 200 after a pause long enough for a second worker to try the same delivery."""

    def __init__(self) -> None:
        self.posts = 0
        self.lock = threading.Lock()

    def request(self, method, url, **options):  # noqa: ANN001, ANN201
        with self.lock:
            self.posts += 1
        time.sleep(0.5)

        class Answer:
            status = 200

            def read(self, amount: int, decode_content: bool = True) -> bytes:
                return b""

            def release_conn(self) -> None:
                pass

        return Answer()


def test_two_workers_given_one_delivery_post_it_once(monkeypatch):
    receiver = SlowReceiver()
    monkeypatch.setattr(webhooks, "http", receiver)
    endpoint = WebhookEndpointFactory()
    event = LoopEventFactory(dispatched_at=None)
    monkeypatch.setattr(webhooks, "queue_deliveries", lambda ids, countdown=0: None)
    [delivery_id] = webhooks.dispatch_event(event_pk=event.pk)

    attempts = values(run_together([lambda: webhooks.deliver(delivery_id=delivery_id)] * 2))

    assert receiver.posts == 1
    assert sum(attempt is not None for attempt in attempts) == 1
    assert DeliveryAttempt.objects.count() == 1
    assert WebhookDelivery.objects.get(endpoint=endpoint).state == "delivered"


def test_two_fan_outs_of_one_event_at_once_make_one_delivery_per_endpoint(monkeypatch):
    monkeypatch.setattr(webhooks, "queue_deliveries", lambda ids, countdown=0: None)
    WebhookEndpointFactory.create_batch(3)
    event = LoopEventFactory(dispatched_at=None)

    made = values(run_together([lambda: webhooks.dispatch_event(event_pk=event.pk)] * 2))

    assert sorted(len(ids) for ids in made) == [0, 3]
    assert WebhookDelivery.objects.filter(event=event).count() == 3


def test_two_recovery_sweeps_at_once_queue_each_overdue_delivery_once(monkeypatch, clock, settings):
    queued: list[int] = []
    lock = threading.Lock()

    def queue(ids, countdown=0):  # noqa: ANN001, ANN202
        with lock:
            queued.extend(ids)

    monkeypatch.setattr(webhooks, "queue_deliveries", queue)
    endpoint = WebhookEndpointFactory()
    for _ in range(60):
        webhooks.dispatch_event(event_pk=LoopEventFactory(dispatched_at=None).pk)
    queued.clear()
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 60
    clock.advance(timedelta(seconds=settings.A2I_OUTBOX_RECOVERY_SECONDS + 1))

    values(run_together([recover_outbox, recover_outbox]))

    assert sorted(queued) == sorted(WebhookDelivery.objects.values_list("pk", flat=True))
