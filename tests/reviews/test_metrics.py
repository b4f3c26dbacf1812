"""The review metrics on /metrics: counters fed by the services' signals, gauges read from the
database at scrape time.

The counters of this test process go to the folder settings chose (PROMETHEUS_MULTIPROC_DIR,
else var/metrics), beside those of any other process there, so each test compares a scrape
before with one after. The files this process wrote there are removed when the run ends.
"""

from datetime import timedelta

import pytest
import urllib3
from prometheus_client.parser import text_string_to_metric_families

from reviews.models import HumanLoop, WebhookDelivery
from reviews.services import webhooks
from reviews.services.loops import stop_loop
from reviews.services.slots import claim_next_slot, expire_overdue_claims, submit_answer
from tests.factories import (
    FlowDefinitionFactory,
    HumanLoopFactory,
    StartedLoopFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)

pytestmark = pytest.mark.django_db

Samples = dict[tuple[str, frozenset], float]


def scrape(client) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


class Scrapes:
    """A scrape before and one after: how much a sample grew in between."""

    def __init__(self, client) -> None:
        self.client, self.before = client, scrape(client)

    def take(self) -> None:
        self.after = scrape(self.client)

    def grew(self, name: str, **labels: str) -> float:
        key = (name, frozenset(labels.items()))
        return self.after.get(key, 0.0) - self.before.get(key, 0.0)


@pytest.fixture
def scrapes(client) -> Scrapes:
    return Scrapes(client)


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """The signals go out once the change commits: run what the commit would run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# Counters and the histogram


def test_started_loops_count_as_in_progress_by_flow_definition(flow, clock, scrapes, after_commit):
    with after_commit():
        StartedLoopFactory.create_batch(2, flow_definition=flow)
    scrapes.take()

    grew = scrapes.grew(
        "a2i_loop_status_changes_total", flow_definition=flow.name, status="InProgress"
    )
    assert grew == 2


def test_a_claim_and_an_answer_count_and_time_the_task(
    flow, reviewer, clock, outputs_dir, scrapes, after_commit
):
    with after_commit():
        StartedLoopFactory(flow_definition=flow)
        slot = claim_next_slot(reviewer=reviewer)
        clock.advance(timedelta(seconds=90))
        submit_answer(slot=slot, reviewer=reviewer, answer={"label": "cat"}, time_spent=75)
    scrapes.take()

    name = flow.name
    assert scrapes.grew("a2i_task_events_total", flow_definition=name, kind="claimed") == 1
    assert scrapes.grew("a2i_task_events_total", flow_definition=name, kind="submitted") == 1
    assert scrapes.grew("a2i_task_time_spent_seconds_count", flow_definition=name) == 1
    assert scrapes.grew("a2i_task_time_spent_seconds_sum", flow_definition=name) == 75
    bucket = "a2i_task_time_spent_seconds_bucket"
    assert scrapes.grew(bucket, flow_definition=name, le="60.0") == 0
    assert scrapes.grew(bucket, flow_definition=name, le="120.0") == 1
    assert scrapes.grew(bucket, flow_definition=name, le="+Inf") == 1
    completed = {"flow_definition": name, "status": "Completed"}
    assert scrapes.grew("a2i_loop_status_changes_total", **completed) == 1


def test_an_expired_claim_counts_as_expired(flow, reviewer, clock, scrapes, after_commit):
    with after_commit():
        StartedLoopFactory(flow_definition=flow)
        slot = claim_next_slot(reviewer=reviewer)
    clock.advance(slot.deadline - clock.now() + timedelta(seconds=1))
    with after_commit():
        assert expire_overdue_claims() == 1
    scrapes.take()

    assert scrapes.grew("a2i_task_events_total", flow_definition=flow.name, kind="expired") == 1
    assert scrapes.grew("a2i_task_time_spent_seconds_count", flow_definition=flow.name) == 0


def test_stopping_a_loop_counts_its_withdrawn_tasks(flow_of_two, clock, scrapes, after_commit):
    with after_commit():
        loop = StartedLoopFactory(flow_definition=flow_of_two)
        stop_loop(loop=loop)
    scrapes.take()

    name = flow_of_two.name
    assert scrapes.grew("a2i_task_events_total", flow_definition=name, kind="withdrawn") == 2
    assert (
        scrapes.grew("a2i_loop_status_changes_total", flow_definition=name, status="Stopped") == 1
    )


class Answer:
    def __init__(self, status: int) -> None:
        self.status = status

    def read(self, amount: int, decode_content: bool = True) -> bytes:
        return b""

    def release_conn(self) -> None:
        pass


class Receiver:
    """Stands in for the connection pool: answers each POST from a script."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)

    def request(self, method: str, url: str, **options: object) -> Answer:
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.mark.parametrize(
    ("answer", "outcome", "reason"),
    [
        (Answer(204), "delivered", None),
        (Answer(503), "failed", "http_5xx"),
        (urllib3.exceptions.ProtocolError("connection refused"), "failed", "no_response"),
    ],
)
def test_a_webhook_attempt_counts_by_endpoint_and_outcome(
    flow, clock, monkeypatch, scrapes, after_commit, answer, outcome, reason
):
    monkeypatch.setattr(webhooks, "http", Receiver(answer))
    endpoint, _ = webhooks.register_endpoint(name="receiver", url="https://client.example/")
    with after_commit():
        stop_loop(loop=StartedLoopFactory(flow_definition=flow))
    scrapes.take()

    attempts = {"endpoint": endpoint.name, "outcome": outcome}
    assert scrapes.grew("a2i_webhook_attempts_total", **attempts) == 1
    for failure in ("http_5xx", "no_response"):
        failures = {"endpoint": endpoint.name, "reason": failure}
        assert scrapes.grew("a2i_webhook_failures_total", **failures) == (failure == reason)


