"""How a loop ends, and what happens to its slots then. Shared by the loop and slot services;
every caller holds the loop's row lock (loop before slot, everywhere)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services.events import record_slot_event, record_status_change
from reviews.tasks import write_output


def withdraw_slots(*, loop: HumanLoop, states: tuple[str, ...], at: datetime) -> int:
    """open (and claimed, if asked) -> withdrawn. The queue rows go first: deleting them waits
    for a claim that holds one, so the slots read next show that claim (queue before slot, the
    order claim_next_slot takes its locks in)."""
    OpenSlot.objects.filter(loop=loop).delete()
    slots = list(
        TaskSlot.objects.select_for_update(no_key=True).filter(loop=loop, state__in=states)
    )
    for slot in slots:
        holder = slot.reviewer_id
        slot.state, slot.reviewer, slot.claimed_at, slot.deadline = (
            TaskSlot.State.WITHDRAWN,
            None,
            None,
            None,
        )
        slot.save(update_fields=["state", "reviewer", "claimed_at", "deadline"])
        record_slot_event(
            slot=slot, loop=loop, kind=SlotEvent.Kind.WITHDRAWN, reviewer_id=holder, at=at
        )
    return len(slots)


def end_loop(
    *,
    loop: HumanLoop,
    status: str,
    at: datetime,
    failure_code: str = "",
    failure_reason: str = "",
) -> HumanLoop:
    """InProgress | Stopping -> Completed | Failed | Stopped, with its outbox event. When at least
    one answer exists, the write_output task writes output.json once the commit lands, and the
    event goes out after the file is written."""
    previous_status = loop.status
    loop.status, loop.failure_code, loop.failure_reason = (
        status,
        failure_code,
        failure_reason,
    )
    loop.completed_at = loop.updated_at = at
    loop.save(
        update_fields=[
            "status",
            "failure_code",
            "failure_reason",
            "completed_at",
            "updated_at",
        ]
    )
    has_answers = loop.slots.filter(state=TaskSlot.State.SUBMITTED).exists()
    record_status_change(
        loop=loop, previous_status=previous_status, at=at, awaits_output=has_answers
    )
    if has_answers:
        loop_id = loop.pk
        transaction.on_commit(lambda: write_output.delay(loop_id))
    return loop


def fail_loop(*, loop: HumanLoop, code: str, reason: str, at: datetime) -> HumanLoop:
    """InProgress -> Failed: every open or claimed slot is withdrawn."""
    withdraw_slots(loop=loop, states=(TaskSlot.State.OPEN, TaskSlot.State.CLAIMED), at=at)
    return end_loop(
        loop=loop,
        status=HumanLoop.Status.FAILED,
        at=at,
        failure_code=code,
        failure_reason=reason,
    )


def settle_loop(*, loop: HumanLoop, at: datetime) -> HumanLoop:
    """After a slot changed: the last answer completes an InProgress loop; a Stopping loop with
    nothing in flight becomes Stopped."""
    states = set(loop.slots.values_list("state", flat=True))
    if loop.status == HumanLoop.Status.IN_PROGRESS and states == {TaskSlot.State.SUBMITTED}:
        return end_loop(loop=loop, status=HumanLoop.Status.COMPLETED, at=at)
    if loop.status == HumanLoop.Status.STOPPING and TaskSlot.State.CLAIMED not in states:
        return end_loop(loop=loop, status=HumanLoop.Status.STOPPED, at=at)
    return loop
