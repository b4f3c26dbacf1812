"""SageMaker flow definition targets: Create, Describe, List, Delete (reference §3.3, §3.4)."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from a2i_portal import arns
from a2i_portal.aws import errors
from a2i_portal.aws.paging import time_page, with_token
from a2i_portal.aws.protocol import json_body
from a2i_portal.aws.shapes import (
    HUMAN_TASK_UI_ARN,
    LOWERCASE_NAME,
    ROLE_ARN,
    WORKTEAM_ARN,
    Checks,
    epoch,
    read_name,
)
from a2i_portal.aws.tags import read_tags
from a2i_portal.errors import NotFound
from workflows import limits
from workflows.models import FlowDefinition, HumanTaskUi, RequestSource, WorkTeam
from workflows.services.flow_definitions import create_flow_definition, delete_flow_definition


def create_flow_definition_target(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    checks = Checks()
    name = checks.string(
        body.get("FlowDefinitionName"), "flowDefinitionName", required=True, **LOWERCASE_NAME
    )
    source = checks.structure(body.get("HumanLoopRequestSource"), "humanLoopRequestSource")
    request_source = checks.string(
        source.get("AwsManagedHumanLoopRequestSource"),
        "humanLoopRequestSource.awsManagedHumanLoopRequestSource",
        required=bool(source),
        enum=[value for value in RequestSource.values if value],
    )
    activation = checks.structure(
        body.get("HumanLoopActivationConfig"), "humanLoopActivationConfig"
    )
    conditions_config = checks.structure(
        activation.get("HumanLoopActivationConditionsConfig"),
        "humanLoopActivationConfig.humanLoopActivationConditionsConfig",
        required=bool(activation),
    )
    conditions_text = checks.string(
        conditions_config.get("HumanLoopActivationConditions"),
        "humanLoopActivationConfig.humanLoopActivationConditionsConfig"
        ".humanLoopActivationConditions",
        required=bool(conditions_config),
        max_length=limits.ACTIVATION_CONDITIONS_MAX_LENGTH,
    )
    config = checks.structure(body.get("HumanLoopConfig"), "humanLoopConfig", required=True)
    in_config = isinstance(body.get("HumanLoopConfig"), dict)  # its members are required in it
    team_arn = checks.string(
        config.get("WorkteamArn"), "humanLoopConfig.workteamArn", required=in_config, **WORKTEAM_ARN
    )
    ui_arn = checks.string(
        config.get("HumanTaskUiArn"),
        "humanLoopConfig.humanTaskUiArn",
        required=in_config,
        **HUMAN_TASK_UI_ARN,
    )
    title = checks.string(
        config.get("TaskTitle"),
        "humanLoopConfig.taskTitle",
        required=in_config,
        min_length=1,
        max_length=limits.TASK_TITLE_MAX_LENGTH,
        pattern=limits.TASK_TITLE_PATTERN,
        shown_pattern=r"[\t\n\r -\uD7FF\uE000-\uFFFD]*",
    )
    description = checks.string(
        config.get("TaskDescription"),
        "humanLoopConfig.taskDescription",
        required=in_config,
        min_length=1,
        max_length=limits.TASK_DESCRIPTION_MAX_LENGTH,
        pattern=".+",
    )
    count = checks.integer(
        config.get("TaskCount"),
        "humanLoopConfig.taskCount",
        required=in_config,
        minimum=limits.TASK_COUNT_MIN,
        maximum=limits.TASK_COUNT_MAX,
    )
    lifetime = checks.integer(
        config.get("TaskAvailabilityLifetimeInSeconds"),
        "humanLoopConfig.taskAvailabilityLifetimeInSeconds",
        minimum=limits.TASK_AVAILABILITY_MIN,
        maximum=limits.TASK_AVAILABILITY_MAX,
    )
    time_limit = checks.integer(
        config.get("TaskTimeLimitInSeconds"),
        "humanLoopConfig.taskTimeLimitInSeconds",
        minimum=limits.TASK_TIME_LIMIT_MIN,
        maximum=limits.TASK_TIME_LIMIT_MAX,
    )
    keywords = checks.string_list(
        config.get("TaskKeywords"),
        "humanLoopConfig.taskKeywords",
        min_items=1,
        max_items=limits.TASK_KEYWORDS_MAX,
        min_length=1,
        max_length=limits.TASK_KEYWORD_MAX_LENGTH,
        pattern=limits.TASK_KEYWORD_PATTERN,
    )
    output = checks.structure(body.get("OutputConfig"), "outputConfig", required=True)
    output_path = checks.string(
        output.get("S3OutputPath"),
        "outputConfig.s3OutputPath",
        required="OutputConfig" in body,
        max_length=limits.S3_URI_MAX_LENGTH,
        pattern=limits.S3_URI_PATTERN,
    )
    kms_key_id = checks.string(
        output.get("KmsKeyId"),
        "outputConfig.kmsKeyId",
        max_length=2048,
        pattern=limits.KMS_KEY_PATTERN,
    )
    role_arn = checks.string(body.get("RoleArn"), "roleArn", required=True, **ROLE_ARN)
    tags = read_tags(body.get("Tags"), checks)
    checks.done()

    conditions = None
    if conditions_text is not None:
        try:
            conditions = json.loads(conditions_text)
        except ValueError as exc:
            raise errors.validation(
                f"HumanLoopActivationConditions is not valid JSON: {exc}"
            ) from exc
    team = named(WorkTeam, team_arn, "workteam", "work team")
    task_ui = named(HumanTaskUi, ui_arn, "human-task-ui", "human task UI")
    optional = {
        "task_availability_lifetime": lifetime,
        "task_time_limit": time_limit,
    }
    flow = create_flow_definition(
        name=name,
        work_team=team,
        task_ui=task_ui,
        task_title=title,
        task_description=description,
        output_path=output_path,
        task_count=count,
        task_keywords=keywords,
        request_source=request_source or RequestSource.CUSTOM,
        activation_conditions=conditions,
        role_arn=role_arn,
        kms_key_id=kms_key_id or "",
        tags=tags,
        **{key: value for key, value in optional.items() if value is not None},
    )
    return {"FlowDefinitionArn": flow.arn}


def named(model: type[Model], arn: str, resource: str, kind: str) -> Any:
    """The object an ARN names; ValidationException when there is none."""
    name = arns.name_from_arn(arn, resource)
    found = model._default_manager.filter(name=name).first() if name else None
    if found is None:
        raise errors.validation(f"The {kind} {arn} does not exist.")
    return found


def describe_flow_definition(request: HttpRequest) -> dict[str, Any]:
    name = read_name(json_body(request), "FlowDefinitionName", LOWERCASE_NAME)
    flow = FlowDefinition.objects.select_related("work_team", "task_ui").filter(name=name).first()
    if flow is None:
        raise NotFound("flow_definition", f"Could not find flow definition {name}")
    config: dict[str, Any] = {
        "WorkteamArn": flow.work_team.arn,
        "HumanTaskUiArn": flow.task_ui.arn,
        "TaskTitle": flow.task_title,
        "TaskDescription": flow.task_description,
        "TaskCount": flow.task_count,
        "TaskAvailabilityLifetimeInSeconds": flow.task_availability_lifetime,
        "TaskTimeLimitInSeconds": flow.task_time_limit,
    }
    if flow.task_keywords:
        config["TaskKeywords"] = flow.task_keywords
    output: dict[str, Any] = {"S3OutputPath": flow.output_path}
    if flow.kms_key_id:
        output["KmsKeyId"] = flow.kms_key_id
    described: dict[str, Any] = {
        "FlowDefinitionArn": flow.arn,
        "FlowDefinitionName": flow.name,
        "FlowDefinitionStatus": flow.status,
        "CreationTime": epoch(flow.created_at),
        "HumanLoopConfig": config,
        "OutputConfig": output,
        "RoleArn": flow.role_arn,
    }
    if flow.is_built_in:
        described["HumanLoopRequestSource"] = {
            "AwsManagedHumanLoopRequestSource": flow.request_source
        }
    if flow.activation_conditions is not None:
        # A string holding JSON, in this direction too (reference §3.3).
        described["HumanLoopActivationConfig"] = {
            "HumanLoopActivationConditionsConfig": {
                "HumanLoopActivationConditions": json.dumps(flow.activation_conditions)
            }
        }
    if flow.status == FlowDefinition.Status.FAILED:
        described["FailureReason"] = flow.failure_reason
    return described


def list_flow_definitions(request: HttpRequest) -> dict[str, Any]:
    flows, token = time_page(request, FlowDefinition.objects.all(), "ListFlowDefinitions")
    listed: dict[str, Any] = {
        "FlowDefinitionSummaries": [
            {
                "FlowDefinitionName": flow.name,
                "FlowDefinitionArn": flow.arn,
                "FlowDefinitionStatus": flow.status,
                "CreationTime": epoch(flow.created_at),
                **({"FailureReason": flow.failure_reason} if flow.failure_reason else {}),
            }
            for flow in flows
        ]
    }
    return with_token(listed, token)


def delete_flow_definition_target(request: HttpRequest) -> dict[str, Any]:
    """Active -> Deleting; the flow definition disappears once its loops are retired (§7.7)."""
    name = read_name(json_body(request), "FlowDefinitionName", LOWERCASE_NAME)
    flow = FlowDefinition.objects.filter(name=name).first()
    if flow is None:
        raise NotFound("flow_definition", f"Could not find flow definition {name}")
    delete_flow_definition(flow=flow)
    return {}
