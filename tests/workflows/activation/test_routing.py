"""Routing conditions for custom flow definitions: the same tree over the client's own prediction
JSON, with PredictionCheck (a JSONPath, a comparator, a value) and Sampling."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.workflows.activation.support import (
    COMPARATOR_AT_BELOW_ABOVE,
    NEVER,
    Draws,
    conditions,
    prediction_check,
    sampling,
)
from workflows.activation import (
    evaluate_routing,
    routing_problems,
    validate_routing_conditions,
)

PREDICTION = {
    "modelVersion": "fraud-2024-03",
    "score": 0.42,
    "label": "fraud",
    "flags": ["new-account", "foreign-ip"],
    "features": {"amount": 1250.0, "country": "NZ", "verified": False, "attempts": 3},
    "labels": [
        {"name": "fraud", "score": 0.42},
        {"name": "chargeback", "score": 0.31},
        {"name": "legit", "score": 0.27},
    ],
    "reviewerNote": None,
    "per.mille": 420,
}


def route(*members: dict[str, Any], prediction: Any = PREDICTION, rng=NEVER):
    document = conditions(*members)
    assert routing_problems(document) == []
    return evaluate_routing(document, prediction=prediction, rng=rng)


def holds(path: str, comparator: str, value: Any) -> bool:
    return route(prediction_check(path, comparator, value)).starts


# Validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        conditions(prediction_check("$.score", "LessThan", 0.5)),
        conditions(prediction_check("score", "Equals", None)),
        conditions(prediction_check("$.labels[?(@.name == 'fraud')].score", "GreaterThan", 0.9)),
        conditions(prediction_check("$.flags[*]", "In", ["vip", "new-account"])),
        conditions(prediction_check("$.features", "Equals", {"country": "NZ"})),
        conditions(sampling(0.01)),
        conditions(*[prediction_check("$.score", "Equals", 1)] * 86),  # 10164 characters
        conditions(
            {
                "Or": [
                    prediction_check("$.score", "LessThan", 0.5),
                    {"And": [sampling(5), prediction_check("$.label", "NotEquals", "legit")]},
                ]
            }
        ),
    ],
)
def test_valid_routing_documents_are_accepted(document):
    assert routing_problems(document) == []
    assert validate_routing_conditions(document) is None


def check(**parameters: Any) -> dict[str, Any]:
    return {"ConditionType": "PredictionCheck", "ConditionParameters": parameters}


REFUSED = {
    "path-missing": (
        conditions(check(Comparator="Equals", Value=1)),
        ["Conditions[0].ConditionParameters: PredictionCheck needs Path"],
    ),
    "path-not-jsonpath": (
        conditions(check(Path="$.labels[", Comparator="Equals", Value=1)),
        [
            "Conditions[0].ConditionParameters.Path: is not a JSONPath expression "
            "(Parse error near the end of string!)"
        ],
    ),
    "path-not-a-string": (
        conditions(check(Path=3, Comparator="Equals", Value=1)),
        ["Conditions[0].ConditionParameters.Path: must be a non-empty string, not a number"],
    ),
    "comparator-unknown": (
        conditions(check(Path="$.score", Comparator="Below", Value=1)),
        [
            "Conditions[0].ConditionParameters.Comparator: must be one of Equals, NotEquals, "
            "LessThan, LessThanEquals, GreaterThan, GreaterThanEquals, In, NotIn, not 'Below'"
        ],
    ),
    "ordering-with-a-string": (
        conditions(
            {
                "Or": [
                    check(Path="$.score", Comparator="Equals", Value=1),
                    check(Path="$.score", Comparator="LessThan", Value="0.5"),
                ]
            }
        ),
        [
            "Conditions[0].Or[1].ConditionParameters.Value: must be a number for LessThan, "
            "not a string"
        ],
    ),
    "ordering-with-a-boolean": (
        conditions(check(Path="$.score", Comparator="GreaterThanEquals", Value=True)),
        [
            "Conditions[0].ConditionParameters.Value: must be a number for GreaterThanEquals, "
            "not a boolean"
        ],
    ),
    "membership-without-an-array": (
        conditions(check(Path="$.label", Comparator="NotIn", Value="legit")),
        ["Conditions[0].ConditionParameters.Value: must be an array for NotIn, not a string"],
    ),
    "unknown-parameter": (
        conditions(check(Path="$.score", Comparator="Equals", Value=1, Threshold=2)),
        [
            "Conditions[0].ConditionParameters: 'Threshold' is not a parameter of PredictionCheck;"
            " its parameters are Path, Comparator, Value"
        ],
    ),
    "built-in-type": (
        conditions(
            {
                "ConditionType": "ImportantFormKeyConfidenceCheck",
                "ConditionParameters": {"ImportantFormKey": "Name"},
            }
        ),
        [
            "Conditions[0]: ConditionType 'ImportantFormKeyConfidenceCheck' is not one of "
            "PredictionCheck, Sampling for routing"
        ],
    ),
    "sampling-out-of-range": (
        conditions(sampling(0)),
        [
            "Conditions[0].ConditionParameters.RandomSamplingPercentage: must be from 0.01 to "
            "100, not 0"
        ],
    ),
    "too-deep": (
        conditions(
            {
                "Or": [
                    {"And": [{"Or": [sampling(1), sampling(2)]}, sampling(3)]},
                    sampling(4),
                ]
            }
        ),
        [
            "Conditions[0].Or[0].And[0].Or: nests And/Or 3 levels deep; at most 2 are allowed "
            "(Conditions[] -> Or -> And -> condition)"
        ],
    ),
    "and-of-one": (
        conditions({"And": [sampling(5)]}),
        ["Conditions[0].And: must have at least 2 members, not 1"],
    ),
    "empty": (conditions(), ["Conditions: must hold at least one condition"]),
    "not-an-object": ([], ['must be a JSON object {"Conditions": [...]}, not an array']),
    "too-long": (
        conditions(*[prediction_check("$.score", "Equals", 1)] * 87),
        ["must serialize to at most 10240 characters, not 10282"],
    ),
}


@pytest.mark.parametrize("document, problems", REFUSED.values(), ids=REFUSED)
def test_invalid_routing_documents_are_refused_with_the_path_and_the_rule(document, problems):
    assert routing_problems(document) == problems
    with pytest.raises(ValidationError) as raised:
        validate_routing_conditions(document)
    assert raised.value.messages == ["; ".join(problems)]


def test_every_problem_of_a_document_is_reported():
    document = conditions(
        check(Path="", Comparator="Equals", Value=1),
        {"Or": [check(Path="$.a", Comparator="In", Value=1), sampling(101)]},
    )

    assert routing_problems(document) == [
        "Conditions[0].ConditionParameters.Path: must not be empty",
        "Conditions[1].Or[0].ConditionParameters.Value: must be an array for In, not a number",
        "Conditions[1].Or[1].ConditionParameters.RandomSamplingPercentage: must be from 0.01 "
        "to 100, not 101",
    ]


# Evaluation ---------------------------------------------------------------------------------

# comparator, holds with the value exactly at, just below, just above the score 0.42: as a
# confidence bound holds, and routing's own NotEquals
ORDERINGS = [*COMPARATOR_AT_BELOW_ABOVE, ("NotEquals", False, True, True)]


@pytest.mark.parametrize(
    "comparator, value, expected",
    [
        pytest.param(comparator, value, expected, id=f"{comparator}-{value}")
        for comparator, *outcomes in ORDERINGS
        for value, expected in zip([0.42, 0.41, 0.43], outcomes, strict=True)
    ],
)
def test_a_number_against_each_comparator_at_and_around_it(comparator, value, expected):
    assert holds("$.score", comparator, value) is expected


@pytest.mark.parametrize(
    "path, comparator, value, expected",
    [
        ("$.label", "Equals", "fraud", True),
        ("$.label", "Equals", "Fraud", False),
        ("$.label", "NotEquals", "legit", True),
        ("$.label", "In", ["fraud", "chargeback"], True),
        ("$.label", "In", ["legit"], False),
        ("$.label", "NotIn", ["legit", "unknown"], True),
        ("$.label", "NotIn", ["fraud"], False),
        ("$.label", "LessThan", 5, False),  # a string is not ordered against a number
        ("$.features.country", "Equals", "NZ", True),
        ('$["per.mille"]', "GreaterThanEquals", 420, True),
    ],
)
def test_strings_compare_by_equality_and_membership(path, comparator, value, expected):
    assert holds(path, comparator, value) is expected


@pytest.mark.parametrize(
    "path, comparator, value, expected",
    [
        ("$.flags", "Equals", ["new-account", "foreign-ip"], True),  # the array itself
        ("$.flags", "Equals", ["foreign-ip", "new-account"], False),  # order matters
        ("$.flags", "In", [["new-account", "foreign-ip"], []], True),
        ("$.flags[*]", "Equals", "foreign-ip", True),  # each element: any may match
        ("$.flags[*]", "In", ["vip", "foreign-ip"], True),
        ("$.flags[*]", "NotIn", ["new-account", "foreign-ip"], False),
        ("$.flags[0]", "Equals", "new-account", True),
        ("$.labels[*].score", "LessThan", 0.3, True),
        ("$.labels[*].score", "LessThan", 0.27, False),
        ("$.labels[*].score", "GreaterThan", 0.42, False),
        ("$.labels[?(@.name == 'chargeback')].score", "Equals", 0.31, True),
        ("$.labels[?(@.score > 0.3)].name", "In", ["chargeback"], True),
        ("$..score", "GreaterThanEquals", 0.42, True),
    ],
)
def test_arrays_compare_whole_or_element_by_element(path, comparator, value, expected):
    assert holds(path, comparator, value) is expected


@pytest.mark.parametrize(
    "path, comparator, value, expected",
    [
        ("$.features.verified", "Equals", False, True),
        ("$.features.verified", "Equals", 0, False),  # false is not 0
        ("$.features.verified", "LessThan", 1, False),  # nor a number to order
        ("$.features.attempts", "Equals", True, False),
        ("$.features.attempts", "Equals", 3.0, True),  # 3 is 3.0
        ("$.features.attempts", "In", [1, 2, 3], True),
        ("$.features.amount", "Equals", 1250, True),
        ("$.reviewerNote", "Equals", None, True),
        ("$.reviewerNote", "NotEquals", None, False),
        ("$.features", "Equals", {"amount": 1250, "country": "NZ"}, False),
        (
            "$.features",
            "Equals",
            {"amount": 1250, "country": "NZ", "verified": False, "attempts": 3},
            True,
        ),
    ],
)
def test_equality_is_json_equality(path, comparator, value, expected):
    assert holds(path, comparator, value) is expected


@pytest.mark.parametrize(
    "comparator, value",
    [
        ("Equals", None),
        ("NotEquals", "anything"),
        ("In", [None]),
        ("NotIn", ["anything"]),
        ("LessThan", 100),
    ],
)
def test_a_path_that_finds_nothing_is_false_and_says_so(comparator, value):
    node = prediction_check("$.features.ipRisk", comparator, value)

    activation = route(node)

    assert not activation.starts
    assert activation.condition_results == {
        "Conditions": [{**node, "EvaluationResult": False, "ValuesFound": 0}]
    }


def test_a_path_that_finds_several_values_holds_when_any_satisfies_and_counts_them():
    node = prediction_check("$.labels[*].score", "LessThan", 0.35)

    activation = route(node)

    assert activation.starts
    assert activation.condition_results == {
        "Conditions": [{**node, "EvaluationResult": True, "ValuesFound": 3}]
    }
    assert activation.selected_response == {
        "matches": [
            {"path": "$.labels[1].score", "value": 0.31},
            {"path": "$.labels[2].score", "value": 0.27},
        ]
    }


def test_matches_are_located_by_a_path_to_each_value():
    activation = route(
        prediction_check("$.labels[-1].name", "Equals", "legit"),
        prediction_check('$["per.mille"]', "Equals", 420),
        prediction_check("$.flags", "Equals", ["new-account", "foreign-ip"]),
        prediction_check("$.labels[0].score", "Equals", 0.42),
        prediction_check("$.score", "Equals", 0.42),
        prediction_check("$.labels[0].score", "GreaterThan", 0.4),  # found again: listed once
    )

    assert activation.selected_response == {
        "matches": [
            {"path": "$.labels[2].name", "value": "legit"},
            {"path": '$["per.mille"]', "value": 420},
            {"path": "$.flags", "value": ["new-account", "foreign-ip"]},
            {"path": "$.labels[0].score", "value": 0.42},
            {"path": "$.score", "value": 0.42},
        ]
    }


def test_routing_combines_with_and_or_and_sampling_like_activation_conditions():
    low = prediction_check("$.score", "LessThan", 0.5)
    legit = prediction_check("$.label", "Equals", "legit")
    document = conditions({"Or": [legit, {"And": [sampling(10), low]}]})

    drawn = evaluate_routing(document, prediction=PREDICTION, rng=Draws(0.05))
    missed = evaluate_routing(document, prediction=PREDICTION, rng=Draws(0.5))

    assert drawn.starts and not missed.starts
    assert drawn.condition_results == {
        "Conditions": [
            {
                "EvaluationResult": True,
                "Or": [
                    {**legit, "EvaluationResult": False, "ValuesFound": 1},
                    {
                        "EvaluationResult": True,
                        "And": [
                            {**sampling(10), "EvaluationResult": True},
                            {**low, "EvaluationResult": True, "ValuesFound": 1},
                        ],
                    },
                ],
            }
        ]
    }
    assert drawn.output == {
        "HumanLoopActivationReasons": ["ConditionsEvaluation"],
        "HumanLoopActivationConditionsEvaluationResults": json.dumps(
            drawn.condition_results, separators=(",", ":")
        ),
    }
    assert drawn.selected_response == {"matches": [{"path": "$.score", "value": 0.42}]}
    assert missed.selected_response == {"matches": []}
    assert "HumanLoopActivationReasons" not in missed.output


def test_sampling_alone_routes_without_matches():
    activation = route(sampling(20), rng=Draws(0.1))

    assert activation.starts
    assert activation.selected_response == {"matches": []}


def test_a_prediction_that_is_not_an_object_can_be_routed():
    assert route(prediction_check("$[*]", "GreaterThan", 0.9), prediction=[0.2, 0.95]).starts
    assert route(prediction_check("$", "Equals", "cat"), prediction="cat").starts


def test_without_routing_conditions_every_request_is_routed():
    activation = evaluate_routing(None, prediction=PREDICTION)

    assert activation.starts
    assert activation.condition_results == {"Conditions": []}
