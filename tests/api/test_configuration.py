import hashlib

import pytest

from a2i_portal import arns
from tests.factories import (
    FlowDefinitionFactory,
    GroupFactory,
    HumanTaskUiFactory,
    UserFactory,
    WorkTeamFactory,
)
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam

pytestmark = pytest.mark.django_db

TEAMS, UIS, FLOWS = "/api/v1/work-teams/", "/api/v1/human-task-uis/", "/api/v1/flow-definitions/"


# Work teams


def test_staff_create_a_work_team_of_users_and_groups(staff_api, reviewer):
    group = GroupFactory(name="labellers")

    response = staff_api.post(
        TEAMS,
        {
            "name": "Reviewers-1",
            "description": "Claims reviewers",
            "members": [reviewer.username],
            "member_groups": [group.name],
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    assert response.json()["arn"] == arns.workteam_arn("Reviewers-1")
    assert response.json()["members"] == ["reviewer"]
    assert response.json()["member_groups"] == ["labellers"]
    assert list(WorkTeam.objects.get().members.all()) == [reviewer]


def test_an_unknown_member_is_refused_naming_the_field_and_nothing_is_created(staff_api):
    response = staff_api.post(
        TEAMS, {"name": "t", "description": "d", "members": ["ghost"]}, format="json"
    )

    assert response.status_code == 400
    assert "members" in response.json()
    assert not WorkTeam.objects.exists()


def test_a_bad_team_name_is_refused_with_the_service_rule(staff_api):
    response = staff_api.post(TEAMS, {"name": "no_underscores", "description": "d"}, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert not WorkTeam.objects.exists()


def test_a_taken_team_name_is_a_conflict(staff_api):
    WorkTeamFactory(name="taken")

    response = staff_api.post(TEAMS, {"name": "taken", "description": "d"}, format="json")

    assert response.status_code == 409


def test_work_teams_are_listed_and_retrieved_by_name(api, team):
    assert [t["name"] for t in api.get(TEAMS).json()] == [team.name]
    assert api.get(f"{TEAMS}{team.name}/").json()["description"] == team.description
    assert api.get(f"{TEAMS}nope/").status_code == 404


def test_a_used_work_team_cannot_be_deleted(staff_api, flow):
    response = staff_api.delete(f"{TEAMS}{flow.work_team.name}/")

    assert response.status_code == 409
    assert response.json()["field"] == "work_team"
    assert flow.name in response.json()["message"]
    assert WorkTeam.objects.filter(pk=flow.work_team.pk).exists()


def test_an_unused_work_team_is_deleted(staff_api):
    team = WorkTeamFactory()

    assert staff_api.delete(f"{TEAMS}{team.name}/").status_code == 204
    assert not WorkTeam.objects.exists()


# Human task UIs


def test_a_task_ui_is_created_and_retrieved_with_its_digest(staff_api):
    content = "<p>{{ task.input.text }} é</p>"

    created = staff_api.post(UIS, {"name": "ui-a", "content": content}, format="json")
    fetched = staff_api.get(f"{UIS}ui-a/")

    assert created.status_code == 201, created.data
    assert fetched.json()["content"] == content
    assert fetched.json()["content_sha256"] == hashlib.sha256(content.encode()).hexdigest()
    assert fetched.json()["arn"] == arns.human_task_ui_arn("ui-a")


def test_task_uis_are_listed_without_their_content(api):
    HumanTaskUiFactory(name="ui-a")

    listed = api.get(UIS).json()

    assert [(ui["name"], ui["arn"]) for ui in listed] == [("ui-a", arns.human_task_ui_arn("ui-a"))]
    assert "content" not in listed[0]


def test_an_empty_template_is_refused(staff_api):
    response = staff_api.post(UIS, {"name": "ui-a", "content": ""}, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "content"
    assert not HumanTaskUi.objects.exists()


def test_a_used_task_ui_cannot_be_deleted_and_an_unused_one_can(staff_api, flow):
    unused = HumanTaskUiFactory()

    assert staff_api.delete(f"{UIS}{flow.task_ui.name}/").status_code == 409
    assert staff_api.delete(f"{UIS}{unused.name}/").status_code == 204
    assert list(HumanTaskUi.objects.all()) == [flow.task_ui]


# Flow definitions


def flow_body(team, ui, **changes):  # noqa: ANN001
    return {
        "name": "claims-review",
        "work_team": team.arn,
        "task_ui": ui.name,
        "task_title": "Review claim",
        "task_description": "Check the fields",
        "output_path": "s3://bucket/a2i",
        "task_keywords": ["claims", "document review"],
        **changes,
    }


def test_staff_create_a_flow_definition_naming_team_and_ui_by_arn_or_name(staff_api, team):
    task_ui = HumanTaskUiFactory()

    response = staff_api.post(FLOWS, flow_body(team, task_ui, task_count=2), format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["arn"] == arns.flow_definition_arn("claims-review")
    assert body["status"] == "Active"
    assert (body["work_team"], body["task_ui"], body["task_count"]) == (team.name, task_ui.name, 2)
    assert body["task_time_limit"] == 3600  # the service's default


def test_a_task_count_of_5_is_refused_naming_the_field(staff_api, team):
    response = staff_api.post(
        FLOWS, flow_body(team, HumanTaskUiFactory(), task_count=5), format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"] == "Invalid"
    assert response.json()["field"] == "task_count"
    assert not FlowDefinition.objects.exists()


def test_an_unknown_task_ui_is_refused_naming_the_field(staff_api, team):
    body = flow_body(team, HumanTaskUiFactory(), task_ui="missing")

    response = staff_api.post(FLOWS, body, format="json")

    assert response.status_code == 400
    assert response.json()["task_ui"] == ["no human task UI named 'missing' exists"]
    assert not FlowDefinition.objects.exists()


def test_a_non_staff_user_cannot_create_a_flow_definition(api, team):
    response = api.post(FLOWS, flow_body(team, HumanTaskUiFactory()), format="json")

    assert response.status_code == 403
    assert "staff" in response.json()["detail"]
    assert not FlowDefinition.objects.exists()


def test_any_authenticated_user_reads_flow_definitions(api, django_assert_max_num_queries):
    FlowDefinitionFactory.create_batch(3)

    with django_assert_max_num_queries(4):  # key, last-use note, flows with team and UI, tags
        response = api.get(FLOWS)

    assert len(response.json()) == 3
    assert api.get(f"{FLOWS}{response.json()[0]['name']}/").json()["arn"].startswith("arn:aws")


def test_session_users_browse_the_api(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.get(FLOWS, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"Flow Definition" in response.content
