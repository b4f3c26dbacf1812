"""Celery tasks: thin wrappers that call a service; the periodic sweeps return what it counted."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


def drain(sweep: Callable[..., int]) -> int:
    """Run a batched sweep again while its batches come back full, for up to one sweep
    interval: a worker back from downtime catches up at once, not a batch per interval."""
    deadline = time.monotonic() + settings.A2I_SWEEP_INTERVAL
    total = 0
    while True:
        done = sweep(batch_size=SWEEP_BATCH)
        total += done
        if done < SWEEP_BATCH or time.monotonic() >= deadline:
            return total


@shared_task(acks_late=True)
def expire_overdue_claims() -> int:
    """Periodic: claims past their deadline go back to the queue."""
    from reviews.services.slots import expire_overdue_claims as sweep

    return drain(sweep)


@shared_task(acks_late=True)
def fail_expired_loops() -> int:
    """Periodic: loops past their availability lifetime fail as Expired."""
    from reviews.services.loops import fail_expired_loops as sweep

    return drain(sweep)


@shared_task(acks_late=True)
def retire_deleting_flow_definitions() -> int:
    """Periodic, and asked for after each deletion: the loops of Deleting flow definitions go,
    then the flow definitions left without loops."""
    from reviews.services.retirement import retire_deleting_flow_definitions as sweep

    return drain(sweep)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8, acks_late=True)
def write_output(loop_id: int) -> None:
    """After a loop ends with answers: write its output.json; running it twice writes the same
    file. An OSError of the outputs storage (a folder, or an S3 bucket that refused or could
    not be reached) is retried with backoff, for up to about four minutes; after that the
    outbox sweep tries again. A loop deleted before the task runs had its output written by
    the deletion."""
    from reviews.models import HumanLoop
    from reviews.services.outbox import write_output_and_release

    try:
        write_output_and_release(loop_id=loop_id)
    except HumanLoop.DoesNotExist:
        logger.info("loop %s was deleted before its output was written", loop_id)


@shared_task(acks_late=True)
def dispatch_event(event_pk: int) -> int:
    """After a status change (or its output.json) commits: one delivery per webhook endpoint
    that wants the event, each POSTed by `deliver_webhook`."""
    from reviews.services.webhooks import dispatch_event as dispatch

    return len(dispatch(event_pk=event_pk))


@shared_task(acks_late=True)
def deliver_webhook(delivery_id: int) -> None:
    """POST one delivery once; the service schedules the next attempt when it fails."""
    from reviews.services.webhooks import deliver

    deliver(delivery_id=delivery_id)


@shared_task(acks_late=True)
def recover_outbox() -> int:
    """Periodic: output files, event fan-outs and webhook POSTs a lost message left undone."""
    from reviews.services.outbox import recover_outbox as sweep

    return drain(sweep)


@shared_task(acks_late=True)
def notify_reviewers_of_new_work() -> int:
    """Periodic: reviewers are emailed about new work of their teams, at most once an interval."""
    from reviews.services.notifications import notify_reviewers_of_new_work as sweep

    return drain(sweep)
