import pytest

from a2i_portal.errors import Conflict, Invalid
from tests.factories import (
    SIMPLE_TEMPLATE,
    GroupFactory,
    HumanTaskUiFactory,
    UserFactory,
    WorkTeamFactory,
)
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam
from workflows.services.flow_definitions import create_flow_definition
from workflows.services.task_uis import create_human_task_ui
from workflows.services.teams import create_work_team

pytestmark = pytest.mark.django_db

TEXTRACT = FlowDefinition.RequestSource.TEXTRACT_FORMS
CONDITIONS = {
    "Conditions": [
        {
            "ConditionType": "ImportantFormKeyConfidenceCheck",
            "ConditionParameters": {
                "ImportantFormKey": "Mail address",
                "KeyValueBlockConfidenceLessThan": 90,
            },
        }
    ]
}


# Work teams


def test_a_work_team_is_created_with_its_members_and_member_groups(clock):
    member, group = UserFactory(), GroupFactory()

    team = create_work_team(
        name="Claims-Reviewers", description="Claims", members=[member], member_groups=[group]
    )

    team.refresh_from_db()
    assert (team.name, team.description, team.created_at) == (
        "Claims-Reviewers",
        "Claims",
        clock.now(),
    )
    assert list(team.members.all()) == [member]
    assert list(team.member_groups.all()) == [group]


@pytest.mark.parametrize(
    "name",
    ["reviewers_1", "-reviewers", "reviewers-", "review ers", "", "a" * 64],
    ids=["underscore", "leading-hyphen", "trailing-hyphen", "space", "empty", "64-chars"],
)
def test_a_work_team_name_outside_the_pattern_is_refused(name):
    with pytest.raises(Invalid) as refused:
        create_work_team(name=name, description="Reviewers")

    assert refused.value.field == "name"
    assert not WorkTeam.objects.exists()


@pytest.mark.parametrize("description", ["", "d" * 201], ids=["empty", "201-chars"])
def test_a_work_team_description_outside_1_to_200_characters_is_refused(description):
    with pytest.raises(Invalid) as refused:
        create_work_team(name="reviewers", description=description)

    assert refused.value.field == "description"
    assert not WorkTeam.objects.exists()


def test_a_taken_work_team_name_is_a_conflict():
    WorkTeamFactory(name="reviewers", description="First")

    with pytest.raises(Conflict) as refused:
        create_work_team(name="reviewers", description="Second")

    assert refused.value.field == "name"
    assert WorkTeam.objects.get().description == "First"


# Human task UIs


def test_a_human_task_ui_is_created(clock):
    task_ui = create_human_task_ui(name="claims-ui", content=SIMPLE_TEMPLATE)

    task_ui.refresh_from_db()
    assert (task_ui.name, task_ui.content, task_ui.created_at) == (
        "claims-ui",
        SIMPLE_TEMPLATE,
        clock.now(),
    )


def test_a_template_of_exactly_128000_characters_is_accepted():
    task_ui = create_human_task_ui(name="claims-ui", content="x" * 128_000)

    assert len(task_ui.content) == 128_000


@pytest.mark.parametrize(
    "name",
    ["Claims-UI", "claims_ui", "-claims", "", "a" * 64],
    ids=["uppercase", "underscore", "leading-hyphen", "empty", "64-chars"],
)
def test_a_human_task_ui_name_outside_the_pattern_is_refused(name):
    with pytest.raises(Invalid) as refused:
        create_human_task_ui(name=name, content=SIMPLE_TEMPLATE)

    assert refused.value.field == "name"
    assert not HumanTaskUi.objects.exists()


@pytest.mark.parametrize("content", ["", "x" * 128_001], ids=["empty", "128001-chars"])
def test_a_template_outside_1_to_128000_characters_is_refused(content):
    with pytest.raises(Invalid) as refused:
        create_human_task_ui(name="claims-ui", content=content)

    assert refused.value.field == "content"
    assert not HumanTaskUi.objects.exists()


