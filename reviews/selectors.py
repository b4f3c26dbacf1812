"""Reads shared by the front ends (native API, AWS adapter, admin)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import Q

from a2i_portal import clock
from a2i_portal.errors import Invalid, NotFound
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from workflows.models import FlowDefinition

PAGE_TOKEN_SALT = "reviews.loops-page"
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class LoopPage:
    """One page of loops, and the token of the next page (None on the last one)."""

    loops: list[HumanLoop]
    next_token: str | None


def loops_page(
    *,
    flow_definition: FlowDefinition,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    statuses: list[str] | None = None,
    ascending: bool = False,
    next_token: str | None = None,
    limit: int = MAX_PAGE_SIZE,
) -> LoopPage:
    """A flow definition's loops by creation time (then id), newest first unless `ascending`.

    `created_after` is inclusive and `created_before` exclusive (the reference's recommendation).
    Pages are keyset pages over the (flow definition, created_at, id) index, so page 10,000 costs
    what page 1 costs; the token is signed and names the query it belongs to. Raises Invalid.
    """
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise Invalid("max_results", f"must be between 1 and {MAX_PAGE_SIZE}, not {limit}")
    if statuses and set(statuses) - set(HumanLoop.Status.values):
        raise Invalid("status", f"must be one of: {', '.join(HumanLoop.Status.values)}")
    loops = HumanLoop.objects.filter(flow_definition=flow_definition).select_related(
        "flow_definition"
    )
    if created_after is not None:
        loops = loops.filter(created_at__gte=created_after)
    if created_before is not None:
        loops = loops.filter(created_at__lt=created_before)
    if statuses:
        loops = loops.filter(status__in=statuses)
    query = [flow_definition.pk, ascending]
    if next_token:
        at, pk = read_token(next_token, query)
        if ascending:
            loops = loops.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk))
        else:
            loops = loops.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    order = ["created_at", "pk"] if ascending else ["-created_at", "-pk"]
    rows = list(loops.order_by(*order)[: limit + 1])
    if len(rows) <= limit:
        return LoopPage(loops=rows, next_token=None)
    last = rows[limit - 1]
    token = signing.dumps(
        {"q": query, "at": last.created_at.isoformat(), "pk": last.pk}, salt=PAGE_TOKEN_SALT
    )
    return LoopPage(loops=rows[:limit], next_token=token)


def read_token(token: str, query: list[object]) -> tuple[datetime, int]:
    """The position a page token points at; Invalid when it is forged or from another query."""
    try:
        payload = signing.loads(token, salt=PAGE_TOKEN_SALT)
        if payload["q"] != query:
            raise ValueError("token of another query")
        return datetime.fromisoformat(payload["at"]), int(payload["pk"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise Invalid("next_token", "is not a token this list returned for the same query") from exc


# The reviewer portal

AVAILABLE_COUNT_CAP = 1000  # a home page counts at most this many tasks per job


@dataclass(frozen=True)
class Job:
    """A flow definition of the reviewer's teams, as the home page lists it."""

    flow: FlowDefinition
    available: int  # tasks this reviewer could claim now, up to AVAILABLE_COUNT_CAP

    @property
    def time_limit_label(self) -> str:
        """The time a reviewer has for one task, as a person says it: 90 s, 10 min, 1 h 30 min."""
        seconds = self.flow.task_time_limit
        if seconds < 120:
            return f"{seconds} s"
        hours, minutes = divmod(seconds // 60, 60)
        if not hours:
            return f"{minutes} min"
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"

    @property
    def available_label(self) -> str:
        return (
            f"{AVAILABLE_COUNT_CAP:,}+"
            if self.available >= AVAILABLE_COUNT_CAP
            else str(self.available)
        )


def jobs_for(reviewer: Any) -> list[Job]:
    """The reviewer's jobs: every Active flow definition of their teams, with the open tasks
    they may take (not of a loop they hold, answered or declined)."""
    flows = (
        FlowDefinition.objects.for_reviewer(reviewer)
        .filter(status=FlowDefinition.Status.ACTIVE)
        .distinct()
        .order_by("task_title", "name")
    )
    taken = TaskSlot.objects.filter(reviewer=reviewer).values("loop_id")
    declined = SlotEvent.objects.filter(reviewer=reviewer, kind=SlotEvent.Kind.DECLINED).values(
        "loop_id"
    )
    jobs = []
    for flow in flows:
        open_here = (
            OpenSlot.objects.filter(flow_definition=flow, expires_at__gt=clock.now())
            .exclude(loop_id__in=taken)
            .exclude(loop_id__in=declined)
        )
        jobs.append(Job(flow, len(open_here.values_list("pk", flat=True)[:AVAILABLE_COUNT_CAP])))
    return jobs


def held_slots(reviewer: Any) -> list[TaskSlot]:
    """The reviewer's claims still within their time limit, soonest deadline first."""
    return list(
        TaskSlot.objects.filter(
            reviewer=reviewer, state=TaskSlot.State.CLAIMED, deadline__gt=clock.now()
        )
        .select_related("loop__flow_definition")
        .defer("loop__input_content")
        .order_by("deadline")
    )


def slot_of_reviewer(slot_id: int, reviewer: Any) -> TaskSlot:
    """A slot the reviewer claimed (now or before); NotFound for anyone else's, so a direct URL
    to another reviewer's or another team's task reveals nothing."""
    slot = (
        TaskSlot.objects.filter(pk=slot_id, reviewer=reviewer)
        .select_related("loop__flow_definition__task_ui")
        .first()
    )
    if slot is None:
        raise NotFound("task", f"there is no task {slot_id} of yours")
    return slot
