"""Task slots (one per answer a loop needs), the open-slot queue, and the slot history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from workflows.models import FlowDefinition


class SlotState(models.TextChoices):
    OPEN = "open"
    CLAIMED = "claimed"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class TaskSlot(models.Model):
    """One answer a human loop needs. A loop has TaskCount slots."""

    State = SlotState

    loop = models.ForeignKey("reviews.HumanLoop", on_delete=models.CASCADE, related_name="slots")
    index = models.PositiveSmallIntegerField(help_text="0 to TaskCount - 1 within its loop.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_slots",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answer = models.JSONField(null=True, blank=True)
    time_spent = models.FloatField(
        "time spent (seconds)", null=True, blank=True, help_text="Active working time."
    )

    class Meta:
        ordering = ["loop_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["loop", "index"], name="one_slot_per_index"),
            models.UniqueConstraint(  # a reviewer holds at most one slot of a loop
                fields=["loop", "reviewer"],
                condition=Q(reviewer__isnull=False),
                name="one_slot_per_reviewer_per_loop",
            ),
            models.CheckConstraint(
                condition=Q(state__in=SlotState.values), name="taskslot_state_valid"
            ),
            models.CheckConstraint(  # the fields each state needs, and only those
                condition=Q(state__in=["open", "withdrawn"], reviewer__isnull=True)
                | Q(
                    state="claimed",
                    reviewer__isnull=False,
                    claimed_at__isnull=False,
                    deadline__isnull=False,
                    answer__isnull=True,
                )
                | Q(
                    state="submitted",
                    reviewer__isnull=False,
                    claimed_at__isnull=False,
                    submitted_at__isnull=False,
                    answer__isnull=False,
                ),
                name="taskslot_state_fields",
            ),
        ]
        indexes = [
            # expire_overdue_claims(): claims by deadline.
            models.Index(
                fields=["deadline"],
                condition=Q(state="claimed"),
                name="claimed_by_deadline",
            ),
            # A reviewer's current claims (resume work, the reviewer's page).
            models.Index(
                fields=["reviewer"],
                condition=Q(state="claimed"),
                name="claimed_by_reviewer",
            ),
            # A reviewer's answers by submission time: tasks per reviewer on the dashboard,
            # the reviewer's page and the users list.
            models.Index(
                fields=["reviewer", "submitted_at"],
                include=["loop", "time_spent"],
                condition=Q(state="submitted"),
                name="answers_by_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loop_id}#{self.index} ({self.state})"


class OpenSlot(models.Model):
    """The queue of open slots: a narrow row per open slot, deleted on claim and re-inserted on
    release or expiry.

    The claim query scans this table in slot order. Keeping it narrow and apart from TaskSlot
    means a claim leaves one small dead tuple here instead of a dead entry at the head of an
    index over a wide, often-updated table; the table has its own aggressive autovacuum
    settings on PostgreSQL (migration 0002) so the head of the queue is cleaned continuously.
    """

    slot = models.OneToOneField(
        TaskSlot, primary_key=True, on_delete=models.CASCADE, related_name="queue_entry"
    )
    loop = models.ForeignKey("reviews.HumanLoop", on_delete=models.CASCADE, related_name="+")
    flow_definition = models.ForeignKey(
        FlowDefinition, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    expires_at = models.DateTimeField(help_text="The loop's availability deadline.")

    class Meta:
        ordering = ["slot_id"]
        indexes = [
            # claim_next_slot(): the oldest open slots of the reviewer's flow definitions.
            models.Index(fields=["flow_definition", "slot"], name="queue_by_flow"),
        ]

    def __str__(self) -> str:
        return f"open slot {self.slot_id}"


class EventKind(models.TextChoices):
    CLAIMED = "claimed"
    RELEASED = "released"
    DECLINED = "declined"
    EXPIRED = "expired"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"  # withdrawn -> open when an operator re-opens a Failed loop


class SlotEvent(models.Model):
    """Append-only history of a slot: who claimed, released, declined, lost or answered it."""

    Kind = EventKind

    slot = models.ForeignKey(TaskSlot, on_delete=models.CASCADE, related_name="events")
    # The loop again, so a loop's history and a reviewer's declines need no join.
    loop = models.ForeignKey("reviews.HumanLoop", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="slot_events",
        help_text="The reviewer the event concerns; empty for a slot nobody held.",
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="slotevent_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["loop", "at"], name="events_by_loop"),
            # claim_next_slot(): a reviewer is never offered a loop they declined.
            models.Index(
                fields=["loop", "reviewer"],
                condition=Q(kind="declined"),
                name="declines",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} slot {self.slot_id} at {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("slot events are append-only")
        super().save(*args, **kwargs)
