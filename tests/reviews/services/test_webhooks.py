"""Webhook endpoints, the fan-out of events to them, and signed, retried, logged POSTs."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import urllib3

from a2i_portal.errors import Conflict, Invalid
from reviews import signals
from reviews.models import DeliveryAttempt, LoopEvent, WebhookDelivery, WebhookEndpoint
from reviews.services import webhooks
from reviews.services.loops import stop_loop
from tests.factories import FlowDefinitionFactory, StartedLoopFactory

pytestmark = pytest.mark.django_db

SECRET = "s3cret-for-signing-events"


class Answer:
    def __init__(self, status: int, body: bytes = b"") -> None:
        self.status, self.body = status, body

    def read(self, amount: int, decode_content: bool = True) -> bytes:
        return self.body[:amount]

    def release_conn(self) -> None:
        pass


class Receiver:
    """Stands in for the connection pool: records each POST, answers from a script."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.script: list[object] = []

    def request(self, method, url, *, body, headers, **options):
        self.requests.append({"method": method, "url": url, "body": body, "headers": headers})
        answer = self.script.pop(0) if self.script else Answer(200)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def receiver(monkeypatch):
    fake = Receiver()
    monkeypatch.setattr(webhooks, "http", fake)
    return fake


@pytest.fixture
def endpoint(db):
    endpoint, _ = webhooks.register_endpoint(
        name="client", url="https://client.example/a2i-events", secret=SECRET
    )
    return endpoint


@pytest.fixture
def stopped_event(open_loop):
    stop_loop(loop=open_loop)
    return LoopEvent.objects.get(status="Stopped")


@pytest.fixture
def delivery(endpoint, stopped_event):
    [pk] = webhooks.dispatch_event(event_pk=stopped_event.pk)
    return WebhookDelivery.objects.get(pk=pk)


# Registering an endpoint


def test_a_new_endpoint_without_a_secret_gets_a_generated_one(db):
    endpoint, secret = webhooks.register_endpoint(name="c", url="http://127.0.0.1:9/hook")

    assert secret.startswith("whsec_") and len(secret) > 40
    assert endpoint.secret == secret
    assert secret not in endpoint.secret_encrypted


def test_a_new_endpoint_wants_a2is_three_statuses(endpoint):
    assert endpoint.statuses == ["Completed", "Failed", "Stopped"]


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"url": "ftp://client.example/x"}, "url", "valid URL"),
        ({"url": "not a url"}, "url", "valid URL"),
        ({"secret": "short"}, "secret", "at least 16"),
        ({"statuses": []}, "statuses", "cannot be blank"),
        ({"statuses": "Failed"}, "statuses", "non-empty list"),
        ({"statuses": ["Done"]}, "statuses", "loop statuses"),
        ({"statuses": ["Failed", "Failed"]}, "statuses", "each status once"),
        ({"name": ""}, "name", "blank"),
    ],
)
def test_a_bad_endpoint_is_refused_naming_the_field(db, fields, field, rule):
    arguments = {"name": "c", "url": "https://client.example/x", **fields}

    with pytest.raises(Invalid) as refused:
        webhooks.register_endpoint(**arguments)

    assert refused.value.field == field
    assert rule in refused.value.message
    assert not WebhookEndpoint.objects.exists()


def test_a_taken_name_is_a_conflict(endpoint):
    with pytest.raises(Conflict) as refused:
        webhooks.register_endpoint(name="client", url="https://other.example/")

    assert refused.value.field == "name"


def test_a_rotated_secret_signs_from_then_on(endpoint):
    secret = webhooks.rotate_secret(endpoint=endpoint, secret="another-long-secret-value")

    endpoint.refresh_from_db()
    assert endpoint.secret == secret == "another-long-secret-value"


# Fan-out


def test_an_event_goes_to_every_active_endpoint_that_wants_it(stopped_event, flow):
    everything, _ = webhooks.register_endpoint(name="all", url="https://a.example/")
    this_flow, _ = webhooks.register_endpoint(
        name="flow", url="https://b.example/", flow_definition_ids=[flow.pk]
    )
    other_flow, _ = webhooks.register_endpoint(
        name="other", url="https://c.example/", flow_definition_ids=[FlowDefinitionFactory().pk]
    )
    completed_only, _ = webhooks.register_endpoint(
        name="completed", url="https://d.example/", statuses=["Completed"]
    )
    inactive, _ = webhooks.register_endpoint(name="off", url="https://e.example/", is_active=False)

    webhooks.dispatch_event(event_pk=stopped_event.pk)

    assert set(
        WebhookDelivery.objects.filter(event=stopped_event).values_list("endpoint__name", flat=True)
    ) == {"all", "flow"}


