from datetime import timedelta

import pytest

from reviews import tasks
from reviews.models import HumanLoop, TaskSlot
from reviews.services.slots import claim_next_slot
from tests.factories import HumanLoopFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def test_the_claim_sweep_task_returns_claims_past_their_deadline(flow, reviewer, clock):
    HumanLoopFactory(flow_definition=flow)
    slot = claim_next_slot(reviewer=reviewer)
    clock.advance(timedelta(seconds=flow.task_time_limit + 1))

    assert tasks.expire_overdue_claims.delay().get() == 1

    slot.refresh_from_db()
    assert slot.state == TaskSlot.State.OPEN


def test_the_loop_sweep_task_fails_loops_past_their_lifetime(flow, clock):
    loop = HumanLoopFactory(flow_definition=flow)
    clock.advance(timedelta(seconds=flow.task_availability_lifetime))

    assert tasks.fail_expired_loops.delay().get() == 1

    loop.refresh_from_db()
    assert (loop.status, loop.failure_code) == (HumanLoop.Status.FAILED, "Expired")
