from datetime import timedelta

import pytest
from django.db import transaction

from a2i_portal.errors import Conflict, NotFound, QuotaExceeded
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services.endings import fail_loop
from reviews.services.loops import delete_loop, fail_expired_loops, reopen_loop, stop_loop
from reviews.services.slots import claim_next_slot, decline_slot, submit_answer
from tests.factories import StartedLoopFactory, UserFactory
from workflows.models import FlowDefinition

pytestmark = pytest.mark.django_db

ANSWER = {"category": {"label": "cat"}}


def snapshot(loop):
    """Every row a re-open could write, as the database holds them now."""
    return (
        HumanLoop.objects.filter(pk=loop.pk).values().get(),
        list(TaskSlot.objects.filter(loop=loop).order_by("pk").values()),
        list(OpenSlot.objects.filter(loop=loop).order_by("pk").values()),
        list(SlotEvent.objects.filter(loop=loop).order_by("pk").values()),
    )


def expire(loop, clock):
    clock.advance(loop.expires_at - clock.now())
    fail_expired_loops()
    return HumanLoop.objects.get(pk=loop.pk)


@pytest.fixture
def expired_loop(open_loop, clock):
    return expire(open_loop, clock)


@pytest.fixture
def half_answered_expired_loop(flow_of_two, reviewer, clock):
    """A loop of two answers that expired with one answer in and the other task unclaimed."""
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    slot = claim_next_slot(reviewer=reviewer)
    submit_answer(slot=slot, reviewer=reviewer, answer=ANSWER)
    return expire(loop, clock)


def test_an_expired_loop_is_in_progress_again_with_a_fresh_availability_window(
    expired_loop, flow, clock
):
    clock.advance(timedelta(hours=1))

    loop = reopen_loop(loop=expired_loop)

    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.IN_PROGRESS
    assert (loop.failure_code, loop.failure_reason, loop.completed_at) == ("", "", None)
    assert loop.expires_at == clock.now() + timedelta(seconds=flow.task_availability_lifetime)
    assert loop.updated_at == clock.now()


def test_a_reopened_loop_keeps_its_creation_time_and_output_uri(expired_loop, clock):
    before = (expired_loop.created_at, expired_loop.output_uri)
    clock.advance(timedelta(hours=1))

    loop = reopen_loop(loop=expired_loop)

    assert (loop.created_at, loop.output_uri) == before


def test_the_missing_answers_are_open_again_with_their_queue_rows(expired_loop, clock):
    reopen_loop(loop=expired_loop)

    slot = TaskSlot.objects.get(loop=expired_loop)
    assert slot.state == TaskSlot.State.OPEN
    queue_row = OpenSlot.objects.get(slot=slot)
    assert queue_row.expires_at == HumanLoop.objects.get(pk=expired_loop.pk).expires_at
    assert queue_row.flow_definition_id == expired_loop.flow_definition_id


def test_each_reopened_task_gets_a_reopened_event(expired_loop, clock):
    reopen_loop(loop=expired_loop)

    event = SlotEvent.objects.filter(loop=expired_loop).order_by("pk").last()
    assert (event.kind, event.reviewer, event.at) == (SlotEvent.Kind.REOPENED, None, clock.now())


def test_submitted_answers_stay_and_only_the_missing_ones_reopen(
    half_answered_expired_loop, reviewer
):
    reopen_loop(loop=half_answered_expired_loop)

    slots = TaskSlot.objects.filter(loop=half_answered_expired_loop).order_by("index")
    assert [(s.state, s.answer) for s in slots] == [
        (TaskSlot.State.SUBMITTED, ANSWER),
        (TaskSlot.State.OPEN, None),
    ]
    assert OpenSlot.objects.filter(loop=half_answered_expired_loop).count() == 1


def test_a_reopened_loop_completes_when_its_last_answer_comes_in(
    half_answered_expired_loop, second_reviewer
):
    reopen_loop(loop=half_answered_expired_loop)

    slot = claim_next_slot(reviewer=second_reviewer)
    submit_answer(slot=slot, reviewer=second_reviewer, answer={"category": {"label": "dog"}})

    loop = HumanLoop.objects.get(pk=half_answered_expired_loop.pk)
    assert loop.status == HumanLoop.Status.COMPLETED


def test_the_reviewer_whose_claim_was_withdrawn_can_take_the_task_again(open_loop, reviewer, clock):
    claim_next_slot(reviewer=reviewer)
    loop = expire(open_loop, clock)
    reopen_loop(loop=loop)

    slot = claim_next_slot(reviewer=reviewer)

    assert slot is not None and slot.loop_id == loop.pk


