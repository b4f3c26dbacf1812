"""DeleteFlowDefinition through boto3's `sagemaker` client, and what the runtime says after it
(reference §3.4, §7.7)."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from django.contrib.auth.models import Group

from reviews.models import HumanLoop
from reviews.services.retirement import retire_deleting_flow_definitions
from reviews.services.slots import claim_next_slot, submit_answer
from tests.aws.conftest import ROLE_ARN
from tests.factories import UserFactory
from workflows.models import FlowDefinition

pytestmark = pytest.mark.django_db(transaction=True)

INPUT = json.dumps({"text": "a cat on a mat"})


def error_of(call, **kwargs) -> dict:  # noqa: ANN001
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response


def start(runtime, flow_arn, name="loop-1"):  # noqa: ANN001, ANN201
    return runtime.start_human_loop(
        HumanLoopName=name, FlowDefinitionArn=flow_arn, HumanLoopInput={"InputContent": INPUT}
    )


@pytest.fixture
def worked_on(runtime, flow_arn):  # noqa: ANN001, ANN201
    """A loop of the flow definition whose task a reviewer holds: (reviewer, slot)."""
    start(runtime, flow_arn)
    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get(name="reviewers"))
    return reviewer, claim_next_slot(reviewer=reviewer)


def test_a_flow_definition_without_loops_is_gone_after_deletion(sagemaker, runtime, flow_arn):
    deleted = sagemaker.delete_flow_definition(FlowDefinitionName="classify")

    assert set(deleted) == {"ResponseMetadata"}
    described = error_of(sagemaker.describe_flow_definition, FlowDefinitionName="classify")
    assert described["Error"]["Code"] == "ResourceNotFound"
    assert described["ResponseMetadata"]["HTTPStatusCode"] == 400
    again = error_of(sagemaker.delete_flow_definition, FlowDefinitionName="classify")
    assert again["Error"]["Code"] == "ResourceNotFound"
    listed = sagemaker.list_flow_definitions()["FlowDefinitionSummaries"]
    assert "classify" not in [summary["FlowDefinitionName"] for summary in listed]
    loops = error_of(runtime.list_human_loops, FlowDefinitionArn=flow_arn)
    assert loops["Error"]["Code"] == "ResourceNotFoundException"
    assert loops["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_a_deleted_flow_definitions_name_can_be_used_again(sagemaker, flow_arn):
    config = sagemaker.describe_flow_definition(FlowDefinitionName="classify")["HumanLoopConfig"]
    sagemaker.delete_flow_definition(FlowDefinitionName="classify")

    created = sagemaker.create_flow_definition(
        FlowDefinitionName="classify",
        HumanLoopConfig=config,
        OutputConfig={"S3OutputPath": "s3://test-bucket/again"},
        RoleArn=ROLE_ARN,
    )

    assert created["FlowDefinitionArn"] == flow_arn
    described = sagemaker.describe_flow_definition(FlowDefinitionName="classify")
    assert described["FlowDefinitionStatus"] == "Active"
    assert described["OutputConfig"]["S3OutputPath"] == "s3://test-bucket/again"


def test_a_loop_nobody_started_is_stopped_and_deleted_with_its_flow_definition(
    sagemaker, runtime, flow_arn
):
    start(runtime, flow_arn)

    sagemaker.delete_flow_definition(FlowDefinitionName="classify")

    error = error_of(runtime.describe_human_loop, HumanLoopName="loop-1")
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert not FlowDefinition.objects.filter(name="classify").exists()


def test_while_a_task_is_worked_on_the_flow_definition_shows_deleting(
    sagemaker, runtime, flow_arn, worked_on
):
    sagemaker.delete_flow_definition(FlowDefinitionName="classify")

    described = sagemaker.describe_flow_definition(FlowDefinitionName="classify")
    listed = sagemaker.list_flow_definitions()["FlowDefinitionSummaries"]
    assert described["FlowDefinitionStatus"] == "Deleting"
    assert [(s["FlowDefinitionName"], s["FlowDefinitionStatus"]) for s in listed] == [
        ("classify", "Deleting")
    ]
    loops = runtime.list_human_loops(FlowDefinitionArn=flow_arn)["HumanLoopSummaries"]
    assert [(s["HumanLoopName"], s["HumanLoopStatus"]) for s in loops] == [("loop-1", "InProgress")]


def test_deleting_a_deleting_flow_definition_is_resource_in_use(sagemaker, flow_arn, worked_on):
    sagemaker.delete_flow_definition(FlowDefinitionName="classify")

    error = error_of(sagemaker.delete_flow_definition, FlowDefinitionName="classify")

    assert error["Error"]["Code"] == "ResourceInUse"
    assert "only an Active flow definition can be deleted" in error["Error"]["Message"]
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_deleting_flow_definition_starts_no_loop(sagemaker, runtime, flow_arn, worked_on):
    sagemaker.delete_flow_definition(FlowDefinitionName="classify")

    error = error_of(start, runtime=runtime, flow_arn=flow_arn, name="loop-2")

    assert error["Error"]["Code"] == "ValidationException"
    assert "classify' is Deleting" in error["Error"]["Message"]
    assert not HumanLoop.objects.filter(name="loop-2").exists()


def test_once_the_last_task_is_answered_the_next_sweep_removes_it(
    sagemaker, runtime, flow_arn, worked_on, outputs_dir
):
    reviewer, slot = worked_on
    sagemaker.delete_flow_definition(FlowDefinitionName="classify")
    submit_answer(slot=slot, reviewer=reviewer, answer={"category": {"label": "cat"}})
    output = runtime.describe_human_loop(HumanLoopName="loop-1")["HumanLoopOutput"]

    retire_deleting_flow_definitions()

    error = error_of(sagemaker.describe_flow_definition, FlowDefinitionName="classify")
    assert error["Error"]["Code"] == "ResourceNotFound"
    assert (outputs_dir / output["OutputS3Uri"].split("://", 1)[1]).exists()


def test_deleting_an_unknown_flow_definition_is_resource_not_found(sagemaker):
    error = error_of(sagemaker.delete_flow_definition, FlowDefinitionName="nothing-here")

    assert error["Error"]["Code"] == "ResourceNotFound"
    assert "nothing-here" in error["Error"]["Message"]


def test_a_bad_name_is_a_validation_exception(sagemaker, flow_arn):
    error = error_of(sagemaker.delete_flow_definition, FlowDefinitionName="Not_A_Name")

    assert error["Error"]["Code"] == "ValidationException"
    assert "flowDefinitionName" in error["Error"]["Message"]
    assert FlowDefinition.objects.get(name="classify").status == FlowDefinition.Status.ACTIVE
