"""The SageMaker targets through boto3's `sagemaker` client (reference §3)."""

from __future__ import annotations

import hashlib
import json
import urllib.request
from datetime import UTC, datetime, timedelta
from urllib.error import HTTPError

import pytest
from botocore.exceptions import ClientError
from django.contrib.auth.models import Group

from a2i_portal import arns
from tests.aws.conftest import ROLE_ARN
from tests.factories import SIMPLE_TEMPLATE
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam

pytestmark = pytest.mark.django_db(transaction=True)

CONDITIONS = json.dumps(
    {
        "Conditions": [
            {
                "ConditionType": "ModerationLabelConfidenceCheck",
                "ConditionParameters": {"ModerationLabelName": "*", "ConfidenceLessThan": 60},
            }
        ]
    }
)


def error_of(call, **kwargs) -> dict:  # noqa: ANN001
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response


def test_a_created_flow_definition_is_described_with_epoch_times(sagemaker, flow_arn):
    described = sagemaker.describe_flow_definition(FlowDefinitionName="classify")

    assert described["FlowDefinitionArn"] == flow_arn == arns.flow_definition_arn("classify")
    assert described["FlowDefinitionStatus"] == "Active"
    assert described["HumanLoopConfig"]["WorkteamArn"] == arns.workteam_arn("reviewers")
    assert described["HumanLoopConfig"]["TaskTimeLimitInSeconds"] == 3600
    assert described["OutputConfig"] == {"S3OutputPath": "s3://test-bucket/outputs"}
    assert described["RoleArn"] == ROLE_ARN
    assert abs(described["CreationTime"] - datetime.now(UTC)) < timedelta(minutes=1)
    assert "HumanLoopActivationConfig" not in described
    assert described["ResponseMetadata"]["HTTPHeaders"]["content-type"] == (
        "application/x-amz-json-1.1"
    )
    assert described["ResponseMetadata"]["RequestId"]


def test_activation_conditions_travel_as_a_json_string_both_ways(sagemaker, flow_arn):
    config = sagemaker.describe_flow_definition(FlowDefinitionName="classify")["HumanLoopConfig"]
    sagemaker.create_flow_definition(
        FlowDefinitionName="moderation",
        HumanLoopRequestSource={
            "AwsManagedHumanLoopRequestSource": "AWS/Rekognition/DetectModerationLabels/Image/V3"
        },
        HumanLoopActivationConfig={
            "HumanLoopActivationConditionsConfig": {"HumanLoopActivationConditions": CONDITIONS}
        },
        HumanLoopConfig={**config, "TaskKeywords": ["images", "moderation"], "TaskCount": 2},
        OutputConfig={"S3OutputPath": "s3://bucket/moderation", "KmsKeyId": "key-1"},
        RoleArn=ROLE_ARN,
    )

    described = sagemaker.describe_flow_definition(FlowDefinitionName="moderation")

    conditions = described["HumanLoopActivationConfig"]["HumanLoopActivationConditionsConfig"][
        "HumanLoopActivationConditions"
    ]
    assert isinstance(conditions, str)
    assert json.loads(conditions) == json.loads(CONDITIONS)
    assert described["HumanLoopRequestSource"]["AwsManagedHumanLoopRequestSource"].startswith(
        "AWS/Rekognition"
    )
    assert described["HumanLoopConfig"]["TaskKeywords"] == ["images", "moderation"]
    assert described["OutputConfig"]["KmsKeyId"] == "key-1"


