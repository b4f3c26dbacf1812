from datetime import timedelta

import pytest

from a2i_portal.errors import Conflict
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services.slots import (
    claim_next_slot,
    decline_slot,
    expire_overdue_claims,
    release_slot,
    submit_answer,
)
from tests.factories import GroupFactory, StartedLoopFactory, UserFactory

pytestmark = pytest.mark.django_db


def row(instance):
    """The instance's row as the database holds it now."""
    return type(instance).objects.filter(pk=instance.pk).values().get()


def assert_open_and_queued(slot):
    slot.refresh_from_db()
    assert (slot.state, slot.reviewer, slot.claimed_at, slot.deadline) == (
        TaskSlot.State.OPEN,
        None,
        None,
        None,
    )
    queued = OpenSlot.objects.get(slot=slot)
    assert (queued.loop_id, queued.flow_definition_id, queued.expires_at) == (
        slot.loop_id,
        slot.loop.flow_definition_id,
        slot.loop.expires_at,
    )


# Release


def test_a_released_slot_is_open_and_back_in_the_queue(claimed_slot, reviewer):
    release_slot(slot=claimed_slot, reviewer=reviewer)

    assert_open_and_queued(claimed_slot)


def test_a_release_is_recorded_as_an_event(claimed_slot, reviewer, clock):
    clock.advance(timedelta(minutes=2))

    release_slot(slot=claimed_slot, reviewer=reviewer)

    event = SlotEvent.objects.filter(kind=SlotEvent.Kind.RELEASED).get()
    assert (event.slot, event.reviewer, event.at) == (claimed_slot, reviewer, clock.now())


def test_a_release_leaves_the_loop_in_progress(claimed_slot, reviewer):
    release_slot(slot=claimed_slot, reviewer=reviewer)

    assert row(claimed_slot.loop)["status"] == HumanLoop.Status.IN_PROGRESS


def test_a_slot_not_held_cannot_be_released_and_nothing_changes(claimed_slot, second_reviewer):
    before = row(claimed_slot)

    with pytest.raises(Conflict) as refused:
        release_slot(slot=claimed_slot, reviewer=second_reviewer)

    assert refused.value.field == "slot"
    assert row(claimed_slot) == before
    assert not OpenSlot.objects.exists()
    assert not SlotEvent.objects.filter(kind=SlotEvent.Kind.RELEASED).exists()


def test_an_open_slot_cannot_be_released(open_loop, reviewer):
    slot = open_loop.slots.get()

    with pytest.raises(Conflict):
        release_slot(slot=slot, reviewer=reviewer)

    assert OpenSlot.objects.filter(slot=slot).count() == 1


def test_a_submitted_slot_cannot_be_released(claimed_slot, reviewer):
    submit_answer(slot=claimed_slot, reviewer=reviewer, answer={"label": "cat"})
    before = row(claimed_slot)

    with pytest.raises(Conflict):
        release_slot(slot=claimed_slot, reviewer=reviewer)

    assert row(claimed_slot) == before
    assert not OpenSlot.objects.exists()


# Decline


def test_a_declined_slot_is_open_and_back_in_the_queue(claimed_slot, reviewer):
    decline_slot(slot=claimed_slot, reviewer=reviewer)

    assert_open_and_queued(claimed_slot)


def test_a_decline_is_recorded_as_an_event(claimed_slot, reviewer, clock):
    decline_slot(slot=claimed_slot, reviewer=reviewer)

    event = SlotEvent.objects.filter(kind=SlotEvent.Kind.DECLINED).get()
    assert (event.slot, event.loop, event.reviewer, event.at) == (
        claimed_slot,
        claimed_slot.loop,
        reviewer,
        clock.now(),
    )


def test_a_declined_slot_goes_to_another_member_and_not_back_to_the_decliner(
    claimed_slot, reviewer, second_reviewer
):
    decline_slot(slot=claimed_slot, reviewer=reviewer)

    assert claim_next_slot(reviewer=reviewer) is None
    assert claim_next_slot(reviewer=second_reviewer).pk == claimed_slot.pk


def test_a_slot_not_held_cannot_be_declined_and_nothing_changes(claimed_slot, second_reviewer):
    before = row(claimed_slot)

    with pytest.raises(Conflict) as refused:
        decline_slot(slot=claimed_slot, reviewer=second_reviewer)

    assert refused.value.field == "slot"
    assert row(claimed_slot) == before
    assert not SlotEvent.objects.filter(kind=SlotEvent.Kind.DECLINED).exists()
    assert claim_next_slot(reviewer=second_reviewer) is None  # still held, not declined


def test_when_every_member_declined_the_loop_fails_as_expired(
    claimed_slot, reviewer, second_reviewer
):
    decline_slot(slot=claimed_slot, reviewer=reviewer)
    decline_slot(slot=claim_next_slot(reviewer=second_reviewer), reviewer=second_reviewer)

    loop = claimed_slot.loop
    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.FAILED
    assert loop.failure_code == HumanLoop.FailureCode.EXPIRED
    assert loop.failure_reason
    assert loop.completed_at is not None


