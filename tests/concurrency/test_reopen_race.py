"""An operator re-opening a loop while the expiry sweep, a stop or a delete reaches it at the same
moment (PostgreSQL row locks, one connection each). Whichever goes first, the loop ends in a
state one order or the other explains, and its queue rows match its open slots."""

from __future__ import annotations

from datetime import timedelta

import pytest

from a2i_portal.errors import Conflict, NotFound
from reviews.models import HumanLoop, OpenSlot, TaskSlot
from reviews.services.loops import delete_loop, fail_expired_loops, reopen_loop, stop_loop
from tests.concurrency.threads import open_loops, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 6


def failed_loops(flow, clock, count, prefix):
    """`count` loops of `flow` that failed as Expired."""
    loops = open_loops(flow, count, prefix=prefix)
    clock.advance(timedelta(seconds=flow.task_availability_lifetime))
    assert fail_expired_loops() == count
    return loops


def outcome_of(outcome):
    """'ok', or the domain error's class name; any other error fails the test (a deadlock
    included)."""
    if outcome.error is None:
        return "ok"
    if isinstance(outcome.error, Conflict | NotFound):
        return type(outcome.error).__name__
    raise outcome.error


def assert_consistent(loop_id, flow):
    """The queue holds exactly the open slots of an InProgress loop, and nothing otherwise."""
    loop = HumanLoop.objects.filter(pk=loop_id).first()
    if loop is None:
        assert not TaskSlot.objects.filter(loop_id=loop_id).exists()
        return None
    open_ids = set(
        TaskSlot.objects.filter(loop=loop, state=TaskSlot.State.OPEN).values_list("pk", flat=True)
    )
    queued = set(OpenSlot.objects.filter(loop=loop).values_list("slot_id", flat=True))
    assert open_ids == queued
    if loop.status == HumanLoop.Status.IN_PROGRESS:
        assert len(open_ids) == flow.task_count
        assert not loop.failure_code and loop.completed_at is None
    else:
        assert not open_ids
    return loop.status


def test_reopen_against_the_expiry_sweep_leaves_each_loop_in_one_consistent_state(
    flow_of_two, clock
):
    """A loop just past its availability deadline: the sweep fails it while the operator
    re-opens it. Sweep first: the re-open waits, then finds it Failed and re-opens it. Re-open
    first: it is refused (still InProgress) and the sweep fails it."""
    seen = set()
    for number in range(ROUNDS):
        (loop,) = open_loops(flow_of_two, 1, prefix=f"due-{number}")
        clock.advance(timedelta(seconds=flow_of_two.task_availability_lifetime))
        reopen, sweep = run_together(
            [lambda loop=loop: reopen_loop(loop=loop), lambda: fail_expired_loops()]
        )

        status = assert_consistent(loop.pk, flow_of_two)
        assert sweep.error is None
        if outcome_of(reopen) == "ok":
            assert status == HumanLoop.Status.IN_PROGRESS
        else:
            assert reopen.error.field == "status" and status == HumanLoop.Status.FAILED
        seen.add(status)
    assert seen <= {HumanLoop.Status.IN_PROGRESS, HumanLoop.Status.FAILED}


def test_a_sweep_never_fails_a_loop_just_reopened(flow_of_two, clock):
    loops = failed_loops(flow_of_two, clock, ROUNDS, prefix="swept")
    for loop in loops:
        reopen, sweep = run_together(
            [lambda loop=loop: reopen_loop(loop=loop), lambda: fail_expired_loops()]
        )

        assert outcome_of(reopen) == "ok" and sweep.value == 0
        assert assert_consistent(loop.pk, flow_of_two) == HumanLoop.Status.IN_PROGRESS


def test_reopen_against_stop_ends_in_the_state_of_one_order(flow_of_two, clock):
    loops = failed_loops(flow_of_two, clock, ROUNDS, prefix="stop")
    for loop in loops:
        reopen, stop = run_together(
            [lambda loop=loop: reopen_loop(loop=loop), lambda loop=loop: stop_loop(loop=loop)]
        )

        status = assert_consistent(loop.pk, flow_of_two)
        assert outcome_of(reopen) == "ok"
        if outcome_of(stop) == "ok":  # re-opened first, then stopped: nothing is left open
            assert status == HumanLoop.Status.STOPPED
        else:  # stop found it Failed
            assert stop.error.field == "status" and status == HumanLoop.Status.IN_PROGRESS


def test_reopen_against_delete_ends_in_the_state_of_one_order(flow_of_two, clock):
    loops = failed_loops(flow_of_two, clock, ROUNDS, prefix="delete")
    for loop in loops:
        reopen, delete = run_together(
            [lambda loop=loop: reopen_loop(loop=loop), lambda loop=loop: delete_loop(loop=loop)]
        )

        status = assert_consistent(loop.pk, flow_of_two)
        if outcome_of(delete) == "ok":  # deleted first: there is nothing to re-open
            assert outcome_of(reopen) == "NotFound" and status is None
        else:  # re-opened first: a running loop is not deleted
            assert outcome_of(reopen) == "ok" and delete.error.field == "status"
            assert status == HumanLoop.Status.IN_PROGRESS


def test_two_reopens_at_once_reopen_the_loop_once(flow_of_two, clock):
    (loop,) = failed_loops(flow_of_two, clock, 1, prefix="twice")

    outcomes = run_together([lambda: reopen_loop(loop=loop), lambda: reopen_loop(loop=loop)])

    assert sorted(outcome_of(outcome) for outcome in outcomes) == ["Conflict", "ok"]
    assert assert_consistent(loop.pk, flow_of_two) == HumanLoop.Status.IN_PROGRESS
    assert TaskSlot.objects.filter(loop=loop).count() == flow_of_two.task_count
