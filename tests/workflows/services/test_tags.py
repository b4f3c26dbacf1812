import pytest

from a2i_portal.errors import Invalid, NotFound
from tests.factories import (
    SIMPLE_TEMPLATE,
    FlowDefinitionFactory,
    HumanTaskUiFactory,
    WorkTeamFactory,
)
from workflows.models import FlowDefinition, HumanTaskUi, ResourceTag, WorkTeam
from workflows.services.deletion import delete_human_task_ui, delete_work_team
from workflows.services.flow_definitions import create_flow_definition
from workflows.services.tags import add_tags, delete_tags, list_tags
from workflows.services.task_uis import create_human_task_ui
from workflows.services.teams import create_work_team

pytestmark = pytest.mark.django_db

RESOURCE_FACTORIES = [WorkTeamFactory, HumanTaskUiFactory, FlowDefinitionFactory]
KINDS = ["work-team", "task-ui", "flow-definition"]


def tags_of(resource) -> dict[str, str]:  # noqa: ANN001
    return {tag.key: tag.value for tag in list_tags(resource=resource)}


@pytest.mark.parametrize("factory", RESOURCE_FACTORIES, ids=KINDS)
def test_every_kind_of_resource_is_tagged_and_lists_its_tags_by_key(factory):
    resource = factory()

    add_tags(resource=resource, tags={"team": "claims", "cost-center": "", "env": "prod"})

    assert [(tag.key, tag.value) for tag in list_tags(resource=resource)] == [
        ("cost-center", ""),
        ("env", "prod"),
        ("team", "claims"),
    ]


def test_adding_a_key_the_resource_has_overwrites_its_value_and_keeps_the_others():
    team = WorkTeamFactory()
    add_tags(resource=team, tags={"env": "test", "owner": "ana"})

    added = add_tags(resource=team, tags={"env": "prod"})

    assert [(tag.key, tag.value) for tag in added] == [("env", "prod")]
    assert tags_of(team) == {"env": "prod", "owner": "ana"}


def test_tags_belong_to_their_resource_only():
    first, second = WorkTeamFactory(), WorkTeamFactory()

    add_tags(resource=first, tags={"env": "prod"})
    add_tags(resource=second, tags={"env": "test"})

    assert tags_of(first) == {"env": "prod"}
    assert tags_of(second) == {"env": "test"}


def test_letters_numbers_spaces_and_the_allowed_symbols_of_any_script_are_accepted():
    task_ui = HumanTaskUiFactory()
    tags = {"Équipe 名前 ٣ _.:/=+-@": "valeur\u00a0été 2024", "k" * 128: "v" * 256}

    add_tags(resource=task_ui, tags=tags)

    assert tags_of(task_ui) == tags


def test_deleting_tags_removes_only_the_named_keys_and_ignores_unknown_ones():
    flow = FlowDefinitionFactory()
    add_tags(resource=flow, tags={"env": "prod", "owner": "ana", "team": "claims"})

    removed = delete_tags(resource=flow, keys=["env", "team", "never-there"])

    assert removed == 2
    assert tags_of(flow) == {"owner": "ana"}


@pytest.mark.parametrize(
    ("key", "rule"),
    [
        ("", "between 1 and 128"),
        ("k" * 129, "between 1 and 128"),
        ("bad!", "regular expression pattern"),
        ("tab\tkey", "regular expression pattern"),
        ("aws:owner", "reserved"),
        ("AWS:owner", "reserved"),
    ],
    ids=["empty", "129-chars", "exclamation", "tab", "aws-prefix", "aws-prefix-uppercase"],
)
def test_a_key_breaking_a_rule_is_refused_and_no_tag_is_written(key, rule):
    team = WorkTeamFactory()
    add_tags(resource=team, tags={"env": "test"})

    with pytest.raises(Invalid, match=rule) as refused:
        add_tags(resource=team, tags={"env": "prod", key: "x"})

    assert refused.value.field == "tags"
    assert tags_of(team) == {"env": "test"}


@pytest.mark.parametrize(
    ("value", "rule"),
    [("v" * 257, "at most 256"), ("semi;colon", "regular expression pattern")],
    ids=["257-chars", "semicolon"],
)
def test_a_value_breaking_a_rule_is_refused_and_no_tag_is_written(value, rule):
    team = WorkTeamFactory()

    with pytest.raises(Invalid, match=rule) as refused:
        add_tags(resource=team, tags={"env": value})

    assert refused.value.field == "tags"
    assert not ResourceTag.objects.exists()


