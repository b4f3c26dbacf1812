"""The database itself refuses what must never be true, whoever bypasses the services."""

from datetime import timedelta

import pytest
from django.db import DataError, IntegrityError, transaction

from a2i_portal import clock
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from tests.assertions import refused_by_the_database
from tests.factories import HumanLoopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop():
    """A loop row of one open slot, written without the services."""
    return HumanLoopFactory()


@pytest.fixture
def slot(loop):
    return loop.slots.get()


def claim_fields(reviewer):
    now = clock.now()
    return {
        "state": TaskSlot.State.CLAIMED,
        "reviewer": reviewer,
        "claimed_at": now,
        "deadline": now + timedelta(hours=1),
    }


def submit_fields(reviewer):
    return {
        **claim_fields(reviewer),
        "state": TaskSlot.State.SUBMITTED,
        "submitted_at": clock.now(),
        "answer": {"label": "cat"},
    }


# Human loops


@pytest.mark.parametrize("name", ["Loop-1", "loop_1", "-loop-1", "loop-1-", ""])
def test_a_loop_name_outside_the_pattern_is_refused(loop, name):
    refused_by_the_database(loop, name=name)


def test_a_loop_name_outside_the_pattern_is_refused_on_insert():
    with pytest.raises(IntegrityError), transaction.atomic():
        HumanLoopFactory(name="Bad_Name")

    assert not HumanLoop.objects.exists()


def test_a_loop_name_of_64_characters_is_refused(loop):
    # PostgreSQL's varchar(63) refuses it (DataError) before the check constraint (SQLite) does.
    with pytest.raises((DataError, IntegrityError)), transaction.atomic():
        HumanLoop.objects.filter(pk=loop.pk).update(name="a" * 64)

    assert HumanLoop.objects.get(pk=loop.pk).name == loop.name


def test_two_loops_with_one_name_are_refused(loop):
    with pytest.raises(IntegrityError), transaction.atomic():
        HumanLoopFactory(name=loop.name)

    assert HumanLoop.objects.count() == 1


@pytest.mark.parametrize("status", ["Deleting", "Deleted", "inprogress", ""])
def test_a_loop_status_outside_the_enum_is_refused(loop, status):
    refused_by_the_database(loop, status=status)


def test_a_failed_loop_without_a_failure_code_is_refused(loop):
    refused_by_the_database(loop, status=HumanLoop.Status.FAILED, completed_at=clock.now())


def test_a_failed_loop_with_a_failure_code_is_kept(loop):
    HumanLoop.objects.filter(pk=loop.pk).update(
        status=HumanLoop.Status.FAILED,
        failure_code=HumanLoop.FailureCode.EXPIRED,
        completed_at=clock.now(),
    )

    assert HumanLoop.objects.get(pk=loop.pk).status == HumanLoop.Status.FAILED


@pytest.mark.parametrize("status", ["InProgress", "Completed", "Stopped"])
def test_a_loop_that_did_not_fail_cannot_carry_a_failure_code(loop, status):
    ended = {"completed_at": clock.now()} if status != "InProgress" else {}
    refused_by_the_database(loop, status=status, failure_code="Expired", **ended)


@pytest.mark.parametrize("status", ["Completed", "Stopped"])
def test_an_ended_loop_without_its_end_time_is_refused(loop, status):
    refused_by_the_database(loop, status=status)


@pytest.mark.parametrize("status", ["InProgress", "Stopping"])
def test_a_running_loop_with_an_end_time_is_refused(loop, status):
    refused_by_the_database(loop, status=status, completed_at=clock.now())


# Task slots


def test_a_claimed_slot_without_a_reviewer_is_refused(slot):
    refused_by_the_database(slot, **claim_fields(None))


def test_a_claimed_slot_without_a_deadline_is_refused(slot, reviewer):
    refused_by_the_database(slot, **{**claim_fields(reviewer), "deadline": None})


def test_a_claimed_slot_with_an_answer_is_refused(slot, reviewer):
    refused_by_the_database(slot, **claim_fields(reviewer), answer={"label": "cat"})


def test_an_open_slot_with_a_reviewer_is_refused(slot, reviewer):
    refused_by_the_database(slot, reviewer=reviewer)


def test_a_withdrawn_slot_with_a_reviewer_is_refused(slot, reviewer):
    refused_by_the_database(slot, state=TaskSlot.State.WITHDRAWN, reviewer=reviewer)


def test_a_submitted_slot_with_its_answer_is_kept(slot, reviewer):
    TaskSlot.objects.filter(pk=slot.pk).update(**submit_fields(reviewer))

    assert TaskSlot.objects.get(pk=slot.pk).state == TaskSlot.State.SUBMITTED


def test_a_submitted_slot_without_an_answer_is_refused(slot, reviewer):
    refused_by_the_database(slot, **{**submit_fields(reviewer), "answer": None})


def test_a_submitted_slot_without_a_submission_time_is_refused(slot, reviewer):
    refused_by_the_database(slot, **{**submit_fields(reviewer), "submitted_at": None})


def test_a_submitted_slot_without_a_reviewer_is_refused(slot, reviewer):
    refused_by_the_database(slot, **{**submit_fields(reviewer), "reviewer": None})


def test_a_slot_state_outside_the_enum_is_refused(slot):
    refused_by_the_database(slot, state="expired")


def test_two_slots_of_one_loop_for_one_reviewer_are_refused(reviewer):
    loop = HumanLoopFactory(flow_definition__task_count=2)
    first, second = loop.slots.order_by("index")
    TaskSlot.objects.filter(pk=first.pk).update(**claim_fields(reviewer))

    refused_by_the_database(second, **claim_fields(reviewer))


def test_one_reviewer_may_hold_slots_of_two_loops(reviewer):
    slots = [HumanLoopFactory().slots.get() for _ in range(2)]

    TaskSlot.objects.filter(pk__in=[s.pk for s in slots]).update(**claim_fields(reviewer))

    assert TaskSlot.objects.filter(reviewer=reviewer).count() == 2


def test_two_slots_with_one_index_in_a_loop_are_refused(loop):
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskSlot.objects.create(loop=loop, index=0)

    assert loop.slots.count() == 1


def test_a_slot_has_at_most_one_queue_row(loop, slot):
    with pytest.raises(IntegrityError), transaction.atomic():
        OpenSlot.objects.create(
            slot=slot,
            loop=loop,
            flow_definition=loop.flow_definition,
            expires_at=loop.expires_at,
        )

    assert OpenSlot.objects.filter(slot=slot).count() == 1


# Slot events


@pytest.fixture
def event(slot, reviewer):
    return SlotEvent.objects.create(
        slot=slot,
        loop=slot.loop,
        kind=SlotEvent.Kind.CLAIMED,
        reviewer=reviewer,
        at=clock.now(),
    )


def test_a_slot_event_cannot_be_changed_by_saving_it(event):
    event.kind = SlotEvent.Kind.SUBMITTED

    with pytest.raises(ValueError, match="append-only"):
        event.save()

    assert SlotEvent.objects.get(pk=event.pk).kind == SlotEvent.Kind.CLAIMED


def test_a_slot_event_kind_outside_the_enum_is_refused(slot):
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotEvent.objects.create(slot=slot, loop=slot.loop, kind="vanished", at=clock.now())

    assert not SlotEvent.objects.exists()
