"""Human loops: one review job for one data object."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EMPTY_VALUES, MaxLengthValidator
from django.db import models
from django.db.models import Q

from a2i_portal import arns
from workflows import limits
from workflows.models import FlowDefinition, regex_check


def validate_json_document(value: str) -> None:
    try:
        json.loads(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"must be the serialized form of a JSON document ({exc})") from exc


DATA_ATTRIBUTES_SHAPE = 'must be an object {"ContentClassifiers": [...]}'


def validate_data_attributes(value: object) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or set(value) != {"ContentClassifiers"}:
        raise ValidationError(DATA_ATTRIBUTES_SHAPE)
    limits.content_classifiers(value["ContentClassifiers"])


class LoopStatus(models.TextChoices):
    IN_PROGRESS = "InProgress"
    COMPLETED = "Completed"
    FAILED = "Failed"
    STOPPING = "Stopping"
    STOPPED = "Stopped"


class FailureCode(models.TextChoices):
    VALIDATION_ERROR = "ValidationError"
    EXPIRED = "Expired"
    INTERNAL_ERROR = "InternalError"


class HumanLoop(models.Model):
    """One review job for one data object; it fans out into TaskCount task slots."""

    Status = LoopStatus
    FailureCode = FailureCode

    TERMINAL = (Status.COMPLETED, Status.FAILED, Status.STOPPED)

    # Unique per deployment (A2I: per account and region), and free again once deleted.
    name = models.CharField(
        max_length=limits.NAME_MAX_LENGTH,
        unique=True,
        validators=[limits.lowercase_name],
    )
    flow_definition = models.ForeignKey(
        FlowDefinition, on_delete=models.PROTECT, related_name="loops"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    # Kept as the client sent it: an idempotent retry compares it, output.json parses it.
    input_content = models.TextField(
        validators=[
            MaxLengthValidator(limits.INPUT_CONTENT_MAX_LENGTH),
            validate_json_document,
        ]
    )
    data_attributes = models.JSONField(null=True, blank=True, validators=[validate_data_attributes])
    failure_code = models.CharField(
        max_length=32, choices=FailureCode.choices, blank=True, default=""
    )
    failure_reason = models.CharField(
        max_length=limits.FAILURE_REASON_MAX_LENGTH, blank=True, default=""
    )
    output_uri = models.CharField(
        max_length=2048,
        help_text="Where output.json is written: known from creation on.",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField(
        help_text="Creation time plus the task availability lifetime: the loop fails after it."
    )
    completed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the loop reached Completed, Failed or Stopped.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            regex_check("name", limits.LOWERCASE_NAME_PATTERN, "humanloop_name_pattern"),
            models.CheckConstraint(
                condition=Q(status__in=LoopStatus.values), name="humanloop_status_valid"
            ),
            models.CheckConstraint(  # a Failed loop says why; no other loop carries a failure
                condition=(Q(status="Failed") & ~Q(failure_code=""))
                | (~Q(status="Failed") & Q(failure_code="")),
                name="humanloop_failure_code_iff_failed",
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True, status__in=["InProgress", "Stopping"])
                | Q(
                    completed_at__isnull=False,
                    status__in=["Completed", "Failed", "Stopped"],
                ),
                name="humanloop_completed_at_iff_terminal",
            ),
        ]
        indexes = [
            # ListHumanLoops: one flow definition's loops by creation time, either direction.
            models.Index(fields=["flow_definition", "created_at", "id"], name="loops_by_flow"),
            # notify_reviewers_of_new_work(): in-progress loops by arrival (start or re-open).
            models.Index(
                fields=["updated_at"],
                condition=Q(status="InProgress"),
                name="inprogress_arrivals",
            ),
            # fail_expired_loops(): in-progress loops by availability deadline.
            models.Index(
                fields=["expires_at"],
                condition=Q(status="InProgress"),
                name="inprogress_expiry",
            ),
            # The admin's loop list, newest first: by status (and the quota's count of
            # InProgress loops), unfiltered or by creation date range, and by flow definition
            # and status together.
            models.Index(fields=["status", "created_at"], name="loops_by_status"),
            models.Index(fields=["created_at", "id"], name="loops_by_creation"),
            models.Index(
                fields=["flow_definition", "status", "created_at", "id"],
                name="loops_by_flow_status",
            ),
            # The dashboard: loops completed per hour, times to completion and agreement, by
            # completion time (a re-opened loop completes long after it was created).
            models.Index(
                fields=["status", "completed_at"],
                include=["flow_definition", "created_at"],
                condition=Q(completed_at__isnull=False),
                name="loops_by_end",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def task_input(self) -> Any:
        """The input as the worker template sees it (`task.input`): the parsed JSON document."""
        return json.loads(self.input_content)

    @property
    def arn(self) -> str:
        return arns.human_loop_arn(self.name)

    arn.fget.short_description = "ARN"  # how the admin labels it

    @property
    def is_terminal(self) -> bool:
        return self.status in self.TERMINAL

    def clean(self) -> None:
        # blank=True makes Django skip the field's validators for {}, [] and "", yet none of them
        # is a DataAttributes structure (ContentClassifiers is required once it is present).
        if self.data_attributes is not None and self.data_attributes in EMPTY_VALUES:
            raise ValidationError({"data_attributes": DATA_ATTRIBUTES_SHAPE})
