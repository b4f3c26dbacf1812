"""output.json: where it goes (A2I's key layout) and what it says (A2I's shape)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from a2i_portal import clock
from reviews.models import HumanLoop, TaskSlot, WorkerIdentity
from reviews.services.output_storage import output_location, read_output, save_output
from workflows.models import RequestSource

OUTPUT_FILE = "output.json"
# What a built-in loop's output.json shows of its input (reference §5.3).
BUILT_IN_INPUT_CONTENT = (
    "aiServiceRequest",
    "aiServiceResponse",
    "humanTaskActivationConditionResults",
    "selectedAiServiceResponse",
)


def output_uri(
    *, output_path: str, flow_definition_name: str, created_at: datetime, loop_name: str
) -> str:
    """{S3OutputPath}/{flow definition}/{YYYY}/{MM}/{DD}/{hh}/{mm}/{ss}/{loop}/output.json, from
    the loop's creation time in UTC; trailing slashes of the path never make a `//`."""
    stamp = created_at.astimezone(UTC).strftime("%Y/%m/%d/%H/%M/%S")
    return f"{output_path.rstrip('/')}/{flow_definition_name}/{stamp}/{loop_name}/{OUTPUT_FILE}"


def storage_name(uri: str) -> str:
    """The name of an output URI in the storage that holds it: the URI without its scheme in
    the default folder, the key in an S3 bucket."""
    return output_location(uri)[1]


def identity_of(worker: WorkerIdentity) -> dict[str, Any]:
    return {
        "identityProviderType": "Oidc",
        "issuer": settings.SITE_URL,
        "sub": str(worker.sub),
    }


def human_answer(slot: TaskSlot, worker: WorkerIdentity) -> dict[str, Any]:
    """One humanAnswers[] entry: A2I section 5.4.

    For a built-in request source the answer is keyed by the source (§5.3). The built-in widgets
    already answer under that key (CROWD-ELEMENTS §3.7), so only an answer without it is wrapped.
    Rekognition answers list only the labels the reviewer chose, which the widget already does;
    the element reference's `ModerationLabels` spelling is written as `moderationLabels`."""
    return {
        "acceptanceTime": clock.iso8601_millis(slot.claimed_at),
        "answerContent": answer_content(
            slot.answer, request_source=slot.loop.flow_definition.request_source
        ),
        "submissionTime": clock.iso8601_millis(slot.submitted_at),
        "timeSpentInSeconds": round(slot.time_spent or 0.0, 3),
        "workerId": worker.worker_id,
        "workerMetadata": {"identityData": identity_of(worker)},
    }


def answer_content(answer: Any, *, request_source: str) -> Any:
    """A slot's answer as output.json writes it: a built-in source's answer under the source's
    key, and a Rekognition answer's labels spelled `moderationLabels`."""
    if not request_source:
        return answer
    if not (isinstance(answer, dict) and request_source in answer):
        answer = {request_source: answer}
    given = answer[request_source]
    if (
        request_source == RequestSource.REKOGNITION_MODERATION
        and isinstance(given, dict)
        and "ModerationLabels" in given
        and "moderationLabels" not in given
    ):
        given = {
            ("moderationLabels" if key == "ModerationLabels" else key): value
            for key, value in given.items()
        }
        answer = {**answer, request_source: given}
    return answer


def build_output(loop: HumanLoop) -> dict[str, Any]:
    """The output.json document of a loop: A2I section 5.2 (and 5.3 for built-in sources).

    A built-in loop's inputContent holds the four members of §5.3: the AI service request and
    response lowerCamelCase, the condition results as the flow definition spells them
    (PascalCase), and what reviewers were shown, as the activation put them in the loop's
    input. The input also carries `humanLoopContext` for the worker template; §5.3 does not
    list it, so it stays out."""
    slots = list(
        loop.slots.filter(state=TaskSlot.State.SUBMITTED)
        .select_related("loop__flow_definition")
        .order_by("submitted_at", "index")
    )
    workers = {
        w.user_id: w for w in WorkerIdentity.objects.filter(user__in=[s.reviewer_id for s in slots])
    }
    for slot in slots:
        if slot.reviewer_id not in workers:
            workers[slot.reviewer_id] = worker_identity_for(user_id=slot.reviewer_id)
    request_source = loop.flow_definition.request_source
    input_content = loop.task_input
    if request_source and isinstance(input_content, dict) and "aiServiceResponse" in input_content:
        input_content = {
            key: value for key, value in input_content.items() if key in BUILT_IN_INPUT_CONTENT
        }
    document: dict[str, Any] = {
        "flowDefinitionArn": loop.flow_definition.arn,
        "humanAnswers": [human_answer(slot, workers[slot.reviewer_id]) for slot in slots],
        "humanLoopName": loop.name,
        "inputContent": input_content,
    }
    if request_source:
        document["awsManagedHumanLoopRequestSource"] = request_source
    return document


def worker_identity_for(*, user_id: int) -> WorkerIdentity:
    """The reviewer's worker identity, created on first use."""
    with transaction.atomic():
        worker, _ = WorkerIdentity.objects.get_or_create(user_id=user_id)
    return worker


def write_loop_output(*, loop_id: int) -> str:
    """Write output.json of a loop that ended with answers; writing it again gives the same file.
    Returns the storage name. Raises OSError (OutputStorageError for S3) when the storage fails."""
    loop = HumanLoop.objects.select_related("flow_definition").get(pk=loop_id)
    body = json.dumps(build_output(loop), sort_keys=True, ensure_ascii=False).encode()
    return save_output(loop.output_uri, body)


def read_loop_output(loop: HumanLoop) -> dict[str, Any] | None:
    """The loop's output.json, or None while it is not written."""
    body = read_output(loop.output_uri)
    return None if body is None else json.loads(body)
