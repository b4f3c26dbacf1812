"""And, Or and the top-level array (reference §4.1, §4.4): how results combine, that every node
is evaluated and reported, and what reviewers are shown when several conditions hold."""

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
    rekognition_response,
    sampling,
    shown_keys,
    shown_labels,
    textract_response,
)
from workflows.activation import (
    REKOGNITION_MODERATION,
    TEXTRACT_FORMS,
    camel_case,
    evaluate_activation,
)

TRUE_LABEL = label("Violence", ConfidenceLessThan=60)  # 58.24
FALSE_LABEL = label("Violence", ConfidenceGreaterThan=60)
OTHER_TRUE_LABEL = label("Nudity", ConfidenceLessThan=90)  # 81.33
NAME_LOW = key_check("Employee Name", KeyValueBlockConfidenceLessThan=60)  # 58.3: holds
SSN_LOW = key_check("SSN:", WordBlockConfidenceLessThan=80)  # 75.04: holds
PAY_LOW = key_check("Pay Date", KeyValueBlockConfidenceLessThan=60)  # 93.75: does not


def moderation(document: dict[str, Any], rng=NEVER):
    return evaluated(REKOGNITION_MODERATION, document, rng=rng)


def forms(document: dict[str, Any] | None, rng=NEVER):
    return evaluated(TEXTRACT_FORMS, document, rng=rng)


@pytest.mark.parametrize(
    "members, starts",
    [
        ([TRUE_LABEL], True),
        ([FALSE_LABEL], False),
        ([FALSE_LABEL, TRUE_LABEL], True),
        ([TRUE_LABEL, FALSE_LABEL], True),
        ([FALSE_LABEL, FALSE_LABEL], False),
        ([{"And": [TRUE_LABEL, OTHER_TRUE_LABEL]}], True),
        ([{"And": [TRUE_LABEL, FALSE_LABEL]}], False),
        ([{"And": [FALSE_LABEL, TRUE_LABEL]}], False),
        ([{"Or": [FALSE_LABEL, TRUE_LABEL]}], True),
        ([{"Or": [FALSE_LABEL, FALSE_LABEL]}], False),
        ([{"Or": [{"And": [TRUE_LABEL, OTHER_TRUE_LABEL]}, FALSE_LABEL]}], True),
        ([{"Or": [{"And": [TRUE_LABEL, FALSE_LABEL]}, FALSE_LABEL]}], False),
        ([{"And": [{"Or": [FALSE_LABEL, TRUE_LABEL]}, OTHER_TRUE_LABEL]}], True),
        ([{"And": [{"Or": [FALSE_LABEL, FALSE_LABEL]}, OTHER_TRUE_LABEL]}], False),
        ([{"And": [FALSE_LABEL, TRUE_LABEL]}, {"Or": [FALSE_LABEL, OTHER_TRUE_LABEL]}], True),
    ],
)
def test_the_top_level_array_is_an_or_of_and_and_or_combinations(members, starts):
    assert moderation(conditions(*members)).starts is starts


def test_every_node_is_evaluated_and_reported_after_the_outcome_is_known():
    document = conditions(
        TRUE_LABEL,
        {"Or": [TRUE_LABEL, {"And": [FALSE_LABEL, sampling(50)]}]},
        sampling(50),
    )
    draws = Draws(0.9, 0.1)  # both Sampling nodes draw, in document order

    activation = moderation(document, rng=draws)

    assert draws.draws == []
    assert activation.condition_results == {
        "Conditions": [
            judged(TRUE_LABEL, True),
            {
                "EvaluationResult": True,
                "Or": [
                    judged(TRUE_LABEL, True),
                    {
                        "EvaluationResult": False,
                        "And": [judged(FALSE_LABEL, False), judged(sampling(50), False)],
                    },
                ],
            },
            judged(sampling(50), True),
        ]
    }


