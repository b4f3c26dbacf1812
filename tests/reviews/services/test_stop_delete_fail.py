from datetime import timedelta

import pytest

from a2i_portal.errors import Conflict
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services.loops import delete_loop, fail_expired_loops, stop_loop
from reviews.services.slots import (
    claim_next_slot,
    decline_slot,
    expire_overdue_claims,
    release_slot,
    submit_answer,
)
from tests.factories import FlowDefinitionFactory, StartedLoopFactory

pytestmark = pytest.mark.django_db

ANSWER = {"category": {"label": "cat"}}


def row(instance):
    """The instance's row as the database holds it now."""
    return type(instance).objects.filter(pk=instance.pk).values().get()


@pytest.fixture
def stopping_loop(flow_of_two, reviewer):
    """A loop of two slots, stopped while the reviewer holds one: Stopping."""
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    claim_next_slot(reviewer=reviewer)
    return stop_loop(loop=loop)


@pytest.fixture
def completed_loop(claimed_slot, reviewer):
    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)
    return HumanLoop.objects.get(pk=claimed_slot.loop_id)


@pytest.fixture
def stopped_loop(open_loop):
    return stop_loop(loop=open_loop)


@pytest.fixture
def failed_loop(open_loop, clock):
    clock.advance(open_loop.expires_at - clock.now())
    fail_expired_loops()
    return HumanLoop.objects.get(pk=open_loop.pk)


# Stop


def test_stopping_a_loop_nobody_works_on_stops_it_at_once(open_loop, clock):
    clock.advance(timedelta(minutes=1))

    loop = stop_loop(loop=open_loop)

    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.STOPPED
    assert loop.completed_at == clock.now()
    assert loop.failure_code == ""


def test_stopping_a_loop_withdraws_its_open_slots_and_empties_its_queue(flow_of_two):
    loop = StartedLoopFactory(flow_definition=flow_of_two)

    stop_loop(loop=loop)

    assert set(loop.slots.values_list("state", flat=True)) == {TaskSlot.State.WITHDRAWN}
    assert not OpenSlot.objects.filter(loop=loop).exists()
    assert SlotEvent.objects.filter(loop=loop, kind=SlotEvent.Kind.WITHDRAWN).count() == 2


def test_stopping_a_loop_with_a_claimed_slot_makes_it_stopping(stopping_loop):
    stopping_loop.refresh_from_db()

    assert stopping_loop.status == HumanLoop.Status.STOPPING
    assert stopping_loop.completed_at is None


def test_stopping_a_loop_leaves_the_claimed_slot_with_its_reviewer(stopping_loop, reviewer):
    states = dict(stopping_loop.slots.values_list("reviewer", "state"))

    assert states == {reviewer.pk: TaskSlot.State.CLAIMED, None: TaskSlot.State.WITHDRAWN}
    assert not OpenSlot.objects.filter(loop=stopping_loop).exists()


def test_a_stopping_loop_offers_nothing_to_claim(stopping_loop, second_reviewer):
    assert claim_next_slot(reviewer=second_reviewer) is None


def test_the_answer_of_the_last_claim_makes_a_stopping_loop_stopped(stopping_loop, reviewer, clock):
    slot = stopping_loop.slots.get(state=TaskSlot.State.CLAIMED)
    clock.advance(timedelta(minutes=1))

    submit_answer(slot=slot, reviewer=reviewer, answer=ANSWER)

    stopping_loop.refresh_from_db()
    assert stopping_loop.status == HumanLoop.Status.STOPPED
    assert stopping_loop.completed_at == clock.now()
    assert row(slot)["state"] == TaskSlot.State.SUBMITTED


def test_a_released_claim_of_a_stopping_loop_is_withdrawn_and_the_loop_stopped(
    stopping_loop, reviewer
):
    slot = stopping_loop.slots.get(state=TaskSlot.State.CLAIMED)

    release_slot(slot=slot, reviewer=reviewer)

    assert row(slot)["state"] == TaskSlot.State.WITHDRAWN
    assert not OpenSlot.objects.filter(loop=stopping_loop).exists()
    assert row(stopping_loop)["status"] == HumanLoop.Status.STOPPED


def test_a_declined_claim_of_a_stopping_loop_is_withdrawn_and_the_loop_stopped(
    stopping_loop, reviewer
):
    slot = stopping_loop.slots.get(state=TaskSlot.State.CLAIMED)

    decline_slot(slot=slot, reviewer=reviewer)

    assert row(slot)["state"] == TaskSlot.State.WITHDRAWN
    assert row(stopping_loop)["status"] == HumanLoop.Status.STOPPED
    assert row(stopping_loop)["failure_code"] == ""


def test_an_expired_claim_of_a_stopping_loop_is_withdrawn_and_the_loop_stopped(
    stopping_loop, clock
):
    slot = stopping_loop.slots.get(state=TaskSlot.State.CLAIMED)
    clock.advance(slot.deadline - clock.now() + timedelta(seconds=1))

    assert expire_overdue_claims() == 1

    assert row(slot)["state"] == TaskSlot.State.WITHDRAWN
    assert not OpenSlot.objects.filter(loop=stopping_loop).exists()
    assert row(stopping_loop)["status"] == HumanLoop.Status.STOPPED


def test_stopping_a_stopping_loop_changes_nothing(stopping_loop, clock):
    before, events = row(stopping_loop), SlotEvent.objects.count()
    clock.advance(timedelta(minutes=1))

    loop = stop_loop(loop=stopping_loop)

    assert loop.status == HumanLoop.Status.STOPPING
    assert row(stopping_loop) == before
    assert SlotEvent.objects.count() == events


