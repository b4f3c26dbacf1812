"""Reads shared by the front ends (native API, AWS adapter, admin)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db.models import Q

from a2i_portal.errors import Invalid
from reviews.models import HumanLoop
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