def test_an_endpoint_may_ask_for_statuses_a2i_does_not_emit(open_loop):
    webhooks.register_endpoint(
        name="all", url="https://a.example/", statuses=["InProgress", "Stopping"]
    )
    started = LoopEvent.objects.get(loop=open_loop, status="InProgress")

    assert len(webhooks.dispatch_event(event_pk=started.pk)) == 1


def test_an_event_is_fanned_out_once(endpoint, stopped_event):
    webhooks.dispatch_event(event_pk=stopped_event.pk)
    again = webhooks.dispatch_event(event_pk=stopped_event.pk)

    assert again == []
    assert WebhookDelivery.objects.count() == 1


def test_an_event_waiting_for_its_output_is_not_fanned_out(endpoint, stopped_event):
    LoopEvent.objects.filter(pk=stopped_event.pk).update(awaits_output=True)

    assert webhooks.dispatch_event(event_pk=stopped_event.pk) == []
    assert not WebhookDelivery.objects.exists()


def test_the_fan_out_queues_the_posts_after_its_commit(
    endpoint, stopped_event, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        webhooks.dispatch_event(event_pk=stopped_event.pk)
    assert receiver.requests == []

    for callback in callbacks:
        callback()

    assert len(receiver.requests) == 1


# The POST


def test_the_post_carries_the_event_json(delivery, receiver, stopped_event):
    webhooks.deliver(delivery_id=delivery.pk)

    [request] = receiver.requests
    assert request["method"] == "POST"
    assert request["url"] == "https://client.example/a2i-events"
    assert json.loads(request["body"]) == stopped_event.payload
    assert request["headers"]["Content-Type"] == "application/json"


def test_the_post_names_the_event_and_the_attempt(delivery, receiver, stopped_event):
    webhooks.deliver(delivery_id=delivery.pk)

    headers = receiver.requests[0]["headers"]
    assert headers["X-A2I-Event-Id"] == str(stopped_event.event_id)
    assert headers["X-A2I-Event-Id"] == stopped_event.payload["id"]
    assert headers["X-A2I-Delivery-Attempt"] == "1"


def test_the_signature_is_hmac_sha256_of_timestamp_and_body(delivery, receiver):
    webhooks.deliver(delivery_id=delivery.pk)

    request = receiver.requests[0]
    timestamp = request["headers"]["X-A2I-Timestamp"]
    expected = hmac.new(
        SECRET.encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256
    ).hexdigest()
    assert request["headers"]["X-A2I-Signature"] == f"sha256={expected}"


def test_a_2xx_answer_delivers_and_logs_the_attempt(delivery, receiver, clock):
    receiver.script = [Answer(204)]

    attempt = webhooks.deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.DELIVERED
    assert delivery.delivered_at == clock.now()
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 204, "")
    assert attempt.latency_ms >= 0


def test_a_delivered_delivery_is_not_posted_again(delivery, receiver):
    webhooks.deliver(delivery_id=delivery.pk)

    assert webhooks.deliver(delivery_id=delivery.pk) is None
    assert len(receiver.requests) == 1


# Failures, backoff and the cap