def test_stopping_a_stopped_loop_changes_nothing(open_loop, clock):
    stop_loop(loop=open_loop)
    before, events = row(open_loop), SlotEvent.objects.count()
    clock.advance(timedelta(minutes=1))

    loop = stop_loop(loop=open_loop)

    assert loop.status == HumanLoop.Status.STOPPED
    assert row(open_loop) == before
    assert SlotEvent.objects.count() == events


def test_a_completed_loop_cannot_be_stopped(completed_loop):
    before = row(completed_loop)

    with pytest.raises(Conflict) as refused:
        stop_loop(loop=completed_loop)

    assert refused.value.field == "status"
    assert row(completed_loop) == before


def test_a_failed_loop_cannot_be_stopped(failed_loop):
    before = row(failed_loop)

    with pytest.raises(Conflict) as refused:
        stop_loop(loop=failed_loop)

    assert refused.value.field == "status"
    assert row(failed_loop) == before


# Delete


@pytest.mark.parametrize("ended", ["completed_loop", "failed_loop", "stopped_loop"])
def test_an_ended_loop_can_be_deleted_with_its_slots_and_history(request, ended):
    loop = request.getfixturevalue(ended)

    delete_loop(loop=loop)

    assert not HumanLoop.objects.filter(pk=loop.pk).exists()
    assert not TaskSlot.objects.filter(loop_id=loop.pk).exists()
    assert not SlotEvent.objects.filter(loop_id=loop.pk).exists()


def test_an_in_progress_loop_cannot_be_deleted_and_nothing_is_deleted(claimed_slot):
    loop = claimed_slot.loop

    with pytest.raises(Conflict) as refused:
        delete_loop(loop=loop)

    assert refused.value.field == "status"
    assert row(loop)["status"] == HumanLoop.Status.IN_PROGRESS
    assert row(claimed_slot)["state"] == TaskSlot.State.CLAIMED
    assert SlotEvent.objects.filter(loop=loop).exists()


def test_a_stopping_loop_cannot_be_deleted_and_nothing_is_deleted(stopping_loop):
    with pytest.raises(Conflict) as refused:
        delete_loop(loop=stopping_loop)

    assert refused.value.field == "status"
    assert row(stopping_loop)["status"] == HumanLoop.Status.STOPPING
    assert stopping_loop.slots.count() == 2


# The availability-lifetime sweep


@pytest.fixture
def short_flow(team):
    """A flow definition whose loops wait ten minutes for their answers."""
    return FlowDefinitionFactory(work_team=team, task_availability_lifetime=600)


def test_a_loop_past_its_lifetime_fails_as_expired_with_a_reason(short_flow, clock):
    loop = StartedLoopFactory(flow_definition=short_flow)
    clock.advance(timedelta(seconds=600))

    fail_expired_loops()

    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.FAILED
    assert loop.failure_code == HumanLoop.FailureCode.EXPIRED
    assert "600 seconds" in loop.failure_reason
    assert loop.completed_at == clock.now()


def test_failing_expired_loops_returns_how_many_failed(short_flow, clock):
    StartedLoopFactory.create_batch(3, flow_definition=short_flow)
    clock.advance(timedelta(seconds=600))

    assert fail_expired_loops() == 3


def test_an_expired_loop_withdraws_its_open_and_claimed_slots(team, reviewer, clock):
    flow = FlowDefinitionFactory(work_team=team, task_availability_lifetime=600, task_count=2)
    loop = StartedLoopFactory(flow_definition=flow)
    claimed = claim_next_slot(reviewer=reviewer)
    clock.advance(timedelta(seconds=600))

    fail_expired_loops()

    assert set(loop.slots.values_list("state", "reviewer")) == {(TaskSlot.State.WITHDRAWN, None)}
    assert not OpenSlot.objects.filter(loop=loop).exists()
    withdrawn = SlotEvent.objects.filter(kind=SlotEvent.Kind.WITHDRAWN)
    assert dict(withdrawn.values_list("slot", "reviewer")) == {
        claimed.pk: reviewer.pk,
        loop.slots.exclude(pk=claimed.pk).get().pk: None,
    }


def test_the_holder_of_a_withdrawn_claim_cannot_answer_it(short_flow, reviewer, clock):
    StartedLoopFactory(flow_definition=short_flow)
    claimed = claim_next_slot(reviewer=reviewer)
    clock.advance(timedelta(seconds=600))
    fail_expired_loops()

    with pytest.raises(Conflict):
        submit_answer(slot=claimed, reviewer=reviewer, answer=ANSWER)

    assert row(claimed)["state"] == TaskSlot.State.WITHDRAWN


def test_failing_expired_loops_twice_fails_nothing_the_second_time(short_flow, clock):
    StartedLoopFactory(flow_definition=short_flow)
    clock.advance(timedelta(seconds=600))
    fail_expired_loops()

    assert fail_expired_loops() == 0


def test_a_loop_not_yet_due_is_untouched(short_flow, clock):
    loop = StartedLoopFactory(flow_definition=short_flow)
    before = row(loop)
    clock.advance(timedelta(seconds=599))

    assert fail_expired_loops() == 0

    assert row(loop) == before
    assert OpenSlot.objects.filter(loop=loop).count() == 1


def test_a_stopped_or_completed_loop_past_its_lifetime_is_untouched(short_flow, reviewer, clock):
    stopped = stop_loop(loop=StartedLoopFactory(flow_definition=short_flow))
    StartedLoopFactory(flow_definition=short_flow)
    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer=ANSWER)
    clock.advance(timedelta(seconds=600))

    assert fail_expired_loops() == 0

    assert set(HumanLoop.objects.values_list("status", flat=True)) == {
        HumanLoop.Status.STOPPED,
        HumanLoop.Status.COMPLETED,
    }
    assert row(stopped)["failure_code"] == ""
