"""Input shapes as the service models define them: AWS-worded constraint checks, timestamps.

boto3 checks only required members, types and minimums (reference §1.4); maximum lengths,
maxima, patterns and enums are checked here, and every violation of one request is reported in
one ValidationException, the way AWS words it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from a2i_portal.aws.errors import validation
from workflows import limits

SHOWN_VALUE_MAX = 200  # a 3 MiB input is not echoed back in full
SORT_ORDERS = ("Ascending", "Descending")
# Flow definitions and human task UIs (SageMaker §3.1).
LOWERCASE_NAME = {
    "min_length": 1,
    "max_length": limits.NAME_MAX_LENGTH,
    "pattern": r"[a-z0-9](-*[a-z0-9]){0,62}",
}
WORKTEAM_NAME = {
    "min_length": 1,
    "max_length": limits.NAME_MAX_LENGTH,
    "pattern": r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
}
# Human loops (runtime §2.2): the model spells this pattern differently from the one above.
HUMAN_LOOP_NAME = {
    "min_length": 1,
    "max_length": limits.NAME_MAX_LENGTH,
    "pattern": r"^[a-z0-9](-*[a-z0-9])*$",
}
# ARNs a request may name (§3.1).
ROLE_ARN = {"min_length": 20, "max_length": 2048, "pattern": limits.ROLE_ARN_PATTERN}
FLOW_DEFINITION_ARN = {
    "max_length": 1024,
    "pattern": r"arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:flow-definition/.*",
}
WORKTEAM_ARN = {
    "max_length": 256,
    "pattern": r"arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:workteam/.*",
}
HUMAN_TASK_UI_ARN = {
    "max_length": 1024,
    "pattern": r"arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]+:[0-9]{12}:human-task-ui/.*",
}


def shown(value: Any) -> str:
    if value is None:
        return "null"
    text = value if isinstance(value, str) else str(value)
    if len(text) > SHOWN_VALUE_MAX:
        text = text[:SHOWN_VALUE_MAX] + "..."
    return f"'{text}'"


class Checks:
    """The constraint violations of one request; `done()` raises them as one ValidationException.

    Each method returns the value when it passed (None when absent or refused), so a handler
    reads its members and checks them in one go.
    """

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, value: Any, member: str, rule: str) -> None:
        self.errors.append(
            f"Value {shown(value)} at '{member}' failed to satisfy constraint: Member {rule}"
        )

    def present(self, value: Any, member: str, *, required: bool) -> bool:
        if value is None:
            if required:
                self.fail(None, member, "must not be null")
            return False
        return True

    def string(
        self,
        value: Any,
        member: str,
        *,
        required: bool = False,
        min_length: int = 0,
        max_length: int | None = None,
        pattern: str | None = None,
        shown_pattern: str | None = None,
        enum: Sequence[str] = (),
    ) -> str | None:
        if not self.present(value, member, required=required):
            return None
        if not isinstance(value, str):
            self.fail(value, member, "must be a string")
            return None
        failed = len(self.errors)
        if len(value) < min_length:
            self.fail(value, member, f"must have length greater than or equal to {min_length}")
        if max_length is not None and len(value) > max_length:
            self.fail(value, member, f"must have length less than or equal to {max_length}")
        if pattern is not None and not re.fullmatch(pattern, value):
            self.fail(
                value,
                member,
                f"must satisfy regular expression pattern: {shown_pattern or pattern}",
            )
        if enum and value not in enum:
            self.fail(value, member, f"must satisfy enum value set: [{', '.join(enum)}]")
        return value if len(self.errors) == failed else None

    def integer(
        self,
        value: Any,
        member: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        if not self.present(value, member, required=required):
            return None
        if isinstance(value, str):  # query-string integers (MaxResults) arrive as text
            if not re.fullmatch(r"-?[0-9]{1,12}", value):
                self.fail(value, member, "must be an integer")
                return None
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(value, member, "must be an integer")
            return None
        if minimum is not None and value < minimum:
            self.fail(value, member, f"must have value greater than or equal to {minimum}")
            return None
        if maximum is not None and value > maximum:
            self.fail(value, member, f"must have value less than or equal to {maximum}")
            return None
        return value

    def structure(self, value: Any, member: str, *, required: bool = False) -> dict[str, Any]:
        """The structure's members ({} when absent or not an object)."""
        if not self.present(value, member, required=required):
            return {}
        if not isinstance(value, dict):
            self.fail(value, member, "must be a structure")
            return {}
        return value

    def string_list(
        self,
        value: Any,
        member: str,
        *,
        required: bool = False,
        min_items: int = 0,
        max_items: int,
        **item_rules: Any,
    ) -> list[str] | None:
        """A list of strings, each item checked with `item_rules` (as `string`)."""
        if not self.present(value, member, required=required):
            return None
        if not isinstance(value, list):
            self.fail(value, member, "must be a list")
            return None
        if not min_items <= len(value) <= max_items:
            self.fail(
                value,
                member,
                f"must have length less than or equal to {max_items}"
                if len(value) > max_items
                else f"must have length greater than or equal to {min_items}",
            )
            return None
        items = Checks()
        for item in value:
            items.string(item, member, required=True, **item_rules)
        if items.errors:
            rules = ", ".join(
                error.split("failed to satisfy constraint: ", 1)[1] for error in items.errors
            )
            self.fail(value, member, f"must satisfy constraint: [{rules}]")
            return None
        return value

    def iso_timestamp(self, value: str | None, member: str) -> datetime | None:
        """A runtime (query-string) timestamp: ISO 8601, with or without fractional seconds."""
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail(value, member, "must be an ISO 8601 timestamp such as 2020-02-24T00:00:00Z")
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def epoch_timestamp(self, value: Any, member: str) -> datetime | None:
        """A SageMaker timestamp: epoch seconds as a JSON number, integer or float."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(value, member, "must be a timestamp in epoch seconds")
            return None
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            self.fail(value, member, "must be a timestamp in epoch seconds")
            return None

    def done(self) -> None:
        if self.errors:
            count = len(self.errors)
            raise validation(
                f"{count} validation error{'s' if count > 1 else ''} detected: "
                + "; ".join(self.errors)
            )


def epoch(moment: datetime) -> float:
    """SageMaker's timestamp form: epoch seconds, with the fraction."""
    return moment.timestamp()


def read_name(body: dict[str, Any], member: str, rules: dict[str, Any]) -> str:
    """The one name member of a Describe request, checked."""
    checks = Checks()
    name = checks.string(body.get(member), member[0].lower() + member[1:], required=True, **rules)
    checks.done()
    return name
