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
