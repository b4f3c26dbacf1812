"""Celery tasks: thin wrappers that call a service and return what it counted."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def expire_overdue_claims() -> int:
    """Periodic: claims past their deadline go back to the queue."""
    from reviews.services.slots import expire_overdue_claims as sweep

    return sweep()


@shared_task(acks_late=True)
def fail_expired_loops() -> int:
    """Periodic: loops past their availability lifetime fail as Expired."""
    from reviews.services.loops import fail_expired_loops as sweep

    return sweep()


@shared_task(acks_late=True)
def retire_deleting_flow_definitions() -> int:
    """Periodic, and asked for after each deletion: the loops of Deleting flow definitions go,
    then the flow definitions left without loops."""
    from reviews.services.retirement import retire_deleting_flow_definitions as sweep

    return sweep()
