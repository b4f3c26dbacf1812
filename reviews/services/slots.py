"""Task slot services: claim, submit, release, decline, and the claim-deadline sweep.

Lock order, everywhere: reviewer (claims only), loop, queue row, slot. A claim never locks the
loop: a queue row exists only while its loop is InProgress, and every service that ends or stops
a loop deletes the loop's queue rows before it reads the slots. Rows that are changed but not
deleted are locked FOR NO KEY UPDATE: a claim's foreign-key checks (FOR KEY SHARE on the loop
and the slot) must not wait for a stopper that waits for the claim's queue row.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from a2i_portal import clock
from a2i_portal.errors import Conflict, Invalid, NotFound
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services.endings import fail_loop, settle_loop
from reviews.services.events import record_slot_event
from workflows import limits
from workflows.models import FlowDefinition

User = get_user_model()


# The oldest open slot (slot ids grow with loop age) of the given flow definitions whose loop
# the reviewer neither holds, answered, nor declined.
#
# Each NOT EXISTS must stay a probe of one (loop, reviewer) index entry per queue row read.
# PostgreSQL otherwise turns it into an anti-join, and when the statistics say the reviewer
# holds few slots (right after loops were loaded, before the next ANALYZE) it plans that join as
# "read every slot the reviewer ever held, then compare": a claim then costs more with each
# slot the reviewer has taken. In tests/benchmarks/queue_benchmark.py --naive (8 claimers,
# 100,000 open slots) that halved the claim rate within a minute: 2,500 buffers and 3 ms per
# claim query after 35,000 claims, against 170 buffers and 0.3 ms after 58,000 with the fence.
# OFFSET 0 is PostgreSQL's fence against that rewrite: the subquery stays a correlated probe,
# whatever the statistics say.
CLAIM_QUERY = """
    SELECT queue.slot_id, queue.flow_definition_id
    FROM reviews_openslot AS queue
    WHERE queue.flow_definition_id IN ({flows})
      AND queue.expires_at > %s
      AND NOT EXISTS (
          SELECT 1 FROM reviews_taskslot AS taken
          WHERE taken.loop_id = queue.loop_id AND taken.reviewer_id = %s{fence}
      )
      AND NOT EXISTS (
          SELECT 1 FROM reviews_slotevent AS declined
          WHERE declined.loop_id = queue.loop_id AND declined.reviewer_id = %s
            AND declined.kind = %s{fence}
      )
    ORDER BY queue.slot_id
    LIMIT 1
