"""SageMaker tagging targets: AddTags, ListTags, DeleteTags (reference §3.9), and the TagList
that CreateWorkteam, CreateHumanTaskUi and CreateFlowDefinition accept as `Tags`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from a2i_portal import arns
from a2i_portal.aws.paging import offset_page, with_token
from a2i_portal.aws.protocol import json_body
from a2i_portal.aws.shapes import Checks
from a2i_portal.errors import NotFound
from workflows import limits
from workflows.models import FlowDefinition, HumanTaskUi, ResourceTag, WorkTeam
from workflows.services.tags import Taggable, add_tags, delete_tags, list_tags

RESOURCE_ARN = {
    "required": True,
    "max_length": 256,
    "pattern": r"arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.+",
}
TAGGABLE: dict[str, type[Taggable]] = {
    "flow-definition": FlowDefinition,
    "human-task-ui": HumanTaskUi,
    "workteam": WorkTeam,
}
LIST_TAGS_MIN_RESULTS = 50  # the model's minimum, and the page size when none is asked


def add_tags_target(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    checks = Checks()
    arn = checks.string(body.get("ResourceArn"), "resourceArn", **RESOURCE_ARN)
    tags = read_tags(body.get("Tags"), checks, required=True)
    checks.done()
    added = add_tags(resource=tagged(arn), tags=tags or {})
    return {"Tags": [wire_tag(tag) for tag in added]}


def list_tags_target(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    checks = Checks()
    arn = checks.string(body.get("ResourceArn"), "resourceArn", **RESOURCE_ARN)
    token = checks.string(body.get("NextToken"), "nextToken", max_length=8192)
    limit = checks.integer(body.get("MaxResults"), "maxResults", minimum=LIST_TAGS_MIN_RESULTS)
    checks.done()
    rows, next_token = offset_page(
        list_tags(resource=tagged(arn)), ["ListTags", arn], token, limit or LIST_TAGS_MIN_RESULTS
    )
    return with_token({"Tags": [wire_tag(tag) for tag in rows]}, next_token)


def delete_tags_target(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    checks = Checks()
    arn = checks.string(body.get("ResourceArn"), "resourceArn", **RESOURCE_ARN)
    keys = checks.string_list(
        body.get("TagKeys"),
        "tagKeys",
        required=True,
        min_items=1,
        max_items=limits.TAGS_MAX,
        min_length=1,
        max_length=limits.TAG_KEY_MAX_LENGTH,
    )
    for key in keys or []:
        if not limits.is_tag_text(key):
            checks.fail(
                key, "tagKeys", f"must satisfy regular expression pattern: {limits.TAG_PATTERN}"
            )
    checks.done()
    delete_tags(resource=tagged(arn), keys=keys or [])
    return {}


def tagged(arn: str) -> Taggable:
    """The flow definition, human task UI or work team an ARN names. Raises NotFound (the wire's
    ResourceNotFound) for any other ARN."""
    for resource, model in TAGGABLE.items():
        name = arns.name_from_arn(arn, resource)
        if name is not None:
            found = model.objects.filter(name=name).first()
            if found is not None:
                return found
            break
    raise NotFound(
        "resource_arn",
        f"Could not find resource {arn}; flow definitions, human task UIs and work teams "
        "can be tagged",
    )


def read_tags(
    value: Any, checks: Checks, *, member: str = "tags", required: bool = False
) -> dict[str, str] | None:
    """A TagList as {key: value}, its items checked as the model and AWS define them (members
    named as AWS names them: `tags.1.member.key`)."""
    if not checks.present(value, member, required=required):
        return None
    if not isinstance(value, list):
        checks.fail(value, member, "must be a list")
        return None
    if len(value) > limits.TAGS_MAX:
        checks.fail(value, member, f"must have length less than or equal to {limits.TAGS_MAX}")
        return None
    tags: dict[str, str] = {}
    for number, item in enumerate(value, start=1):
        where = f"{member}.{number}.member"
        item = checks.structure(item, where, required=True)
        key = tag_text(checks, item.get("Key"), f"{where}.key", 1, limits.TAG_KEY_MAX_LENGTH)
        text = tag_text(checks, item.get("Value"), f"{where}.value", 0, limits.TAG_VALUE_MAX_LENGTH)
        if key is None or text is None:
            continue
        if key.lower().startswith(limits.TAG_RESERVED_PREFIX):
            checks.fail(
                key,
                f"{where}.key",
                f"must not start with '{limits.TAG_RESERVED_PREFIX}', a prefix reserved for AWS",
            )
        elif key in tags:
            checks.fail(key, f"{where}.key", "must be unique: keys are unique per resource")
        else:
            tags[key] = text
    return tags


def tag_text(
    checks: Checks, value: Any, member: str, min_length: int, max_length: int
) -> str | None:
    """A tag key or value: its length as `Checks.string` checks it, then TAG_PATTERN."""
    text = checks.string(value, member, required=True, min_length=min_length, max_length=max_length)
    if text is not None and not limits.is_tag_text(text):
        checks.fail(text, member, f"must satisfy regular expression pattern: {limits.TAG_PATTERN}")
        return None
    return text


def wire_tag(tag: ResourceTag) -> dict[str, str]:
    return {"Key": tag.key, "Value": tag.value}
