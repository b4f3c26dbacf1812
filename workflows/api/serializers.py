"""Native API serializers of the configuration: output (XSerializer) and input (CreateXSerializer).

Input serializers check types and shapes; the reference's rules (patterns, lengths, ranges) stay
in the services, so every front end refuses the same input with the same words.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Model
from rest_framework import serializers

from a2i_portal.arns import name_from_arn
from workflows import limits
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam


class StrictCharField(serializers.CharField):
    """A string, and only a string: DRF's CharField would turn 5 into "5"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)  # the services judge the value as sent
        kwargs.setdefault("allow_blank", True)  # "" reaches the service, which names the rule
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class NameOrArnField(serializers.SlugRelatedField):
    """A configuration object named by its name or its A2I ARN (`resource` is the ARN's type)."""

    default_error_messages = {
        "does_not_exist": "no {kind} named {value!r} exists",
        "invalid": "must be a name or a {kind} ARN",
        "not_an_arn": "{value!r} is not a {kind} ARN",
    }

    def __init__(self, *, resource: str, kind: str, **kwargs: Any) -> None:
        self.resource, self.kind = resource, kind
        super().__init__(slug_field="name", **kwargs)

    def to_internal_value(self, data: Any) -> Model:
        if not isinstance(data, str):
            self.fail("invalid", kind=self.resource)
        name = data
        if data.startswith("arn:"):
            name = name_from_arn(data, self.resource)
            if name is None:
                self.fail("not_an_arn", value=data, kind=self.resource)
        try:
            return self.get_queryset().get(name=name)
        except self.get_queryset().model.DoesNotExist:
            self.fail("does_not_exist", kind=self.kind, value=name)


TAGS_HELP = (
    "Tags as a {key: value} object: up to 50; keys 1-128 and values 0-256 letters, numbers, "
    "spaces and _ . : / = + - @; keys must not start with aws:."
)


class TagsField(serializers.DictField):
    """A resource's tags as one {key: value} object; read from its ResourceTag rows."""

    child = StrictCharField()

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", TAGS_HELP)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> dict[str, str]:
        return {tag.key: tag.value for tag in value.all()}


# Work teams


class WorkTeamSerializer(serializers.ModelSerializer):
    arn = serializers.CharField(read_only=True, help_text="The work team's A2I-style ARN.")
    members = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="username",
        help_text="User names of the reviewers added directly.",
    )
    member_groups = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="name",
        help_text="Names of the groups whose users are reviewers of this team.",
    )
    tags = TagsField(read_only=True)

    class Meta:
        model = WorkTeam
        fields = [
            "name",
            "arn",
            "description",
            "members",
            "member_groups",
            "notify_by_email",
            "tags",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "name": {"help_text": "Unique name: 1-63 letters, digits and hyphens."},
            "description": {"help_text": "What the team does: 1-200 characters."},
            "notify_by_email": {"help_text": "Email the team's reviewers when new work arrives."},
            "created_at": {"help_text": "When the team was created (UTC)."},
            "updated_at": {"help_text": "When the team was last changed (UTC)."},
        }


class CreateWorkTeamSerializer(serializers.Serializer):
    name = StrictCharField(help_text="Unique name: 1-63 letters, digits and hyphens.")
    description = StrictCharField(help_text="What the team does: 1-200 characters.")
    members = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="username",
        queryset=get_user_model().objects.all(),
        help_text="User names of reviewers to add directly; each must exist.",
    )
    member_groups = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="name",
        queryset=Group.objects.all(),
        help_text="Names of existing groups whose users become reviewers of the team.",
    )
    notify_by_email = serializers.BooleanField(
        required=False, help_text="Email the team's reviewers when new work arrives (default true)."
    )
    tags = TagsField(required=False)


