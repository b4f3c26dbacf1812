"""The two wire protocols: authentication, routing to an operation, and the response shapes.

Every response carries `x-amzn-RequestId`; errors carry their code where boto3 looks for it
(the runtime: `x-amzn-ErrorType`; SageMaker: `__type` in the body, reference §1.5).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

from a2i_portal.access import sigv4
from a2i_portal.access.authentication import raw_path
from a2i_portal.access.models import AccessKey
from a2i_portal.access.services import record_use
from a2i_portal.aws import errors
from a2i_portal.aws.errors import AwsError

Handler = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Protocol:
    """How one API answers: its content type, its error body, its table of domain errors."""

    content_type: str
    message_key: str  # the runtime's errors say "message", SageMaker's "Message"
    type_in_body: bool
    map_error: Callable[..., AwsError]

    def respond(self, body: dict[str, Any], *, status: int = 200) -> HttpResponse:
        response = HttpResponse(json.dumps(body), status=status, content_type=self.content_type)
        response["x-amzn-RequestId"] = str(uuid.uuid4())
        return response

    def refuse(self, error: AwsError) -> HttpResponse:
        body = {self.message_key: error.message}
        if self.type_in_body:
            body = {"__type": error.code, **body}
        response = self.respond(body, status=error.status)
        response["x-amzn-ErrorType"] = error.code
        return response


RUNTIME = Protocol(
    content_type="application/json",
    message_key="message",
    type_in_body=False,
    map_error=errors.runtime_error,
)
SAGEMAKER = Protocol(
    content_type="application/x-amz-json-1.1",
    message_key="Message",
    type_in_body=True,
    map_error=errors.sagemaker_error,
)


def authenticate(request: HttpRequest) -> AccessKey:
    """The access key that signed the request (SigV4). Raises AwsError with AWS's code."""
    if not request.headers.get("Authorization"):
        raise AwsError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)
    try:
        key = sigv4.verify(
            method=request.method or "GET",
            path=raw_path(request),
            query=request.META.get("QUERY_STRING", ""),
            headers=request.headers,
            body=request.body,
        )
    except sigv4.SignatureError as exc:
        raise AwsError(exc.code, exc.message, exc.status) from exc
    record_use(key=key)
    return key


def serve(
    request: HttpRequest,
    protocol: Protocol,
    route: Callable[[HttpRequest], tuple[str, Handler]],
    **kwargs: Any,
) -> HttpResponse:
    """Authenticate, pick the operation, run it, and present its result or its refusal."""
    operation = "unrouted"
    try:
        authenticate(request)
        operation, handler = route(request)
        return protocol.respond(handler(request, **kwargs))
    except Exception as exc:  # every failure answers in the protocol's shape
        return protocol.refuse(protocol.map_error(exc, operation=operation))


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object ({} for an empty body)."""
    if not request.body:
        return {}
    try:
        payload = json.loads(request.body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise errors.validation(f"The request body is not valid JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise errors.validation("The request body must be a JSON object.")
    return payload


def unknown_operation(message: str) -> AwsError:
    return AwsError("UnknownOperationException", message, 400)