"""
# SKIP LOCKED: N reviewers claiming at once get N different slots without waiting on each other.
CLAIM_LOCK = "FOR UPDATE OF queue SKIP LOCKED"


def claim_query(*, flow_count: int) -> str:
    """CLAIM_QUERY for `flow_count` flow definitions. SQLite has no row locks (its IMMEDIATE
    transaction, see settings, serialises claims instead) and needs no fence."""
    flows = ", ".join(["%s"] * flow_count)
    if connection.vendor != "postgresql":
        return CLAIM_QUERY.format(flows=flows, fence="")
    return f"{CLAIM_QUERY.format(flows=flows, fence=' OFFSET 0')} {CLAIM_LOCK}"


@transaction.atomic
def claim_next_slot(
    *, reviewer: AbstractBaseUser, flow_definition: FlowDefinition | None = None
) -> TaskSlot | None:
    """open -> claimed: the oldest open slot the reviewer may take, or None when there is none.

    Only flow definitions of the reviewer's teams (or the one given, which must be one of them:
    else NotFound); never a second slot of a loop the reviewer holds or answered; never a loop
    the reviewer declined. The deadline is now + the flow definition's task time limit.
    """
    flows = FlowDefinition.objects.for_reviewer(reviewer)
    if flow_definition is not None:
        flows = flows.filter(pk=flow_definition.pk)
    time_limits = dict(flows.values_list("pk", "task_time_limit"))
    flow_ids = list(time_limits)
    if flow_definition is not None and not flow_ids:
        raise NotFound(
            "flow_definition",
            f"{flow_definition.name!r} is not a job of your work teams",
        )
    if not flow_ids:
        return None

    # One claim at a time per reviewer: two clicks at once cannot take two slots of one loop.
    User.objects.select_for_update(no_key=True).filter(pk=reviewer.pk).values_list("pk").get()
    now = clock.now()
    with connection.cursor() as cursor:
        cursor.execute(
            claim_query(flow_count=len(flow_ids)),
            [
                *flow_ids,
                connection.ops.adapt_datetimefield_value(now),
                reviewer.pk,
                reviewer.pk,
                SlotEvent.Kind.DECLINED,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    slot_id, flow_id = row
    OpenSlot.objects.filter(slot_id=slot_id).delete()
    slot = TaskSlot.objects.select_for_update(no_key=True).get(pk=slot_id)
    slot.state, slot.reviewer, slot.claimed_at = TaskSlot.State.CLAIMED, reviewer, now
    slot.deadline = now + timedelta(seconds=time_limits[flow_id])
    slot.save(update_fields=["state", "reviewer", "claimed_at", "deadline"])
    record_slot_event(
        slot=slot, loop=slot.loop_id, kind=SlotEvent.Kind.CLAIMED, reviewer_id=reviewer.pk, at=now
    )
    return slot


def lock_held_slot(slot: TaskSlot, reviewer: AbstractBaseUser) -> tuple[HumanLoop, TaskSlot]:
    """Lock the slot's loop, then the slot; refuse unless the reviewer holds the claim."""
    loop = (
        HumanLoop.objects.select_for_update(no_key=True, of=("self",))
        .select_related("flow_definition")
        .defer("input_content")  # up to 3 MiB, and no transition reads it
        .get(pk=slot.loop_id)
    )
    slot = TaskSlot.objects.select_for_update(no_key=True).get(pk=slot.pk)
    if slot.state != TaskSlot.State.CLAIMED or slot.reviewer_id != reviewer.pk:
        raise Conflict("slot", f"task {slot.pk} is not claimed by {reviewer}")
    return loop, slot


@transaction.atomic
def submit_answer(
    *,
    slot: TaskSlot,
    reviewer: AbstractBaseUser,
    answer: dict[str, Any],
    time_spent: float | None = None,
) -> TaskSlot:
    """claimed -> submitted; the last answer completes the loop (a Stopping loop with nothing
    left in flight becomes Stopped). Only the holder, only before the deadline.

    `time_spent` is the active working time in seconds (pauses excluded) when the page measured
    it; by default the time since the claim. Raises Conflict (not the holder, past the
    deadline) and Invalid (answer not a JSON object, too large; time_spent out of range).
    """
    if not isinstance(answer, dict):
        raise Invalid("answer", "must be a JSON object (the form's named inputs)")
    size = len(json.dumps(answer))
    if size > limits.INPUT_CONTENT_MAX_LENGTH:
        raise Invalid(
            "answer",
            f"must serialize to at most {limits.INPUT_CONTENT_MAX_LENGTH} characters, not {size}",
        )
    loop, slot = lock_held_slot(slot, reviewer)
    now = clock.now()
    if now > slot.deadline:
        raise Conflict("deadline", "the time limit for this task has passed")
    elapsed = (now - slot.claimed_at).total_seconds()
    if time_spent is None:
        time_spent = elapsed
    elif not 0 <= time_spent <= elapsed + 1:  # a second of slack for the page's own clock
        raise Invalid(
            "time_spent",
            f"must be between 0 and {elapsed:.3f} seconds (the time since claim)",
        )

    slot.state, slot.answer, slot.submitted_at = TaskSlot.State.SUBMITTED, answer, now
    slot.time_spent = round(time_spent, 3)
    slot.save(update_fields=["state", "answer", "submitted_at", "time_spent"])
    record_slot_event(
        slot=slot, loop=loop, kind=SlotEvent.Kind.SUBMITTED, reviewer_id=reviewer.pk, at=now
    )
    settle_loop(loop=loop, at=now)
    return slot