def test_a_reopened_loop_fails_again_only_after_its_new_window(expired_loop, flow, clock):
    loop = reopen_loop(loop=expired_loop)

    clock.advance(timedelta(seconds=flow.task_availability_lifetime - 1))
    assert fail_expired_loops() == 0
    clock.advance(timedelta(seconds=1))
    assert fail_expired_loops() == 1
    loop.refresh_from_db()
    assert (loop.status, loop.failure_code) == (HumanLoop.Status.FAILED, "Expired")


def test_a_loop_that_failed_with_an_internal_error_can_be_reopened(open_loop, clock):
    with transaction.atomic():
        fail_loop(
            loop=open_loop,
            code=HumanLoop.FailureCode.INTERNAL_ERROR,
            reason="storage unreachable",
            at=clock.now(),
        )

    loop = reopen_loop(loop=open_loop)

    assert loop.status == HumanLoop.Status.IN_PROGRESS


def test_a_loop_whose_input_was_refused_is_not_reopened_and_nothing_changes(open_loop, clock):
    with transaction.atomic():
        fail_loop(
            loop=open_loop,
            code=HumanLoop.FailureCode.VALIDATION_ERROR,
            reason="the input names no image",
            at=clock.now(),
        )
    before = snapshot(open_loop)

    with pytest.raises(Conflict, match="ValidationError") as refusal:
        reopen_loop(loop=open_loop)

    assert refusal.value.field == "failure_code"
    assert snapshot(open_loop) == before


def in_progress(loop, reviewer):
    return loop


def completed(loop, reviewer):
    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer=ANSWER)
    return loop


def stopped(loop, reviewer):
    return stop_loop(loop=loop)


@pytest.mark.parametrize("make", [in_progress, completed, stopped])
def test_only_failed_loops_are_reopened_and_a_refusal_changes_nothing(make, open_loop, reviewer):
    loop = make(open_loop, reviewer)
    before = snapshot(loop)

    with pytest.raises(Conflict, match="only Failed loops can be re-opened") as refusal:
        reopen_loop(loop=loop)

    assert refusal.value.field == "status"
    assert snapshot(loop) == before


def test_a_stopping_loop_is_not_reopened(flow_of_two, reviewer):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    claim_next_slot(reviewer=reviewer)
    stop_loop(loop=loop)
    before = snapshot(loop)

    with pytest.raises(Conflict, match="is Stopping"):
        reopen_loop(loop=loop)

    assert snapshot(loop) == before


def test_a_loop_of_a_deleting_flow_definition_is_not_reopened(expired_loop, flow):
    FlowDefinition.objects.filter(pk=flow.pk).update(status=FlowDefinition.Status.DELETING)
    before = snapshot(expired_loop)

    with pytest.raises(Conflict, match="Deleting") as refusal:
        reopen_loop(loop=expired_loop)

    assert refusal.value.field == "flow_definition"
    assert snapshot(expired_loop) == before


def test_a_loop_every_member_declined_is_not_reopened_until_someone_new_joins(
    open_loop, flow, reviewer, second_reviewer
):
    for person in (reviewer, second_reviewer):
        decline_slot(slot=claim_next_slot(reviewer=person), reviewer=person)
    loop = HumanLoop.objects.get(pk=open_loop.pk)
    assert (loop.status, loop.failure_code) == (HumanLoop.Status.FAILED, "Expired")
    before = snapshot(loop)

    with pytest.raises(Conflict, match="add reviewers to the team") as refusal:
        reopen_loop(loop=loop)
    assert refusal.value.field == "work_team"
    assert snapshot(loop) == before

    flow.work_team.members.add(UserFactory(username="newcomer"))
    assert reopen_loop(loop=loop).status == HumanLoop.Status.IN_PROGRESS


def test_the_in_progress_quota_applies_to_a_reopen(expired_loop, flow, settings):
    StartedLoopFactory(flow_definition=flow)
    settings.A2I_MAX_IN_PROGRESS_LOOPS = 1
    before = snapshot(expired_loop)

    with pytest.raises(QuotaExceeded):
        reopen_loop(loop=expired_loop)

    assert snapshot(expired_loop) == before


def test_a_deleted_loop_is_not_found(expired_loop):
    delete_loop(loop=expired_loop)

    with pytest.raises(NotFound) as refusal:
        reopen_loop(loop=expired_loop)

    assert refusal.value.field == "human_loop"


def test_a_second_reopen_is_refused(expired_loop):
    reopen_loop(loop=expired_loop)

    with pytest.raises(Conflict, match="is InProgress"):
        reopen_loop(loop=expired_loop)
