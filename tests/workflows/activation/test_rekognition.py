"""Rekognition moderation conditions (reference §4.3) over a real DetectModerationLabels response
whose labels form a hierarchy through ParentName."""

from __future__ import annotations

from typing import Any

import pytest

from tests.workflows.activation.support import (
    CONFIDENCE_BOUNDARIES,
    NEVER,
    conditions,
    label,
    rekognition_response,
    shown_labels,
)
from workflows.activation import REKOGNITION_MODERATION, activation_problems, evaluate_rekognition

# Confidences in the fixture (Rekognition's float32 values).
SUGGESTIVE = 96.70999908447266  # Suggestive, and its child Female Swimwear Or Underwear
EXPLICIT = 94.87000274658203  # Explicit Nudity, and its child Graphic Male Nudity
NUDITY = 81.33000183105469  # Nudity, the other child of Explicit Nudity
VIOLENCE = 58.2400016784668  # a top-level label without children


def evaluate(*members: dict[str, Any], response: dict[str, Any] | None = None):
    document = conditions(*members)
    assert activation_problems(document, request_source=REKOGNITION_MODERATION) == []
    return evaluate_rekognition(document, response=response or rekognition_response(), rng=NEVER)


@pytest.mark.parametrize("comparator, offset, expected", CONFIDENCE_BOUNDARIES)
def test_each_comparator_at_just_below_and_just_above_the_label_confidence(
    comparator, offset, expected
):
    activation = evaluate(label("Violence", **{f"Confidence{comparator}": VIOLENCE + offset}))

    assert activation.starts is expected
    assert shown_labels(activation) == (["Violence"] if expected else [])


@pytest.mark.parametrize("name", ["violence", "VIOLENCE", "Violence ", "Viol"])
def test_label_names_match_exactly_and_case_sensitively(name):
    assert not evaluate(label(name, ConfidenceGreaterThan=0)).starts


def test_a_condition_on_a_parent_label_is_decided_by_the_parent_alone():
    # Its child Nudity (81.33) is below 90, the parent itself (94.87) is not.
    activation = evaluate(label("Explicit Nudity", ConfidenceLessThan=90))

    assert not activation.starts
    assert activation.selected_response["moderationLabels"] == []


def test_a_condition_on_a_child_label_shows_the_child_with_its_parent_name():
    activation = evaluate(label("Nudity", ConfidenceLessThan=90))

    assert activation.starts
    assert activation.selected_response == {
        "moderationLabels": [
            {"confidence": NUDITY, "name": "Nudity", "parentName": "Explicit Nudity"}
        ],
        "moderationModelVersion": "6.1",
    }


def test_a_condition_on_a_parent_shows_the_parent_not_its_children():
    activation = evaluate(label("Suggestive", ConfidenceGreaterThan=90))

    assert shown_labels(activation) == ["Suggestive"]


def test_the_catch_all_label_shows_every_satisfying_label_in_response_order():
    activation = evaluate(label("*", ConfidenceGreaterThanEquals=EXPLICIT))

    assert shown_labels(activation) == [
        "Suggestive",
        "Female Swimwear Or Underwear",
        "Explicit Nudity",
        "Graphic Male Nudity",
    ]


def test_two_comparators_in_one_condition_make_a_window():
    window = {"ConfidenceGreaterThan": 80, "ConfidenceLessThan": 90}

    assert shown_labels(evaluate(label("*", **window))) == ["Nudity"]
    assert not evaluate(label("Violence", **window)).starts


def test_a_label_the_response_lacks_never_holds():
    assert not evaluate(label("Graphic Female Nudity", ConfidenceLessThan=100)).starts


def test_an_image_without_labels_matches_nothing():
    empty = {"ModerationLabels": [], "ModerationModelVersion": "6.1"}

    activation = evaluate(label("*", ConfidenceGreaterThanEquals=0), response=empty)

    assert not activation.starts
    assert activation.selected_response == {"moderationLabels": [], "moderationModelVersion": "6.1"}


def test_labels_matched_by_two_conditions_are_shown_once():
    activation = evaluate(
        label("Suggestive", ConfidenceGreaterThan=50),
        label("*", ConfidenceEquals=SUGGESTIVE),
    )

    assert shown_labels(activation) == ["Suggestive", "Female Swimwear Or Underwear"]
