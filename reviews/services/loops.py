"""Human loop services: start, stop, delete, re-open, and the availability-lifetime sweep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from a2i_portal import clock
from a2i_portal.errors import Conflict, Invalid, NotFound, QuotaExceeded
from a2i_portal.validation import full_clean_or_invalid
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services.endings import fail_loop, settle_loop, withdraw_slots
from reviews.services.events import record_slot_events, record_status_change
from reviews.services.outbox import write_pending_output
from reviews.services.outputs import output_uri
from reviews.services.slots import has_eligible_reviewer
from workflows.models import FlowDefinition
from workflows.services.flow_definitions import flow_definition_for_new_loop

# Fields start_loop() fills in itself; the client's fields are validated before any query.
LOOP_FIELDS_SET_HERE = [
    "flow_definition",
    "output_uri",
    "created_at",
    "updated_at",
    "expires_at",
]

# A fixed key for the advisory lock that serialises the in-progress quota check on PostgreSQL.
QUOTA_LOCK_KEY = 0x4132_4951  # "A2IQ"


@transaction.atomic
def start_loop(
    *,
    name: str,
    flow_definition_name: str,
    input_content: str,
    data_attributes: dict[str, Any] | None = None,
) -> HumanLoop:
    """Start a human loop of a custom flow definition: InProgress, with TaskCount open slots.

    A name already in use is a Conflict, except the idempotent retry (same flow definition, same
    input, same data attributes), which returns the existing loop. Raises NotFound (flow
    definition), Invalid (name, input, data attributes, a flow definition that cannot start
    loops), Conflict, QuotaExceeded.
    """
    if not isinstance(input_content, str):
        raise Invalid("input_content", "must be a string holding a JSON document")
    loop = HumanLoop(name=name, input_content=input_content, data_attributes=data_attributes)
    full_clean_or_invalid(loop, exclude=LOOP_FIELDS_SET_HERE)

    flow = startable_flow_definition(name=flow_definition_name)
    if flow.is_built_in:
        raise Invalid(
            "flow_definition",
            f"flow definition {flow.name!r} has the built-in request source "
            f"{flow.request_source}; its loops start when its activation conditions hold",
        )
    loop, _ = insert_loop(loop=loop, flow=flow)
    return loop


def startable_flow_definition(*, name: str) -> FlowDefinition:
    """The flow definition a loop is about to start on, held until the commit when called inside
    the starting transaction (flow_definition_for_new_loop). Raises NotFound, and Invalid when it
    is not Active."""
    flow = flow_definition_for_new_loop(name=name)
    if flow is None:
        raise NotFound("flow_definition", f"flow definition {name!r} does not exist")
    if flow.status != FlowDefinition.Status.ACTIVE:
        raise Invalid(
            "flow_definition",
            f"flow definition {flow.name!r} is {flow.status}; loops start only on an Active one",
        )
    return flow


def insert_loop(*, loop: HumanLoop, flow: FlowDefinition) -> tuple[HumanLoop, bool]:
    """Write a new loop InProgress on `flow` (from startable_flow_definition, in the same
    transaction): TaskCount open slots, their queue rows and the status-change event. `loop`
    holds the client's fields, already validated. Returns the loop and True, or for a retry of
    the same start the existing loop and False. Raises Conflict (the name is taken by another
    start), QuotaExceeded."""
    now = clock.now()
    loop.flow_definition = flow
    loop.created_at = loop.updated_at = now
    loop.expires_at = now + timedelta(seconds=flow.task_availability_lifetime)
    existing = HumanLoop.objects.filter(name=loop.name).first()
    if existing is not None:
        return same_loop_or_conflict(existing, loop), False
    check_in_progress_quota()
    loop.output_uri = output_uri(
        output_path=flow.output_path,
        flow_definition_name=flow.name,
        created_at=now,
        loop_name=loop.name,
    )
    try:
        with transaction.atomic():  # a savepoint: a concurrent start of the same name lands here
            loop.save(force_insert=True)
    except IntegrityError:
        return same_loop_or_conflict(HumanLoop.objects.get(name=loop.name), loop), False

    slots = TaskSlot.objects.bulk_create(
        TaskSlot(loop=loop, index=index) for index in range(flow.task_count)
    )
    OpenSlot.objects.bulk_create(
        OpenSlot(slot=slot, loop=loop, flow_definition=flow, expires_at=loop.expires_at)
        for slot in slots
    )
    record_status_change(loop=loop, previous_status="", at=now)
    return loop, True


def same_loop_or_conflict(existing: HumanLoop, requested: HumanLoop) -> HumanLoop:
    """A retry of the same start returns the loop it made; anything else under that name is a
    Conflict (A2I: ConflictException)."""
    if (
        existing.flow_definition_id == requested.flow_definition_id
        and existing.input_content == requested.input_content
        and existing.data_attributes == requested.data_attributes
    ):
        return existing
    raise Conflict(
        "name",
        f"a human loop named {existing.name!r} already exists with different input; "
        "choose another name or delete that loop first",
    )


def check_in_progress_quota() -> None:
    """Refuse a start that would pass A2I_MAX_IN_PROGRESS_LOOPS (0: no cap)."""
    cap = settings.A2I_MAX_IN_PROGRESS_LOOPS
    if not cap:
        return
    if connection.vendor == "postgresql":  # two starts must not both take the last place
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [QUOTA_LOCK_KEY])
    in_progress = HumanLoop.objects.filter(status=HumanLoop.Status.IN_PROGRESS).count()
    if in_progress >= cap:
        raise QuotaExceeded(
            "human_loops", f"{in_progress} loops are in progress, the quota is {cap}"
        )


@transaction.atomic
def stop_loop(*, loop: HumanLoop) -> HumanLoop:
    """InProgress -> Stopping: open slots are withdrawn at once; claimed ones stay with their
    reviewer until submitted, released or expired; with none claimed the loop is Stopped now.

    Stopping a Stopping or Stopped loop changes nothing. Raises Conflict for Completed and Failed.
    """
    loop = HumanLoop.objects.select_for_update(no_key=True).get(pk=loop.pk)
    if loop.status in (HumanLoop.Status.STOPPING, HumanLoop.Status.STOPPED):
        return loop
    if loop.status != HumanLoop.Status.IN_PROGRESS:
        raise Conflict("status", f"human loop {loop.name!r} is {loop.status} and cannot be stopped")
    now = clock.now()
    loop.status, loop.updated_at = HumanLoop.Status.STOPPING, now
    loop.save(update_fields=["status", "updated_at"])
    record_status_change(loop=loop, previous_status=HumanLoop.Status.IN_PROGRESS, at=now)
    withdraw_slots(loop=loop, states=(TaskSlot.State.OPEN,), at=now)
    return settle_loop(loop=loop, at=now)


@transaction.atomic
def delete_loop(*, loop: HumanLoop) -> None:
    """Completed | Failed | Stopped -> gone (its name is free again; output files are kept).
    An output.json not written yet (its task still queued, or lost) is written first, so the
    deletion never loses answers. Raises Conflict for InProgress and Stopping loops."""
    loop = HumanLoop.objects.select_for_update().get(pk=loop.pk)
    if not loop.is_terminal:
        raise Conflict(
            "status",
            f"human loop {loop.name!r} is {loop.status}; only Completed, Failed or Stopped "
            "loops can be deleted (stop it first)",
        )
    write_pending_output(loop=loop)
    loop.delete()


def fail_expired_loops(*, batch_size: int = 500) -> int:
    """InProgress loops past their availability lifetime -> Failed (Expired). Each loop in its
    own transaction, so one sweep never holds many locks. Returns how many failed."""
    now = clock.now()
    due = list(
        HumanLoop.objects.filter(status=HumanLoop.Status.IN_PROGRESS, expires_at__lte=now)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:batch_size]
    )
    return sum(fail_expired_loop(loop_id=loop_id) for loop_id in due)


@transaction.atomic
def fail_expired_loop(*, loop_id: int) -> bool:
    """One loop of the sweep; False when it ended or was stopped meanwhile."""
    loop = HumanLoop.objects.select_for_update(no_key=True).filter(pk=loop_id).first()
    now = clock.now()
    if loop is None or loop.status != HumanLoop.Status.IN_PROGRESS or loop.expires_at > now:
        return False
    fail_loop(
        loop=loop,
        code=HumanLoop.FailureCode.EXPIRED,
        reason=(
            f"The task availability lifetime of {loop.flow_definition.task_availability_lifetime} "
            "seconds passed before every task was answered."
        ),
        at=now,
    )
    return True


# Failures a re-open can cure: the time ran out (or every reviewer declined), or the portal
# itself failed. A ValidationError is the input's fault: the same input would fail again.
REOPENABLE_FAILURES = (HumanLoop.FailureCode.EXPIRED, HumanLoop.FailureCode.INTERNAL_ERROR)


@transaction.atomic
def reopen_loop(*, loop: HumanLoop) -> HumanLoop:
    """Failed -> InProgress: an operator gives a loop another chance.

    The answers still missing are open again (their withdrawn slots go back to the queue, each
    with a `reopened` event); submitted answers stay. The loop gets a fresh availability window
    (now + the flow definition's TaskAvailabilityLifetime); its failure code, reason and
    completed_at are cleared; its output URI and creation time stay.

    Only loops that failed as Expired or InternalError: a ValidationError failure would come
    back with the same input. Raises NotFound (deleted meanwhile), Conflict (not Failed, failed
    for another reason, flow definition not Active, no member of the work team left who may take
    its tasks), QuotaExceeded (A2I_MAX_IN_PROGRESS_LOOPS).
    """
    # Loop first, as every transition: a concurrent sweep, stop or delete waits, then sees the
    # loop InProgress with a deadline in the future (or finds it gone before this reads it).
    locked = (
        HumanLoop.objects.select_for_update(no_key=True, of=("self",))
        .select_related("flow_definition")
        .defer("input_content")
        .filter(pk=loop.pk)
        .first()
    )
    if locked is None:
        raise NotFound("human_loop", f"human loop {loop.name!r} does not exist")
    loop = locked
    if loop.status != HumanLoop.Status.FAILED:
        raise Conflict(
            "status",
            f"human loop {loop.name!r} is {loop.status}; only Failed loops can be re-opened",
        )
    if loop.failure_code not in REOPENABLE_FAILURES:
        raise Conflict(
            "failure_code",
            f"human loop {loop.name!r} failed with {loop.failure_code}: its input was refused "
            "and would be again; start a new loop with corrected input",
        )
    # As a start does: a flow definition turning Deleting waits for this, or this sees Deleting.
    flow = flow_definition_for_new_loop(name=loop.flow_definition.name)
    if flow is None or flow.status != FlowDefinition.Status.ACTIVE:
        status = "gone" if flow is None else flow.status
        raise Conflict(
            "flow_definition",
            f"flow definition {loop.flow_definition.name!r} is {status}; loops re-open only on "
            "an Active one",
        )
    missing = list(
        TaskSlot.objects.select_for_update(no_key=True)
        .filter(loop=loop, state=TaskSlot.State.WITHDRAWN)
        .order_by("index")
    )
    if not missing:
        raise Conflict("status", f"human loop {loop.name!r} has every answer it needs")
    loop.flow_definition = flow
    if not has_eligible_reviewer(loop):
        raise Conflict(
            "work_team",
            f"no member of work team {flow.work_team.name!r} may take its tasks: each one "
            "declined the loop or already took a task of it; add reviewers to the team first",
        )
    check_in_progress_quota()

    now = clock.now()
    loop.status, loop.failure_code, loop.failure_reason = HumanLoop.Status.IN_PROGRESS, "", ""
    loop.completed_at, loop.updated_at = None, now
    loop.expires_at = now + timedelta(seconds=flow.task_availability_lifetime)
    loop.save(
        update_fields=[
            "status",
            "failure_code",
            "failure_reason",
            "completed_at",
            "updated_at",
            "expires_at",
        ]
    )
    for slot in missing:
        slot.state = TaskSlot.State.OPEN
        slot.save(update_fields=["state"])
    record_slot_events(slots=missing, loop=loop, kind=SlotEvent.Kind.REOPENED, at=now)
    OpenSlot.objects.bulk_create(
        OpenSlot(slot=slot, loop=loop, flow_definition=flow, expires_at=loop.expires_at)
        for slot in missing
    )
    record_status_change(loop=loop, previous_status=HumanLoop.Status.FAILED, at=now)
    return loop
