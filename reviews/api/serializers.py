"""Native API serializers of human loops: output (XSerializer) and input (StartX / ListX).

Input serializers check types and shapes; the reference's rules (name pattern, JSON input,
content classifiers) stay in the services, so every front end refuses with the same words.
"""

from __future__ import annotations

import json
from typing import Any

from rest_framework import serializers

from a2i_portal.arns import name_from_arn
from reviews.models import HumanLoop
from reviews.selectors import MAX_PAGE_SIZE
from workflows.api.serializers import StrictCharField


class HumanLoopSerializer(serializers.ModelSerializer):
    arn = serializers.CharField(
        read_only=True, help_text="The loop's A2I-style ARN (HumanLoopArn)."
    )
    flow_definition = serializers.SlugRelatedField(
        read_only=True, slug_field="name", help_text="Name of the loop's flow definition."
    )
    flow_definition_arn = serializers.CharField(
        source="flow_definition.arn",
        read_only=True,
        help_text="ARN of the loop's flow definition (FlowDefinitionArn).",
    )

    class Meta:
        model = HumanLoop
        fields = [
            "name",
            "arn",
            "flow_definition",
            "flow_definition_arn",
            "status",
            "failure_code",
            "failure_reason",
            "output_uri",
            "created_at",
            "updated_at",
            "completed_at",
        ]
        extra_kwargs = {
            "name": {"help_text": "Unique name: 1-63 lowercase letters, digits and hyphens."},
            "status": {
                "help_text": "HumanLoopStatus: InProgress, Completed, Failed, Stopping, Stopped."
            },
            "failure_code": {
                "help_text": "ValidationError, Expired or InternalError when Failed; else empty."
            },
            "failure_reason": {"help_text": "Why the loop failed, when Failed; else empty."},
            "output_uri": {
                "help_text": "Where output.json is (or will be) written: known from creation on."
            },
            "created_at": {"help_text": "When the loop was started (UTC)."},
            "updated_at": {"help_text": "When the loop last changed (UTC)."},
            "completed_at": {
                "help_text": "When the loop reached Completed, Failed or Stopped; null before."
            },
        }


class HumanLoopDetailSerializer(HumanLoopSerializer):
    """A loop on its own: with its input and data attributes."""

    class Meta(HumanLoopSerializer.Meta):
        fields = [*HumanLoopSerializer.Meta.fields, "input_content", "data_attributes"]
        extra_kwargs = {
            **HumanLoopSerializer.Meta.extra_kwargs,
            "input_content": {"help_text": "HumanLoopInput.InputContent as sent: a JSON string."},
            "data_attributes": {
                "help_text": 'DataAttributes as sent, {"ContentClassifiers": [...]}, or null.'
            },
        }


class HumanLoopPageSerializer(serializers.Serializer):
    results = HumanLoopSerializer(many=True, help_text="The loops of this page.")
    next = serializers.URLField(
        allow_null=True, help_text="Absolute URL of the next page; null on the last page."
    )
    next_token = serializers.CharField(
        allow_null=True,
        help_text="Token of the next page (pass it as `cursor`); null on the last page.",
    )


def flow_definition_name(value: str) -> str:
    """A flow definition's name from its name or its ARN."""
    if not value.startswith("arn:"):
        return value
    name = name_from_arn(value, "flow-definition")
    if name is None:
        raise serializers.ValidationError("must be a flow definition name or flow-definition ARN")
    return name


