from datetime import timedelta

import pytest
from django.contrib.auth.models import Group

from a2i_portal.errors import Invalid, NotFound
from tests.factories import FlowDefinitionFactory, GroupFactory, WorkTeamFactory
from workflows.models import FlowDefinition, WorkTeam
from workflows.services.sagemaker_support import update_work_team_of_groups
from workflows.services.teams import update_work_team

pytestmark = pytest.mark.django_db


def test_a_new_description_is_saved_and_the_change_time_moves(clock):
    team = WorkTeamFactory(description="Old")
    clock.advance(timedelta(hours=1))

    update_work_team(team=team, description="New")

    team.refresh_from_db()
    assert team.description == "New"
    assert team.updated_at == clock.now()
    assert team.created_at < team.updated_at


def test_given_members_and_groups_replace_the_teams(reviewer, second_reviewer):
    old_group, new_group = GroupFactory(), GroupFactory()
    team = WorkTeamFactory(members=[reviewer])
    team.member_groups.set([old_group])

    update_work_team(team=team, members=[second_reviewer], member_groups=[new_group])

    assert list(team.members.all()) == [second_reviewer]
    assert list(team.member_groups.all()) == [new_group]


def test_what_is_not_given_stays(reviewer):
    group = GroupFactory()
    team = WorkTeamFactory(description="Kept", members=[reviewer])
    team.member_groups.set([group])

    update_work_team(team=team, notify_by_email=False)

    team.refresh_from_db()
    assert (team.description, team.notify_by_email) == ("Kept", False)
    assert list(team.members.all()) == [reviewer]
    assert list(team.member_groups.all()) == [group]


def test_empty_lists_remove_every_member_and_group(reviewer):
    team = WorkTeamFactory(members=[reviewer])
    team.member_groups.set([GroupFactory()])

    update_work_team(team=team, members=[], member_groups=[])

    assert not team.members.exists()
    assert not team.member_groups.exists()


@pytest.mark.parametrize("description", ["", "d" * 201], ids=["empty", "201-chars"])
def test_a_description_outside_1_to_200_characters_is_refused_and_nothing_changes(
    description, reviewer, clock
):
    team = WorkTeamFactory(description="Old", members=[reviewer])
    before = WorkTeam.objects.values().get(pk=team.pk)
    clock.advance(timedelta(hours=1))

    with pytest.raises(Invalid) as refused:
        update_work_team(team=team, description=description, members=[])

    assert refused.value.field == "description"
    assert WorkTeam.objects.values().get(pk=team.pk) == before
    assert list(team.members.all()) == [reviewer]


def test_changing_a_deleted_team_is_not_found():
    team = WorkTeamFactory(name="gone")
    WorkTeam.objects.filter(pk=team.pk).delete()

    with pytest.raises(NotFound, match="gone") as refused:
        update_work_team(team=team, description="New")

    assert refused.value.field == "name"


# The group-based variant behind UpdateWorkteam


def test_named_groups_replace_the_teams_groups_and_missing_ones_are_created(reviewer):
    kept, dropped = GroupFactory(name="kept"), GroupFactory(name="dropped")
    team = WorkTeamFactory(members=[reviewer])
    team.member_groups.set([kept, dropped])

    update_work_team_of_groups(team=team, group_names=["kept", "new", "kept"])

    assert sorted(team.member_groups.values_list("name", flat=True)) == ["kept", "new"]
    assert Group.objects.filter(name="dropped").exists()  # leaves the team, not the portal
    assert list(team.members.all()) == [reviewer]  # users added directly stay


def test_no_group_names_leave_the_groups_as_they_are():
    group = GroupFactory()
    team = WorkTeamFactory()
    team.member_groups.set([group])

    update_work_team_of_groups(team=team, description="New")

    assert list(team.member_groups.all()) == [group]


def test_a_refused_group_change_creates_no_group():
    team = WorkTeamFactory()

    with pytest.raises(Invalid):
        update_work_team_of_groups(team=team, description="", group_names=["new-group"])

    assert not Group.objects.filter(name="new-group").exists()
    assert not team.member_groups.exists()


def test_a_member_of_a_replaced_group_no_longer_gets_the_teams_work(outsider):
    old = GroupFactory(name="old")
    outsider.groups.add(old)
    team = WorkTeamFactory()
    team.member_groups.set([old])
    flow = FlowDefinitionFactory(work_team=team)
    assert list(FlowDefinition.objects.for_reviewer(outsider)) == [flow]

    update_work_team_of_groups(team=team, group_names=["new"])

    assert not FlowDefinition.objects.for_reviewer(outsider).exists()
