"""Configuration: work teams, human task UIs (worker templates) and flow definitions."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from a2i_portal import arns, clock
from workflows import limits
from workflows.activation import validate_activation_conditions, validate_routing_conditions
from workflows.templating.engine import content_digest, problems_of


def now() -> datetime:
    """Default for creation times: through the one clock, so tests that move time see it."""
    return clock.now()


def regex_check(field: str, pattern: str, name: str) -> models.CheckConstraint:
    """The database's own copy of a name rule: full pattern match and the 63-character limit."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__regex": rf"^(?:{pattern})$"})
        & LessThanOrEqual(Length(field), limits.NAME_MAX_LENGTH),
        name=name,
    )


class WorkTeam(models.Model):
    """The reviewers who receive a flow definition's tasks: users added directly, plus the users
    of the Django groups named as its member groups (A2I's identity-provider groups)."""

    name = models.CharField(
        max_length=limits.NAME_MAX_LENGTH,
        unique=True,
        validators=[limits.workteam_name],
    )
    description = models.CharField(max_length=limits.WORKTEAM_DESCRIPTION_MAX_LENGTH)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="work_teams"
    )
    member_groups = models.ManyToManyField(Group, blank=True, related_name="work_teams")
    notify_by_email = models.BooleanField(
        default=True,
        help_text="Email the reviewers of this team when new work arrives.",
    )
    created_at = models.DateTimeField(default=now, editable=False)
    updated_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            regex_check("name", limits.WORKTEAM_NAME_PATTERN, "workteam_name_pattern"),
            models.CheckConstraint(
                condition=~Q(description=""), name="workteam_description_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def arn(self) -> str:
        return arns.workteam_arn(self.name)

    arn.fget.short_description = "ARN"  # how the admin labels it


class HumanTaskUi(models.Model):
    """A worker task template: HTML and Liquid using Crowd HTML Elements."""

    name = models.CharField(
        max_length=limits.NAME_MAX_LENGTH,
        unique=True,
        validators=[limits.lowercase_name],
    )
    content = models.TextField(validators=[MaxLengthValidator(limits.UI_TEMPLATE_MAX_LENGTH)])
    created_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "human task UI"
        constraints = [
            regex_check("name", limits.LOWERCASE_NAME_PATTERN, "humantaskui_name_pattern"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("content"), limits.UI_TEMPLATE_MAX_LENGTH)
                & ~Q(content=""),
                name="humantaskui_content_length",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def arn(self) -> str:
        return arns.human_task_ui_arn(self.name)

    arn.fget.short_description = "ARN"  # how the admin labels it

    @property
    def content_sha256(self) -> str:
        return content_digest(self.content)

    def clean(self) -> None:
        if not self.content or len(self.content) > limits.UI_TEMPLATE_MAX_LENGTH:
            return  # the field's own validators say what is wrong
        problems = problems_of(self.content)
        if problems:
            raise ValidationError(
                {
                    "content": "must be a Liquid template that parses: "
                    + "; ".join(str(problem) for problem in problems)
                }
            )


class FlowDefinitionQuerySet(models.QuerySet["FlowDefinition"]):
    def for_reviewer(self, user: Any) -> FlowDefinitionQuerySet:
        """Flow definitions whose work team has the user as a member, directly or by group;
        none for a deactivated account."""
        if not user.is_active:
            return self.none()
        teams = WorkTeam.objects.filter(Q(members=user) | Q(member_groups__user=user)).values("pk")
        return self.filter(work_team__in=teams)


class RequestSource(models.TextChoices):
    CUSTOM = "", "Custom (StartHumanLoop)"
    TEXTRACT_FORMS = (
        "AWS/Textract/AnalyzeDocument/Forms/V1",
        "Textract AnalyzeDocument forms",
    )
    REKOGNITION_MODERATION = (
        "AWS/Rekognition/DetectModerationLabels/Image/V3",
        "Rekognition DetectModerationLabels",
    )


class FlowDefinitionStatus(models.TextChoices):
    INITIALIZING = "Initializing"
    ACTIVE = "Active"
    FAILED = "Failed"
    DELETING = "Deleting"


class FlowDefinition(models.Model):
    """A human review workflow: who reviews, with which template, how many times, how long."""

    RequestSource = RequestSource
    Status = FlowDefinitionStatus

    name = models.CharField(
        max_length=limits.NAME_MAX_LENGTH,
        unique=True,
        validators=[limits.lowercase_name],
    )
    request_source = models.CharField(
        max_length=64,
        choices=RequestSource.choices,
        default=RequestSource.CUSTOM,
        blank=True,
    )
    activation_conditions = models.JSONField(
        null=True,
        blank=True,
        help_text="HumanLoopActivationConditions: built-in request sources only.",
    )
    # Beyond A2I: a custom flow's own activation conditions, over the client's prediction JSON,
    # so a client can send every prediction and let the portal decide which ones people review.
    routing_conditions = models.JSONField(
        null=True,
        blank=True,
        help_text="Routing conditions over the client's prediction: custom flow definitions only.",
    )
    work_team = models.ForeignKey(WorkTeam, on_delete=models.PROTECT, related_name="flows")
    task_ui = models.ForeignKey(HumanTaskUi, on_delete=models.PROTECT, related_name="flows")
    task_title = models.CharField(
        max_length=limits.TASK_TITLE_MAX_LENGTH, validators=[limits.task_title]
    )
    task_description = models.CharField(max_length=limits.TASK_DESCRIPTION_MAX_LENGTH)
    task_keywords = models.JSONField(default=list, blank=True, validators=[limits.task_keywords])
    task_count = models.PositiveSmallIntegerField(
        default=1,
        validators=[
            MinValueValidator(limits.TASK_COUNT_MIN),
            MaxValueValidator(limits.TASK_COUNT_MAX),
        ],
        help_text="How many distinct reviewers answer each human loop (1-3).",
    )
    task_availability_lifetime = models.PositiveIntegerField(
        "task availability lifetime (seconds)",
        default=limits.TASK_AVAILABILITY_DEFAULT,
        validators=[
            MinValueValidator(limits.TASK_AVAILABILITY_MIN),
            MaxValueValidator(limits.TASK_AVAILABILITY_MAX),
        ],
        help_text="How long a loop waits for its answers before it fails as Expired.",
    )
    task_time_limit = models.PositiveIntegerField(
        "task time limit (seconds)",
        default=limits.TASK_TIME_LIMIT_DEFAULT,
        validators=[
            MinValueValidator(limits.TASK_TIME_LIMIT_MIN),
            MaxValueValidator(limits.TASK_TIME_LIMIT_MAX),
        ],
        help_text="How long a reviewer may hold a task before it returns to the queue.",
    )
    output_path = models.CharField(
        "output location",
        max_length=limits.S3_URI_MAX_LENGTH,
        validators=[limits.s3_uri],
        help_text="S3OutputPath, e.g. s3://bucket/prefix; output.json files are written below it.",
    )
    kms_key_id = models.CharField(
        max_length=2048, blank=True, default="", validators=[limits.kms_key_id]
    )
    role_arn = models.CharField(
        max_length=2048, blank=True, default="", validators=[limits.role_arn]
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    failure_reason = models.CharField(
        max_length=limits.FAILURE_REASON_MAX_LENGTH, blank=True, default=""
    )
    created_at = models.DateTimeField(default=now, editable=False)

    objects = FlowDefinitionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            regex_check("name", limits.LOWERCASE_NAME_PATTERN, "flowdefinition_name_pattern"),
            models.CheckConstraint(
                condition=Q(task_count__gte=limits.TASK_COUNT_MIN)
                & Q(task_count__lte=limits.TASK_COUNT_MAX),
                name="flowdefinition_task_count_range",
            ),
            models.CheckConstraint(
                condition=Q(task_availability_lifetime__gte=limits.TASK_AVAILABILITY_MIN)
                & Q(task_availability_lifetime__lte=limits.TASK_AVAILABILITY_MAX),
                name="flowdefinition_availability_range",
            ),
            models.CheckConstraint(
                condition=Q(task_time_limit__gte=limits.TASK_TIME_LIMIT_MIN)
                & Q(task_time_limit__lte=limits.TASK_TIME_LIMIT_MAX),
                name="flowdefinition_time_limit_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=FlowDefinitionStatus.values),
                name="flowdefinition_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(request_source__in=RequestSource.values),
                name="flowdefinition_request_source_valid",
            ),
            models.CheckConstraint(  # the reference: activation config needs a request source
                condition=~Q(request_source="") | Q(activation_conditions__isnull=True),
                name="flowdefinition_conditions_need_source",
            ),
            models.CheckConstraint(  # a built-in source has A2I's activation conditions instead
                condition=Q(request_source="") | Q(routing_conditions__isnull=True),
                name="flowdefinition_routing_needs_custom",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def arn(self) -> str:
        return arns.flow_definition_arn(self.name)

    arn.fget.short_description = "ARN"  # how the admin labels it

    @property
    def is_built_in(self) -> bool:
        return self.request_source != self.RequestSource.CUSTOM

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.task_ui_id is None and not self.is_built_in:
            errors["task_ui"] = (
                "is required for a custom flow definition; only a Textract or Rekognition flow "
                "definition gets a default one"
            )
        problem = self.activation_conditions_problem()
        if problem:
            errors["activation_conditions"] = problem
        problem = self.routing_conditions_problem()
        if problem:
            errors["routing_conditions"] = problem
        if errors:
            raise ValidationError(errors)

    def activation_conditions_problem(self) -> str | list[str] | None:
        if self.activation_conditions is None:
            return None
        if not self.is_built_in:
            return (
                "are only allowed with a built-in request source (Textract or Rekognition); a "
                "custom flow starts a loop on every request"
            )
        conditions = self.activation_conditions
        size = len(json.dumps(conditions))
        if size > limits.ACTIVATION_CONDITIONS_MAX_LENGTH:
            return (
                f"must serialize to at most {limits.ACTIVATION_CONDITIONS_MAX_LENGTH} "
                f"characters, not {size}"
            )
        try:  # the reference's grammar, condition types and parameters (§4)
            validate_activation_conditions(conditions, request_source=self.request_source)
        except ValidationError as exc:
            return exc.messages
        return None

    def routing_conditions_problem(self) -> str | list[str] | None:
        if self.routing_conditions is None:
            return None
        if self.is_built_in:
            return (
                "are only allowed with a custom request source; a Textract or Rekognition flow "
                "definition is decided by its activation conditions"
            )
        try:
            validate_routing_conditions(self.routing_conditions)
        except ValidationError as exc:
            return exc.messages
        return None


class ResourceTag(models.Model):
    """One tag (AddTags) of a work team, human task UI or flow definition.

    Exactly one of the three links is set. Holding the resource by a cascading foreign key, not
    by its ARN, means deleting the resource deletes its tags and a later resource of the same
    name starts with none.
    """

    # No index of their own: each leads one of the unique constraints below, which serve the
    # lookups (listing, cascading deletes) instead.
    work_team = models.ForeignKey(
        WorkTeam,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tags",
        db_index=False,
    )
    task_ui = models.ForeignKey(
        HumanTaskUi,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tags",
        db_index=False,
    )
    flow_definition = models.ForeignKey(
        FlowDefinition,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tags",
        db_index=False,
    )
    key = models.CharField(max_length=limits.TAG_KEY_MAX_LENGTH, validators=[limits.tag_key])
    value = models.CharField(
        max_length=limits.TAG_VALUE_MAX_LENGTH,
        blank=True,
        default="",
        validators=[limits.tag_value],
    )

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(work_team__isnull=False, task_ui=None, flow_definition=None)
                | Q(work_team=None, task_ui__isnull=False, flow_definition=None)
                | Q(work_team=None, task_ui=None, flow_definition__isnull=False),
                name="resourcetag_one_resource",
            ),
            # Keys are unique per resource (the reference's Tag.Key); these also serve ListTags.
            models.UniqueConstraint(
                fields=["work_team", "key"],
                condition=Q(work_team__isnull=False),
                name="resourcetag_key_per_work_team",
            ),
            models.UniqueConstraint(
                fields=["task_ui", "key"],
                condition=Q(task_ui__isnull=False),
                name="resourcetag_key_per_task_ui",
            ),
            models.UniqueConstraint(
                fields=["flow_definition", "key"],
                condition=Q(flow_definition__isnull=False),
                name="resourcetag_key_per_flow_definition",
            ),
            models.CheckConstraint(
                condition=~Q(key="")
                & LessThanOrEqual(Length("key"), limits.TAG_KEY_MAX_LENGTH)
                & LessThanOrEqual(Length("value"), limits.TAG_VALUE_MAX_LENGTH)
                & ~Q(key__istartswith=limits.TAG_RESERVED_PREFIX),
                name="resourcetag_key_and_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
