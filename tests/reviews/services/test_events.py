"""The outbox: every loop status change records A2I's status-change event in its transaction;
signals follow the commit."""

import json
import re
from datetime import UTC, datetime

import pytest

from a2i_portal.errors import Conflict
from reviews import signals
from reviews.models import HumanLoop, LoopEvent, SlotEvent
from reviews.services.loops import (
    delete_loop,
    fail_expired_loops,
    reopen_loop,
    start_loop,
    stop_loop,
)
from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import StartedLoopFactory

pytestmark = pytest.mark.django_db

ANSWER = {"label": "cat"}
UUID = re.compile(r"\A[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\Z")


def statuses(loop):
    return list(
        LoopEvent.objects.filter(loop_name=loop.name).values_list("previous_status", "status")
    )


@pytest.fixture
def received():
    """What the signals delivered, in order."""
    got = []

    def on_loop(sender, event, **kwargs):
        got.append(("loop", event.status))

    def on_slot(sender, event, slot, **kwargs):
        got.append(("slot", event.kind))

    signals.loop_status_changed.connect(on_loop)
    signals.slot_event_recorded.connect(on_slot)
    yield got
    signals.loop_status_changed.disconnect(on_loop)
    signals.slot_event_recorded.disconnect(on_slot)


# Which changes record an event


def test_a_started_loop_records_an_in_progress_event(open_loop):
    assert statuses(open_loop) == [("", "InProgress")]


def test_a_refused_start_records_no_event(open_loop):
    with pytest.raises(Conflict):
        start_loop(
            name=open_loop.name,
            flow_definition_name=open_loop.flow_definition.name,
            input_content='{"other": 1}',
        )

    assert LoopEvent.objects.count() == 1


def test_a_loop_stopped_with_nothing_claimed_records_stopping_then_stopped(open_loop):
    stop_loop(loop=open_loop)

    assert statuses(open_loop) == [
        ("", "InProgress"),
        ("InProgress", "Stopping"),
        ("Stopping", "Stopped"),
    ]


def test_a_stopping_loop_records_stopped_when_the_last_claim_is_answered(claimed_slot, reviewer):
    stop_loop(loop=claimed_slot.loop)
    assert statuses(claimed_slot.loop)[-1] == ("InProgress", "Stopping")

    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)

    assert statuses(claimed_slot.loop)[-1] == ("Stopping", "Stopped")


def test_the_last_answer_records_completed(claimed_slot, reviewer):
    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)

    assert statuses(claimed_slot.loop)[-1] == ("InProgress", "Completed")


def test_an_expired_loop_records_failed_and_a_reopened_one_in_progress(open_loop, clock):
    clock.current = open_loop.expires_at
    fail_expired_loops()
    reopen_loop(loop=open_loop)

    assert statuses(open_loop)[1:] == [("InProgress", "Failed"), ("Failed", "InProgress")]


def test_stopping_a_stopped_loop_again_records_nothing(open_loop):
    stop_loop(loop=open_loop)
    stop_loop(loop=open_loop)

    assert LoopEvent.objects.count() == 3


def test_events_outlive_their_deleted_loop(open_loop):
    stop_loop(loop=open_loop)
    delete_loop(loop=open_loop)

    events = LoopEvent.objects.filter(loop_name=open_loop.name)
    assert events.count() == 3
    assert {event.loop_id for event in events} == {None}
    assert events.last().payload["detail"]["humanLoopName"] == open_loop.name


# The payload: A2I's status-change event (reference section 6.1), field by field


@pytest.fixture
def completed_event(flow, reviewer, clock, settings):
    settings.A2I_REGION, settings.A2I_ACCOUNT_ID = "us-east-1", "111122223333"
    clock.current = datetime(2019, 11, 14, 17, 37, 36, 740000, tzinfo=UTC)
    loop = StartedLoopFactory(flow_definition=flow, name="humanloop-nov-14-1")
    slot = claim_next_slot(reviewer=reviewer)
    clock.current = datetime(2019, 11, 14, 17, 49, 25, 123000, tzinfo=UTC)
    submit_answer(slot=slot, reviewer=reviewer, answer=ANSWER)
    return LoopEvent.objects.get(loop=loop, status="Completed"), loop