class UpdateWorkTeamSerializer(serializers.Serializer):
    """A change of a work team: each field given replaces the team's; the others stay."""

    description = StrictCharField(required=False, help_text="What the team does: 1-200 characters.")
    members = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="username",
        queryset=get_user_model().objects.all(),
        help_text="User names of the reviewers added directly, replacing the current ones "
        "([] removes them all); each must exist.",
    )
    member_groups = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="name",
        queryset=Group.objects.all(),
        help_text="Names of existing groups whose users are reviewers of the team, replacing "
        "the current ones ([] removes them all).",
    )
    notify_by_email = serializers.BooleanField(
        required=False, help_text="Email the team's reviewers when new work arrives."
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        # DRF drops fields it does not know; a rename or a typo must not pass as a success.
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            accepted = ", ".join(self.fields)
            raise serializers.ValidationError(
                {
                    field: "cannot be changed: a work team keeps its name and ARN"
                    if field == "name"
                    else f"is not a field a work team change accepts ({accepted})"
                    for field in unknown
                }
            )
        return data


# Human task UIs


class HumanTaskUiSerializer(serializers.ModelSerializer):
    """A task UI in a list: no content."""

    arn = serializers.CharField(read_only=True, help_text="The task UI's A2I-style ARN.")

    class Meta:
        model = HumanTaskUi
        fields = ["name", "arn", "created_at"]
        extra_kwargs = {
            "name": {"help_text": "Unique name: 1-63 lowercase letters, digits and hyphens."},
            "created_at": {"help_text": "When the task UI was created (UTC)."},
        }


class HumanTaskUiDetailSerializer(HumanTaskUiSerializer):
    """A task UI on its own: with its template and the template's digest."""

    content_sha256 = serializers.SerializerMethodField(
        help_text="SHA-256 of the template's UTF-8 bytes, lowercase hex."
    )
    tags = TagsField(read_only=True)

    class Meta(HumanTaskUiSerializer.Meta):
        fields = [*HumanTaskUiSerializer.Meta.fields, "content", "content_sha256", "tags"]
        extra_kwargs = {
            **HumanTaskUiSerializer.Meta.extra_kwargs,
            "content": {"help_text": "The worker task template: HTML and Liquid."},
        }

    def get_content_sha256(self, task_ui: HumanTaskUi) -> str:
        return task_ui.content_sha256


class CreateHumanTaskUiSerializer(serializers.Serializer):
    name = StrictCharField(help_text="Unique name: 1-63 lowercase letters, digits and hyphens.")
    content = StrictCharField(
        help_text="The worker task template (HTML and Liquid): 1-128,000 characters."
    )
    tags = TagsField(required=False)


class RenderTaskUiSerializer(serializers.Serializer):
    """Input of a stored template's preview: the task input it is rendered with."""

    input = serializers.JSONField(
        help_text="The task input, seen by the template as `task.input` (a JSON value whose "
        f"text is at most {limits.UI_TEMPLATE_MAX_LENGTH:,} characters)."
    )

    def validate_input(self, value: Any) -> Any:
        size = len(json.dumps(value))
        if size > limits.UI_TEMPLATE_MAX_LENGTH:
            raise serializers.ValidationError(
                f"must serialize to at most {limits.UI_TEMPLATE_MAX_LENGTH} characters, not {size}"
            )
        return value


class RenderTemplateSerializer(RenderTaskUiSerializer):
    """Input of an unsaved template's preview (RenderUiTemplate with inline content)."""

    content = StrictCharField(
        max_length=limits.UI_TEMPLATE_MAX_LENGTH,
        help_text="The worker task template (HTML and Liquid): 1-128,000 characters.",
    )


class RenderingProblemSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="LiquidSyntaxError, UndefinedFilter, RenderError or RenderLimitExceeded."
    )
    message = serializers.CharField(
        source="__str__", help_text="What went wrong, with its line and column when known."
    )
    line = serializers.IntegerField(allow_null=True, help_text="1-based line, when known.")
    column = serializers.IntegerField(allow_null=True, help_text="1-based column, when known.")


class RenderingSerializer(serializers.Serializer):
    """A preview: the HTML a reviewer would get, or why there is none."""

    rendered_content = serializers.CharField(
        source="html", help_text="The rendered HTML; empty when rendering failed."
    )
    errors = RenderingProblemSerializer(
        source="problems", many=True, help_text="Empty when rendering succeeded."
    )


# Flow definitions

FLOW_HELP = {
    "name": "Unique name: 1-63 lowercase letters, digits and hyphens.",
    "work_team": "The work team whose reviewers get the tasks: its name or ARN.",
    "task_ui": (
        "The human task UI (worker template) of the tasks: its name or ARN. Optional for a "
        "Textract or Rekognition request source, which then gets its default one "
        "(default-textract-forms-v1, default-rekognition-moderation-v3)."
    ),
    "task_title": "Title shown to reviewers: 1-128 XML-legal characters.",
    "task_description": "Description shown to reviewers: 1-255 characters.",
    "task_count": "How many distinct reviewers answer each loop: 1-3 (default 1).",
    "task_availability_lifetime": (
        "Seconds a loop waits for its answers before it fails as Expired: 1-864,000 "
        "(default 864,000)."
    ),
    "task_time_limit": (
        "Seconds a reviewer may hold a task before it returns to the queue: 30-28,800 "
        "(default 3,600)."
    ),
    "task_keywords": "Up to 5 keywords, each 1-30 letters and digits, single spaces between words.",
    "output_path": "S3OutputPath: an s3:// or https:// URI; output.json files go below it.",
    "request_source": (
        'AwsManagedHumanLoopRequestSource: "" for a custom task type (the default), '
        '"AWS/Textract/AnalyzeDocument/Forms/V1" or '
        '"AWS/Rekognition/DetectModerationLabels/Image/V3".'
    ),
    "activation_conditions": (
        'HumanLoopActivationConditions as a JSON object {"Conditions": [...]}: built-in request '
        "sources only."
    ),
    "routing_conditions": (
        'Routing conditions as a JSON object {"Conditions": [...]}: custom flow definitions '
        "only, evaluated over the client's prediction by POST /human-loops/activate/. "
        "Condition types PredictionCheck (Path: a JSONPath, Comparator: Equals, NotEquals, "
        "LessThan, LessThanEquals, GreaterThan, GreaterThanEquals, In or NotIn, Value) and "
        "Sampling (RandomSamplingPercentage), combined with And/Or as activation conditions are."
    ),
    "role_arn": "RoleArn: an IAM role ARN, kept for compatibility (optional).",
    "kms_key_id": "OutputConfig.KmsKeyId, kept for compatibility (optional).",
}


