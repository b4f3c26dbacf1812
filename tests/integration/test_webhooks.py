"""Status events and output files through real workers: a receiver that fails for a while, a
worker SIGKILLed in the middle of the traffic and started again; nothing may be lost."""

from __future__ import annotations

import json
import time

import pytest

from reviews.models import HumanLoop, LoopEvent, WebhookDelivery
from reviews.services.loops import stop_loop
from reviews.services.slots import claim_next_slot, submit_answer
from reviews.services.webhooks import register_endpoint
from tests.factories import StartedLoopFactory
from tests.support.audit import audit
from tests.support.polling import Timeout, wait_for
from tests.support.receiver import FailFor, Receiver, output_path
from tests.support.traffic import ANSWER, answer_next, expire_soon
from tests.support.worker import Worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SECRET = "whsec_integration-tests-secret"
# A worker killed mid-POST keeps that delivery leased for WEBHOOK_TIMEOUT_SECONDS + 30 s before
# the outbox sweep sends it again: the deadline leaves room for that on a busy machine.
SETTLE_DEADLINE = 120.0
OUTPUT_DEADLINE = 60.0
FAILING_SECONDS = 4.0  # the receiver answers 500 to everything at first


def run_traffic_with_a_kill(
    worker: Worker,
    receiver: Receiver,
    flow,  # noqa: ANN001
    idle_flow,  # noqa: ANN001
    reviewer,  # noqa: ANN001
) -> float:
    """45 loops to an end while the worker is killed and started again: 30 Completed (half of
    them while no worker runs), 6 Failed as Expired, 6 Stopped with nothing answered and 3
    Stopped with the answer a reviewer still submitted. Returns how long the worker was down."""
    expiring = [StartedLoopFactory(flow_definition=idle_flow) for _ in range(6)]
    expire_soon([loop.pk for loop in expiring], seconds=3)
    for _ in range(15):
        StartedLoopFactory(flow_definition=flow)
        answer_next(reviewer=reviewer, flow=flow)
    for _ in range(4):
        stop_loop(loop=StartedLoopFactory(flow_definition=flow))

    # The kill lands while the worker POSTs to a receiver that fails: retries are scheduled,
    # tasks are in hand, sweeps are queued; all of that dies with it.
    wait_for(lambda: len(receiver.arrivals()) >= 3, timeout=OUTPUT_DEADLINE, what="first POSTs")
    worker.kill()
    killed = time.monotonic()
    for _ in range(15):
        StartedLoopFactory(flow_definition=flow)
        answer_next(reviewer=reviewer, flow=flow)
    for _ in range(2):
        stop_loop(loop=StartedLoopFactory(flow_definition=flow))
    for _ in range(3):  # Stopping while claimed; the answer that comes in ends it as Stopped
        loop = StartedLoopFactory(flow_definition=flow)
        slot = claim_next_slot(reviewer=reviewer, flow_definition=flow)
        stop_loop(loop=loop)
        submit_answer(slot=slot, reviewer=reviewer, answer=ANSWER)
    worker.start()
    return time.monotonic() - killed


def check_every_event_arrives_once_signed_after_its_output(
    worker: Worker,
    flow,  # noqa: ANN001
    idle_flow,  # noqa: ANN001
    reviewer,  # noqa: ANN001
) -> None:
    with Receiver(
        secret=SECRET, outputs_root=worker.outputs_root, answer=FailFor(FAILING_SECONDS)
    ) as receiver:
        endpoint, _ = register_endpoint(name="receiver", url=receiver.url, secret=SECRET)
        began = time.monotonic()
        down = run_traffic_with_a_kill(worker, receiver, flow, idle_flow, reviewer)
        traffic = time.monotonic() - began

        def settled():  # noqa: ANN202
            if HumanLoop.objects.filter(status__in=["InProgress", "Stopping"]).exists():
                return None
            report = audit(receiver=receiver, endpoint=endpoint)
            return report if report.settled else None

        try:
            report, waited = wait_for(settled, timeout=SETTLE_DEADLINE, what="every event")
        except Timeout as exc:
            report = audit(receiver=receiver, endpoint=endpoint)
            pytest.fail(
                f"{exc}\n{report.problems}\n" + "\n".join(report.lines()) + worker_log(worker)
            )

    print(
        f"\n{worker.broker.name}: traffic {traffic:.1f} s (worker down {down:.1f} s), "
        f"then everything delivered {waited:.1f} s later"
    )
    print("\n".join(report.lines()))
    if report.duplicates:
        print(f"duplicate deliveries: {report.duplicates}")

    assert report.problems == []
    assert set(report.expected) == report.delivered
    assert sorted(report.expected.values()).count("Completed") == 30
    assert report.loops == {"Completed": 30, "Failed": 6, "Stopped": 9}
    assert report.deliveries == {WebhookDelivery.State.DELIVERED: 45}
    assert report.loops_with_answers == 33 and report.outputs_missing == []
    assert any(arrival.answered == 500 for arrival in report.arrivals)
    completed = {i for i, status in report.expected.items() if status == "Completed"}
    assert all(a.output_existed for a in report.arrivals if a.event_id in completed)
    assert all(arrival.authentic for arrival in report.arrivals)


def worker_log(worker: Worker) -> str:
    return f"\n--- {worker.name} log ---\n{worker.log_tail()}"


def test_every_status_event_reaches_a_failing_receiver_once_signed_across_a_killed_worker(
    worker, flow, idle_flow, reviewer
):
    check_every_event_arrives_once_signed_after_its_output(worker, flow, idle_flow, reviewer)


def test_each_completed_loop_has_an_a2i_output_json_at_the_key_of_its_output_uri(
    worker, flow, reviewer
):
    loops = [StartedLoopFactory(flow_definition=flow) for _ in range(5)]
    for _ in loops:
        answer_next(reviewer=reviewer, flow=flow)
    paths = {loop.pk: output_path(worker.outputs_root, loop.output_uri) for loop in loops}

    try:
        _, waited = wait_for(
            lambda: all(path.is_file() for path in paths.values()),
            timeout=OUTPUT_DEADLINE,
            what="every output.json is written",
        )
    except Timeout as exc:
        pytest.fail(f"{exc}{worker_log(worker)}")
    print(f"\n{len(paths)} output files written within {waited:.1f} s")

    for loop in HumanLoop.objects.filter(pk__in=paths).select_related("flow_definition"):
        assert loop.status == HumanLoop.Status.COMPLETED
        assert loop.output_uri.startswith("s3://test-bucket/outputs/")
        output = json.loads(paths[loop.pk].read_text())
        assert output["flowDefinitionArn"] == loop.flow_definition.arn
        assert output["humanLoopName"] == loop.name
        assert output["inputContent"] == json.loads(loop.input_content)
        [answer] = output["humanAnswers"]
        assert answer["answerContent"] == ANSWER
        assert set(answer) >= {"acceptanceTime", "submissionTime", "workerId", "workerMetadata"}
    completed = LoopEvent.objects.filter(loop_id__in=paths, status="Completed")
    assert not completed.filter(awaits_output=True).exists()


# Last in the module: it stops the package's worker, and the tests above need it.
@pytest.mark.postgres
def test_every_status_event_arrives_the_same_way_with_rabbitmq_as_the_broker(
    rabbitmq_worker, flow, idle_flow, reviewer
):
    check_every_event_arrives_once_signed_after_its_output(
        rabbitmq_worker, flow, idle_flow, reviewer
    )
