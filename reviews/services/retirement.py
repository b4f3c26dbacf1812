"""Retiring the human loops of Deleting flow definitions, then the flow definitions themselves
(reference §7.7).

A Deleting flow definition starts no loop (the flow definition services see to that), so its set
of loops only shrinks. Loops no reviewer has started are stopped and deleted; ended loops are
deleted (their output files stay, written first if still pending); loops a reviewer has started
are left to complete, fail or stop, after which a later sweep deletes them. With no loop left,
the flow definition goes.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from a2i_portal import clock
from a2i_portal.errors import NotFound
from reviews.models import HumanLoop, OpenSlot, TaskSlot
from reviews.services.endings import end_loop, withdraw_slots
from reviews.services.outbox import write_pending_output
from workflows.models import FlowDefinition
from workflows.services.flow_definitions import remove_deleted_flow_definition

STARTED = (TaskSlot.State.CLAIMED, TaskSlot.State.SUBMITTED)


def retire_deleting_flow_definitions(*, batch_size: int = 500) -> int:
    """Retire up to `batch_size` loops of Deleting flow definitions, each in its own transaction,
    then remove the Deleting flow definitions left without loops. Returns how many loops and flow
    definitions it removed, together."""
    flow_ids = list(
        FlowDefinition.objects.filter(status=FlowDefinition.Status.DELETING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not flow_ids:
        return 0
    started = TaskSlot.objects.filter(loop=OuterRef("pk"), state__in=STARTED)
    due = list(
        HumanLoop.objects.filter(flow_definition_id__in=flow_ids)
        .filter(
            Q(status__in=HumanLoop.TERMINAL)
            | Q(~Exists(started), status=HumanLoop.Status.IN_PROGRESS)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    removed = sum(retire_loop(loop_id=loop_id) for loop_id in due)
    return removed + sum(remove_flow_definition_without_loops(flow_id=pk) for pk in flow_ids)


@transaction.atomic
def retire_loop(*, loop_id: int) -> bool:
    """One loop of a Deleting flow definition -> gone: an ended loop is deleted; an InProgress
    loop no reviewer has started is stopped (its open slots withdrawn) and deleted. False when a
    reviewer has started it (or it is Stopping) or it is gone already."""
    # Lock order as everywhere: loop, queue rows, slots. FOR NO KEY UPDATE on the loop, so a
    # claim in flight can still take its foreign-key lock on it and commit.
    loop = (
        HumanLoop.objects.select_for_update(no_key=True)
        .defer("input_content")
        .filter(pk=loop_id)
        .first()
    )
    if loop is None:
        return False
    if loop.status == HumanLoop.Status.IN_PROGRESS:
        # Hold the loop's queue rows before judging whether a reviewer started it: a claim that
        # holds one commits first (its slot then reads claimed), and every later claim skips
        # them (SKIP LOCKED), so no slot of the loop is handed out once it is judged unstarted.
        list(OpenSlot.objects.select_for_update().filter(loop=loop).values_list("pk", flat=True))
        if loop.slots.filter(state__in=STARTED).exists():
            return False
        now = clock.now()
        withdraw_slots(loop=loop, states=(TaskSlot.State.OPEN,), at=now)
        end_loop(loop=loop, status=HumanLoop.Status.STOPPED, at=now)
    elif not loop.is_terminal:  # Stopping: a reviewer is still working on a task of it
        return False
    write_pending_output(loop=loop)
    loop.delete()
    return True


@transaction.atomic
def remove_flow_definition_without_loops(*, flow_id: int) -> bool:
    """A Deleting flow definition with no loop left -> gone. False while it has loops, or when a
    concurrent sweep removed it first."""
    flow = FlowDefinition.objects.filter(pk=flow_id).first()
    if flow is None or HumanLoop.objects.filter(flow_definition_id=flow_id).exists():
        return False
    try:
        remove_deleted_flow_definition(flow=flow)
    except NotFound:  # the other sweep's removal committed while this one waited for the lock
        return False
    return True
