"""Many reviewers, two browser tabs each, draining one queue at once (PostgreSQL row locks)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Count

from reviews.models import OpenSlot, SlotEvent, TaskSlot
from reviews.services.slots import claim_next_slot
from tests.concurrency.threads import open_loops, run_together, values
from tests.factories import FlowDefinitionFactory, UserFactory, WorkTeamFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LOOPS = 1_000
TASK_COUNT = 2
REVIEWERS = 8
THREADS_PER_REVIEWER = 2  # the same reviewer in two tabs races with itself


def claim_until_empty(reviewer):  # noqa: ANN001, ANN201
    """One claimer: claim until the queue has nothing left for this reviewer."""
    claimed = []
    while (slot := claim_next_slot(reviewer=reviewer)) is not None:
        claimed.append((slot.pk, slot.loop_id, reviewer.pk))
    return claimed


def test_sixteen_claimers_drain_the_queue_and_each_slot_goes_to_one_reviewer():
    reviewers = [UserFactory() for _ in range(REVIEWERS)]
    flow = FlowDefinitionFactory(
        work_team=WorkTeamFactory(members=reviewers), task_count=TASK_COUNT
    )
    open_loops(flow, LOOPS)
    total = LOOPS * TASK_COUNT

    per_thread = values(
        run_together(
            lambda reviewer=reviewer: claim_until_empty(reviewer)
            for reviewer in reviewers
            for _ in range(THREADS_PER_REVIEWER)
        )
    )

    claims = [claim for thread in per_thread for claim in thread]
    slot_ids = Counter(slot_id for slot_id, _, _ in claims)
    assert len(claims) == total
    assert [slot_id for slot_id, times in slot_ids.items() if times > 1] == []
    per_reviewer_and_loop = Counter((loop_id, reviewer_id) for _, loop_id, reviewer_id in claims)
    assert max(per_reviewer_and_loop.values()) == 1
    assert TaskSlot.objects.filter(state=TaskSlot.State.CLAIMED).count() == total
    assert not (
        TaskSlot.objects.values("loop", "reviewer").annotate(n=Count("pk")).filter(n__gt=1)
    ).exists()
    assert not OpenSlot.objects.exists()
    events = SlotEvent.objects.filter(kind=SlotEvent.Kind.CLAIMED)
    assert events.count() == total
    assert events.values("slot").distinct().count() == total
