"""AWS error codes and the one table from domain errors to them, per protocol and operation."""

from __future__ import annotations

import logging

from a2i_portal.errors import Conflict, DomainError, Invalid, NotFound, QuotaExceeded

logger = logging.getLogger(__name__)

VALIDATION = "ValidationException"

# The runtime's exceptions and their HTTP statuses (reference §2.7).
RUNTIME_STATUS = {
    VALIDATION: 400,
    "ServiceQuotaExceededException": 402,
    "ResourceNotFoundException": 404,
    "ConflictException": 409,
    "ThrottlingException": 429,
    "InternalServerException": 500,
}

# Which domain refusal becomes which runtime code, for the operations that model that code.
# A refusal an operation does not model becomes ValidationException, the one code every
# operation has: boto3 would otherwise raise a code the operation's documentation never names
# (stopping a Completed loop is a Conflict in the domain, a ValidationException on the wire).
RUNTIME_CODES: dict[str, dict[type[DomainError], str]] = {
    "StartHumanLoop": {
        Conflict: "ConflictException",
        QuotaExceeded: "ServiceQuotaExceededException",
    },
    "DescribeHumanLoop": {NotFound: "ResourceNotFoundException"},
    "ListHumanLoops": {NotFound: "ResourceNotFoundException"},
    "StopHumanLoop": {NotFound: "ResourceNotFoundException"},
    "DeleteHumanLoop": {NotFound: "ResourceNotFoundException"},
}

# SageMaker answers every modeled exception with HTTP 400 (reference §3.10).
SAGEMAKER_CODES: dict[type[DomainError], str] = {
    Invalid: VALIDATION,
    NotFound: "ResourceNotFound",
    Conflict: "ResourceInUse",
    QuotaExceeded: "ResourceLimitExceeded",
}


class AwsError(Exception):
    """A refusal as AWS words it: the code, the message and the HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.status = code, message, status


def runtime(code: str, message: str) -> AwsError:
    """A runtime error with the status its code has."""
    return AwsError(code, message, RUNTIME_STATUS[code])


def validation(message: str) -> AwsError:
    return AwsError(VALIDATION, message, 400)


# The wire's member names for the domain's field names, where they differ by more than case.
RUNTIME_MEMBERS = {
    "name": "humanLoopName",
    "input_content": "humanLoopInput.inputContent",
    "flow_definition": "flowDefinitionArn",
}
SAGEMAKER_MEMBERS = {
    "work_team": "humanLoopConfig.workteamArn",
    "task_ui": "humanLoopConfig.humanTaskUiArn",
    "task_availability_lifetime": "humanLoopConfig.taskAvailabilityLifetimeInSeconds",
    "task_time_limit": "humanLoopConfig.taskTimeLimitInSeconds",
    "output_path": "outputConfig.s3OutputPath",
    "content": "uiTemplate.content",
}


def member_name(field: str, members: dict[str, str]) -> str:
    """`task_count` -> `taskCount`, unless `members` knows better."""
    if field in members:
        return members[field]
    head, *rest = field.split("_")
    return head + "".join(part.title() for part in rest)


def domain_message(exc: DomainError, members: dict[str, str]) -> str:
    """A domain rule ("must ...") in AWS's words; other messages already say what went wrong."""
    if exc.message.startswith("must "):
        return (
            f"1 validation error detected: Value at '{member_name(exc.field, members)}' failed to "
            f"satisfy constraint: Member {exc.message}"
        )
    return exc.message


def runtime_error(exc: Exception, *, operation: str) -> AwsError:
    """The runtime error for an exception raised while serving `operation`."""
    if isinstance(exc, AwsError):
        return exc
    if isinstance(exc, DomainError):
        code = RUNTIME_CODES.get(operation, {}).get(type(exc), VALIDATION)
        return runtime(code, domain_message(exc, RUNTIME_MEMBERS))
    logger.exception("A2I runtime %s failed", operation, exc_info=exc)
    return runtime("InternalServerException", "An internal error occurred; try again.")


def sagemaker_error(exc: Exception, *, operation: str) -> AwsError:
    """The SageMaker error for an exception raised while serving `operation`."""
    if isinstance(exc, AwsError):
        return exc
    if isinstance(exc, DomainError):
        return AwsError(
            SAGEMAKER_CODES.get(type(exc), VALIDATION), domain_message(exc, SAGEMAKER_MEMBERS), 400
        )
    logger.exception("SageMaker %s failed", operation, exc_info=exc)
    return AwsError("InternalFailure", "An internal error occurred; try again.", 500)