class StartHumanLoopSerializer(serializers.Serializer):
    name = StrictCharField(help_text="Unique name: 1-63 lowercase letters, digits and hyphens.")
    flow_definition = StrictCharField(
        help_text="The flow definition to start the loop in: its name or its ARN."
    )
    input_content = StrictCharField(
        required=False,
        help_text=(
            "HumanLoopInput.InputContent: the serialized form of a JSON document, at most "
            "3,145,728 characters. Give this or `input`."
        ),
    )
    input = serializers.DictField(
        required=False,
        help_text="The input as a JSON object; stored as its JSON text. Give this or "
        "`input_content`.",
    )
    data_attributes = serializers.DictField(
        required=False,
        allow_null=True,
        help_text='DataAttributes: {"ContentClassifiers": [...]} with values '
        "FreeOfPersonallyIdentifiableInformation, FreeOfAdultContent.",
    )

    def validate_flow_definition(self, value: str) -> str:
        return flow_definition_name(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments of start_loop()."""
        if ("input_content" in attrs) == ("input" in attrs):
            raise serializers.ValidationError(
                {"input_content": "give exactly one of input_content (a JSON string) or input"}
            )
        content = attrs.get("input_content")
        if content is None:
            content = json.dumps(attrs["input"])
        return {
            "name": attrs["name"],
            "flow_definition_name": attrs["flow_definition"],
            "input_content": content,
            "data_attributes": attrs.get("data_attributes"),
        }


class ActivateHumanLoopSerializer(serializers.Serializer):
    """Input of an activation: the prediction, and the loop to start when the conditions hold.

    JSON values are taken as given (the service says which a flow definition reads and what
    each must be), so a string or an array reaches the rule that names it."""

    name = StrictCharField(
        help_text="HumanLoopConfig.HumanLoopName: the loop to start when the conditions hold; "
        "1-63 lowercase letters, digits and hyphens."
    )
    flow_definition = StrictCharField(
        help_text="HumanLoopConfig.FlowDefinitionArn: the flow definition, by name or ARN."
    )
    ai_service_request = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="Textract and Rekognition flow definitions: the AnalyzeDocument or "
        "DetectModerationLabels request as sent to the service (PascalCase, as boto3 builds "
        "it), naming the document or image by S3Object. Its HumanLoopConfig, if any, is "
        "replaced by name, flow_definition and data_attributes.",
    )
    ai_service_response = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="Textract and Rekognition flow definitions: the service's response as it "
        "returned it (Blocks, or ModerationLabels).",
    )
    prediction = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="Custom flow definitions with routing conditions: the model's prediction, "
        "a JSON object; it becomes the loop's input (task.input).",
    )
    data_attributes = serializers.DictField(
        required=False,
        allow_null=True,
        help_text='HumanLoopConfig.DataAttributes: {"ContentClassifiers": [...]} with values '
        "FreeOfPersonallyIdentifiableInformation, FreeOfAdultContent.",
    )
    dry_run = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Evaluate the conditions only: nothing starts and nothing is written.",
    )

    def validate_flow_definition(self, value: str) -> str:
        return flow_definition_name(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments of activate_loop()."""
        return {
            "name": attrs["name"],
            "flow_definition_name": attrs["flow_definition"],
            "ai_service_request": attrs.get("ai_service_request"),
            "ai_service_response": attrs.get("ai_service_response"),
            "prediction": attrs.get("prediction"),
            "data_attributes": attrs.get("data_attributes"),
            "dry_run": attrs["dry_run"],
        }


class ActivationOutputSerializer(serializers.Serializer):
    """A2I's HumanLoopActivationOutput (reference §4.7), members spelled as A2I spells them."""

    HumanLoopArn = serializers.CharField(
        required=False, help_text="The started loop's ARN; absent when no loop started."
    )
    HumanLoopActivationReasons = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text='Why review was needed, ["ConditionsEvaluation"]; absent when the '
        "conditions do not hold.",
    )
    HumanLoopActivationConditionsEvaluationResults = serializers.CharField(
        help_text="JSON text: the conditions with EvaluationResult on every node."
    )


class ActivationSerializer(serializers.Serializer):
    """What an activation decided, and the loop it started."""

    activation_output = ActivationOutputSerializer(
        help_text="What Textract or Rekognition would add to its response (§4.7)."
    )
    human_loop = HumanLoopSerializer(
        allow_null=True, help_text="The started loop; null when none started (and on a dry run)."
    )
    started = serializers.BooleanField(
        help_text="Whether a loop started (or had started from the same call before); false "
        "on a dry run."
    )
    conditions_hold = serializers.BooleanField(
        help_text="Whether the conditions hold, so that a loop starts; on a dry run, whether "
        "one would."
    )


class CommaSeparatedListField(serializers.ListField):
    """A repeatable query parameter whose values may also be comma-separated."""

    def to_internal_value(self, data: Any) -> list[Any]:
        values = super().to_internal_value(data)
        return [part for value in values for part in value.split(",") if part]


class ListHumanLoopsSerializer(serializers.Serializer):
    flow_definition = StrictCharField(
        help_text="Required: the flow definition whose loops to list, by name or ARN."
    )
    status = CommaSeparatedListField(
        child=serializers.CharField(),
        required=False,
        help_text="Only loops in these statuses; repeat the parameter or separate by commas.",
    )
    created_after = serializers.DateTimeField(
        required=False, help_text="Only loops created at or after this time (ISO 8601)."
    )
    created_before = serializers.DateTimeField(
        required=False, help_text="Only loops created before this time (ISO 8601)."
    )
    sort = serializers.ChoiceField(
        choices=["asc", "desc"],
        default="desc",
        help_text="By creation time: asc (oldest first) or desc (newest first, the default).",
    )
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        default=MAX_PAGE_SIZE,
        help_text=f"Loops per page: 1-{MAX_PAGE_SIZE} (default {MAX_PAGE_SIZE}).",
    )
    cursor = serializers.CharField(
        required=False, help_text="The next_token of the previous page of the same query."
    )

    def validate_flow_definition(self, value: str) -> str:
        return flow_definition_name(value)
