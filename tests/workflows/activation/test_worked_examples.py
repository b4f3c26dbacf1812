"""The reference's worked examples (§4.6), its activation output example (§4.7) and its
output.json condition results (§5.3), each evaluated over the fixture responses: the outcome,
the results tree, and what reviewers are shown."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.workflows.activation.support import (
    NEVER,
    Draws,
    conditions,
    evaluated,
    judged,
    key_check,
    label,
    missing_key,
    sampling,
    shown_keys,
    shown_labels,
    textract_response,
)
from workflows.activation import REKOGNITION_MODERATION, TEXTRACT_FORMS, camel_case

PAY_DATE_ALIASES = ["PayDate", "DateOfPay", "pay-date"]

EMPLOYEE_NAME = key_check(
    "Employee Name",
    ["Name", "EmployeeName"],
    KeyValueBlockConfidenceLessThan=60,
    WordBlockConfidenceLessThan=85,
)
PAY_DATE = key_check(
    "Pay Date", PAY_DATE_ALIASES, KeyValueBlockConfidenceLessThan=65, WordBlockConfidenceLessThan=85
)
ANY_KEY = key_check("*", KeyValueBlockConfidenceLessThan=60, WordBlockConfidenceLessThan=90)
MAILING_ADDRESS = missing_key("Mailing Address", ["Mailing Address:"])
PAY_DATE_LOW = key_check(
    "Pay Date", PAY_DATE_ALIASES, KeyValueBlockConfidenceLessThan=60, WordBlockConfidenceLessThan=60
)
PAY_DATE_HIGH = key_check(
    "Pay Date",
    PAY_DATE_ALIASES,
    KeyValueBlockConfidenceGreaterThan=90,
    WordBlockConfidenceGreaterThan=90,
)
MALE_AT_MOST_99 = label("Graphic Male Nudity", ConfidenceLessThanEquals=99)
MALE_AT_LEAST_90 = label("Graphic Male Nudity", ConfidenceGreaterThanEquals=90)
FEMALE_AT_MOST_99 = label("Graphic Female Nudity", ConfidenceLessThanEquals=99)
FEMALE_AT_LEAST_80 = label("Graphic Female Nudity", ConfidenceGreaterThanEquals=80)
ANY_LABEL_75 = label("*", ConfidenceGreaterThanEquals=75)
MALE_ABOVE_50 = label("Graphic Male Nudity", ConfidenceGreaterThan=50)


def evaluate(source: str, document: dict[str, Any], rng=NEVER, response=None):
    activation = evaluated(source, document, rng=rng, response=response)
    text = activation.output["HumanLoopActivationConditionsEvaluationResults"]
    assert json.loads(text) == activation.condition_results
    assert ("HumanLoopActivationReasons" in activation.output) is activation.starts
    return activation


def test_low_confidence_employee_name_or_pay_date():
    activation = evaluate(TEXTRACT_FORMS, conditions(EMPLOYEE_NAME, PAY_DATE))

    # Employee Name: pair 58.3 < 60 and its word "Q." 84.25 < 85. Pay Date: pair 93.75.
    assert activation.starts
    assert activation.condition_results == {
        "Conditions": [judged(EMPLOYEE_NAME, True), judged(PAY_DATE, False)]
    }
    assert shown_keys(activation) == ["Employee Name"]


def test_any_key_below_thresholds():
    activation = evaluate(TEXTRACT_FORMS, conditions(ANY_KEY))

    # Signature Date: (41.25) is below 60 too, but its words are all above 90.
    assert activation.starts
    assert activation.condition_results == {"Conditions": [judged(ANY_KEY, True)]}
    assert shown_keys(activation) == ["Employee Name"]


def test_missing_key_present_under_its_alias():
    activation = evaluate(TEXTRACT_FORMS, conditions(MAILING_ADDRESS))

    assert not activation.starts
    assert activation.output == {
        "HumanLoopActivationConditionsEvaluationResults": json.dumps(
            {"Conditions": [judged(MAILING_ADDRESS, False)]}, separators=(",", ":")
        )
    }
    assert activation.selected_response == {"blocks": []}


def test_missing_key_absent_from_the_document():
    response = textract_response()
    for block in response["Blocks"]:
        if block.get("Text") == "Address:":
            block["Text"] = "Addr:"

    activation = evaluate(TEXTRACT_FORMS, conditions(MAILING_ADDRESS), response=response)

    assert activation.starts
    assert activation.condition_results == {"Conditions": [judged(MAILING_ADDRESS, True)]}
    assert activation.selected_response == {"blocks": []}


TWO_LEVELS = conditions({"Or": [PAY_DATE_LOW, {"And": [sampling(5), PAY_DATE_HIGH]}]})


def test_spot_check_of_high_confidence_when_the_sample_is_drawn():
    activation = evaluate(TEXTRACT_FORMS, TWO_LEVELS, rng=Draws(0.0499))

    assert activation.starts
    assert activation.condition_results == {
        "Conditions": [
            {
                "EvaluationResult": True,
                "Or": [
                    judged(PAY_DATE_LOW, False),
                    {
                        "EvaluationResult": True,
                        "And": [judged(sampling(5), True), judged(PAY_DATE_HIGH, True)],
                    },
                ],
            }
        ]
    }
    assert shown_keys(activation) == ["Pay Date"]


def test_spot_check_of_high_confidence_when_the_sample_is_not_drawn():
    activation = evaluate(TEXTRACT_FORMS, TWO_LEVELS, rng=Draws(0.05))

    assert not activation.starts
    assert activation.condition_results == {
        "Conditions": [
            {
                "EvaluationResult": False,
                "Or": [
                    judged(PAY_DATE_LOW, False),
                    {
                        "EvaluationResult": False,
                        "And": [judged(sampling(5), False), judged(PAY_DATE_HIGH, True)],
                    },
                ],
            }
        ]
    }


@pytest.mark.parametrize("draw, starts", [(0.0499, True), (0.05, False)])
def test_audit_five_percent_of_all_documents(draw, starts):
    activation = evaluate(TEXTRACT_FORMS, conditions(sampling(5)), rng=Draws(draw))

    assert activation.starts is starts
    assert activation.condition_results == {"Conditions": [judged(sampling(5), starts)]}
    expected = camel_case(textract_response()) if starts else {"blocks": []}
    assert activation.selected_response == expected


def test_label_confidence_windows():
    document = conditions(
        {
            "Or": [
                {"And": [MALE_AT_MOST_99, MALE_AT_LEAST_90]},
                {"And": [FEMALE_AT_MOST_99, FEMALE_AT_LEAST_80]},
            ]
        }
    )

    activation = evaluate(REKOGNITION_MODERATION, document)

    # Graphic Male Nudity is at 94.87; the image has no Graphic Female Nudity label.
    assert activation.starts
    assert activation.condition_results == {
        "Conditions": [
            {
                "EvaluationResult": True,
                "Or": [
                    {
                        "EvaluationResult": True,
                        "And": [judged(MALE_AT_MOST_99, True), judged(MALE_AT_LEAST_90, True)],
                    },
                    {
                        "EvaluationResult": False,
                        "And": [
                            judged(FEMALE_AT_MOST_99, False),
                            judged(FEMALE_AT_LEAST_80, False),
                        ],
                    },
                ],
            }
        ]
    }
    assert activation.selected_response == {
        "moderationLabels": [
            {
                "confidence": 94.87000274658203,
                "name": "Graphic Male Nudity",
                "parentName": "Explicit Nudity",
            }
        ],
        "moderationModelVersion": "6.1",
    }


def test_anything_at_or_above_75():
    activation = evaluate(REKOGNITION_MODERATION, conditions(ANY_LABEL_75))

    assert activation.starts
    assert activation.condition_results == {"Conditions": [judged(ANY_LABEL_75, True)]}
    assert shown_labels(activation) == [  # all but Violence, at 58.24
        "Suggestive",
        "Female Swimwear Or Underwear",
        "Explicit Nudity",
        "Graphic Male Nudity",
        "Nudity",
    ]


@pytest.mark.parametrize("draw, starts", [(0.01, True), (0.5, False)])
def test_sample_five_percent_of_one_label_above_50(draw, starts):
    document = conditions({"And": [sampling(5), MALE_ABOVE_50]})

    activation = evaluate(REKOGNITION_MODERATION, document, rng=Draws(draw))

    assert activation.starts is starts
    assert activation.condition_results == {
        "Conditions": [
            {
                "EvaluationResult": starts,
                "And": [judged(sampling(5), starts), judged(MALE_ABOVE_50, True)],
            }
        ]
    }
    assert shown_labels(activation) == (["Graphic Male Nudity"] if starts else [])


def test_the_activation_output_example_of_section_4_7():
    document = {
        "Conditions": [
            {
                "Or": [
                    {
                        "ConditionType": "ModerationLabelConfidenceCheck",
                        "ConditionParameters": {
                            "ModerationLabelName": "Suggestive",
                            "ConfidenceLessThan": 98,
                        },
                    },
                    {
                        "ConditionType": "ModerationLabelConfidenceCheck",
                        "ConditionParameters": {
                            "ModerationLabelName": "Female Swimwear Or Underwear",
                            "ConfidenceGreaterThan": 98,
                        },
                    },
                ]
            }
        ]
    }
    shown_in_the_reference = {
        "Conditions": [
            {
                "EvaluationResult": True,
                "Or": [
                    {
                        "ConditionType": "ModerationLabelConfidenceCheck",
                        "ConditionParameters": {
                            "ModerationLabelName": "Suggestive",
                            "ConfidenceLessThan": 98,
                        },
                        "EvaluationResult": True,
                    },
                    {
                        "ConditionType": "ModerationLabelConfidenceCheck",
                        "ConditionParameters": {
                            "ModerationLabelName": "Female Swimwear Or Underwear",
                            "ConfidenceGreaterThan": 98,
                        },
                        "EvaluationResult": False,
                    },
                ],
            }
        ]
    }

    activation = evaluate(REKOGNITION_MODERATION, document)

    # Same members in the same order as the reference prints them.
    assert activation.output == {
        "HumanLoopActivationReasons": ["ConditionsEvaluation"],
        "HumanLoopActivationConditionsEvaluationResults": json.dumps(
            shown_in_the_reference, separators=(",", ":")
        ),
    }
    assert shown_labels(activation) == ["Suggestive"]


def mail_address_form() -> dict[str, Any]:
    """A one-pair AnalyzeDocument response whose key reads "Mail Address:"."""

    def box(left: float) -> dict[str, Any]:
        return {
            "BoundingBox": {"Width": 0.1, "Height": 0.02, "Left": left, "Top": 0.3},
            "Polygon": [
                {"X": left, "Y": 0.3},
                {"X": left + 0.1, "Y": 0.3},
                {"X": left + 0.1, "Y": 0.32},
                {"X": left, "Y": 0.32},
            ],
        }

    def word(block_id: str, text: str, confidence: float, left: float) -> dict[str, Any]:
        return {
            "BlockType": "WORD",
            "Confidence": confidence,
            "Text": text,
            "TextType": "PRINTED",
            "Geometry": box(left),
            "Id": block_id,
            "Page": 1,
        }

    return {
        "DocumentMetadata": {"Pages": 1},
        "Blocks": [
            word("w-mail", "Mail", 99.7, 0.05),
            word("w-address", "Address:", 99.6, 0.12),
            word("w-street", "Elmwood", 93.2, 0.3),
            {
                "BlockType": "KEY_VALUE_SET",
                "Confidence": 88.4,
                "Geometry": box(0.05),
                "Id": "kv-key",
                "Relationships": [
                    {"Type": "VALUE", "Ids": ["kv-value"]},
                    {"Type": "CHILD", "Ids": ["w-mail", "w-address"]},
                ],
                "EntityTypes": ["KEY"],
                "Page": 1,
            },
            {
                "BlockType": "KEY_VALUE_SET",
                "Confidence": 88.4,
                "Geometry": box(0.3),
                "Id": "kv-value",
                "Relationships": [{"Type": "CHILD", "Ids": ["w-street"]}],
                "EntityTypes": ["VALUE"],
                "Page": 1,
            },
        ],
        "AnalyzeDocumentModelVersion": "1.0",
    }


def test_the_condition_results_of_the_output_json_example_of_section_5_3():
    aliases = ["Mail Address:", "Mail address:", "Mailing Add:"]
    document = conditions(
        {
            "Or": [
                key_check(
                    "Mail address",
                    aliases,
                    KeyValueBlockConfidenceLessThan=100,
                    WordBlockConfidenceLessThan=100,
                ),
                missing_key("Mail address", aliases),
            ]
        }
    )

    activation = evaluate(TEXTRACT_FORMS, document, response=mail_address_form())

    assert activation.starts
    assert activation.condition_results == {
        "Conditions": [
            {
                "EvaluationResult": True,
                "Or": [
                    {
                        "ConditionParameters": {
                            "ImportantFormKey": "Mail address",
                            "ImportantFormKeyAliases": [
                                "Mail Address:",
                                "Mail address:",
                                "Mailing Add:",
                            ],
                            "KeyValueBlockConfidenceLessThan": 100,
                            "WordBlockConfidenceLessThan": 100,
                        },
                        "ConditionType": "ImportantFormKeyConfidenceCheck",
                        "EvaluationResult": True,
                    },
                    {
                        "ConditionParameters": {
                            "ImportantFormKey": "Mail address",
                            "ImportantFormKeyAliases": [
                                "Mail Address:",
                                "Mail address:",
                                "Mailing Add:",
                            ],
                        },
                        "ConditionType": "MissingImportantFormKey",
                        "EvaluationResult": False,
                    },
                ],
            }
        ]
    }
    assert [block["id"] for block in activation.selected_response["blocks"]] == [
        "w-mail",
        "w-address",
        "w-street",
        "kv-key",
        "kv-value",
    ]