def test_list_flow_definitions_pages_newest_first(sagemaker, flow_arn):
    config = sagemaker.describe_flow_definition(FlowDefinitionName="classify")["HumanLoopConfig"]
    for name in ("second", "third"):
        sagemaker.create_flow_definition(
            FlowDefinitionName=name,
            HumanLoopConfig=config,
            OutputConfig={"S3OutputPath": "s3://bucket/x"},
            RoleArn=ROLE_ARN,
        )

    pages = list(
        sagemaker.get_paginator("list_flow_definitions").paginate(PaginationConfig={"PageSize": 2})
    )
    later = sagemaker.list_flow_definitions(CreationTimeAfter=datetime.now(UTC) + timedelta(1))

    names = [s["FlowDefinitionName"] for p in pages for s in p["FlowDefinitionSummaries"]]
    assert names == ["third", "second", "classify"]
    assert "NextToken" not in pages[-1]
    assert later["FlowDefinitionSummaries"] == []


def test_a_duplicate_name_is_resource_in_use(sagemaker, flow_arn):
    error = error_of(
        sagemaker.create_human_task_ui,
        HumanTaskUiName="classify-ui",
        UiTemplate={"Content": "<p>other</p>"},
    )

    assert error["Error"]["Code"] == "ResourceInUse"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert HumanTaskUi.objects.get(name="classify-ui").content == SIMPLE_TEMPLATE


def test_describing_a_missing_flow_definition_or_task_ui_is_resource_not_found(sagemaker):
    flow = error_of(sagemaker.describe_flow_definition, FlowDefinitionName="ghost")
    task_ui = error_of(sagemaker.describe_human_task_ui, HumanTaskUiName="ghost")

    assert flow["Error"]["Code"] == task_ui["Error"]["Code"] == "ResourceNotFound"
    assert flow["Error"]["Message"] == "Could not find flow definition ghost"


def test_a_flow_definition_naming_an_unknown_team_is_refused(sagemaker, flow_arn):
    config = sagemaker.describe_flow_definition(FlowDefinitionName="classify")["HumanLoopConfig"]

    error = error_of(
        sagemaker.create_flow_definition,
        FlowDefinitionName="orphan",
        HumanLoopConfig={**config, "WorkteamArn": arns.workteam_arn("nobody")},
        OutputConfig={"S3OutputPath": "s3://bucket/x"},
        RoleArn=ROLE_ARN,
    )

    assert error["Error"]["Code"] == "ValidationException"
    assert not FlowDefinition.objects.filter(name="orphan").exists()


def test_server_side_limits_are_validation_exceptions(sagemaker, flow_arn):
    config = sagemaker.describe_flow_definition(FlowDefinitionName="classify")["HumanLoopConfig"]

    error = error_of(
        sagemaker.create_flow_definition,
        FlowDefinitionName="Too_Many",
        HumanLoopConfig={**config, "TaskCount": 5},
        OutputConfig={"S3OutputPath": "ftp://bucket/x"},
        RoleArn=ROLE_ARN,
    )

    message = error["Error"]["Message"]
    assert message.startswith("3 validation errors detected: ")
    assert "at 'humanLoopConfig.taskCount'" in message
    assert "at 'outputConfig.s3OutputPath'" in message


def test_describe_human_task_ui_links_a_served_template_and_its_digest(sagemaker, flow_arn):
    described = sagemaker.describe_human_task_ui(HumanTaskUiName="classify-ui")

    template = described["UiTemplate"]
    with urllib.request.urlopen(template["Url"]) as response:  # noqa: S310
        body = response.read()
        content_type = response.headers["Content-Type"]
    assert body.decode() == SIMPLE_TEMPLATE
    assert content_type.startswith("text/html")
    assert template["ContentSha256"] == hashlib.sha256(SIMPLE_TEMPLATE.encode()).hexdigest()
    assert described["HumanTaskUiStatus"] == "Active"


def test_a_template_url_with_a_forged_signature_is_refused(sagemaker, flow_arn, live_server):
    url = f"{live_server.url}/sagemaker/human-task-uis/classify-ui/template?sig=forged"

    with pytest.raises(HTTPError) as caught:
        urllib.request.urlopen(url)  # noqa: S310

    assert caught.value.code == 403