class FlowDefinitionSerializer(serializers.ModelSerializer):
    arn = serializers.CharField(read_only=True, help_text="The flow definition's A2I-style ARN.")
    work_team = serializers.SlugRelatedField(
        read_only=True, slug_field="name", help_text="Name of the work team."
    )
    work_team_arn = serializers.CharField(
        source="work_team.arn", read_only=True, help_text="ARN of the work team."
    )
    task_ui = serializers.SlugRelatedField(
        read_only=True, slug_field="name", help_text="Name of the human task UI."
    )
    task_ui_arn = serializers.CharField(
        source="task_ui.arn", read_only=True, help_text="ARN of the human task UI."
    )
    tags = TagsField(read_only=True)

    class Meta:
        model = FlowDefinition
        fields = [
            "name",
            "arn",
            "status",
            "failure_reason",
            "work_team",
            "work_team_arn",
            "task_ui",
            "task_ui_arn",
            "task_title",
            "task_description",
            "task_count",
            "task_availability_lifetime",
            "task_time_limit",
            "task_keywords",
            "output_path",
            "request_source",
            "activation_conditions",
            "routing_conditions",
            "role_arn",
            "kms_key_id",
            "tags",
            "created_at",
        ]
        extra_kwargs = {
            **{name: {"help_text": text} for name, text in FLOW_HELP.items()},
            "status": {
                "help_text": "FlowDefinitionStatus: Initializing, Active, Failed, Deleting."
            },
            "failure_reason": {"help_text": "Why the flow definition failed; empty otherwise."},
            "created_at": {"help_text": "When the flow definition was created (UTC)."},
        }


class CreateFlowDefinitionSerializer(serializers.Serializer):
    """Optional fields left out take the service's defaults."""

    name = StrictCharField(help_text=FLOW_HELP["name"])
    work_team = NameOrArnField(
        resource="workteam",
        kind="work team",
        queryset=WorkTeam.objects.all(),
        help_text=FLOW_HELP["work_team"],
    )
    task_ui = NameOrArnField(
        resource="human-task-ui",
        kind="human task UI",
        queryset=HumanTaskUi.objects.all(),
        required=False,
        help_text=FLOW_HELP["task_ui"],
    )
    task_title = StrictCharField(help_text=FLOW_HELP["task_title"])
    task_description = StrictCharField(help_text=FLOW_HELP["task_description"])
    output_path = StrictCharField(help_text=FLOW_HELP["output_path"])
    task_count = serializers.IntegerField(required=False, help_text=FLOW_HELP["task_count"])
    task_availability_lifetime = serializers.IntegerField(
        required=False, help_text=FLOW_HELP["task_availability_lifetime"]
    )
    task_time_limit = serializers.IntegerField(
        required=False, help_text=FLOW_HELP["task_time_limit"]
    )
    task_keywords = serializers.ListField(
        child=StrictCharField(), required=False, help_text=FLOW_HELP["task_keywords"]
    )
    request_source = StrictCharField(required=False, help_text=FLOW_HELP["request_source"])
    activation_conditions = serializers.DictField(
        required=False, allow_null=True, help_text=FLOW_HELP["activation_conditions"]
    )
    routing_conditions = serializers.DictField(
        required=False, allow_null=True, help_text=FLOW_HELP["routing_conditions"]
    )
    role_arn = StrictCharField(required=False, help_text=FLOW_HELP["role_arn"])
    kms_key_id = StrictCharField(required=False, help_text=FLOW_HELP["kms_key_id"])
    tags = TagsField(required=False)
