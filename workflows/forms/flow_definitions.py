"""The flow definition form of the console. The reference's rules (names, ranges, activation
conditions) live in the model and its validators, so the admin refuses what the API refuses;
this form only turns what an operator types into those values."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from workflows import activation, limits
from workflows.models import FlowDefinition

JSON_TEXTAREA_ATTRS = {
    "class": "json-source",
    "rows": 14,
    "spellcheck": "false",
    "autocapitalize": "off",
    "autocomplete": "off",
}


class KeywordsField(forms.CharField):
    """Task keywords typed as one comma-separated line."""

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(str(keyword) for keyword in value)
        return "" if value is None else str(value)

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return value
        return [keyword.strip() for keyword in str(value or "").split(",") if keyword.strip()]


class ActivationConditionsField(forms.JSONField):
    """The conditions document, shown indented; text that is not JSON is refused with where."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValidationError(
                    f"is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                    code="invalid",
                ) from exc
        return value

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        if value is None:
            return ""
        if isinstance(value, str):  # already text: what the operator typed, or stored JSON
            try:
                value = json.loads(value)
            except ValueError:
                return value
        return json.dumps(value, indent=2, ensure_ascii=False)

    def bound_data(self, data: Any, initial: Any) -> Any:
        if self.disabled:
            return initial
        if data is None:
            return None
        try:
            return json.loads(data)
        except (TypeError, ValueError):
            return forms.fields.InvalidJSONInput(data)


# Worked examples of reference §4.6, offered under the field on the add page.
ACTIVATION_EXAMPLES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "Textract: a low-confidence employee name",
        activation.TEXTRACT_FORMS,
        {
            "Conditions": [
                {
                    "ConditionType": "ImportantFormKeyConfidenceCheck",
                    "ConditionParameters": {
                        "ImportantFormKey": "Employee Name",
                        "ImportantFormKeyAliases": ["Name", "EmployeeName"],
                        "KeyValueBlockConfidenceLessThan": 60,
                        "WordBlockConfidenceLessThan": 85,
                    },
                }
            ]
        },
    ),
    (
        "Textract: a missing key",
        activation.TEXTRACT_FORMS,
        {
            "Conditions": [
                {
                    "ConditionType": "MissingImportantFormKey",
                    "ConditionParameters": {
                        "ImportantFormKey": "Mailing Address",
                        "ImportantFormKeyAliases": ["Mailing Address:"],
                    },
                }
            ]
        },
    ),
    (
        "Textract: always low confidence, 5% of high confidence",
        activation.TEXTRACT_FORMS,
        {
            "Conditions": [
                {
                    "Or": [
                        {
                            "ConditionType": "ImportantFormKeyConfidenceCheck",
                            "ConditionParameters": {
                                "ImportantFormKey": "Pay Date",
                                "KeyValueBlockConfidenceLessThan": 60,
                            },
                        },
                        {
                            "And": [
                                {
                                    "ConditionType": "Sampling",
                                    "ConditionParameters": {"RandomSamplingPercentage": 5},
                                },
                                {
                                    "ConditionType": "ImportantFormKeyConfidenceCheck",
                                    "ConditionParameters": {
                                        "ImportantFormKey": "Pay Date",
                                        "KeyValueBlockConfidenceGreaterThan": 90,
                                    },
                                },
                            ]
                        },
                    ]
                }
            ]
        },
    ),
    (
        "Rekognition: any label at 75 or more",
        activation.REKOGNITION_MODERATION,
        {
            "Conditions": [
                {
                    "ConditionType": "ModerationLabelConfidenceCheck",
                    "ConditionParameters": {
                        "ModerationLabelName": "*",
                        "ConfidenceGreaterThanEquals": 75,
                    },
                }
            ]
        },
    ),
    (
        "Rekognition: 5% of one label above 50",
        activation.REKOGNITION_MODERATION,
        {
            "Conditions": [
                {
                    "And": [
                        {
                            "ConditionType": "Sampling",
                            "ConditionParameters": {"RandomSamplingPercentage": 5},
                        },
                        {
                            "ConditionType": "ModerationLabelConfidenceCheck",
                            "ConditionParameters": {
                                "ModerationLabelName": "Suggestive",
                                "ConfidenceGreaterThan": 50,
                            },
                        },
                    ]
                }
            ]
        },
    ),
)


def activation_examples() -> list[dict[str, str]]:
    return [
        {
            "title": title,
            "source": activation.SOURCE_NAMES[source],
            "json": json.dumps(conditions, indent=2),
        }
        for title, source, conditions in ACTIVATION_EXAMPLES
    ]