def test_a_5xx_answer_is_logged_and_retried_after_the_base_delay(
    delivery, receiver, clock, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 5
    receiver.script = [Answer(503, b"down for maintenance")]

    attempt = webhooks.deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.PENDING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at == clock.now() + timedelta(seconds=5)
    assert delivery.leased_until is None
    assert attempt.status_code == 503
    assert attempt.error == "HTTP 503: down for maintenance"


def test_a_refused_connection_is_logged_with_its_reason(delivery, receiver):
    receiver.script = [urllib3.exceptions.NewConnectionError(None, "Connection refused")]

    attempt = webhooks.deliver(delivery_id=delivery.pk)

    assert attempt.status_code is None
    assert "Connection refused" in attempt.error


def test_a_real_refused_connection_on_loopback_is_an_attempt_not_a_crash(stopped_event):
    webhooks.register_endpoint(name="closed", url="http://127.0.0.1:9/hook")
    [pk] = webhooks.dispatch_event(event_pk=stopped_event.pk)

    attempt = webhooks.deliver(delivery_id=pk)

    assert attempt.status_code is None
    assert attempt.error


def test_a_redirect_is_not_followed_and_counts_as_a_failure(delivery, receiver):
    receiver.script = [Answer(302)]

    attempt = webhooks.deliver(delivery_id=delivery.pk)

    assert len(receiver.requests) == 1
    assert not attempt.succeeded


def test_a_retry_is_not_posted_before_it_is_due(delivery, receiver, clock, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 5
    receiver.script = [Answer(500)]
    webhooks.deliver(delivery_id=delivery.pk)

    clock.advance(timedelta(seconds=4.9))
    assert webhooks.deliver(delivery_id=delivery.pk) is None
    clock.advance(timedelta(seconds=0.1))
    assert webhooks.deliver(delivery_id=delivery.pk).number == 2


def test_the_delay_doubles_up_to_the_cap(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS = 5, 60

    assert [webhooks.backoff(n) for n in range(1, 7)] == [5, 10, 20, 40, 60, 60]
    assert webhooks.backoff(10_000) == 60


def test_retries_stop_when_the_retry_window_has_passed(delivery, receiver, clock, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS = 60, 600
    settings.WEBHOOK_RETRY_FOR_SECONDS = 3600
    receiver.script = [Answer(500)] * 100

    attempts = 0
    while webhooks.deliver(delivery_id=delivery.pk) is not None:
        attempts += 1
        delivery.refresh_from_db()
        clock.current = delivery.next_attempt_at

    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.ABANDONED
    # 60, 120, 240, 480, 600, 600, 600, 600: the ninth would come after the hour
    assert attempts == delivery.attempts == 9
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 9


def test_a_receiver_down_for_an_hour_still_gets_the_event(delivery, receiver, clock):
    hour_later = clock.now() + timedelta(hours=1)
    receiver.script = [Answer(500)] * 1000
    while clock.now() < hour_later:
        webhooks.deliver(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        clock.current = delivery.next_attempt_at
    receiver.script = []

    webhooks.deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.DELIVERED


def test_a_failed_attempt_queues_its_retry_with_the_backoff_as_countdown(
    delivery, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        webhooks, "queue_deliveries", lambda ids, countdown=0: queued.append((ids, countdown))
    )
    receiver.script = [Answer(500)]

    with django_capture_on_commit_callbacks(execute=True):
        webhooks.deliver(delivery_id=delivery.pk)

    assert queued == [([delivery.pk], webhooks.backoff(1))]


# Leases: one POST at a time, and a killed worker's delivery comes back


def test_a_delivery_leased_by_another_worker_is_left_alone(delivery, receiver, clock):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        leased_until=clock.now() + timedelta(seconds=30)
    )

    assert webhooks.deliver(delivery_id=delivery.pk) is None
    assert receiver.requests == []


def test_a_lease_left_by_a_killed_worker_runs_out(delivery, receiver, clock):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        leased_until=clock.now() + timedelta(seconds=30)
    )
    clock.advance(timedelta(seconds=31))

    assert webhooks.deliver(delivery_id=delivery.pk).number == 1


# Sending again


def test_an_abandoned_delivery_can_be_sent_again(delivery, receiver, clock):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=WebhookDelivery.State.ABANDONED, attempts=7
    )

    webhooks.redeliver(delivery=delivery)
    attempt = webhooks.deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.DELIVERED
    assert attempt.number == 8


# Signals


def test_each_attempt_sends_webhook_attempted_after_its_commit(
    delivery, receiver, django_capture_on_commit_callbacks
):
    seen = []

    def on_attempt(sender, delivery, attempt, **kwargs):
        seen.append((delivery.state, attempt.status_code))

    signals.webhook_attempted.connect(on_attempt)
    try:
        receiver.script = [Answer(500)]
        with django_capture_on_commit_callbacks(execute=True):
            webhooks.deliver(delivery_id=delivery.pk)
    finally:
        signals.webhook_attempted.disconnect(on_attempt)

    assert seen == [("pending", 500)]


# End to end in-process: a loop's ending reaches the receiver once its output is written


def test_a_completed_loop_reaches_the_endpoint_after_its_output_is_written(
    endpoint, receiver, flow, reviewer, outputs_dir, django_capture_on_commit_callbacks
):
    from reviews.services.slots import claim_next_slot, submit_answer

    loop = StartedLoopFactory(flow_definition=flow)
    slot = claim_next_slot(reviewer=reviewer)
    output = outputs_dir / loop.output_uri.split("://", 1)[1]
    seen_output = []
    original = receiver.request

    def request(*args, **kwargs):
        seen_output.append(output.is_file())
        return original(*args, **kwargs)

    receiver.request = request
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(slot=slot, reviewer=reviewer, answer={"ok": True})

    [posted] = receiver.requests
    assert json.loads(posted["body"])["detail"]["humanLoopStatus"] == "Completed"
    assert seen_output == [True]
