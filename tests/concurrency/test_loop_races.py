"""Two actors changing one loop at the same moment (PostgreSQL row locks, one connection each)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from a2i_portal.errors import Conflict
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services import endings
from reviews.services.loops import start_loop, stop_loop
from reviews.services.slots import claim_next_slot, expire_overdue_claims, submit_answer
from tests.concurrency.threads import open_loops, run_together, values
from tests.factories import FlowDefinitionFactory, UserFactory, WorkTeamFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_identical_starts_at_once_make_one_loop_with_its_slots(flow_of_two):
    def start():  # noqa: ANN202
        return start_loop(
            name="same-name", flow_definition_name=flow_of_two.name, input_content='{"n": 1}'
        )

    first, second = values(run_together([start, start]))

    assert first.pk == second.pk
    assert HumanLoop.objects.filter(name="same-name").count() == 1
    assert TaskSlot.objects.filter(loop=first).count() == flow_of_two.task_count
    assert OpenSlot.objects.filter(loop=first).count() == flow_of_two.task_count


def test_two_starts_of_one_name_with_different_input_at_once_one_wins_one_conflicts(
    flow_of_two,
):
    def start(number):  # noqa: ANN001, ANN202
        return lambda: start_loop(
            name="same-name",
            flow_definition_name=flow_of_two.name,
            input_content=f'{{"n": {number}}}',
        )

    outcomes = run_together([start(1), start(2)])

    winners = [outcome.value for outcome in outcomes if outcome.error is None]
    refusals = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(winners) == 1
    assert len(refusals) == 1
    assert isinstance(refusals[0], Conflict)
    assert refusals[0].field == "name"
    loop = HumanLoop.objects.get(name="same-name")
    assert loop.pk == winners[0].pk
    assert TaskSlot.objects.filter(loop=loop).count() == flow_of_two.task_count


def test_the_last_two_answers_submitted_at_once_complete_the_loop_once(
    flow_of_two, reviewer, second_reviewer, outputs_dir, monkeypatch
):
    (loop,) = open_loops(flow_of_two, 1)
    first = claim_next_slot(reviewer=reviewer)
    second = claim_next_slot(reviewer=second_reviewer)
    endings_seen = []
    real_end_loop = endings.end_loop

    def counting_end_loop(**kwargs):  # noqa: ANN003, ANN202
        endings_seen.append(kwargs["status"])
        return real_end_loop(**kwargs)

    monkeypatch.setattr(endings, "end_loop", counting_end_loop)

    values(
        run_together(
            [
                lambda: submit_answer(slot=first, reviewer=reviewer, answer={"label": "cat"}),
                lambda: submit_answer(
                    slot=second, reviewer=second_reviewer, answer={"label": "dog"}
                ),
            ]
        )
    )

    assert endings_seen == [HumanLoop.Status.COMPLETED]
    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.COMPLETED
    assert loop.completed_at is not None
    assert set(loop.slots.values_list("state", flat=True)) == {TaskSlot.State.SUBMITTED}
    assert SlotEvent.objects.filter(loop=loop, kind=SlotEvent.Kind.SUBMITTED).count() == 2


ROUNDS = 50


def test_stop_racing_claims_leaves_no_open_slot_in_a_stopped_loop_and_no_deadlock():
    reviewers = [UserFactory() for _ in range(3)]
    flow = FlowDefinitionFactory(work_team=WorkTeamFactory(members=reviewers), task_count=3)
    loops = open_loops(flow, ROUNDS)
    # Only the round's own loop may be claimed: later loops wait outside the queue.
    queued = {loop.pk: list(OpenSlot.objects.filter(loop=loop)) for loop in loops}
    OpenSlot.objects.all().delete()

    for number, loop in enumerate(loops):
        OpenSlot.objects.bulk_create(queued[loop.pk])

        def stop(loop=loop, delay=(number % 5) / 1000):  # noqa: ANN001, ANN202
            # The delay varies which side reaches the locks first across the rounds.
            time.sleep(delay)
            return stop_loop(loop=loop)

        values(
            run_together(
                [stop]
                + [
                    lambda reviewer=reviewer: claim_next_slot(reviewer=reviewer)
                    for reviewer in reviewers
                ]
            )
        )

    for loop in HumanLoop.objects.filter(pk__in=[loop.pk for loop in loops]):
        states = list(loop.slots.values_list("state", flat=True))
        assert set(states) <= {TaskSlot.State.WITHDRAWN, TaskSlot.State.CLAIMED}, loop
        if TaskSlot.State.CLAIMED in states:
            assert loop.status == HumanLoop.Status.STOPPING, loop
        else:
            assert loop.status == HumanLoop.Status.STOPPED, loop
    assert not OpenSlot.objects.exclude(loop__status=HumanLoop.Status.IN_PROGRESS).exists()
    assert not TaskSlot.objects.filter(
        state=TaskSlot.State.OPEN,
        loop__status__in=[HumanLoop.Status.STOPPING, HumanLoop.Status.STOPPED],
    ).exists()
    withdrawn = TaskSlot.objects.filter(state=TaskSlot.State.WITHDRAWN).count()
    assert SlotEvent.objects.filter(kind=SlotEvent.Kind.WITHDRAWN).count() == withdrawn


OVERDUE = 200


def test_two_expiry_sweeps_at_once_expire_each_overdue_claim_once(flow, reviewer, clock):
    open_loops(flow, OVERDUE)
    for _ in range(OVERDUE):
        claim_next_slot(reviewer=reviewer)
    clock.advance(timedelta(seconds=flow.task_time_limit + 1))

    expired = values(run_together([expire_overdue_claims, expire_overdue_claims]))

    assert sum(expired) == OVERDUE
    events = SlotEvent.objects.filter(kind=SlotEvent.Kind.EXPIRED)
    assert events.count() == OVERDUE
    assert events.values("slot").distinct().count() == OVERDUE
    assert TaskSlot.objects.filter(state=TaskSlot.State.OPEN).count() == OVERDUE
    assert OpenSlot.objects.count() == OVERDUE
