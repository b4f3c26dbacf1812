"""The periodic sweeps, run by beat in a real worker: deadlines passed in the database are acted
on within a sweep interval (1 s here) and a few seconds of a busy machine."""

from __future__ import annotations

import time

import pytest

from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services.slots import claim_next_slot
from tests.factories import StartedLoopFactory
from tests.support.polling import wait_for
from tests.support.traffic import claim_due_soon, expire_soon

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DEADLINE = 60.0  # seconds: generous, the machine is shared; the figures printed say how long


def test_loops_past_their_availability_deadline_fail_as_expired_and_their_slots_are_withdrawn(
    worker, flow
):
    loops = [StartedLoopFactory(flow_definition=flow) for _ in range(4)]
    expiring, lasting = loops[:3], loops[3]
    expire_soon([loop.pk for loop in expiring], seconds=2)
    due = time.monotonic() + 2

    failed = HumanLoop.objects.filter(pk__in=[loop.pk for loop in expiring])
    _, waited = wait_for(
        lambda: not failed.exclude(status=HumanLoop.Status.FAILED).exists(),
        timeout=DEADLINE,
        what="the expired loops are Failed",
    )
    print(f"\nfailed {time.monotonic() - due:.1f} s after their deadline (waited {waited:.1f} s)")

    assert set(failed.values_list("failure_code", flat=True)) == {HumanLoop.FailureCode.EXPIRED}
    slots = TaskSlot.objects.filter(loop__in=expiring)
    assert set(slots.values_list("state", flat=True)) == {TaskSlot.State.WITHDRAWN}
    assert not OpenSlot.objects.filter(loop__in=expiring).exists()
    lasting.refresh_from_db()
    assert lasting.status == HumanLoop.Status.IN_PROGRESS
    assert OpenSlot.objects.filter(loop=lasting).count() == 1


def test_a_claim_past_its_deadline_goes_back_to_the_queue_for_anyone_to_take(
    worker, flow, reviewer, second_reviewer
):
    loop = StartedLoopFactory(flow_definition=flow)
    slot = claim_next_slot(reviewer=reviewer)
    claim_due_soon(slot.pk, seconds=1)
    due = time.monotonic() + 1

    _, waited = wait_for(
        lambda: TaskSlot.objects.filter(pk=slot.pk, state=TaskSlot.State.OPEN).exists(),
        timeout=DEADLINE,
        what="the overdue claim is open again",
    )
    print(f"\nback in the queue {time.monotonic() - due:.1f} s after its deadline")

    assert OpenSlot.objects.filter(slot=slot, loop=loop).exists()
    assert SlotEvent.objects.filter(slot=slot, kind=SlotEvent.Kind.EXPIRED).count() == 1
    taken = claim_next_slot(reviewer=second_reviewer)
    assert taken is not None and taken.pk == slot.pk
    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.IN_PROGRESS
