"""Several workers running the new-work sweep at the same moment (PostgreSQL row locks, one
connection each): every reviewer gets one email per batch, never two."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from reviews.models import ReviewerNotice
from reviews.services.notifications import SETTLE, notify_reviewers_of_new_work
from tests.concurrency.threads import open_loops, run_together, values
from tests.factories import FlowDefinitionFactory, UserFactory, WorkTeamFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REVIEWERS = 12
SWEEPS = 4
ROUNDS = 3
INTERVAL = 300.0


def test_sweeps_at_once_send_each_reviewer_one_email_per_batch(clock, mailoutbox, settings):
    settings.A2I_NOTIFY_INTERVAL = INTERVAL
    reviewers = [UserFactory() for _ in range(REVIEWERS)]
    flow = FlowDefinitionFactory(work_team=WorkTeamFactory(members=reviewers), task_count=2)

    for number in range(ROUNDS):
        open_loops(flow, 3, prefix=f"round-{number}")
        clock.advance(SETTLE)
        mailoutbox.clear()

        sent = values(run_together([notify_reviewers_of_new_work] * SWEEPS))

        assert sum(sent) == REVIEWERS
        assert Counter(address for message in mailoutbox for address in message.to) == {
            reviewer.email: 1 for reviewer in reviewers
        }
        assert all("3 new tasks waiting" in message.body for message in mailoutbox)
        notices = ReviewerNotice.objects.filter(user__in=reviewers)
        assert notices.count() == REVIEWERS
        assert not notices.filter(sending_since__isnull=False).exists()
        assert set(notices.values_list("last_sent_at", flat=True)) == {clock.now()}
        clock.advance(timedelta(seconds=INTERVAL))


def test_sweeps_at_once_with_nothing_new_send_nothing(clock, mailoutbox, settings):
    settings.A2I_NOTIFY_INTERVAL = INTERVAL
    reviewers = [UserFactory() for _ in range(REVIEWERS)]
    flow = FlowDefinitionFactory(work_team=WorkTeamFactory(members=reviewers))
    open_loops(flow, 2)
    clock.advance(SETTLE)
    assert notify_reviewers_of_new_work() == REVIEWERS
    clock.advance(timedelta(seconds=INTERVAL))
    mailoutbox.clear()

    sent = values(run_together([notify_reviewers_of_new_work] * SWEEPS))

    assert sent == [0] * SWEEPS
    assert mailoutbox == []