def test_the_event_envelope_has_exactly_a2is_fields(completed_event):
    event, loop = completed_event
    payload = event.payload

    assert set(payload) == {
        "version",
        "id",
        "detail-type",
        "source",
        "account",
        "time",
        "region",
        "resources",
        "detail",
    }
    assert payload["version"] == "0"
    assert payload["source"] == "aws.sagemaker"
    assert payload["detail-type"] == "SageMaker A2I HumanLoop Status Change"
    assert payload["account"] == "111122223333"
    assert payload["region"] == "us-east-1"
    assert payload["resources"] == [
        "arn:aws:sagemaker:us-east-1:111122223333:human-loop/humanloop-nov-14-1"
    ]


def test_the_event_id_is_a_uuid_kept_on_the_row(completed_event):
    event, _ = completed_event

    assert UUID.match(event.payload["id"])
    assert event.payload["id"] == str(event.event_id)


def test_the_event_time_has_second_precision_in_utc(completed_event):
    event, _ = completed_event

    assert event.payload["time"] == "2019-11-14T17:49:25Z"


def test_the_event_detail_has_exactly_a2is_fields(completed_event, flow):
    event, loop = completed_event

    assert event.payload["detail"] == {
        "creationTime": "2019-11-14T17:37:36.740Z",
        "failureCode": None,
        "failureReason": None,
        "flowDefinitionArn": (
            f"arn:aws:sagemaker:us-east-1:111122223333:flow-definition/{flow.name}"
        ),
        "humanLoopArn": "arn:aws:sagemaker:us-east-1:111122223333:human-loop/humanloop-nov-14-1",
        "humanLoopName": "humanloop-nov-14-1",
        "humanLoopOutput": {"outputS3Uri": loop.output_uri},
        "humanLoopStatus": "Completed",
    }


def test_the_output_uri_of_the_event_is_the_one_describe_returns(completed_event):
    event, loop = completed_event
    loop.refresh_from_db()

    assert event.payload["detail"]["humanLoopOutput"]["outputS3Uri"] == loop.output_uri
    assert loop.output_uri.endswith("/2019/11/14/17/37/36/humanloop-nov-14-1/output.json")


def test_a_failed_event_carries_the_failure_code_and_reason(open_loop, clock):
    clock.current = open_loop.expires_at
    fail_expired_loops()

    detail = LoopEvent.objects.get(loop=open_loop, status="Failed").payload["detail"]
    assert detail["failureCode"] == "Expired"
    assert "availability lifetime" in detail["failureReason"]
    assert detail["humanLoopOutput"]["outputS3Uri"] == open_loop.output_uri


def test_the_payload_is_plain_json(completed_event):
    event, _ = completed_event

    assert json.loads(json.dumps(event.payload)) == event.payload


# Waiting for output.json


def test_a_completed_event_waits_for_its_output(claimed_slot, reviewer):
    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)

    assert LoopEvent.objects.get(status="Completed").awaits_output


def test_an_ending_without_answers_does_not_wait(open_loop):
    stop_loop(loop=open_loop)

    assert not LoopEvent.objects.filter(awaits_output=True).exists()


def test_once_the_output_is_written_the_event_is_dispatched(
    claimed_slot, reviewer, outputs_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)

    event = LoopEvent.objects.get(status="Completed")
    assert not event.awaits_output
    assert event.dispatched_at is not None
    assert (outputs_dir / claimed_slot.loop.output_uri.split("://", 1)[1]).is_file()


# Signals


def test_signals_are_sent_only_after_the_commit(
    open_loop, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        stop_loop(loop=open_loop)
    assert received == []

    for callback in callbacks:
        callback()

    assert received == [("loop", "Stopping"), ("slot", "withdrawn"), ("loop", "Stopped")]


def test_a_claim_and_an_answer_send_slot_signals(
    open_loop, reviewer, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        slot = claim_next_slot(reviewer=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(slot=slot, reviewer=reviewer, answer=ANSWER)

    assert received[0] == ("slot", SlotEvent.Kind.CLAIMED)
    assert received[1] == ("slot", SlotEvent.Kind.SUBMITTED)
    assert ("loop", HumanLoop.Status.COMPLETED) in received


def test_a_failing_receiver_undoes_nothing(open_loop, django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("receiver bug")

    signals.loop_status_changed.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            stop_loop(loop=open_loop)
    finally:
        signals.loop_status_changed.disconnect(broken)

    open_loop.refresh_from_db()
    assert open_loop.status == "Stopped"
