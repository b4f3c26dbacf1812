import pytest

from tests.factories import (
    SIMPLE_TEMPLATE,
    FlowDefinitionFactory,
    HumanTaskUiFactory,
    WorkTeamFactory,
)
from workflows.models import FlowDefinition, HumanTaskUi, ResourceTag, WorkTeam
from workflows.services.tags import add_tags

pytestmark = pytest.mark.django_db

TEAMS, UIS, FLOWS = "/api/v1/work-teams/", "/api/v1/human-task-uis/", "/api/v1/flow-definitions/"
TAGS = {"env": "prod", "owner": "ana"}


def flow_body(**changes) -> dict:
    return {
        "name": "claims-review",
        "work_team": WorkTeamFactory().name,
        "task_ui": HumanTaskUiFactory().name,
        "task_title": "Review claim",
        "task_description": "Check the fields",
        "output_path": "s3://bucket/a2i",
        **changes,
    }


def test_a_work_team_is_created_with_tags_and_shows_them(staff_api, api):
    created = staff_api.post(
        TEAMS, {"name": "claims", "description": "d", "tags": TAGS}, format="json"
    )

    assert created.status_code == 201, created.data
    assert created.json()["tags"] == TAGS
    assert api.get(f"{TEAMS}claims/").json()["tags"] == TAGS


def test_a_task_ui_is_created_with_tags_and_shows_them_on_its_own(staff_api, api):
    created = staff_api.post(
        UIS, {"name": "ui", "content": SIMPLE_TEMPLATE, "tags": TAGS}, format="json"
    )

    assert created.status_code == 201, created.data
    assert created.json()["tags"] == TAGS
    assert api.get(f"{UIS}ui/").json()["tags"] == TAGS


def test_a_flow_definition_is_created_with_tags_and_shows_them(staff_api, api):
    created = staff_api.post(FLOWS, flow_body(tags=TAGS), format="json")

    assert created.status_code == 201, created.data
    assert created.json()["tags"] == TAGS
    assert api.get(f"{FLOWS}claims-review/").json()["tags"] == TAGS


def test_a_resource_without_tags_shows_an_empty_object(api):
    team = WorkTeamFactory()

    assert api.get(f"{TEAMS}{team.name}/").json()["tags"] == {}


@pytest.mark.parametrize(
    ("url", "body", "model"),
    [
        (TEAMS, {"name": "claims", "description": "d"}, WorkTeam),
        (UIS, {"name": "ui", "content": SIMPLE_TEMPLATE}, HumanTaskUi),
        (FLOWS, None, FlowDefinition),
    ],
    ids=["work-team", "task-ui", "flow-definition"],
)
@pytest.mark.parametrize(
    ("tags", "rule"),
    [
        ({"aws:owner": "x"}, "reserved"),
        ({"bad!": "x"}, "regular expression pattern"),
        ({"env": "v" * 257}, "at most 256"),
        ({f"key-{n}": "" for n in range(51)}, "at most 50"),
    ],
    ids=["reserved-prefix", "key-pattern", "value-length", "51-tags"],
)
def test_bad_tags_are_refused_naming_the_rule_and_nothing_is_created(
    staff_api, url, body, model, tags, rule
):
    before = model.objects.count()

    response = staff_api.post(url, {**(body or flow_body()), "tags": tags}, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "tags"
    assert rule in response.json()["message"]
    assert model.objects.count() == before
    assert not ResourceTag.objects.exists()


def test_tags_that_are_not_strings_are_refused_by_the_serializer(staff_api):
    response = staff_api.post(
        TEAMS, {"name": "claims", "description": "d", "tags": {"count": 5}}, format="json"
    )

    assert response.status_code == 400
    assert "tags" in response.json()
    assert not WorkTeam.objects.exists()


def test_lists_of_tagged_teams_and_flows_read_all_tags_in_one_query(
    api, django_assert_max_num_queries
):
    for flow in FlowDefinitionFactory.create_batch(3):
        add_tags(resource=flow, tags=TAGS)
        add_tags(resource=flow.work_team, tags=TAGS)

    # key, last-use note, teams, then members, groups and tags: one query each
    with django_assert_max_num_queries(6):
        teams = api.get(TEAMS).json()
    # key, last-use note, flows with team and UI, tags
    with django_assert_max_num_queries(4):
        flows = api.get(FLOWS).json()

    assert [team["tags"] for team in teams] == [TAGS] * 3
    assert [flow["tags"] for flow in flows] == [TAGS] * 3
