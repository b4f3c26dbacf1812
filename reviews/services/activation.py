"""Starting a human loop only when a flow definition's conditions hold over a prediction.

- Built-in flow definitions (Textract AnalyzeDocument forms, Rekognition DetectModerationLabels):
  the client posts the AI service's request and response, as the service itself would hand them
  to A2I, and the activation conditions decide (reference §4). The loop's input is what A2I
  gives a built-in worker template as `task.input` (§8.1): `aiServiceRequest`,
  `aiServiceResponse`, `selectedAiServiceResponse`, `humanTaskActivationConditionResults`, all
  lowerCamelCase but the condition results, and for Textract `humanLoopContext` with the
  important form keys. A2I's own templates, and the defaults the portal creates from them, read
  exactly these.
- Custom flow definitions with routing conditions (the portal's addition): the client posts its
  own prediction, the routing conditions decide, and the prediction itself is the loop's input,
  so the flow's template reads it as `task.input` as it would after StartHumanLoop.

Either way the caller gets A2I's `HumanLoopActivationOutput` (§4.7), and a dry run evaluates
without writing anything.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from a2i_portal.errors import Invalid
from a2i_portal.validation import full_clean_or_invalid
from reviews.models import HumanLoop, LoopActivation
from reviews.services.loops import LOOP_FIELDS_SET_HERE, insert_loop, startable_flow_definition
from workflows import limits
from workflows.activation import (
    Activation,
    camel_case,
    describe,
    evaluate_activation,
    evaluate_routing,
    human_loop_context,
    sampling_random,
)
from workflows.models import FlowDefinition, RequestSource

# Where each built-in request names the object reviewers are shown, and what the service is.
DOCUMENT_MEMBER = {
    RequestSource.TEXTRACT_FORMS: "Document",
    RequestSource.REKOGNITION_MODERATION: "Image",
}
SERVICE_NAME = {
    RequestSource.TEXTRACT_FORMS: "a Textract AnalyzeDocument",
    RequestSource.REKOGNITION_MODERATION: "a Rekognition DetectModerationLabels",
}


@dataclass(frozen=True)
class ActivationOutcome:
    """What one activation decided.

    - `output`: A2I's `HumanLoopActivationOutput` (§4.7): `HumanLoopArn` when a loop started
      (or had started from the same call before), `HumanLoopActivationReasons` when the
      conditions hold, `HumanLoopActivationConditionsEvaluationResults` always.
    - `loop`: the started loop; None when the conditions do not hold, and on a dry run.
    - `starts`: whether the conditions hold, so a loop starts (or, on a dry run, would).
    """

    output: dict[str, Any]
    loop: HumanLoop | None
    starts: bool


@dataclass(frozen=True)
class Decision:
    """The conditions' verdict over one call, and the loop it would start."""

    activation: Activation
    input_content: str  # the loop's input; empty when the conditions do not hold
    ai_service_request: dict[str, Any] | None  # as stored: with its HumanLoopConfig
    ai_service_response: dict[str, Any] | None


def activate_loop(
    *,
    name: str,
    flow_definition_name: str,
    ai_service_request: Any = None,
    ai_service_response: Any = None,
    prediction: Any = None,
    data_attributes: dict[str, Any] | None = None,
    dry_run: bool = False,
    rng: random.Random | None = None,
) -> ActivationOutcome:
    """Evaluate the flow definition's conditions over a prediction and start a human loop
    (InProgress, TaskCount open slots, a status-change event) when they hold.

    A Textract or Rekognition flow definition reads `ai_service_request` and
    `ai_service_response` (JSON objects, as the AI service's API spells them) and decides by its
    activation conditions. A custom flow definition reads `prediction` (a JSON object) and
    decides by its routing conditions. Sampling is seeded by the flow definition and the request
    (or the prediction), so the same one always decides alike (§4.4) unless `rng` is given.

    A loop name already in use is a Conflict, except a retry of the same call, which answers with
    the existing loop. A dry run evaluates, names no loop and writes nothing. Raises NotFound
    (flow definition), Invalid (name, data attributes, the request, response or prediction, a
    flow definition that cannot start loops this way), Conflict, QuotaExceeded.
    """
    # The client's own fields first, before any query, as start_loop checks them.
    loop = HumanLoop(name=name, input_content="{}", data_attributes=data_attributes)
    full_clean_or_invalid(loop, exclude=[*LOOP_FIELDS_SET_HERE, "input_content"])
    for field, value in (
        ("ai_service_request", ai_service_request),
        ("ai_service_response", ai_service_response),
        ("prediction", prediction),
    ):
        check_size(field, value)

    arguments = {
        "ai_service_request": ai_service_request,
        "ai_service_response": ai_service_response,
        "prediction": prediction,
        "rng": rng,
    }
    if dry_run:
        flow = startable_flow_definition(name=flow_definition_name)
        decision = decide(flow=flow, loop=loop, **arguments)
        activation = decision.activation
        return ActivationOutcome(output=activation.output, loop=None, starts=activation.starts)
    return start_if_activated(loop=loop, flow_definition_name=flow_definition_name, **arguments)


