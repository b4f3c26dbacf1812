"""The one table from domain errors (and the unexpected) to AWS codes and statuses."""

from __future__ import annotations

import json

import pytest

from a2i_portal.aws import errors
from a2i_portal.aws.protocol import RUNTIME, SAGEMAKER
from a2i_portal.errors import Conflict, Invalid, NotFound, QuotaExceeded


@pytest.mark.parametrize(
    ("operation", "exc", "code", "status"),
    [
        ("StartHumanLoop", Invalid("name", "bad"), "ValidationException", 400),
        ("StartHumanLoop", Conflict("name", "taken"), "ConflictException", 409),
        ("StartHumanLoop", QuotaExceeded("loops", "full"), "ServiceQuotaExceededException", 402),
        ("StartHumanLoop", NotFound("flow_definition", "gone"), "ValidationException", 400),
        ("DescribeHumanLoop", NotFound("human_loop", "gone"), "ResourceNotFoundException", 404),
        ("StopHumanLoop", Conflict("status", "Completed"), "ValidationException", 400),
        ("DeleteHumanLoop", Conflict("status", "InProgress"), "ValidationException", 400),
        ("ListHumanLoops", NotFound("flow_definition", "gone"), "ResourceNotFoundException", 404),
    ],
)
def test_domain_errors_map_to_the_codes_each_runtime_operation_models(operation, exc, code, status):
    error = errors.runtime_error(exc, operation=operation)

    assert (error.code, error.status) == (code, status)


def test_an_unexpected_exception_is_an_internal_server_exception_and_is_logged(caplog):
    error = errors.runtime_error(RuntimeError("boom"), operation="DescribeHumanLoop")

    assert (error.code, error.status) == ("InternalServerException", 500)
    assert "boom" not in error.message
    assert "DescribeHumanLoop" in caplog.text


def test_throttling_answers_429_with_its_code_in_the_header():
    response = RUNTIME.refuse(errors.runtime("ThrottlingException", "Rate exceeded"))

    assert response.status_code == 429
    assert response["x-amzn-ErrorType"] == "ThrottlingException"
    assert json.loads(response.content) == {"message": "Rate exceeded"}
    assert response["x-amzn-RequestId"]


def test_a_domain_rule_is_worded_the_aws_way_with_the_wire_member_name():
    error = errors.runtime_error(
        Invalid("input_content", "must be the serialized form of a JSON document"),
        operation="StartHumanLoop",
    )

    assert error.message == (
        "1 validation error detected: Value at 'humanLoopInput.inputContent' failed to satisfy "
        "constraint: Member must be the serialized form of a JSON document"
    )


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (Invalid("task_count", "must be at most 3"), "ValidationException"),
        (NotFound("flow_definition", "gone"), "ResourceNotFound"),
        (Conflict("name", "taken"), "ResourceInUse"),
        (QuotaExceeded("teams", "25"), "ResourceLimitExceeded"),
    ],
)
def test_sagemaker_errors_are_http_400_with_the_code_in_the_body(exc, code):
    response = SAGEMAKER.refuse(errors.sagemaker_error(exc, operation="CreateFlowDefinition"))

    assert response.status_code == 400
    assert json.loads(response.content)["__type"] == code


def test_an_unexpected_sagemaker_failure_is_an_internal_failure():
    error = errors.sagemaker_error(KeyError("x"), operation="DescribeWorkteam")

    assert (error.code, error.status) == ("InternalFailure", 500)
