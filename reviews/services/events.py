"""History and outbox rows, written inside the transaction of the change they record; the
signals (and the delivery of status-change events) follow once it commits."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from a2i_portal import clock
from reviews import signals
from reviews.models import HumanLoop, LoopEvent, SlotEvent, TaskSlot

logger = logging.getLogger(__name__)

EVENT_SOURCE = "aws.sagemaker"
EVENT_DETAIL_TYPE = "SageMaker A2I HumanLoop Status Change"


def status_change_payload(*, loop: HumanLoop, event_id: uuid.UUID, at: datetime) -> dict[str, Any]:
    """A2I's human loop status-change event (reference §6.1). `humanLoopOutput` is always there,
    as DescribeHumanLoop has it; failureCode and failureReason are null unless Failed."""
    failed = loop.status == HumanLoop.Status.FAILED
    return {
        "version": "0",
        "id": str(event_id),
        "detail-type": EVENT_DETAIL_TYPE,
        "source": EVENT_SOURCE,
        "account": settings.A2I_ACCOUNT_ID,
        "time": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": settings.A2I_REGION,
        "resources": [loop.arn],
        "detail": {
            "creationTime": clock.iso8601_millis(loop.created_at),
            "failureCode": loop.failure_code if failed else None,
            "failureReason": loop.failure_reason if failed else None,
            "flowDefinitionArn": loop.flow_definition.arn,
            "humanLoopArn": loop.arn,
            "humanLoopName": loop.name,
            "humanLoopOutput": {"outputS3Uri": loop.output_uri},
            "humanLoopStatus": loop.status,
        },
    }


def record_status_change(
    *, loop: HumanLoop, previous_status: str, at: datetime, awaits_output: bool = False
) -> LoopEvent:
    """The outbox row of a status change the caller has just saved (in its transaction). After
    the commit: `loop_status_changed` is sent and, unless the event waits for the loop's
    output.json, its delivery to the webhooks is queued."""
    event_id = uuid.uuid4()
    event = LoopEvent.objects.create(
        event_id=event_id,
        loop=loop,
        flow_definition_id=loop.flow_definition_id,
        loop_name=loop.name,
        flow_definition_name=loop.flow_definition.name,
        status=loop.status,
        previous_status=previous_status,
        occurred_at=at,
        payload=status_change_payload(loop=loop, event_id=event_id, at=at),
        awaits_output=awaits_output,
    )
    transaction.on_commit(lambda: after_status_change(event))
    return event


def after_status_change(event: LoopEvent) -> None:
    from reviews.tasks import dispatch_event  # the tasks module imports the services

    logger.info(
        "loop %s: %s -> %s",
        event.loop_name,
        event.previous_status or "(new)",
        event.status,
        extra={
            "event": "loop.status_changed",
            "loop": event.loop_name,
            "flow_definition": event.flow_definition_name,
            "status": event.status,
            "previous_status": event.previous_status or None,
            "event_id": str(event.event_id),
        },
    )
    signals.loop_status_changed.send_robust(sender=HumanLoop, event=event)
    if not event.awaits_output:
        dispatch_event.delay(event.pk)


def record_slot_event(
    *, slot: TaskSlot, loop: HumanLoop | int, kind: str, reviewer_id: int | None, at: datetime
) -> SlotEvent:
    """A slot's history row; `slot_event_recorded` is sent after the commit."""
    loop_id = loop if isinstance(loop, int) else loop.pk
    event = SlotEvent.objects.create(
        slot=slot, loop_id=loop_id, kind=kind, reviewer_id=reviewer_id, at=at
    )
    if not isinstance(loop, int):
        event.loop = loop  # receivers read its flow definition without a query
    transaction.on_commit(lambda: after_slot_event(event, slot))
    return event


def record_slot_events(*, slots: list[TaskSlot], loop: HumanLoop, kind: str, at: datetime) -> None:
    """The same history row for several slots nobody holds (one insert)."""
    events = SlotEvent.objects.bulk_create(
        SlotEvent(slot=slot, loop=loop, kind=kind, at=at) for slot in slots
    )
    for event, slot in zip(events, slots, strict=True):
        transaction.on_commit(lambda event=event, slot=slot: after_slot_event(event, slot))


def after_slot_event(event: SlotEvent, slot: TaskSlot) -> None:
    logger.info(
        "slot %s of loop %s: %s",
        slot.index,
        event.loop_id,
        event.kind,
        extra={
            "event": f"slot.{event.kind}",
            "loop_id": event.loop_id,
            "slot_id": slot.pk,
            "slot_index": slot.index,
            "reviewer_id": event.reviewer_id,
        },
    )
    signals.slot_event_recorded.send_robust(sender=SlotEvent, event=event, slot=slot)
