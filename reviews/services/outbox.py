"""The outbox's second half: status-change events released once their output.json is written,
and the sweep that finishes what a lost message left undone."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q

from a2i_portal import clock
from reviews.models import HumanLoop, LoopEvent, WebhookDelivery
from reviews.services import webhooks
from reviews.services.outputs import write_loop_output

logger = logging.getLogger(__name__)


@transaction.atomic
def release_events(*, loop_id: int, written_from: datetime) -> list[int]:
    """The loop's events that waited for its output.json go out: those that happened before
    the written file was read (`written_from`); a later ending waits for its own write."""
    ids = list(
        LoopEvent.objects.select_for_update()
        .filter(loop_id=loop_id, awaits_output=True, occurred_at__lte=written_from)
        .values_list("pk", flat=True)
    )
    LoopEvent.objects.filter(pk__in=ids).update(awaits_output=False)
    transaction.on_commit(lambda: dispatch_now(ids))
    return ids


def dispatch_now(ids: list[int]) -> None:
    """Fan the released events out here, not in one more task: the caller (the output task, a
    deletion) is done with its own work. What fails is left to the outbox sweep."""
    for event_pk in ids:
        try:
            webhooks.dispatch_event(event_pk=event_pk)
        except DatabaseError:
            logger.exception("event %s not fanned out; the outbox sweep will", event_pk)


def queue_dispatches(ids: list[int]) -> None:
    from reviews.tasks import dispatch_event  # the tasks module imports the services

    for event_pk in ids:
        dispatch_event.delay(event_pk)


def write_output_and_release(*, loop_id: int) -> str:
    """Write the loop's output.json, then let the events that announced it go out."""
    written_from = clock.now()
    name = write_loop_output(loop_id=loop_id)
    release_events(loop_id=loop_id, written_from=written_from)
    return name


def write_pending_output(*, loop: HumanLoop) -> None:
    """Before a loop is deleted: an output.json not written yet (its task still queued, or
    lost) is written now, so the deletion never loses answers."""
    if loop.status_events.filter(awaits_output=True).exists():
        write_output_and_release(loop_id=loop.pk)


def recover_outbox(*, batch_size: int = 500) -> int:
    """Finish, A2I_OUTBOX_RECOVERY_SECONDS late, what a lost message left undone: output files
    not written, events not fanned out to the webhooks, deliveries whose POST never ran (a
    worker killed mid-task, a broker that refused a message after the commit). Each piece is
    idempotent, so finishing work that was merely slow does no harm. Returns how many pieces
    it took up."""
    overdue = clock.now() - timedelta(seconds=settings.A2I_OUTBOX_RECOVERY_SECONDS)
    return (
        write_overdue_outputs(overdue=overdue, batch_size=batch_size)
        + dispatch_overdue_events(overdue=overdue, batch_size=batch_size)
        + requeue_overdue_deliveries(overdue=overdue, batch_size=batch_size)
    )


def write_overdue_outputs(*, overdue: datetime, batch_size: int) -> int:
    waiting = (
        LoopEvent.objects.filter(awaits_output=True, occurred_at__lte=overdue)
        .order_by("occurred_at")
        .values_list("pk", "loop_id")[:batch_size]
    )
    done = 0
    for event_pk, loop_id in waiting:
        if loop_id is None:  # the loop was deleted before its output was written
            LoopEvent.objects.filter(pk=event_pk).update(awaits_output=False)
            queue_dispatches([event_pk])
        else:
            try:
                write_output_and_release(loop_id=loop_id)
            except (OSError, HumanLoop.DoesNotExist) as exc:
                logger.warning("output of loop %s still not written: %s", loop_id, exc)
                continue
        done += 1
    return done


def dispatch_overdue_events(*, overdue: datetime, batch_size: int) -> int:
    ids = list(
        LoopEvent.objects.filter(
            dispatched_at__isnull=True, awaits_output=False, occurred_at__lte=overdue
        )
        .order_by("occurred_at")
        .values_list("pk", flat=True)[:batch_size]
    )
    for event_pk in ids:
        webhooks.dispatch_event(event_pk=event_pk)
    return len(ids)


@transaction.atomic
def requeue_overdue_deliveries(*, overdue: datetime, batch_size: int) -> int:
    """Pending deliveries due long ago and not in a worker's hands: queued again, and marked due
    now, so the next sweep leaves them alone for another recovery period."""
    now = clock.now()
    ids = list(
        WebhookDelivery.objects.select_for_update(skip_locked=True)
        .filter(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=overdue)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lte=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch_size]
    )
    WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=now)
    transaction.on_commit(lambda: webhooks.queue_deliveries(ids))
    return len(ids)