def test_a_taken_human_task_ui_name_is_a_conflict():
    HumanTaskUiFactory(name="claims-ui")

    with pytest.raises(Conflict) as refused:
        create_human_task_ui(name="claims-ui", content="<p>another</p>")

    assert refused.value.field == "name"
    assert HumanTaskUi.objects.get().content == SIMPLE_TEMPLATE


# Flow definitions


@pytest.fixture
def create_flow():
    """create_flow_definition() with valid defaults; a test passes only what it is about."""
    team, task_ui = WorkTeamFactory(), HumanTaskUiFactory()

    def create(**fields):
        defaults = {
            "name": "claims-review",
            "work_team": team,
            "task_ui": task_ui,
            "task_title": "Review claim",
            "task_description": "Check the extracted fields against the document",
            "output_path": "s3://my-bucket/a2i-results",
        }
        return create_flow_definition(**{**defaults, **fields})

    return create


def assert_refused(create_flow, field, **fields):
    with pytest.raises(Invalid) as refused:
        create_flow(**fields)
    assert refused.value.field == field
    assert not FlowDefinition.objects.exists()


def test_a_flow_definition_is_created_active_with_the_reference_defaults(create_flow, clock):
    flow = create_flow()

    flow.refresh_from_db()
    assert flow.status == FlowDefinition.Status.ACTIVE
    assert flow.created_at == clock.now()
    assert (flow.task_count, flow.task_time_limit, flow.task_availability_lifetime) == (
        1,
        3_600,
        864_000,
    )
    assert flow.task_keywords == []
    assert flow.request_source == FlowDefinition.RequestSource.CUSTOM


def test_a_flow_definition_keeps_every_setting_it_is_given(create_flow):
    flow = create_flow(
        task_count=2,
        task_availability_lifetime=43_200,
        task_time_limit=1_800,
        task_keywords=["claims", "document review"],
        role_arn="arn:aws:iam::111122223333:role/A2IExecutionRole",
        kms_key_id="arn:aws:kms:us-east-1:111122223333:key/abc-123",
    )

    flow.refresh_from_db()
    assert (flow.task_count, flow.task_availability_lifetime, flow.task_time_limit) == (
        2,
        43_200,
        1_800,
    )
    assert flow.task_keywords == ["claims", "document review"]
    assert flow.role_arn == "arn:aws:iam::111122223333:role/A2IExecutionRole"


def test_a_built_in_flow_definition_keeps_its_activation_conditions(create_flow):
    flow = create_flow(request_source=TEXTRACT, activation_conditions=CONDITIONS)

    flow.refresh_from_db()
    assert flow.activation_conditions == CONDITIONS
    assert flow.is_built_in


@pytest.mark.parametrize(
    "name",
    ["Claims-Review", "claims_review", "-claims", "", "a" * 64],
    ids=["uppercase", "underscore", "leading-hyphen", "empty", "64-chars"],
)
def test_a_flow_definition_name_outside_the_pattern_is_refused(create_flow, name):
    assert_refused(create_flow, "name", name=name)


@pytest.mark.parametrize("task_count", [1, 3])
def test_a_task_count_of_1_to_3_is_accepted(create_flow, task_count):
    assert create_flow(task_count=task_count).task_count == task_count


@pytest.mark.parametrize("task_count", [0, 4])
def test_a_task_count_outside_1_to_3_is_refused(create_flow, task_count):
    assert_refused(create_flow, "task_count", task_count=task_count)


@pytest.mark.parametrize("seconds", [1, 864_000])
def test_an_availability_lifetime_of_1_to_864000_seconds_is_accepted(create_flow, seconds):
    assert create_flow(task_availability_lifetime=seconds).task_availability_lifetime == seconds


@pytest.mark.parametrize("seconds", [0, 864_001])
def test_an_availability_lifetime_outside_1_to_864000_seconds_is_refused(create_flow, seconds):
    assert_refused(create_flow, "task_availability_lifetime", task_availability_lifetime=seconds)


