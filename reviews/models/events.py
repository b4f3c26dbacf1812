"""The outbox: one row per human loop status change, written in the transaction that made it."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from reviews.models.loops import LoopStatus


class LoopEvent(models.Model):
    """A loop reached a status. `payload` is A2I's status-change event (reference §6.1), built
    when the change happens, so the event outlives the loop (deleted loops, retired flow
    definitions). `event_id` is the event's `id`: receivers de-duplicate on it."""

    event_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    loop = models.ForeignKey(
        "reviews.HumanLoop",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="status_events",
    )
    flow_definition = models.ForeignKey(
        "workflows.FlowDefinition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="loop_events",
    )
    loop_name = models.CharField(max_length=63)
    flow_definition_name = models.CharField(max_length=63)
    status = models.CharField(max_length=16, choices=LoopStatus.choices)
    previous_status = models.CharField(
        max_length=16, choices=LoopStatus.choices, blank=True, default=""
    )
    occurred_at = models.DateTimeField()
    payload = models.JSONField()
    awaits_output = models.BooleanField(
        default=False,
        help_text="The loop ended with answers and its output.json is not written yet; the "
        "event goes out once it is, so a receiver can read the output it announces.",
    )
    dispatched_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When deliveries to the matching webhook endpoints were queued.",
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=LoopStatus.values), name="loopevent_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["loop", "occurred_at"], name="loop_events_by_loop"),
            # The sweeps: events still waiting for their output, or not dispatched yet.
            models.Index(
                fields=["occurred_at"], condition=Q(awaits_output=True), name="events_awaiting"
            ),
            models.Index(
                fields=["occurred_at"],
                condition=Q(dispatched_at__isnull=True, awaits_output=False),
                name="events_undispatched",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loop_name} {self.status}"