# Gauges read from the database


def gauge(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, frozenset(labels.items()))]


def test_loops_are_counted_by_flow_definition_and_status(client, clock):
    flow, idle = FlowDefinitionFactory(), FlowDefinitionFactory()
    HumanLoopFactory.create_batch(3, flow_definition=flow)
    stopped = HumanLoopFactory(flow_definition=flow)
    HumanLoop.objects.filter(pk=stopped.pk).update(status="Stopped", completed_at=clock.now())

    samples = scrape(client)

    loops = "a2i_human_loops"
    assert gauge(samples, loops, flow_definition=flow.name, status="InProgress") == 3
    assert gauge(samples, loops, flow_definition=flow.name, status="Stopped") == 1
    assert gauge(samples, loops, flow_definition=flow.name, status="Completed") == 0
    assert gauge(samples, loops, flow_definition=idle.name, status="InProgress") == 0


def test_the_queue_has_a_depth_and_an_age_per_flow_definition(client, clock, flow, reviewer):
    idle = FlowDefinitionFactory()
    HumanLoopFactory(flow_definition=flow)  # the oldest: its task is taken first
    clock.advance(timedelta(minutes=10))
    HumanLoopFactory.create_batch(2, flow_definition=flow)
    clock.advance(timedelta(minutes=5))

    samples = scrape(client)

    assert gauge(samples, "a2i_open_tasks", flow_definition=flow.name) == 3
    assert gauge(samples, "a2i_oldest_open_task_age_seconds", flow_definition=flow.name) == 900
    assert gauge(samples, "a2i_open_tasks", flow_definition=idle.name) == 0
    assert gauge(samples, "a2i_oldest_open_task_age_seconds", flow_definition=idle.name) == 0

    claim_next_slot(reviewer=reviewer)
    samples = scrape(client)

    assert gauge(samples, "a2i_open_tasks", flow_definition=flow.name) == 2
    assert gauge(samples, "a2i_oldest_open_task_age_seconds", flow_definition=flow.name) == 300


def test_webhook_deliveries_pending_and_abandoned_are_counted_by_endpoint(client, clock):
    busy, quiet = WebhookEndpointFactory(), WebhookEndpointFactory()
    WebhookDeliveryFactory.create_batch(2, endpoint=busy)
    WebhookDeliveryFactory(endpoint=busy, state=WebhookDelivery.State.ABANDONED)
    WebhookDeliveryFactory(endpoint=busy, state=WebhookDelivery.State.DELIVERED)

    samples = scrape(client)

    deliveries = "a2i_webhook_deliveries"
    assert gauge(samples, deliveries, endpoint=busy.name, state="pending") == 2
    assert gauge(samples, deliveries, endpoint=busy.name, state="abandoned") == 1
    assert gauge(samples, deliveries, endpoint=quiet.name, state="pending") == 0
    assert (deliveries, frozenset({"endpoint": busy.name, "state": "delivered"}.items())) not in (
        samples
    )


def build_flow_with_work(clock) -> None:
    flow = FlowDefinitionFactory()
    HumanLoopFactory.create_batch(2, flow_definition=flow)
    WebhookDeliveryFactory(event__loop__flow_definition=flow)


@pytest.mark.parametrize("flows", [1, 8])
def test_a_scrape_reads_the_database_in_six_queries_however_many_flows(
    client, clock, django_assert_max_num_queries, flows
):
    for _ in range(flows):
        build_flow_with_work(clock)

    with django_assert_max_num_queries(6):
        client.get("/metrics")