@transaction.atomic
def start_if_activated(
    *,
    loop: HumanLoop,
    flow_definition_name: str,
    ai_service_request: Any,
    ai_service_response: Any,
    prediction: Any,
    rng: random.Random | None,
) -> ActivationOutcome:
    """The writing half of activate_loop: the loop, through start_loop's own path, and its
    activation, in one transaction."""
    flow = startable_flow_definition(name=flow_definition_name)  # held until the commit
    decision = decide(
        flow=flow,
        loop=loop,
        ai_service_request=ai_service_request,
        ai_service_response=ai_service_response,
        prediction=prediction,
        rng=rng,
    )
    activation = decision.activation
    if not activation.starts:
        return ActivationOutcome(output=activation.output, loop=None, starts=False)
    loop.input_content = decision.input_content
    loop, created = insert_loop(loop=loop, flow=flow)
    if created:
        LoopActivation.objects.create(
            loop=loop,
            ai_service_request=decision.ai_service_request,
            ai_service_response=decision.ai_service_response,
            condition_results=activation.condition_results,
            selected_response=activation.selected_response,
        )
    return ActivationOutcome(
        output={"HumanLoopArn": loop.arn, **activation.output}, loop=loop, starts=True
    )


def decide(
    *,
    flow: FlowDefinition,
    loop: HumanLoop,
    ai_service_request: Any,
    ai_service_response: Any,
    prediction: Any,
    rng: random.Random | None,
) -> Decision:
    """Evaluate the flow definition's conditions; raises Invalid for input it cannot read."""
    if flow.is_built_in:
        if prediction is not None:
            raise Invalid(
                "prediction",
                f"is for custom flow definitions with routing conditions; flow definition "
                f"{flow.name!r} reads ai_service_request and ai_service_response",
            )
        return decide_built_in(
            flow=flow, loop=loop, request=ai_service_request, response=ai_service_response, rng=rng
        )
    for field, value in (
        ("ai_service_request", ai_service_request),
        ("ai_service_response", ai_service_response),
    ):
        if value is not None:
            raise Invalid(
                field,
                f"is for Textract and Rekognition flow definitions; flow definition "
                f"{flow.name!r} is custom and reads prediction",
            )
    return decide_routing(flow=flow, prediction=prediction, rng=rng)


def decide_built_in(
    *,
    flow: FlowDefinition,
    loop: HumanLoop,
    request: Any,
    response: Any,
    rng: random.Random | None,
) -> Decision:
    source = flow.request_source
    for field, value, what in (
        ("ai_service_request", request, "request"),
        ("ai_service_response", response, "response"),
    ):
        if value is None:
            raise Invalid(field, f"is required: {SERVICE_NAME[source]} {what}, as a JSON object")
        if not isinstance(value, dict):
            raise Invalid(field, f"must be a JSON object, not {describe(value)}")
    problem = request_problem(source, request)
    if problem:
        raise Invalid("ai_service_request", problem)
    problem = response_problem(source, response)
    if problem:
        raise Invalid("ai_service_response", problem)

    activation = evaluate_activation(
        flow.activation_conditions,
        request_source=source,
        response=response,
        rng=rng or sampling_random(flow_definition_arn=flow.arn, request=request),
    )
    stored_request = with_loop_config(request, loop=loop, flow=flow)
    if not activation.starts:
        return Decision(activation, "", stored_request, response)
    task_input: dict[str, Any] = {
        "aiServiceRequest": camel_case(stored_request),
        "aiServiceResponse": camel_case(response),
        "selectedAiServiceResponse": activation.selected_response,
        "humanTaskActivationConditionResults": activation.condition_results,
    }
    if source == RequestSource.TEXTRACT_FORMS:
        task_input["humanLoopContext"] = human_loop_context(flow.activation_conditions)
    input_content = json.dumps(task_input, ensure_ascii=False)
    if len(input_content) > limits.INPUT_CONTENT_MAX_LENGTH:
        raise Invalid(
            "ai_service_response",
            f"is too large to review: with the request and the part selected for reviewers "
            f"the loop's input would be {len(input_content)} characters, and at most "
            f"{limits.INPUT_CONTENT_MAX_LENGTH} are allowed",
        )
    return Decision(activation, input_content, stored_request, response)