def test_the_evaluation_results_string_is_the_results_tree_as_compact_json():
    activation = moderation(conditions({"Or": [TRUE_LABEL, FALSE_LABEL]}))

    text = activation.output["HumanLoopActivationConditionsEvaluationResults"]
    assert json.loads(text) == activation.condition_results
    assert text.startswith('{"Conditions":[{"EvaluationResult":true,"Or":[{"ConditionType":')
    assert activation.output["HumanLoopActivationReasons"] == ["ConditionsEvaluation"]


def test_no_reasons_are_given_when_no_loop_starts():
    activation = moderation(conditions(FALSE_LABEL))

    assert not activation.starts
    assert list(activation.output) == ["HumanLoopActivationConditionsEvaluationResults"]
    assert activation.selected_response == {
        "moderationLabels": [],
        "moderationModelVersion": "6.1",
    }


def test_reviewers_see_what_every_true_condition_matched():
    activation = forms(conditions({"Or": [NAME_LOW, PAY_LOW]}, SSN_LOW))

    assert shown_keys(activation) == ["Employee Name", "SSN:"]


def test_and_shows_what_each_of_its_members_matched():
    activation = moderation(conditions({"And": [TRUE_LABEL, OTHER_TRUE_LABEL]}))

    assert shown_labels(activation) == ["Nudity", "Violence"]


def test_a_member_of_a_false_and_shows_nothing():
    activation = moderation(conditions({"And": [TRUE_LABEL, FALSE_LABEL]}, OTHER_TRUE_LABEL))

    assert shown_labels(activation) == ["Nudity"]


def test_sampling_alone_shows_the_whole_response():
    activation = forms(conditions(sampling(5)), rng=Draws(0.01))

    assert activation.starts
    assert activation.selected_response == camel_case(textract_response())
    assert activation.selected_response["documentMetadata"] == {"pages": 2}


def test_sampling_and_a_check_shows_only_what_the_check_matched():
    activation = forms(conditions({"And": [sampling(5), NAME_LOW]}), rng=Draws(0.01))

    assert activation.starts
    assert shown_keys(activation) == ["Employee Name"]


def test_sampling_beside_a_true_check_in_an_or_shows_the_whole_response():
    activation = moderation(conditions({"Or": [sampling(5), TRUE_LABEL]}), rng=Draws(0.01))

    assert activation.selected_response == camel_case(rekognition_response())


def test_a_sample_not_drawn_shows_what_the_other_conditions_matched():
    activation = moderation(conditions(sampling(5), TRUE_LABEL), rng=Draws(0.99))

    assert shown_labels(activation) == ["Violence"]


def test_a_sampled_missing_key_starts_a_loop_showing_no_pairs():
    activation = forms(conditions({"And": [sampling(5), missing_key("Tax ID")]}), rng=Draws(0.01))

    assert activation.starts
    assert activation.selected_response == {"blocks": []}


def test_a_sample_not_drawn_makes_its_and_false():
    activation = forms(conditions({"And": [sampling(5), NAME_LOW]}), rng=Draws(0.05))

    assert not activation.starts
    assert activation.selected_response == {"blocks": []}


def test_without_conditions_every_request_starts_a_loop_showing_everything():
    activation = forms(None)

    assert activation.starts
    assert activation.condition_results == {"Conditions": []}
    assert activation.output == {
        "HumanLoopActivationReasons": ["ConditionsEvaluation"],
        "HumanLoopActivationConditionsEvaluationResults": '{"Conditions":[]}',
    }
    assert activation.selected_response == camel_case(textract_response())


def test_an_unknown_request_source_is_refused():
    with pytest.raises(ValueError, match="not a built-in request source"):
        evaluate_activation(conditions(TRUE_LABEL), request_source="Custom", response={})


def test_a_condition_type_of_the_other_source_is_refused():
    with pytest.raises(ValueError, match="not a Textract condition type"):
        evaluate_activation(
            conditions(TRUE_LABEL), request_source=TEXTRACT_FORMS, response=textract_response()
        )
