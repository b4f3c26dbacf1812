"""Two actors changing one work team or its tags at the same moment (PostgreSQL row locks)."""

from __future__ import annotations

import pytest

from a2i_portal.errors import Invalid, NotFound
from tests.concurrency.threads import run_together
from tests.factories import WorkTeamFactory
from workflows.models import ResourceTag, WorkTeam
from workflows.services.deletion import delete_work_team
from workflows.services.tags import add_tags
from workflows.services.teams import update_work_team

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_taggers_at_once_cannot_pass_50_tags_together():
    team = WorkTeamFactory()

    def tag(prefix):  # noqa: ANN001, ANN202
        return lambda: add_tags(resource=team, tags={f"{prefix}-{n}": "" for n in range(30)})

    outcomes = run_together([tag("a"), tag("b")])

    refusals = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(refusals) == 1
    assert isinstance(refusals[0], Invalid)
    assert ResourceTag.objects.filter(work_team=team).count() == 30


def test_a_change_and_a_deletion_at_once_leave_no_team_and_no_crash():
    team = WorkTeamFactory()
    add_tags(resource=team, tags={"env": "prod"})

    outcomes = run_together(
        [
            lambda: update_work_team(team=team, description="New"),
            lambda: delete_work_team(team=team),
        ]
    )

    changed, deleted = outcomes
    assert deleted.error is None
    assert changed.error is None or isinstance(changed.error, NotFound)
    assert not WorkTeam.objects.exists()
    assert not ResourceTag.objects.exists()


def test_tagging_a_team_being_deleted_is_not_found_or_deleted_with_it():
    team = WorkTeamFactory()

    outcomes = run_together(
        [
            lambda: add_tags(resource=team, tags={"env": "prod"}),
            lambda: delete_work_team(team=team),
        ]
    )

    tagged, deleted = outcomes
    assert deleted.error is None
    assert tagged.error is None or isinstance(tagged.error, NotFound)
    assert not ResourceTag.objects.exists()
