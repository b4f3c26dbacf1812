from datetime import timedelta

import pytest

from a2i_portal.errors import Conflict, Invalid
from reviews.models import HumanLoop, SlotEvent, TaskSlot
from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import StartedLoopFactory

pytestmark = pytest.mark.django_db

ANSWER = {"category": {"label": "cat"}}


def row(instance):
    """The instance's row as the database holds it now."""
    return type(instance).objects.filter(pk=instance.pk).values().get()


def test_the_holder_submits_an_answer_before_the_deadline(claimed_slot, reviewer, clock):
    clock.advance(timedelta(minutes=10))

    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)

    claimed_slot.refresh_from_db()
    assert claimed_slot.state == TaskSlot.State.SUBMITTED
    assert claimed_slot.answer == ANSWER
    assert claimed_slot.submitted_at == clock.now()
    assert claimed_slot.reviewer == reviewer


def test_an_answer_is_recorded_as_a_submitted_event(claimed_slot, reviewer, clock):
    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)

    event = SlotEvent.objects.filter(kind=SlotEvent.Kind.SUBMITTED).get()
    assert (event.slot, event.reviewer, event.at) == (claimed_slot, reviewer, clock.now())


def test_an_answer_at_the_deadline_is_accepted(claimed_slot, reviewer, clock):
    clock.advance(claimed_slot.deadline - clock.now())

    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)

    assert row(claimed_slot)["state"] == TaskSlot.State.SUBMITTED


def test_someone_else_cannot_submit_the_answer_and_nothing_changes(claimed_slot, second_reviewer):
    before = row(claimed_slot)

    with pytest.raises(Conflict) as refused:
        submit_answer(slot=claimed_slot, reviewer=second_reviewer, answer=ANSWER)

    assert refused.value.field == "slot"
    assert row(claimed_slot) == before
    assert not SlotEvent.objects.filter(kind=SlotEvent.Kind.SUBMITTED).exists()


def test_a_late_answer_is_refused_and_changes_nothing(claimed_slot, reviewer, clock):
    before = row(claimed_slot)
    clock.advance(claimed_slot.deadline - clock.now() + timedelta(seconds=1))

    with pytest.raises(Conflict, match="deadline") as refused:
        submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)

    assert refused.value.field == "deadline"
    assert row(claimed_slot) == before
    assert row(claimed_slot.loop)["status"] == HumanLoop.Status.IN_PROGRESS
    assert not SlotEvent.objects.filter(kind=SlotEvent.Kind.SUBMITTED).exists()


@pytest.mark.parametrize(
    "answer", ["cat", ["cat"], None, 42], ids=["string", "list", "none", "number"]
)
def test_an_answer_that_is_not_an_object_is_refused_and_changes_nothing(
    claimed_slot, reviewer, answer
):
    before = row(claimed_slot)

    with pytest.raises(Invalid) as refused:
        submit_answer(slot=claimed_slot, reviewer=reviewer, answer=answer)

    assert refused.value.field == "answer"
    assert row(claimed_slot) == before


def test_an_answer_larger_than_the_input_limit_is_refused_and_changes_nothing(
    claimed_slot, reviewer
):
    before = row(claimed_slot)

    with pytest.raises(Invalid) as refused:
        submit_answer(slot=claimed_slot, reviewer=reviewer, answer={"text": "a" * 3_145_728})

    assert refused.value.field == "answer"
    assert row(claimed_slot) == before


@pytest.mark.parametrize("time_spent", [-0.5, 75.0], ids=["negative", "longer-than-the-claim"])
def test_a_time_spent_out_of_range_is_refused_and_changes_nothing(
    claimed_slot, reviewer, clock, time_spent
):
    clock.advance(timedelta(seconds=60))
    before = row(claimed_slot)

    with pytest.raises(Invalid) as refused:
        submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER, time_spent=time_spent)

    assert refused.value.field == "time_spent"
    assert row(claimed_slot) == before


def test_time_spent_defaults_to_the_time_since_the_claim(claimed_slot, reviewer, clock):
    clock.advance(timedelta(seconds=42, milliseconds=500))

    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)

    assert row(claimed_slot)["time_spent"] == 42.5


def test_a_measured_time_spent_is_kept_to_the_millisecond(claimed_slot, reviewer, clock):
    clock.advance(timedelta(seconds=60))

    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER, time_spent=30.12345)

    assert row(claimed_slot)["time_spent"] == 30.123


def test_the_last_answer_completes_the_loop(claimed_slot, reviewer, clock):
    clock.advance(timedelta(minutes=3))

    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)

    loop = claimed_slot.loop
    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.COMPLETED
    assert loop.completed_at == clock.now()


def test_an_answer_that_is_not_the_last_leaves_the_loop_in_progress(flow_of_two, reviewer):
    loop = StartedLoopFactory(flow_definition=flow_of_two)

    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer=ANSWER)

    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.IN_PROGRESS
    assert loop.completed_at is None


def test_the_second_of_two_answers_completes_the_loop(flow_of_two, reviewer, second_reviewer):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    first = claim_next_slot(reviewer=reviewer)
    second = claim_next_slot(reviewer=second_reviewer)
    submit_answer(slot=first, reviewer=reviewer, answer=ANSWER)

    submit_answer(slot=second, reviewer=second_reviewer, answer=ANSWER)

    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.COMPLETED


def test_a_submitted_slot_cannot_be_submitted_again(claimed_slot, reviewer):
    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)
    before = row(claimed_slot)

    with pytest.raises(Conflict) as refused:
        submit_answer(slot=claimed_slot, reviewer=reviewer, answer={"category": {"label": "dog"}})

    assert refused.value.field == "slot"
    assert row(claimed_slot) == before
    assert SlotEvent.objects.filter(kind=SlotEvent.Kind.SUBMITTED).count() == 1