def test_a_loop_failed_by_declines_withdraws_its_slots_and_leaves_the_queue(
    claimed_slot, reviewer, second_reviewer
):
    decline_slot(slot=claimed_slot, reviewer=reviewer)
    decline_slot(slot=claim_next_slot(reviewer=second_reviewer), reviewer=second_reviewer)

    assert row(claimed_slot)["state"] == TaskSlot.State.WITHDRAWN
    assert not OpenSlot.objects.exists()


def test_a_loop_fails_when_the_only_member_left_who_could_answer_declines(
    flow_of_two, reviewer, second_reviewer
):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer={"a": 1})

    decline_slot(slot=claim_next_slot(reviewer=second_reviewer), reviewer=second_reviewer)

    loop.refresh_from_db()
    assert (loop.status, loop.failure_code) == (
        HumanLoop.Status.FAILED,
        HumanLoop.FailureCode.EXPIRED,
    )


def test_a_loop_fails_when_the_member_left_declines_while_the_other_holds_a_slot(
    flow_of_two, reviewer, second_reviewer
):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    held = claim_next_slot(reviewer=reviewer)

    decline_slot(slot=claim_next_slot(reviewer=second_reviewer), reviewer=second_reviewer)

    loop.refresh_from_db()
    assert loop.failure_code == HumanLoop.FailureCode.EXPIRED
    assert row(held)["state"] == TaskSlot.State.WITHDRAWN


def test_a_member_of_a_member_group_who_has_not_declined_keeps_the_loop_going(
    claimed_slot, reviewer, second_reviewer, team
):
    group = GroupFactory()
    team.member_groups.add(group)
    UserFactory().groups.add(group)
    decline_slot(slot=claimed_slot, reviewer=reviewer)

    decline_slot(slot=claim_next_slot(reviewer=second_reviewer), reviewer=second_reviewer)

    assert row(claimed_slot.loop)["status"] == HumanLoop.Status.IN_PROGRESS
    assert_open_and_queued(claimed_slot)


def test_a_deactivated_member_does_not_keep_the_loop_going(
    claimed_slot, reviewer, second_reviewer, team
):
    team.members.add(UserFactory(is_active=False))
    decline_slot(slot=claimed_slot, reviewer=reviewer)

    decline_slot(slot=claim_next_slot(reviewer=second_reviewer), reviewer=second_reviewer)

    assert row(claimed_slot.loop)["status"] == HumanLoop.Status.FAILED


# Expiry of claims


def claim_at(reviewer, clock, *, after):
    """Claim the next slot once `after` has passed on the clock."""
    clock.advance(after)
    return claim_next_slot(reviewer=reviewer)


def test_expiring_overdue_claims_returns_how_many_expired(flow, reviewer, second_reviewer, clock):
    StartedLoopFactory.create_batch(2, flow_definition=flow)
    claim_next_slot(reviewer=reviewer)
    claim_next_slot(reviewer=second_reviewer)
    clock.advance(timedelta(seconds=flow.task_time_limit + 1))

    assert expire_overdue_claims() == 2


def test_an_overdue_claim_goes_back_to_open(claimed_slot, clock):
    clock.advance(claimed_slot.deadline - clock.now() + timedelta(seconds=1))

    expire_overdue_claims()

    assert_open_and_queued(claimed_slot)


def test_an_overdue_claim_is_recorded_as_expired_for_its_reviewer(claimed_slot, reviewer, clock):
    clock.advance(claimed_slot.deadline - clock.now() + timedelta(seconds=1))

    expire_overdue_claims()

    event = SlotEvent.objects.filter(kind=SlotEvent.Kind.EXPIRED).get()
    assert (event.slot, event.reviewer, event.at) == (claimed_slot, reviewer, clock.now())


def test_an_expired_claim_can_be_claimed_again(claimed_slot, second_reviewer, clock):
    clock.advance(claimed_slot.deadline - clock.now() + timedelta(seconds=1))
    expire_overdue_claims()

    assert claim_next_slot(reviewer=second_reviewer).pk == claimed_slot.pk


def test_a_claim_on_time_is_left_alone(flow, reviewer, clock):
    StartedLoopFactory.create_batch(2, flow_definition=flow)
    overdue = claim_next_slot(reviewer=reviewer)
    on_time = claim_at(reviewer, clock, after=timedelta(minutes=30))
    clock.advance(overdue.deadline - clock.now() + timedelta(seconds=1))
    before = row(on_time)

    assert expire_overdue_claims() == 1

    assert row(on_time) == before
    assert row(overdue)["state"] == TaskSlot.State.OPEN


def test_a_claim_at_its_deadline_is_not_yet_overdue(claimed_slot, clock):
    clock.advance(claimed_slot.deadline - clock.now())

    assert expire_overdue_claims() == 0
    assert row(claimed_slot)["state"] == TaskSlot.State.CLAIMED


def test_expiring_overdue_claims_twice_expires_nothing_the_second_time(claimed_slot, clock):
    clock.advance(claimed_slot.deadline - clock.now() + timedelta(seconds=1))
    expire_overdue_claims()

    assert expire_overdue_claims() == 0
    assert OpenSlot.objects.filter(slot=claimed_slot).count() == 1
    assert SlotEvent.objects.filter(kind=SlotEvent.Kind.EXPIRED).count() == 1
