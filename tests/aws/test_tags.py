"""AddTags, ListTags, DeleteTags and the Tags of the Create targets through boto3 (§3.9)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from a2i_portal import arns
from tests.aws.conftest import ROLE_ARN
from tests.factories import SIMPLE_TEMPLATE
from workflows.models import FlowDefinition, HumanTaskUi, ResourceTag, WorkTeam

pytestmark = pytest.mark.django_db(transaction=True)

# What the flow_arn fixture makes.
ARNS = {
    "work-team": arns.workteam_arn("reviewers"),
    "task-ui": arns.human_task_ui_arn("classify-ui"),
    "flow-definition": arns.flow_definition_arn("classify"),
}


def error_of(call, **kwargs) -> dict:  # noqa: ANN001
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]


def tags(**pairs: str) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in pairs.items()]


def listed(sagemaker, arn: str) -> dict[str, str]:  # noqa: ANN001
    return {tag["Key"]: tag["Value"] for tag in sagemaker.list_tags(ResourceArn=arn)["Tags"]}


@pytest.mark.parametrize("kind", ARNS)
def test_each_resource_is_tagged_listed_and_untagged(sagemaker, flow_arn, kind):
    arn = ARNS[kind]

    added = sagemaker.add_tags(ResourceArn=arn, Tags=tags(env="prod", owner="ana"))
    after_adding = sagemaker.list_tags(ResourceArn=arn)
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["env"])

    assert added["Tags"] == tags(env="prod", owner="ana")
    assert after_adding["Tags"] == tags(env="prod", owner="ana")
    assert "NextToken" not in after_adding
    assert listed(sagemaker, arn) == {"owner": "ana"}
    assert ResourceTag.objects.count() == 1


def test_adding_a_key_again_overwrites_its_value(sagemaker, flow_arn):
    sagemaker.add_tags(ResourceArn=flow_arn, Tags=tags(env="test", owner="ana"))

    sagemaker.add_tags(ResourceArn=flow_arn, Tags=tags(env="prod"))

    assert listed(sagemaker, flow_arn) == {"env": "prod", "owner": "ana"}


def test_an_arn_of_another_region_and_account_names_the_same_resource(sagemaker, flow_arn):
    foreign = "arn:aws:sagemaker:eu-west-1:999999999999:flow-definition/classify"

    sagemaker.add_tags(ResourceArn=foreign, Tags=tags(env="prod"))

    assert listed(sagemaker, flow_arn) == {"env": "prod"}


def test_fifty_tags_come_in_one_page(sagemaker, flow_arn):
    sagemaker.add_tags(
        ResourceArn=flow_arn, Tags=[{"Key": f"key-{n:02}", "Value": ""} for n in range(50)]
    )

    page = sagemaker.list_tags(ResourceArn=flow_arn, MaxResults=50)

    assert [tag["Key"] for tag in page["Tags"]] == [f"key-{n:02}" for n in range(50)]
    assert "NextToken" not in page


def test_deleting_keys_the_resource_does_not_have_succeeds(sagemaker, flow_arn):
    sagemaker.add_tags(ResourceArn=flow_arn, Tags=tags(env="prod"))

    sagemaker.delete_tags(ResourceArn=flow_arn, TagKeys=["never-there"])

    assert listed(sagemaker, flow_arn) == {"env": "prod"}


@pytest.mark.parametrize(
    "arn",
    [
        arns.flow_definition_arn("ghost"),
        arns.workteam_arn("ghost"),
        arns.human_task_ui_arn("ghost"),
        arns.human_loop_arn("classify"),
        "arn:aws:sagemaker:us-east-1:111122223333:endpoint/classify",
    ],
    ids=["flow-definition", "work-team", "task-ui", "human-loop", "endpoint"],
)
def test_an_arn_naming_no_taggable_resource_is_resource_not_found(sagemaker, flow_arn, arn):
    for call, kwargs in [
        (sagemaker.add_tags, {"Tags": tags(env="prod")}),
        (sagemaker.list_tags, {}),
        (sagemaker.delete_tags, {"TagKeys": ["env"]}),
    ]:
        error = error_of(call, ResourceArn=arn, **kwargs)

        assert error["Code"] == "ResourceNotFound"
        assert arn in error["Message"]
    assert not ResourceTag.objects.exists()


def test_a_malformed_arn_is_refused_naming_the_member(sagemaker):
    error = error_of(sagemaker.list_tags, ResourceArn="arn:aws:s3:::bucket")

    assert error["Code"] == "ValidationException"
    assert "at 'resourceArn' failed to satisfy constraint" in error["Message"]


@pytest.mark.parametrize(
    ("tag", "member", "rule"),
    [
        ({"Key": "bad!", "Value": ""}, "tags.2.member.key", "regular expression pattern"),
        ({"Key": "k" * 129, "Value": ""}, "tags.2.member.key", "less than or equal to 128"),
        ({"Key": "aws:owner", "Value": ""}, "tags.2.member.key", "reserved for AWS"),
        ({"Key": "env", "Value": "again"}, "tags.2.member.key", "must be unique"),
        ({"Key": "ok", "Value": "semi;colon"}, "tags.2.member.value", "regular expression"),
        ({"Key": "ok", "Value": "v" * 257}, "tags.2.member.value", "less than or equal to 256"),
    ],
    ids=["key-pattern", "key-length", "key-prefix", "key-twice", "value-pattern", "value-length"],
)
def test_a_bad_tag_is_a_validation_exception_naming_the_member_and_adds_nothing(
    sagemaker, flow_arn, tag, member, rule
):
    error = error_of(
        sagemaker.add_tags, ResourceArn=flow_arn, Tags=[{"Key": "env", "Value": "prod"}, tag]
    )

    assert error["Code"] == "ValidationException"
    assert f"at '{member}' failed to satisfy constraint" in error["Message"]
    assert rule in error["Message"]
    assert not ResourceTag.objects.exists()


def test_more_than_50_tags_in_one_request_are_refused(sagemaker, flow_arn):
    error = error_of(
        sagemaker.add_tags,
        ResourceArn=flow_arn,
        Tags=[{"Key": f"key-{n}", "Value": ""} for n in range(51)],
    )

    assert error["Code"] == "ValidationException"
    assert "at 'tags' failed to satisfy constraint" in error["Message"]
    assert not ResourceTag.objects.exists()


def test_a_51st_tag_of_a_resource_is_refused_and_adds_nothing(sagemaker, flow_arn):
    sagemaker.add_tags(
        ResourceArn=flow_arn, Tags=[{"Key": f"key-{n}", "Value": ""} for n in range(50)]
    )

    error = error_of(sagemaker.add_tags, ResourceArn=flow_arn, Tags=tags(one="more"))

    assert error["Code"] == "ValidationException"
    assert "at most 50" in error["Message"]
    assert ResourceTag.objects.count() == 50


def test_a_bad_key_to_delete_is_refused_naming_the_member(sagemaker, flow_arn):
    sagemaker.add_tags(ResourceArn=flow_arn, Tags=tags(env="prod"))

    error = error_of(sagemaker.delete_tags, ResourceArn=flow_arn, TagKeys=["env", "bad!"])

    assert error["Code"] == "ValidationException"
    assert "at 'tagKeys' failed to satisfy constraint" in error["Message"]
    assert listed(sagemaker, flow_arn) == {"env": "prod"}


# Tags on create


def create_all(sagemaker, tags_given: list[dict[str, str]]) -> None:  # noqa: ANN001
    team_arn = sagemaker.create_workteam(
        WorkteamName="tagged",
        MemberDefinitions=[{"OidcMemberDefinition": {"Groups": ["reviewers"]}}],
        Description="Tagged team",
        Tags=tags_given,
    )["WorkteamArn"]
    ui_arn = sagemaker.create_human_task_ui(
        HumanTaskUiName="tagged-ui", UiTemplate={"Content": SIMPLE_TEMPLATE}, Tags=tags_given
    )["HumanTaskUiArn"]
    sagemaker.create_flow_definition(
        FlowDefinitionName="tagged-flow",
        HumanLoopConfig={
            "WorkteamArn": team_arn,
            "HumanTaskUiArn": ui_arn,
            "TaskTitle": "Classify the text",
            "TaskDescription": "Pick the category that fits",
            "TaskCount": 1,
        },
        OutputConfig={"S3OutputPath": "s3://test-bucket/outputs"},
        RoleArn=ROLE_ARN,
        Tags=tags_given,
    )


def test_each_create_target_stores_its_tags(sagemaker):
    create_all(sagemaker, tags(env="prod"))

    for arn in (
        arns.workteam_arn("tagged"),
        arns.human_task_ui_arn("tagged-ui"),
        arns.flow_definition_arn("tagged-flow"),
    ):
        assert listed(sagemaker, arn) == {"env": "prod"}


def test_a_work_team_with_a_bad_tag_is_not_created(sagemaker):
    error = error_of(
        sagemaker.create_workteam,
        WorkteamName="tagged",
        MemberDefinitions=[{"OidcMemberDefinition": {"Groups": ["new-group"]}}],
        Description="Tagged team",
        Tags=tags(**{"aws:owner": "x"}),
    )

    assert error["Code"] == "ValidationException"
    assert "'tags.1.member.key'" in error["Message"]
    assert not WorkTeam.objects.exists()
    assert not ResourceTag.objects.exists()


def test_a_task_ui_with_a_bad_tag_is_not_created(sagemaker):
    error = error_of(
        sagemaker.create_human_task_ui,
        HumanTaskUiName="tagged-ui",
        UiTemplate={"Content": SIMPLE_TEMPLATE},
        Tags=tags(**{"bad!": "x"}),
    )

    assert error["Code"] == "ValidationException"
    assert "'tags.1.member.key'" in error["Message"]
    assert not HumanTaskUi.objects.exists()


def test_a_flow_definition_with_a_bad_tag_is_not_created(sagemaker, flow_arn):
    error = error_of(
        sagemaker.create_flow_definition,
        FlowDefinitionName="tagged-flow",
        HumanLoopConfig={
            "WorkteamArn": ARNS["work-team"],
            "HumanTaskUiArn": ARNS["task-ui"],
            "TaskTitle": "Classify the text",
            "TaskDescription": "Pick the category that fits",
            "TaskCount": 1,
        },
        OutputConfig={"S3OutputPath": "s3://test-bucket/outputs"},
        RoleArn=ROLE_ARN,
        Tags=tags(ok="semi;colon"),
    )

    assert error["Code"] == "ValidationException"
    assert "'tags.1.member.value'" in error["Message"]
    assert not FlowDefinition.objects.filter(name="tagged-flow").exists()
    assert not ResourceTag.objects.exists()


# Deletion


def test_a_deleted_work_teams_tags_go_and_a_new_team_of_its_name_has_none(sagemaker):
    members = [{"OidcMemberDefinition": {"Groups": ["reviewers"]}}]
    sagemaker.create_workteam(
        WorkteamName="tagged", MemberDefinitions=members, Description="d", Tags=tags(env="prod")
    )

    sagemaker.delete_workteam(WorkteamName="tagged")
    sagemaker.create_workteam(WorkteamName="tagged", MemberDefinitions=members, Description="d")

    assert listed(sagemaker, arns.workteam_arn("tagged")) == {}
    assert not ResourceTag.objects.exists()


def test_a_deleted_task_uis_tags_go(sagemaker):
    sagemaker.create_human_task_ui(
        HumanTaskUiName="tagged-ui", UiTemplate={"Content": SIMPLE_TEMPLATE}, Tags=tags(env="x")
    )

    sagemaker.delete_human_task_ui(HumanTaskUiName="tagged-ui")

    assert not ResourceTag.objects.exists()
    error = error_of(sagemaker.list_tags, ResourceArn=arns.human_task_ui_arn("tagged-ui"))
    assert error["Code"] == "ResourceNotFound"