def give_back(*, loop: HumanLoop, slot: TaskSlot, kind: str, reviewer_id: int, at: Any) -> TaskSlot:
    """claimed -> open (back in the queue), or -> withdrawn when the loop is Stopping."""
    record_slot_event(slot=slot, loop=loop, kind=kind, reviewer_id=reviewer_id, at=at)
    slot.reviewer, slot.claimed_at, slot.deadline = None, None, None
    if loop.status == HumanLoop.Status.IN_PROGRESS:
        slot.state = TaskSlot.State.OPEN
        OpenSlot.objects.create(
            slot=slot,
            loop=loop,
            flow_definition_id=loop.flow_definition_id,
            expires_at=loop.expires_at,
        )
    else:  # Stopping: a task given back is not offered again
        slot.state = TaskSlot.State.WITHDRAWN
        record_slot_event(
            slot=slot, loop=loop, kind=SlotEvent.Kind.WITHDRAWN, reviewer_id=reviewer_id, at=at
        )
    slot.save(update_fields=["state", "reviewer", "claimed_at", "deadline"])
    settle_loop(loop=loop, at=at)
    return slot


@transaction.atomic
def release_slot(*, slot: TaskSlot, reviewer: AbstractBaseUser) -> TaskSlot:
    """claimed -> open: the reviewer gives the task back; anyone of the team, the reviewer
    included, may take it again. Raises Conflict unless the reviewer holds it."""
    loop, slot = lock_held_slot(slot, reviewer)
    return give_back(
        loop=loop,
        slot=slot,
        kind=SlotEvent.Kind.RELEASED,
        reviewer_id=reviewer.pk,
        at=clock.now(),
    )


@transaction.atomic
def decline_slot(*, slot: TaskSlot, reviewer: AbstractBaseUser) -> TaskSlot:
    """claimed -> open for everyone else: the reviewer is never offered this loop again. When no
    member of the team is left who could take its open slots, the loop fails as Expired (the
    reference's recommendation). Raises Conflict unless the reviewer holds it."""
    loop, slot = lock_held_slot(slot, reviewer)
    now = clock.now()
    slot = give_back(
        loop=loop,
        slot=slot,
        kind=SlotEvent.Kind.DECLINED,
        reviewer_id=reviewer.pk,
        at=now,
    )
    if loop.status == HumanLoop.Status.IN_PROGRESS and not has_eligible_reviewer(loop):
        fail_loop(
            loop=loop,
            code=HumanLoop.FailureCode.EXPIRED,
            reason=f"Every member of work team {loop.flow_definition.work_team.name} who could "
            "take the task declined it.",
            at=now,
        )
    return slot


def has_eligible_reviewer(loop: HumanLoop) -> bool:
    """Whether some member of the loop's team has neither declined it nor taken a slot of it."""
    team = loop.flow_definition.work_team
    declined = SlotEvent.objects.filter(
        loop=loop, reviewer=OuterRef("pk"), kind=SlotEvent.Kind.DECLINED
    )
    took_a_slot = TaskSlot.objects.filter(loop=loop, reviewer=OuterRef("pk"))
    return (
        User.objects.filter(Q(work_teams=team) | Q(groups__work_teams=team), is_active=True)
        .filter(~Exists(declined), ~Exists(took_a_slot))
        .exists()
    )


def expire_overdue_claims(*, batch_size: int = 500) -> int:
    """claimed -> open for every claim past its deadline (withdrawn if its loop is Stopping).
    Each slot in its own transaction. Returns how many claims expired."""
    now = clock.now()
    due = list(
        TaskSlot.objects.filter(state=TaskSlot.State.CLAIMED, deadline__lt=now)
        .order_by("deadline")
        .values_list("pk", "loop_id")[:batch_size]
    )
    return sum(expire_claim(slot_id=slot_id, loop_id=loop_id) for slot_id, loop_id in due)


@transaction.atomic
def expire_claim(*, slot_id: int, loop_id: int) -> bool:
    """One claim of the sweep; False when it was submitted or given back meanwhile."""
    loop = (
        HumanLoop.objects.select_for_update(no_key=True)
        .defer("input_content")
        .filter(pk=loop_id)
        .first()
    )
    slot = TaskSlot.objects.select_for_update(no_key=True).filter(pk=slot_id).first()
    now = clock.now()
    if loop is None or slot is None or slot.state != TaskSlot.State.CLAIMED or slot.deadline >= now:
        return False
    give_back(
        loop=loop,
        slot=slot,
        kind=SlotEvent.Kind.EXPIRED,
        reviewer_id=slot.reviewer_id,
        at=now,
    )
    return True