def decide_routing(*, flow: FlowDefinition, prediction: Any, rng: random.Random | None) -> Decision:
    if flow.routing_conditions is None:
        raise Invalid(
            "flow_definition",
            f"flow definition {flow.name!r} has no routing conditions; call StartHumanLoop",
        )
    if prediction is None:
        raise Invalid("prediction", "is required: the model's prediction, as a JSON object")
    if not isinstance(prediction, dict):
        raise Invalid("prediction", f"must be a JSON object, not {describe(prediction)}")
    activation = evaluate_routing(
        flow.routing_conditions,
        prediction=prediction,
        rng=rng or sampling_random(flow_definition_arn=flow.arn, request=prediction),
    )
    input_content = json.dumps(prediction, ensure_ascii=False) if activation.starts else ""
    return Decision(activation, input_content, None, None)


def with_loop_config(
    request: dict[str, Any], *, loop: HumanLoop, flow: FlowDefinition
) -> dict[str, Any]:
    """The request as the AI service would have received it with A2I's `HumanLoopConfig`
    (§4.7), which output.json shows under `aiServiceRequest.humanLoopConfig` (§5.3). The call's
    loop name, flow definition and data attributes are the ones that count: a config the client
    copied into the request is replaced."""
    config: dict[str, Any] = {"HumanLoopName": loop.name, "FlowDefinitionArn": flow.arn}
    if loop.data_attributes is not None:
        config["DataAttributes"] = loop.data_attributes
    stored = {key: value for key, value in request.items() if key != "HumanLoopConfig"}
    stored["HumanLoopConfig"] = config
    return stored


def check_size(field: str, value: Any) -> None:
    """The start path's limit on a loop's input, for each JSON value the call gives."""
    if value is None:
        return
    size = len(json.dumps(value, ensure_ascii=False))
    if size > limits.INPUT_CONTENT_MAX_LENGTH:
        raise Invalid(
            field,
            f"must serialize to at most {limits.INPUT_CONTENT_MAX_LENGTH} characters, not {size}",
        )


def request_problem(source: str, request: dict[str, Any]) -> str | None:
    """Reviewers are shown the document or image from storage, so the request must name it by
    S3Object (inline Bytes cannot be shown, nor kept within the input limit)."""
    member = DOCUMENT_MEMBER[source]
    located = request.get(member)
    s3_object = located.get("S3Object") if isinstance(located, dict) else None
    if not isinstance(s3_object, dict) or not all(
        isinstance(s3_object.get(key), str) and s3_object[key] for key in ("Bucket", "Name")
    ):
        return (
            f"must name the {member.lower()} reviewers are shown by {member}.S3Object.Bucket and "
            f"{member}.S3Object.Name (as the API spells them); {member}.Bytes cannot be shown"
        )
    return None


def response_problem(source: str, response: dict[str, Any]) -> str | None:
    """The first member the conditions read that is not what the AI service's API returns,
    with its path; None when the response can be evaluated."""
    if source == RequestSource.TEXTRACT_FORMS:
        return textract_problem(response)
    return rekognition_problem(response)


def textract_problem(response: dict[str, Any]) -> str | None:
    blocks = response.get("Blocks")
    if not isinstance(blocks, list):
        return (
            "must be an AnalyzeDocument response as Textract returns it, with Blocks (an array; "
            "members spelled BlockType, Relationships, ...)"
        )
    for number, block in enumerate(blocks):
        where = f"Blocks[{number}]"
        if not isinstance(block, dict):
            return f"{where}: must be an object, not {describe(block)}"
        for key in ("Id", "BlockType", "Text"):
            if key in block and not isinstance(block[key], str):
                return f"{where}.{key}: must be a string, not {describe(block[key])}"
        if "EntityTypes" in block and not strings(block["EntityTypes"]):
            return f"{where}.EntityTypes: must be an array of strings"
        relationships = block.get("Relationships")
        if relationships is None:
            continue
        if not isinstance(relationships, list):
            return f"{where}.Relationships: must be an array, not {describe(relationships)}"
        for index, relationship in enumerate(relationships):
            if not isinstance(relationship, dict) or not strings(relationship.get("Ids", [])):
                return f"{where}.Relationships[{index}]: must be an object with Type and Ids"
    return None


def rekognition_problem(response: dict[str, Any]) -> str | None:
    labels = response.get("ModerationLabels")
    if not isinstance(labels, list):
        return (
            "must be a DetectModerationLabels response as Rekognition returns it, with "
            "ModerationLabels (an array; members spelled Name, Confidence, ParentName)"
        )
    for number, label in enumerate(labels):
        where = f"ModerationLabels[{number}]"
        if not isinstance(label, dict):
            return f"{where}: must be an object, not {describe(label)}"
        if not isinstance(label.get("Name"), str):
            return f"{where}.Name: must be a string, not {describe(label.get('Name'))}"
    return None


def strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