@pytest.mark.parametrize("seconds", [30, 28_800])
def test_a_time_limit_of_30_to_28800_seconds_is_accepted(create_flow, seconds):
    assert create_flow(task_time_limit=seconds).task_time_limit == seconds


@pytest.mark.parametrize("seconds", [29, 28_801])
def test_a_time_limit_outside_30_to_28800_seconds_is_refused(create_flow, seconds):
    assert_refused(create_flow, "task_time_limit", task_time_limit=seconds)


def test_five_keywords_of_30_characters_are_accepted(create_flow):
    keywords = [f"keyword {n} " + "k" * 20 for n in range(5)]  # 30 characters each

    assert create_flow(task_keywords=keywords).task_keywords == keywords


@pytest.mark.parametrize(
    "keywords",
    [
        ["one", "two", "three", "four", "five", "six"],
        ["k" * 31],
        ["claims_review"],
        ["claims  review"],
        [" claims"],
        ["claims", 7],
        "claims",
    ],
    ids=[
        "six-items",
        "31-chars",
        "underscore",
        "double-space",
        "leading-space",
        "not-a-string",
        "not-a-list",
    ],
)
def test_keywords_breaking_a_rule_are_refused(create_flow, keywords):
    assert_refused(create_flow, "task_keywords", task_keywords=keywords)


@pytest.mark.parametrize(
    "output_path",
    ["s3://my-bucket/prefix", "s3://my-bucket", "https://store.example.com/a2i"],
)
def test_an_s3_or_https_output_path_is_accepted(create_flow, output_path):
    assert create_flow(output_path=output_path).output_path == output_path


@pytest.mark.parametrize(
    "output_path",
    ["http://store.example.com/a2i", "file:///var/outputs", "my-bucket/prefix", "s3://", ""],
)
def test_an_output_path_that_is_not_an_s3_or_https_uri_is_refused(create_flow, output_path):
    assert_refused(create_flow, "output_path", output_path=output_path)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("task_title", ""),
        ("task_title", "t" * 129),
        ("task_title", "bell \x07"),
        ("task_description", ""),
        ("task_description", "d" * 256),
        ("role_arn", "not-a-role"),
        ("kms_key_id", "key with spaces"),
    ],
    ids=[
        "empty-title",
        "129-char-title",
        "title-not-xml-legal",
        "empty-description",
        "256-char-description",
        "bad-role-arn",
        "bad-kms-key",
    ],
)
def test_task_texts_and_arns_breaking_a_rule_are_refused(create_flow, field, value):
    assert_refused(create_flow, field, **{field: value})


def test_activation_conditions_on_a_custom_flow_definition_are_refused(create_flow):
    assert_refused(create_flow, "activation_conditions", activation_conditions=CONDITIONS)


@pytest.mark.parametrize(
    "conditions",
    [{"Condition": []}, {"Conditions": {}}, ["Conditions"]],
    ids=["wrong-key", "conditions-not-a-list", "not-an-object"],
)
def test_activation_conditions_of_the_wrong_shape_are_refused(create_flow, conditions):
    assert_refused(
        create_flow,
        "activation_conditions",
        request_source=TEXTRACT,
        activation_conditions=conditions,
    )


def test_activation_conditions_over_10240_characters_are_refused(create_flow):
    padding = {"ConditionType": "Sampling", "ConditionParameters": {"Note": "x" * 10_240}}

    assert_refused(
        create_flow,
        "activation_conditions",
        request_source=TEXTRACT,
        activation_conditions={"Conditions": [padding]},
    )


def test_an_unknown_request_source_is_refused(create_flow):
    assert_refused(create_flow, "request_source", request_source="AWS/Comprehend/V1")


def test_a_taken_flow_definition_name_is_a_conflict(create_flow):
    create_flow(task_title="First")

    with pytest.raises(Conflict) as refused:
        create_flow(task_title="Second")

    assert refused.value.field == "name"
    assert FlowDefinition.objects.get().task_title == "First"
