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

OUTPUT_FILE = "output.json"


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
    """One humanAnswers[] entry: A2I section 5.4."""
    request_source = slot.loop.flow_definition.request_source
    answer = {request_source: slot.answer} if request_source else slot.answer
    return {
        "acceptanceTime": clock.iso8601_millis(slot.claimed_at),
        "answerContent": answer,
        "submissionTime": clock.iso8601_millis(slot.submitted_at),
        "timeSpentInSeconds": round(slot.time_spent or 0.0, 3),
        "workerId": worker.worker_id,
        "workerMetadata": {"identityData": identity_of(worker)},
    }


def build_output(loop: HumanLoop) -> dict[str, Any]:
    """The output.json document of a loop: A2I section 5.2 (and 5.3 for built-in sources)."""
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
    document: dict[str, Any] = {
        "flowDefinitionArn": loop.flow_definition.arn,
        "humanAnswers": [human_answer(slot, workers[slot.reviewer_id]) for slot in slots],
        "humanLoopName": loop.name,
        "inputContent": loop.task_input,
    }
    if loop.flow_definition.request_source:
        document["awsManagedHumanLoopRequestSource"] = loop.flow_definition.request_source
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
