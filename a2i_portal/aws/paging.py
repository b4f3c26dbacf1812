"""Pages of the SageMaker configuration lists: creation-time filters, signed offset tokens."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest

from a2i_portal.aws import errors
from a2i_portal.aws.protocol import json_body
from a2i_portal.aws.shapes import SORT_ORDERS, Checks

MAX_RESULTS = 100
PAGE_TOKEN_SALT = "aws.sagemaker-page"


def time_page(request: HttpRequest, objects: QuerySet, operation: str) -> tuple[list, str | None]:
    """One page of a configuration list filtered and sorted by creation time, as the
    ListFlowDefinitions and ListHumanTaskUis requests ask."""
    body = json_body(request)
    checks = Checks()
    after = checks.epoch_timestamp(body.get("CreationTimeAfter"), "creationTimeAfter")
    before = checks.epoch_timestamp(body.get("CreationTimeBefore"), "creationTimeBefore")
    order = checks.string(body.get("SortOrder"), "sortOrder", enum=SORT_ORDERS)
    token = checks.string(body.get("NextToken"), "nextToken", max_length=8192)
    limit = checks.integer(body.get("MaxResults"), "maxResults", minimum=1, maximum=MAX_RESULTS)
    checks.done()
    if after is not None:
        objects = objects.filter(created_at__gte=after)  # "after" is inclusive, "before" not
    if before is not None:
        objects = objects.filter(created_at__lt=before)
    ascending = order == "Ascending"  # Descending unless asked (reference: unconfirmed)
    objects = objects.order_by(*(["created_at", "pk"] if ascending else ["-created_at", "-pk"]))
    query = [operation, ascending, body.get("CreationTimeAfter"), body.get("CreationTimeBefore")]
    return offset_page(objects, query, token, limit or MAX_RESULTS)


def offset_page(
    objects: QuerySet, query: list[Any], token: str | None, limit: int
) -> tuple[list, str | None]:
    """Offset pages under a signed token naming its query: configuration lists are short."""
    offset = 0
    if token:
        try:
            payload = signing.loads(token, salt=PAGE_TOKEN_SALT)
            if payload["q"] != query:
                raise ValueError("token of another query")
            offset = int(payload["o"])
        except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
            raise errors.validation(
                "The NextToken is not a token this list returned for the same query."
            ) from exc
    rows = list(objects[offset : offset + limit + 1])
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], signing.dumps({"q": query, "o": offset + limit}, salt=PAGE_TOKEN_SALT)


def with_token(listed: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token:
        listed["NextToken"] = token
    return listed