def condition_types_help() -> str:
    rows = format_html_join(
        "",
        "<li>{}: {}</li>",
        (
            (activation.SOURCE_NAMES[source], ", ".join(kinds))
            for source, kinds in activation.CONDITION_TYPES.items()
        ),
    )
    examples = format_html_join(
        "",
        '<details class="activation-example"><summary>{} <span '
        'class="activation-example-source">({})</span></summary><pre class="json-view">{}</pre>'
        "</details>",
        ((e["title"], e["source"], e["json"]) for e in activation_examples()),
    )
    return format_html(
        "HumanLoopActivationConditions, for a Textract or Rekognition request source only; "
        'leave it empty to review every request. A JSON object {{"Conditions": [...]}}: '
        "simple conditions, or And/Or arrays of at least two, nested at most two levels. "
        "The condition types are<ul>{}</ul>Examples to copy and adapt (reference §4.6):{}",
        rows,
        examples,
    )


ROUTING_EXAMPLE = {
    "Conditions": [
        {
            "Or": [
                {
                    "ConditionType": "PredictionCheck",
                    "ConditionParameters": {
                        "Path": "$.labels[*].score",
                        "Comparator": "LessThan",
                        "Value": 0.8,
                    },
                },
                {
                    "ConditionType": "Sampling",
                    "ConditionParameters": {"RandomSamplingPercentage": 5},
                },
            ]
        }
    ]
}


def routing_conditions_help() -> str:
    return format_html(
        "Custom request source only: clients post every prediction to "
        "<code>POST /api/v1/human-loops/activate/</code> and a loop starts when these hold "
        "(leave it empty when clients call StartHumanLoop for the predictions they choose). "
        'A JSON object {{"Conditions": [...]}} with And/Or as above, of two condition types: '
        "<code>PredictionCheck</code> (<code>Path</code>, a JSONPath into the prediction; "
        "<code>Comparator</code>, one of {}; <code>Value</code>) and <code>Sampling</code> "
        "(<code>RandomSamplingPercentage</code>). A path that finds nothing makes its check "
        "false; several values, true when any one satisfies it. Example: a score under 0.8, "
        'or 5% of the rest:<pre class="json-view">{}</pre>',
        ", ".join(activation.ROUTING_COMPARATORS),
        json.dumps(ROUTING_EXAMPLE, indent=2),
    )


class FlowDefinitionForm(forms.ModelForm):
    """A new flow definition. A2I has no UpdateFlowDefinition: once created, it is read-only."""

    task_keywords = KeywordsField(
        required=False,
        help_text=f"Up to {limits.TASK_KEYWORDS_MAX} keywords separated by commas, each "
        f"letters, digits and single spaces, at most {limits.TASK_KEYWORD_MAX_LENGTH} "
        "characters. Reviewers see them with the task.",
    )
    activation_conditions = ActivationConditionsField(
        required=False,
        widget=forms.Textarea(attrs=JSON_TEXTAREA_ATTRS),
        help_text=condition_types_help(),
    )
    routing_conditions = ActivationConditionsField(
        required=False,
        widget=forms.Textarea(attrs=JSON_TEXTAREA_ATTRS),
        help_text=routing_conditions_help(),
    )

    class Meta:
        model = FlowDefinition
        fields = [
            "name",
            "work_team",
            "task_ui",
            "request_source",
            "activation_conditions",
            "routing_conditions",
            "task_title",
            "task_description",
            "task_keywords",
            "task_count",
            "task_availability_lifetime",
            "task_time_limit",
            "output_path",
            "kms_key_id",
            "role_arn",
        ]
        labels = {"task_ui": "Task UI", "kms_key_id": "KMS key ID", "role_arn": "Role ARN"}
        help_texts = {
            "name": "1-63 lowercase letters, digits and hyphens. It cannot be changed later: "
            "the flow definition's ARN is made from it.",
            "work_team": "The reviewers who receive the tasks.",
            "task_ui": "The worker template the tasks are shown in. Leave it empty for a "
            "Textract or Rekognition request source to use its default template "
            "(default-textract-forms-v1 or default-rekognition-moderation-v3, created on first "
            "use).",
            "request_source": "Custom: clients call StartHumanLoop. Textract or Rekognition: "
            "the activation conditions decide whether a request becomes a human loop.",
            "task_title": "What reviewers see in their list of jobs (1-128 characters).",
            "task_description": "One or two sentences about the task (1-255 characters).",
            "kms_key_id": "Optional: the KMS key output files are said to be encrypted with.",
            "role_arn": "Optional: kept for A2I compatibility (RoleArn).",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "task_ui" in self.fields:  # the read-only page shows it as text
            # The model says which flow definitions may leave it out (built-in request sources).
            self.fields["task_ui"].required = False
