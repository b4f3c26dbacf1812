"""Activation conditions (reference §4): the worked examples pass, and every rule a document
breaks is refused with the path of what breaks it, by the model, the native API and the wire."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from a2i_portal.errors import Invalid
from tests.api.conftest import key_client
from tests.factories import HumanTaskUiFactory, WorkTeamFactory
from workflows.activation import (
    REKOGNITION_MODERATION,
    TEXTRACT_FORMS,
    activation_problems,
    validate_activation_conditions,
)
from workflows.forms.flow_definitions import ACTIVATION_EXAMPLES
from workflows.models import FlowDefinition
from workflows.services.flow_definitions import create_flow_definition

TEXTRACT, REKOGNITION = TEXTRACT_FORMS, REKOGNITION_MODERATION


def check(key: str, aliases: list[str], **bounds: float) -> dict[str, Any]:
    return {
        "ConditionType": "ImportantFormKeyConfidenceCheck",
        "ConditionParameters": {
            "ImportantFormKey": key,
            "ImportantFormKeyAliases": aliases,
            **bounds,
        },
    }


def label(name: str, **bounds: float) -> dict[str, Any]:
    return {
        "ConditionType": "ModerationLabelConfidenceCheck",
        "ConditionParameters": {"ModerationLabelName": name, **bounds},
    }


def sampling(percentage: Any) -> dict[str, Any]:
    return {
        "ConditionType": "Sampling",
        "ConditionParameters": {"RandomSamplingPercentage": percentage},
    }


PAY_DATE = ["PayDate", "DateOfPay", "pay-date"]

# Reference §4.6, every example (the nested one with its published comma restored).
WORKED_EXAMPLES = {
    "textract-two-keys": (
        TEXTRACT,
        {
            "Conditions": [
                check(
                    "Employee Name",
                    ["Name", "EmployeeName"],
                    KeyValueBlockConfidenceLessThan=60,
                    WordBlockConfidenceLessThan=85,
                ),
                check(
                    "Pay Date",
                    PAY_DATE,
                    KeyValueBlockConfidenceLessThan=65,
                    WordBlockConfidenceLessThan=85,
                ),
            ]
        },
    ),
    "textract-any-key": (
        TEXTRACT,
        {
            "Conditions": [
                {
                    "ConditionType": "ImportantFormKeyConfidenceCheck",
                    "ConditionParameters": {
                        "ImportantFormKey": "*",
                        "KeyValueBlockConfidenceLessThan": 60,
                        "WordBlockConfidenceLessThan": 90,
                    },
                }
            ]
        },
    ),
    "textract-missing-key": (
        TEXTRACT,
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
    "textract-two-levels": (
        TEXTRACT,
        {
            "Conditions": [
                {
                    "Or": [
                        check(
                            "Pay Date",
                            PAY_DATE,
                            KeyValueBlockConfidenceLessThan=60,
                            WordBlockConfidenceLessThan=60,
                        ),
                        {
                            "And": [
                                sampling(5),
                                check(
                                    "Pay Date",
                                    PAY_DATE,
                                    KeyValueBlockConfidenceGreaterThan=90,
                                    WordBlockConfidenceGreaterThan=90,
                                ),
                            ]
                        },
                    ]
                }
            ]
        },
    ),
    "textract-audit": (TEXTRACT, {"Conditions": [sampling(5)]}),
    "rekognition-windows": (
        REKOGNITION,
        {
            "Conditions": [
                {
                    "Or": [
                        {
                            "And": [
                                label("Graphic Male Nudity", ConfidenceLessThanEquals=99),
                                label("Graphic Male Nudity", ConfidenceGreaterThanEquals=90),
                            ]
                        },
                        {
                            "And": [
                                label("Graphic Female Nudity", ConfidenceLessThanEquals=99),
                                label("Graphic Female Nudity", ConfidenceGreaterThanEquals=80),
                            ]
                        },
                    ]
                }
            ]
        },
    ),
    "rekognition-any-label": (
        REKOGNITION,
        {"Conditions": [label("*", ConfidenceGreaterThanEquals=75)]},
    ),
    "rekognition-sampled-label": (
        REKOGNITION,
        {
            "Conditions": [
                {
                    "And": [
                        sampling(5),
                        label("Graphic Male Nudity", ConfidenceGreaterThan=50),
                    ]
                }
            ]
        },
    ),
}


@pytest.mark.parametrize("source, conditions", WORKED_EXAMPLES.values(), ids=WORKED_EXAMPLES)
def test_the_worked_examples_of_the_reference_are_accepted(source, conditions):
    assert activation_problems(conditions, request_source=source) == []


@pytest.mark.parametrize(
    "source, conditions",
    [(source, conditions) for _, source, conditions in ACTIVATION_EXAMPLES],
    ids=[title for title, _, _ in ACTIVATION_EXAMPLES],
)
def test_the_examples_the_console_offers_are_accepted(source, conditions):
    assert activation_problems(conditions, request_source=source) == []


@pytest.mark.parametrize("percentage", [0.01, 5, 37.5, 100])
def test_sampling_percentages_from_0_01_to_100_are_accepted(percentage):
    assert (
        activation_problems({"Conditions": [sampling(percentage)]}, request_source=TEXTRACT) == []
    )


@pytest.mark.parametrize("confidence", [0, 42.5, 100])
def test_confidences_from_0_to_100_are_accepted(confidence):
    conditions = {"Conditions": [label("Violence", ConfidenceLessThan=confidence)]}

    assert activation_problems(conditions, request_source=REKOGNITION) == []


def refused(conditions: Any, source: str = TEXTRACT) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_activation_conditions(conditions, request_source=source)
    (message,) = caught.value.messages
    return message


# The grammar (§4.1)


@pytest.mark.parametrize(
    "conditions, message",
    [
        (["Conditions"], 'must be a JSON object {"Conditions": [...]}, not an array'),
        ({"Condition": []}, 'Condition: is not allowed: the only member is "Conditions"'),
        ({"Conditions": {}}, "Conditions: must be an array of conditions, not an object"),
        ({"Conditions": []}, "Conditions: must hold at least one condition"),
    ],
    ids=["not-an-object", "wrong-member", "conditions-not-an-array", "no-condition"],
)
def test_a_document_of_the_wrong_shape_is_refused_saying_what_it_must_be(conditions, message):
    assert message in refused(conditions)


def test_a_condition_that_is_not_an_object_is_refused_with_its_index():
    message = refused({"Conditions": [sampling(5), "Sampling"]})

    assert message.startswith("Conditions[1]: must be an object")


def test_a_condition_with_both_a_type_and_an_or_is_refused():
    message = refused({"Conditions": [{**sampling(5), "Or": [sampling(1), sampling(2)]}]})

    assert message == (
        "Conditions[0]: must have exactly one of ConditionType, And, Or; it has ConditionType, Or"
    )


def test_a_condition_with_neither_a_type_nor_an_and_or_is_refused():
    message = refused({"Conditions": [{"ConditionParameters": {}}]})

    assert message == (
        "Conditions[0]: must have exactly one of ConditionType, And, Or; it has none of them"
    )


@pytest.mark.parametrize("operator", ["And", "Or"])
def test_an_and_or_or_with_fewer_than_two_members_is_refused(operator):
    message = refused({"Conditions": [{operator: [sampling(5)]}]})

    assert message == f"Conditions[0].{operator}: must have at least 2 members, not 1"


def test_an_or_that_is_not_an_array_is_refused():
    message = refused({"Conditions": [{"Or": sampling(5)}]})

    assert message == "Conditions[0].Or: must be an array of conditions, not an object"


def test_two_levels_of_nesting_are_accepted_and_a_third_is_refused():
    innermost = {"Or": [sampling(1), sampling(2)]}
    third = {"Conditions": [{"Or": [{"And": [innermost, sampling(3)]}, sampling(4)]}]}

    message = refused(third)

    assert message == (
        "Conditions[0].Or[0].And[0].Or: nests And/Or 3 levels deep; at most 2 are allowed "
        "(Conditions[] -> Or -> And -> condition)"
    )
    second = copy.deepcopy(third)
    second["Conditions"][0]["Or"][0]["And"][0] = sampling(9)
    assert activation_problems(second, request_source=TEXTRACT) == []


def test_a_member_beside_an_or_is_refused():
    message = refused({"Conditions": [{"Or": [sampling(1), sampling(2)], "Note": "x"}]})

    assert message == "Conditions[0]: Note is not allowed beside Or"


# Condition types and parameters (§4.2, §4.3)


def test_a_condition_type_the_request_source_does_not_offer_is_refused_with_its_path():
    conditions = {"Conditions": [{"Or": [sampling(5), {"ConditionType": "Foo"}]}]}

    assert refused(conditions) == (
        "Conditions[0].Or[1]: ConditionType 'Foo' is not one of "
        "ImportantFormKeyConfidenceCheck, MissingImportantFormKey, Sampling for Textract"
    )


def test_a_textract_condition_is_refused_for_rekognition():
    conditions = {"Conditions": [check("Name", [], KeyValueBlockConfidenceLessThan=50)]}

    assert refused(conditions, REKOGNITION) == (
        "Conditions[0]: ConditionType 'ImportantFormKeyConfidenceCheck' is not one of "
        "ModerationLabelConfidenceCheck, Sampling for Rekognition"
    )


def test_a_condition_type_that_is_not_a_string_is_refused():
    message = refused({"Conditions": [{"ConditionType": 7, "ConditionParameters": {}}]})

    assert message.startswith("Conditions[0]: ConditionType a number is not one of")


def test_a_condition_without_parameters_is_refused():
    message = refused({"Conditions": [{"ConditionType": "Sampling"}]})

    assert message == (
        "Conditions[0].ConditionParameters: must be an object with the parameters of Sampling, "
        "not missing"
    )


def test_an_unknown_parameter_name_is_refused_naming_the_ones_there_are():
    conditions = {"Conditions": [label("Violence", ConfidenceAbove=50)]}

    message = refused(conditions, REKOGNITION)

    assert message.startswith(
        "Conditions[0].ConditionParameters: 'ConfidenceAbove' is not a parameter of "
        "ModerationLabelConfidenceCheck; its parameters are ModerationLabelName, "
        "ConfidenceEquals, ConfidenceLessThan"
    )


def test_a_parameter_of_another_condition_type_is_refused():
    conditions = {
        "Conditions": [
            {
                "ConditionType": "MissingImportantFormKey",
                "ConditionParameters": {
                    "ImportantFormKey": "Address",
                    "KeyValueBlockConfidenceLessThan": 50,
                },
            }
        ]
    }

    assert "'KeyValueBlockConfidenceLessThan' is not a parameter of MissingImportantFormKey" in (
        refused(conditions)
    )


def test_a_required_parameter_that_is_missing_is_refused():
    conditions = {
        "Conditions": [
            {
                "ConditionType": "ImportantFormKeyConfidenceCheck",
                "ConditionParameters": {"KeyValueBlockConfidenceLessThan": 50},
            }
        ]
    }

    assert refused(conditions) == (
        "Conditions[0].ConditionParameters: ImportantFormKeyConfidenceCheck needs ImportantFormKey"
    )


def test_a_confidence_check_without_a_bound_is_refused():
    message = refused({"Conditions": [label("Violence")]}, REKOGNITION)

    assert message == (
        "Conditions[0].ConditionParameters: ModerationLabelConfidenceCheck needs at least one of "
        "ConfidenceEquals, ConfidenceLessThan, ConfidenceLessThanEquals, ConfidenceGreaterThan, "
        "ConfidenceGreaterThanEquals"
    )


@pytest.mark.parametrize(
    "value, message",
    [
        (101, "must be from 0 to 100, not 101"),
        (-1, "must be from 0 to 100, not -1"),
        ("60", "must be a number from 0 to 100, not a string"),
        (True, "must be a number from 0 to 100, not a boolean"),
    ],
    ids=["above-100", "below-0", "string", "boolean"],
)
def test_a_confidence_outside_0_to_100_is_refused_with_its_path(value, message):
    conditions = {
        "Conditions": [{"And": [sampling(5), label("Violence", ConfidenceLessThan=value)]}]
    }

    assert refused(conditions, REKOGNITION) == (
        f"Conditions[0].And[1].ConditionParameters.ConfidenceLessThan: {message}"
    )


@pytest.mark.parametrize("percentage", [0, 0.001, 100.5])
def test_a_sampling_percentage_outside_0_01_to_100_is_refused(percentage):
    message = refused({"Conditions": [sampling(percentage)]})

    assert message == (
        "Conditions[0].ConditionParameters.RandomSamplingPercentage: must be from 0.01 to 100, "
        f"not {percentage:g}"
    )


@pytest.mark.parametrize(
    "parameters, message",
    [
        (
            {"ImportantFormKey": "", "KeyValueBlockConfidenceLessThan": 50},
            "ImportantFormKey: must not be empty",
        ),
        (
            {"ImportantFormKey": "Name", "ImportantFormKeyAliases": "Full name"},
            "ImportantFormKeyAliases: must be an array of non-empty strings",
        ),
    ],
    ids=["empty-key", "aliases-not-an-array"],
)
def test_key_names_and_aliases_must_be_text(parameters, message):
    conditions = {
        "Conditions": [
            {"ConditionType": "ImportantFormKeyConfidenceCheck", "ConditionParameters": parameters}
        ]
    }

    assert message in refused(conditions)


def test_every_problem_is_reported_at_once():
    conditions = {"Conditions": [{"ConditionType": "Foo"}, {"Or": [sampling(500)]}]}

    message = refused(conditions)

    assert "Conditions[0]: ConditionType 'Foo'" in message
    assert "Conditions[1].Or: must have at least 2 members, not 1" in message
    assert "Conditions[1].Or[0].ConditionParameters.RandomSamplingPercentage" in message


# The same refusal everywhere


@pytest.fixture
def flow_fields(db):  # noqa: ANN001
    return {
        "name": "payroll-forms",
        "work_team": WorkTeamFactory(),
        "task_ui": HumanTaskUiFactory(),
        "task_title": "Review the payroll form",
        "task_description": "Check the fields the model was unsure of",
        "output_path": "s3://bucket/a2i",
        "request_source": TEXTRACT,
    }


@pytest.fixture
def staff_api(operator):  # noqa: ANN001
    return key_client(operator)


BAD = {"Conditions": [{"Or": [sampling(5), {"ConditionType": "Foo"}]}]}
BAD_MESSAGE = (
    "Conditions[0].Or[1]: ConditionType 'Foo' is not one of "
    "ImportantFormKeyConfidenceCheck, MissingImportantFormKey, Sampling for Textract"
)


def test_the_service_refuses_bad_conditions_naming_the_field_and_writes_nothing(flow_fields):
    with pytest.raises(Invalid) as caught:
        create_flow_definition(**flow_fields, activation_conditions=BAD)

    assert (caught.value.field, caught.value.message) == ("activation_conditions", BAD_MESSAGE)
    assert not FlowDefinition.objects.exists()


def test_the_native_api_refuses_bad_conditions_with_the_same_words(staff_api, flow_fields):
    body = {
        **flow_fields,
        "work_team": flow_fields["work_team"].name,
        "task_ui": flow_fields["task_ui"].name,
        "activation_conditions": BAD,
    }

    response = staff_api.post("/api/v1/flow-definitions/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid",
        "field": "activation_conditions",
        "message": BAD_MESSAGE,
    }
    assert not FlowDefinition.objects.exists()


def test_valid_conditions_are_kept_as_given(flow_fields):
    source, conditions = WORKED_EXAMPLES["textract-two-levels"]

    flow = create_flow_definition(**flow_fields, activation_conditions=conditions)

    flow.refresh_from_db()
    assert flow.activation_conditions == conditions