def test_list_human_task_uis(sagemaker, flow_arn):
    listed = sagemaker.list_human_task_uis()["HumanTaskUiSummaries"]

    assert [(s["HumanTaskUiName"], s["HumanTaskUiArn"]) for s in listed] == [
        ("classify-ui", arns.human_task_ui_arn("classify-ui"))
    ]


def test_a_work_team_of_groups_creates_the_groups_and_describes_them(sagemaker):
    sagemaker.create_workteam(
        WorkteamName="Cognito-Team",
        MemberDefinitions=[
            {
                "CognitoMemberDefinition": {
                    "UserPool": "us-east-1_abc",
                    "UserGroup": group,
                    "ClientId": "client",
                }
            }
            for group in ("labelers", "checkers")
        ],
        Description="Two groups",
    )

    team = sagemaker.describe_workteam(WorkteamName="Cognito-Team")["Workteam"]

    assert team["WorkteamArn"] == arns.workteam_arn("Cognito-Team")
    assert team["MemberDefinitions"] == [
        {"OidcMemberDefinition": {"Groups": ["checkers", "labelers"]}}
    ]
    assert team["Description"] == "Two groups"
    assert team["SubDomain"] and "://" not in team["SubDomain"]
    assert isinstance(team["CreateDate"], datetime)
    assert set(Group.objects.values_list("name", flat=True)) >= {"labelers", "checkers"}


def test_a_refused_work_team_creates_no_group(sagemaker, flow_arn):
    error = error_of(
        sagemaker.create_workteam,
        WorkteamName="reviewers",
        MemberDefinitions=[{"OidcMemberDefinition": {"Groups": ["new-group"]}}],
        Description="Again",
    )

    assert error["Error"]["Code"] == "ResourceInUse"
    assert not Group.objects.filter(name="new-group").exists()


def test_a_missing_work_team_is_a_validation_exception(sagemaker):
    error = error_of(sagemaker.describe_workteam, WorkteamName="ghost")

    assert error["Error"]["Code"] == "ValidationException"
    assert error["Error"]["Message"].startswith("The work team ghost does not exist")


def test_list_workteams_sorts_filters_and_pages(sagemaker):
    for name in ("beta", "alpha", "gamma"):
        sagemaker.create_workteam(
            WorkteamName=name,
            MemberDefinitions=[{"OidcMemberDefinition": {"Groups": [name]}}],
            Description=name,
        )

    by_date = sagemaker.get_paginator("list_workteams").paginate(PaginationConfig={"PageSize": 2})
    by_name = sagemaker.list_workteams(SortBy="Name", SortOrder="Descending")
    filtered = sagemaker.list_workteams(NameContains="mm")

    assert [t["WorkteamName"] for p in by_date for t in p["Workteams"]] == [
        "beta",
        "alpha",
        "gamma",
    ]
    assert [t["WorkteamName"] for t in by_name["Workteams"]] == ["gamma", "beta", "alpha"]
    assert [t["WorkteamName"] for t in filtered["Workteams"]] == ["gamma"]
    assert WorkTeam.objects.count() == 3


def test_an_unknown_target_is_an_unknown_operation(sagemaker):
    def retarget(request, **_):  # noqa: ANN001, ANN202
        request.headers.replace_header("X-Amz-Target", "SageMaker.DeleteEverything")

    sagemaker.meta.events.register_first("before-sign.sagemaker.ListWorkteams", retarget)

    error = error_of(sagemaker.list_workteams)

    assert error["Error"]["Code"] == "UnknownOperationException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_flow_definition_without_a_human_loop_config_is_refused_once(sagemaker):
    error = error_of(
        sagemaker.create_flow_definition,
        FlowDefinitionName="no-config",
        OutputConfig={"S3OutputPath": "s3://bucket/x"},
        RoleArn=ROLE_ARN,
    )

    assert error["Error"]["Message"] == (
        "1 validation error detected: Value null at 'humanLoopConfig' failed to satisfy "
        "constraint: Member must not be null"
    )
