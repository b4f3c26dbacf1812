"""The work waiting now, per flow definition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min

from a2i_portal import clock
from reviews.models import HumanLoop, OpenSlot, TaskSlot
from reviews.reporting.labels import duration_label
from workflows.models import FlowDefinition


@dataclass(frozen=True)
class FlowBacklog:
    """A flow definition's waiting work.

    `open_tasks`: task slots in the queue, waiting for a reviewer to claim them.
    `in_progress_loops`: loops still InProgress (their tasks open, claimed or partly answered).
    `oldest_waiting_since`: when the loop of the oldest open task started (None: no open task;
    a re-opened loop counts from its start, as its client has waited since).
    """

    flow_id: int
    flow_name: str
    open_tasks: int
    in_progress_loops: int
    oldest_waiting_since: datetime | None
    now: datetime

    @property
    def waiting_seconds(self) -> float | None:
        """How long the oldest open task has waited, in seconds."""
        if self.oldest_waiting_since is None:
            return None
        return max((self.now - self.oldest_waiting_since).total_seconds(), 0.0)

    @property
    def waiting_label(self) -> str:
        return duration_label(self.waiting_seconds)


def backlog_by_flow(*, now: datetime | None = None) -> list[FlowBacklog]:
    """Every flow definition with open tasks or in-progress loops, most open tasks first.

    Not bounded by a window: its cost follows the work waiting now (the queue and the
    in-progress loops), never the loops that ended.
    """
    now = now or clock.now()
    # An index-only scan of queue_by_flow (flow_definition, slot). Slot ids grow with the start
    # of their loop, so each flow's smallest queued slot id is its oldest waiting task.
    queue = {
        row["flow_definition_id"]: row
        for row in OpenSlot.objects.order_by()
        .values("flow_definition_id")
        .annotate(open_tasks=Count("*"), oldest_slot=Min("slot_id"))
    }
    started = dict(
        TaskSlot.objects.filter(pk__in=[row["oldest_slot"] for row in queue.values()]).values_list(
            "pk", "loop__created_at"
        )
    )
    in_progress = dict(
        HumanLoop.objects.filter(status=HumanLoop.Status.IN_PROGRESS)
        .order_by()
        .values("flow_definition_id")
        .annotate(loops=Count("*"))
        .values_list("flow_definition_id", "loops")
    )
    names = dict(
        FlowDefinition.objects.filter(pk__in=set(queue) | set(in_progress)).values_list(
            "pk", "name"
        )
    )
    backlog = [
        FlowBacklog(
            flow_id=flow_id,
            flow_name=name,
            open_tasks=queue[flow_id]["open_tasks"] if flow_id in queue else 0,
            in_progress_loops=in_progress.get(flow_id, 0),
            oldest_waiting_since=(
                started.get(queue[flow_id]["oldest_slot"]) if flow_id in queue else None
            ),
            now=now,
        )
        for flow_id, name in names.items()
    ]
    return sorted(backlog, key=lambda row: (-row.open_tasks, -row.in_progress_loops, row.flow_name))
