"""The A2I runtime through boto3's `sagemaker-a2i-runtime` client (reference §2)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError
from django.contrib.auth.models import Group

from a2i_portal import arns
from reviews.models import HumanLoop
from reviews.services.outputs import storage_name
from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

INPUT = json.dumps({"text": "a cat on a mat"})


def start(runtime, flow_arn, name="loop-1", content=INPUT):  # noqa: ANN001, ANN201
    return runtime.start_human_loop(
        HumanLoopName=name, FlowDefinitionArn=flow_arn, HumanLoopInput={"InputContent": content}
    )


def error_of(call, **kwargs) -> dict:  # noqa: ANN001
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response


def test_start_returns_the_loop_arn_and_describe_shows_the_loop(runtime, flow_arn):
    started = start(runtime, flow_arn)

    assert started["HumanLoopArn"] == arns.human_loop_arn("loop-1")
    assert set(started) == {"HumanLoopArn", "ResponseMetadata"}
    described = runtime.describe_human_loop(HumanLoopName="loop-1")
    assert described["HumanLoopStatus"] == "InProgress"
    assert described["HumanLoopName"] == "loop-1"
    assert described["HumanLoopArn"] == started["HumanLoopArn"]
    assert described["FlowDefinitionArn"] == flow_arn
    assert described["HumanLoopOutput"]["OutputS3Uri"].startswith(
        "s3://test-bucket/outputs/classify/"
    )
    assert "FailureCode" not in described
    assert isinstance(described["CreationTime"], datetime)


def test_responses_carry_a_request_id_and_the_json_content_type(runtime, flow_arn):
    described = start(runtime, flow_arn)["ResponseMetadata"]

    assert re.fullmatch(r"[0-9a-f-]{36}", described["RequestId"])
    assert described["HTTPHeaders"]["content-type"] == "application/json"


def test_creation_time_is_iso_8601_with_milliseconds_and_z(runtime, flow_arn, live_server):
    start(runtime, flow_arn)
    raw = {}
    runtime.meta.events.register(
        "after-call.sagemaker-a2i-runtime.DescribeHumanLoop",
        lambda http_response, **_: raw.update(json.loads(http_response.content)),
    )

    runtime.describe_human_loop(HumanLoopName="loop-1")

    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", raw["CreationTime"])
    assert raw["HumanLoopOutput"] == {"OutputS3Uri": raw["HumanLoopOutput"]["OutputS3Uri"]}


def test_the_same_start_twice_returns_the_same_loop(runtime, flow_arn):
    first = start(runtime, flow_arn)

    assert start(runtime, flow_arn)["HumanLoopArn"] == first["HumanLoopArn"]
    assert HumanLoop.objects.count() == 1


def test_the_paginator_walks_every_loop_newest_first(runtime, flow_arn):
    names = [f"loop-{i}" for i in range(5)]
    for name in names:
        start(runtime, flow_arn, name=name)
    pages = list(
        runtime.get_paginator("list_human_loops").paginate(
            FlowDefinitionArn=flow_arn, PaginationConfig={"PageSize": 2}
        )
    )

    assert [len(page["HumanLoopSummaries"]) for page in pages] == [2, 2, 1]
    listed = [s["HumanLoopName"] for page in pages for s in page["HumanLoopSummaries"]]
    assert listed == names[::-1]
    assert "NextToken" not in pages[-1]
    summary = pages[0]["HumanLoopSummaries"][0]
    assert set(summary) == {"HumanLoopName", "HumanLoopStatus", "CreationTime", "FlowDefinitionArn"}


def test_the_list_sorts_ascending_and_filters_by_creation_time(runtime, flow_arn):
    start(runtime, flow_arn, name="first")
    start(runtime, flow_arn, name="second")
    now = datetime.now(UTC)

    ascending = runtime.list_human_loops(FlowDefinitionArn=flow_arn, SortOrder="Ascending")
    later = runtime.list_human_loops(
        FlowDefinitionArn=flow_arn, CreationTimeAfter=now + timedelta(hours=1)
    )
    earlier = runtime.list_human_loops(
        FlowDefinitionArn=flow_arn,
        CreationTimeAfter=now - timedelta(hours=1, microseconds=1),  # fractional seconds
        CreationTimeBefore=now + timedelta(hours=1),
    )

    assert [s["HumanLoopName"] for s in ascending["HumanLoopSummaries"]] == ["first", "second"]
    assert later["HumanLoopSummaries"] == []
    assert len(earlier["HumanLoopSummaries"]) == 2


def test_stop_then_delete_removes_the_loop(runtime, flow_arn):
    start(runtime, flow_arn)

    assert set(runtime.stop_human_loop(HumanLoopName="loop-1")) == {"ResponseMetadata"}
    assert runtime.describe_human_loop(HumanLoopName="loop-1")["HumanLoopStatus"] == "Stopped"
    assert set(runtime.delete_human_loop(HumanLoopName="loop-1")) == {"ResponseMetadata"}
    error = error_of(runtime.describe_human_loop, HumanLoopName="loop-1")
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert runtime.list_human_loops(FlowDefinitionArn=flow_arn)["HumanLoopSummaries"] == []


def test_a_loop_named_stop_is_described_stopped_and_deleted(runtime, flow_arn):
    start(runtime, flow_arn, name="stop")

    assert runtime.describe_human_loop(HumanLoopName="stop")["HumanLoopName"] == "stop"
    runtime.stop_human_loop(HumanLoopName="stop")
    runtime.delete_human_loop(HumanLoopName="stop")
    assert not HumanLoop.objects.filter(name="stop").exists()


def test_a_completed_loop_describes_its_output_and_the_file_exists(runtime, flow_arn, outputs_dir):
    start(runtime, flow_arn)
    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get(name="reviewers"))
    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer={"c": "cat"})

    described = runtime.describe_human_loop(HumanLoopName="loop-1")

    assert described["HumanLoopStatus"] == "Completed"
    output = outputs_dir / storage_name(described["HumanLoopOutput"]["OutputS3Uri"])
    assert json.loads(output.read_text())["humanLoopName"] == "loop-1"


def test_a_failed_loop_describes_its_failure(runtime, flow_arn):
    start(runtime, flow_arn)
    HumanLoop.objects.filter(name="loop-1").update(
        status="Failed",
        failure_code="Expired",
        failure_reason="too late",
        completed_at=datetime.now(UTC),
    )

    described = runtime.describe_human_loop(HumanLoopName="loop-1")
    listed = runtime.list_human_loops(FlowDefinitionArn=flow_arn)["HumanLoopSummaries"][0]

    assert (described["FailureCode"], described["FailureReason"]) == ("Expired", "too late")
    assert listed["FailureReason"] == "too late"


# Refusals


def test_a_name_breaking_the_pattern_is_a_validation_exception(runtime, flow_arn):
    error = error_of(start, runtime=runtime, flow_arn=flow_arn, name="My_Loop")

    assert error["Error"]["Code"] == "ValidationException"
    assert error["Error"]["Message"] == (
        "1 validation error detected: Value 'My_Loop' at 'humanLoopName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: ^[a-z0-9](-*[a-z0-9])*$"
    )
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert not HumanLoop.objects.exists()


def test_a_too_long_name_and_a_bogus_classifier_are_reported_together(runtime, flow_arn):
    error = error_of(
        runtime.start_human_loop,
        HumanLoopName="a" * 64,
        FlowDefinitionArn=flow_arn,
        HumanLoopInput={"InputContent": INPUT},
        DataAttributes={"ContentClassifiers": ["Bogus"]},
    )

    assert error["Error"]["Message"].startswith("2 validation errors detected: ")
    assert "Member must have length less than or equal to 63" in error["Error"]["Message"]
    assert "FreeOfAdultContent" in error["Error"]["Message"]


def test_input_that_is_not_json_is_a_validation_exception(runtime, flow_arn):
    error = error_of(start, runtime=runtime, flow_arn=flow_arn, content="not json")

    assert error["Error"]["Code"] == "ValidationException"
    assert "humanLoopInput.inputContent" in error["Error"]["Message"]
    assert not HumanLoop.objects.exists()


def test_an_unknown_flow_definition_on_start_is_a_validation_exception(runtime, flow_arn):
    error = error_of(start, runtime=runtime, flow_arn=flow_arn.replace("classify", "nope"))

    assert error["Error"]["Code"] == "ValidationException"


def test_the_same_name_with_other_input_is_a_conflict(runtime, flow_arn):
    start(runtime, flow_arn)

    error = error_of(start, runtime=runtime, flow_arn=flow_arn, content='{"other": 1}')

    assert error["Error"]["Code"] == "ConflictException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(runtime.exceptions.ConflictException):
        start(runtime, flow_arn, content='{"other": 1}')


def test_starting_past_the_in_progress_quota_is_service_quota_exceeded(runtime, flow_arn, settings):
    settings.A2I_MAX_IN_PROGRESS_LOOPS = 1
    start(runtime, flow_arn)

    error = error_of(start, runtime=runtime, flow_arn=flow_arn, name="loop-2")

    assert error["Error"]["Code"] == "ServiceQuotaExceededException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert not HumanLoop.objects.filter(name="loop-2").exists()


def test_describe_stop_and_delete_of_a_missing_loop_are_not_found(runtime, flow_arn):
    for call in (runtime.describe_human_loop, runtime.stop_human_loop, runtime.delete_human_loop):
        error = error_of(call, HumanLoopName="ghost")
        assert error["Error"]["Code"] == "ResourceNotFoundException"
        assert error["Error"]["Message"] == "Human loop ghost not found"


def test_listing_an_unknown_flow_definition_is_not_found(runtime, flow_arn):
    error = error_of(runtime.list_human_loops, FlowDefinitionArn=flow_arn + "-gone")

    assert error["Error"]["Code"] == "ResourceNotFoundException"


def test_list_parameters_out_of_range_are_validation_exceptions(runtime, flow_arn):
    too_many = error_of(runtime.list_human_loops, FlowDefinitionArn=flow_arn, MaxResults=500)
    bad_order = error_of(runtime.list_human_loops, FlowDefinitionArn=flow_arn, SortOrder="Up")
    forged = error_of(runtime.list_human_loops, FlowDefinitionArn=flow_arn, NextToken="abc/+=")

    assert "Member must have value less than or equal to 100" in too_many["Error"]["Message"]
    assert "enum value set: [Ascending, Descending]" in bad_order["Error"]["Message"]
    assert forged["Error"]["Code"] == "ValidationException"


def test_deleting_an_in_progress_loop_is_a_validation_exception(runtime, flow_arn):
    start(runtime, flow_arn)

    error = error_of(runtime.delete_human_loop, HumanLoopName="loop-1")

    assert error["Error"]["Code"] == "ValidationException"
    assert HumanLoop.objects.filter(name="loop-1").exists()


def test_stopping_a_completed_loop_is_a_validation_exception(runtime, flow_arn):
    start(runtime, flow_arn)
    HumanLoop.objects.filter(name="loop-1").update(
        status="Completed", completed_at=datetime.now(UTC)
    )

    error = error_of(runtime.stop_human_loop, HumanLoopName="loop-1")

    assert error["Error"]["Code"] == "ValidationException"
    assert HumanLoop.objects.get(name="loop-1").status == "Completed"


def test_an_unexpected_failure_is_an_internal_server_exception(runtime, flow_arn, monkeypatch):
    def broken(**kwargs):  # noqa: ANN003, ANN202
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("a2i_portal.aws.runtime.start_loop", broken)

    error = error_of(start, runtime=runtime, flow_arn=flow_arn)

    assert error["Error"]["Code"] == "InternalServerException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert "fire" not in error["Error"]["Message"]