def test_a_resource_may_hold_50_tags_and_overwrite_them():
    team = WorkTeamFactory()
    add_tags(resource=team, tags={f"key-{n}": "a" for n in range(50)})

    add_tags(resource=team, tags={f"key-{n}": "b" for n in range(50)})

    assert set(tags_of(team).values()) == {"b"}


def test_a_51st_tag_is_refused_and_no_tag_is_written():
    team = WorkTeamFactory()
    add_tags(resource=team, tags={f"key-{n}": "a" for n in range(49)})

    with pytest.raises(Invalid, match="at most 50") as refused:
        add_tags(resource=team, tags={"key-0": "changed", "new-1": "x", "new-2": "y"})

    assert refused.value.field == "tags"
    assert len(tags_of(team)) == 49
    assert tags_of(team)["key-0"] == "a"


def test_tagging_a_deleted_resource_is_not_found():
    task_ui = HumanTaskUiFactory(name="gone")
    HumanTaskUi.objects.filter(pk=task_ui.pk).delete()

    with pytest.raises(NotFound, match="gone"):
        add_tags(resource=task_ui, tags={"env": "prod"})

    assert not ResourceTag.objects.exists()


# Tags given on create


def test_resources_are_created_with_their_tags():
    team = create_work_team(name="reviewers", description="d", tags={"env": "prod"})
    task_ui = create_human_task_ui(name="ui", content=SIMPLE_TEMPLATE, tags={"env": "test"})
    flow = create_flow_definition(
        name="flow",
        work_team=team,
        task_ui=task_ui,
        task_title="t",
        task_description="d",
        output_path="s3://bucket/out",
        tags={"owner": "ana"},
    )

    assert (tags_of(team), tags_of(task_ui), tags_of(flow)) == (
        {"env": "prod"},
        {"env": "test"},
        {"owner": "ana"},
    )


BAD_TAGS = {"aws:reserved": "x"}


def test_a_work_team_with_bad_tags_is_not_created():
    with pytest.raises(Invalid) as refused:
        create_work_team(name="reviewers", description="d", tags=BAD_TAGS)

    assert refused.value.field == "tags"
    assert not WorkTeam.objects.exists()
    assert not ResourceTag.objects.exists()


def test_a_task_ui_with_bad_tags_is_not_created():
    with pytest.raises(Invalid) as refused:
        create_human_task_ui(name="ui", content=SIMPLE_TEMPLATE, tags=BAD_TAGS)

    assert refused.value.field == "tags"
    assert not HumanTaskUi.objects.exists()
    assert not ResourceTag.objects.exists()


def test_a_flow_definition_with_bad_tags_is_not_created():
    team, task_ui = WorkTeamFactory(), HumanTaskUiFactory()

    with pytest.raises(Invalid) as refused:
        create_flow_definition(
            name="flow",
            work_team=team,
            task_ui=task_ui,
            task_title="t",
            task_description="d",
            output_path="s3://bucket/out",
            tags=BAD_TAGS,
        )

    assert refused.value.field == "tags"
    assert not FlowDefinition.objects.exists()
    assert not ResourceTag.objects.exists()


# Deletion


def test_deleting_a_work_team_deletes_its_tags_and_a_new_team_of_its_name_has_none():
    team = create_work_team(name="reviewers", description="d", tags={"env": "prod"})

    delete_work_team(team=team)
    again = create_work_team(name="reviewers", description="d")

    assert not ResourceTag.objects.exists()
    assert tags_of(again) == {}


def test_deleting_a_task_ui_deletes_its_tags():
    task_ui = create_human_task_ui(name="ui", content=SIMPLE_TEMPLATE, tags={"env": "prod"})

    delete_human_task_ui(task_ui=task_ui)

    assert not ResourceTag.objects.exists()


def test_removing_a_flow_definition_deletes_its_tags_and_keeps_its_teams():
    flow = FlowDefinitionFactory()
    add_tags(resource=flow, tags={"env": "prod"})
    add_tags(resource=flow.work_team, tags={"env": "prod"})

    flow.delete()

    assert list(ResourceTag.objects.values_list("work_team", flat=True)) == [flow.work_team_id]
