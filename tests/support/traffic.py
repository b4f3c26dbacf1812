"""Loops driven through their lives from the calling process, through the services a client
and a reviewer use. Deadlines that must pass soon are moved in the database, as the sweeps
read them there."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from a2i_portal import clock
from reviews.models import HumanLoop, OpenSlot, TaskSlot
from reviews.services.slots import claim_next_slot, submit_answer
from workflows.models import FlowDefinition

ANSWER = {"category": {"label": "cat"}}


def answer_next(*, reviewer: Any, flow: FlowDefinition) -> TaskSlot | None:
    """The reviewer claims the oldest open slot of `flow` and answers it; None when none."""
    slot = claim_next_slot(reviewer=reviewer, flow_definition=flow)
    if slot is not None:
        submit_answer(slot=slot, reviewer=reviewer, answer=ANSWER)
    return slot


def expire_soon(loop_ids: list[int], *, seconds: float) -> datetime:
    """The loops' availability deadline is `seconds` from now; their queue rows carry the same
    deadline (claims read it there)."""
    at = clock.now() + timedelta(seconds=seconds)
    with transaction.atomic():
        HumanLoop.objects.filter(pk__in=loop_ids).update(expires_at=at)
        OpenSlot.objects.filter(loop_id__in=loop_ids).update(expires_at=at)
    return at


def claim_due_soon(slot_id: int, *, seconds: float) -> datetime:
    """The claim on the slot runs out `seconds` from now."""
    at = clock.now() + timedelta(seconds=seconds)
    TaskSlot.objects.filter(pk=slot_id, state=TaskSlot.State.CLAIMED).update(deadline=at)
    return at
