from datetime import timedelta

import pytest

from tests.factories import FlowDefinitionFactory, GroupFactory, UserFactory, WorkTeamFactory
from workflows.models import WorkTeam

pytestmark = pytest.mark.django_db

TEAMS = "/api/v1/work-teams/"


def snapshot(team: WorkTeam) -> tuple:
    return (
        WorkTeam.objects.filter(pk=team.pk).values().get(),
        sorted(team.members.values_list("username", flat=True)),
        sorted(team.member_groups.values_list("name", flat=True)),
    )


def test_staff_change_a_teams_description_members_and_groups(staff_api, reviewer, clock):
    group = GroupFactory(name="night-shift")
    team = WorkTeamFactory(name="claims", description="Old", members=[UserFactory()])
    clock.advance(timedelta(hours=1))

    response = staff_api.patch(
        f"{TEAMS}claims/",
        {"description": "New", "members": [reviewer.username], "member_groups": [group.name]},
        format="json",
    )

    assert response.status_code == 200, response.data
    body = response.json()
    assert (body["name"], body["description"]) == ("claims", "New")
    assert (body["members"], body["member_groups"]) == (["reviewer"], ["night-shift"])
    team.refresh_from_db()
    assert team.updated_at == clock.now()
    assert list(team.members.all()) == [reviewer]


def test_fields_left_out_stay_as_they_were(staff_api, reviewer):
    team = WorkTeamFactory(description="Kept", members=[reviewer])

    response = staff_api.patch(f"{TEAMS}{team.name}/", {"notify_by_email": False}, format="json")

    assert response.status_code == 200, response.data
    assert response.json()["description"] == "Kept"
    assert response.json()["members"] == ["reviewer"]
    assert response.json()["notify_by_email"] is False


def test_an_empty_member_list_removes_every_member(staff_api, reviewer):
    team = WorkTeamFactory(members=[reviewer])

    response = staff_api.patch(f"{TEAMS}{team.name}/", {"members": []}, format="json")

    assert response.status_code == 200, response.data
    assert not team.members.exists()


def test_an_unknown_member_is_refused_naming_the_field_and_nothing_changes(staff_api, reviewer):
    team = WorkTeamFactory(members=[reviewer])
    before = snapshot(team)

    response = staff_api.patch(
        f"{TEAMS}{team.name}/", {"description": "New", "members": ["ghost"]}, format="json"
    )

    assert response.status_code == 400
    assert "members" in response.json()
    assert snapshot(team) == before


def test_an_empty_description_is_refused_with_the_service_rule_and_nothing_changes(
    staff_api, reviewer
):
    team = WorkTeamFactory(members=[reviewer])
    before = snapshot(team)

    response = staff_api.patch(
        f"{TEAMS}{team.name}/", {"description": "", "members": []}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"] == "Invalid"
    assert response.json()["field"] == "description"
    assert snapshot(team) == before


def test_a_new_name_is_refused_rather_than_ignored(staff_api):
    team = WorkTeamFactory(name="claims")
    before = snapshot(team)

    response = staff_api.patch(
        f"{TEAMS}claims/", {"name": "renamed", "description": "New"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["name"] == ["cannot be changed: a work team keeps its name and ARN"]
    assert snapshot(team) == before


def test_an_unknown_field_is_refused_naming_it(staff_api):
    team = WorkTeamFactory()
    before = snapshot(team)

    response = staff_api.patch(f"{TEAMS}{team.name}/", {"descripton": "typo"}, format="json")

    assert response.status_code == 400
    assert "descripton" in response.json()
    assert snapshot(team) == before


def test_a_non_staff_user_cannot_change_a_team(api):
    team = WorkTeamFactory(description="Old")
    before = snapshot(team)

    response = api.patch(f"{TEAMS}{team.name}/", {"description": "New"}, format="json")

    assert response.status_code == 403
    assert snapshot(team) == before


def test_changing_a_missing_team_is_not_found(staff_api):
    response = staff_api.patch(f"{TEAMS}ghost/", {"description": "New"}, format="json")

    assert response.status_code == 404
    assert response.json()["field"] == "name"


def test_a_team_in_use_can_be_changed(staff_api):
    flow = FlowDefinitionFactory()

    response = staff_api.patch(
        f"{TEAMS}{flow.work_team.name}/", {"description": "Still used"}, format="json"
    )

    assert response.status_code == 200, response.data
    assert WorkTeam.objects.get(pk=flow.work_team_id).description == "Still used"


def test_a_whole_replacement_with_put_is_not_offered(staff_api):
    team = WorkTeamFactory()

    response = staff_api.put(f"{TEAMS}{team.name}/", {"description": "New"}, format="json")

    assert response.status_code == 405
