"""The A2I runtime (`sagemaker-a2i-runtime`, REST-JSON) under /a2i-runtime/: reference §2."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from a2i_portal import arns, clock
from a2i_portal.aws import errors
from a2i_portal.aws.protocol import RUNTIME, Handler, json_body, serve, unknown_operation
from a2i_portal.aws.shapes import FLOW_DEFINITION_ARN, HUMAN_LOOP_NAME, SORT_ORDERS, Checks
from a2i_portal.errors import NotFound
from reviews.models import HumanLoop
from reviews.selectors import MAX_PAGE_SIZE, loops_page
from reviews.services.loops import delete_loop, start_loop, stop_loop
from workflows import limits
from workflows.models import FlowDefinition


def start_human_loop(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    checks = Checks()
    name = checks.string(
        body.get("HumanLoopName"), "humanLoopName", required=True, **HUMAN_LOOP_NAME
    )
    flow_arn = checks.string(
        body.get("FlowDefinitionArn"), "flowDefinitionArn", required=True, **FLOW_DEFINITION_ARN
    )
    loop_input = checks.structure(body.get("HumanLoopInput"), "humanLoopInput", required=True)
    content = checks.string(
        loop_input.get("InputContent"),
        "humanLoopInput.inputContent",
        required="HumanLoopInput" in body,
        max_length=limits.INPUT_CONTENT_MAX_LENGTH,
    )
    data_attributes = None
    if body.get("DataAttributes") is not None:
        attributes = checks.structure(body["DataAttributes"], "dataAttributes")
        classifiers = checks.string_list(
            attributes.get("ContentClassifiers"),
            "dataAttributes.contentClassifiers",
            required=True,
            max_items=limits.CONTENT_CLASSIFIERS_MAX,
            enum=limits.CONTENT_CLASSIFIERS,
        )
        data_attributes = {"ContentClassifiers": classifiers}
    checks.done()
    loop = start_loop(
        name=name,
        flow_definition_name=flow_name(flow_arn),
        input_content=content,
        data_attributes=data_attributes,
    )
    return {"HumanLoopArn": loop.arn}


def describe_human_loop(request: HttpRequest, *, name: str) -> dict[str, Any]:
    loop = existing_loop(name)
    described: dict[str, Any] = {
        "CreationTime": clock.iso8601_millis(loop.created_at),
        "HumanLoopStatus": loop.status,
        "HumanLoopName": loop.name,
        "HumanLoopArn": loop.arn,
        "FlowDefinitionArn": loop.flow_definition.arn,
        # Known from creation on; the file itself appears when the loop completes (§2.3).
        "HumanLoopOutput": {"OutputS3Uri": loop.output_uri},
    }
    if loop.status == HumanLoop.Status.FAILED:
        described["FailureCode"] = loop.failure_code
        described["FailureReason"] = loop.failure_reason
    return described


def list_human_loops(request: HttpRequest) -> dict[str, Any]:
    query = request.GET  # percent-decoded, NextToken included
    checks = Checks()
    flow_arn = checks.string(
        query.get("FlowDefinitionArn"), "flowDefinitionArn", required=True, **FLOW_DEFINITION_ARN
    )
    after = checks.iso_timestamp(query.get("CreationTimeAfter"), "creationTimeAfter")
    before = checks.iso_timestamp(query.get("CreationTimeBefore"), "creationTimeBefore")
    order = checks.string(query.get("SortOrder"), "sortOrder", enum=SORT_ORDERS)
    limit = checks.integer(query.get("MaxResults"), "maxResults", minimum=1, maximum=MAX_PAGE_SIZE)
    token = checks.string(query.get("NextToken"), "nextToken", max_length=8192)
    checks.done()
    name = flow_name(flow_arn)
    flow = FlowDefinition.objects.filter(name=name).first()
    if flow is None:
        raise NotFound("flow_definition", f"Flow definition {flow_arn} not found")
    page = loops_page(
        flow_definition=flow,
        created_after=after,
        created_before=before,
        ascending=order == "Ascending",  # Descending unless asked (reference: unconfirmed)
        next_token=token or None,
        limit=limit or MAX_PAGE_SIZE,
    )
    listed: dict[str, Any] = {"HumanLoopSummaries": [summary(loop) for loop in page.loops]}
    if page.next_token:  # boto3's paginator stops when the key is absent
        listed["NextToken"] = page.next_token
    return listed


def summary(loop: HumanLoop) -> dict[str, Any]:
    """A HumanLoopSummary: no loop ARN (reference §2.4)."""
    listed = {
        "HumanLoopName": loop.name,
        "HumanLoopStatus": loop.status,
        "CreationTime": clock.iso8601_millis(loop.created_at),
        "FlowDefinitionArn": loop.flow_definition.arn,
    }
    if loop.status == HumanLoop.Status.FAILED:
        listed["FailureReason"] = loop.failure_reason
    return listed


def stop_human_loop(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    stop_loop(loop=existing_loop(body.get("HumanLoopName")))
    return {}


def delete_human_loop(request: HttpRequest, *, name: str) -> dict[str, Any]:
    delete_loop(loop=existing_loop(name))
    return {}


def existing_loop(name: Any) -> HumanLoop:
    """The loop of a (checked) name. Raises AwsError (ValidationException) or NotFound."""
    checks = Checks()
    checks.string(name, "humanLoopName", required=True, **HUMAN_LOOP_NAME)
    checks.done()
    loop = HumanLoop.objects.select_related("flow_definition").filter(name=name).first()
    if loop is None:
        raise NotFound("human_loop", f"Human loop {name} not found")
    return loop


def flow_name(arn: str) -> str:
    name = arns.name_from_arn(arn, "flow-definition")
    if name is None:  # the pattern passed, so only an empty name is left
        raise errors.validation(f"{arn} does not name a flow definition")
    return name


def router(routes: dict[str, tuple[str, Handler]]) -> Any:
    def route(request: HttpRequest) -> tuple[str, Handler]:
        if request.method not in routes:
            raise unknown_operation(f"No operation accepts {request.method} {request.path}")
        return routes[request.method]

    return route


HUMAN_LOOPS = router(
    {"POST": ("StartHumanLoop", start_human_loop), "GET": ("ListHumanLoops", list_human_loops)}
)
HUMAN_LOOP = router(
    {
        "GET": ("DescribeHumanLoop", describe_human_loop),
        "DELETE": ("DeleteHumanLoop", delete_human_loop),
    }
)
STOP = router({"POST": ("StopHumanLoop", stop_human_loop)})


@csrf_exempt
def human_loops(request: HttpRequest) -> HttpResponse:
    return serve(request, RUNTIME, HUMAN_LOOPS)


@csrf_exempt
def human_loop(request: HttpRequest, name: str) -> HttpResponse:
    return serve(request, RUNTIME, HUMAN_LOOP, name=name)


@csrf_exempt
def human_loops_stop(request: HttpRequest) -> HttpResponse:
    """POST is StopHumanLoop; GET and DELETE concern a loop literally named "stop" (§2.1)."""
    if request.method == "POST":
        return serve(request, RUNTIME, STOP)
    return serve(request, RUNTIME, HUMAN_LOOP, name="stop")
