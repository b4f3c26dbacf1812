"""What the activation tests share: the fixture responses, condition builders, draws, and
readers of what an evaluation decided and showed reviewers."""

from __future__ import annotations

import copy
import json
import random
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from workflows.activation import (
    TEXTRACT_FORMS,
    Activation,
    activation_problems,
    evaluate_activation,
)

FIXTURES = Path(__file__).parent / "fixtures"


@cache
def _load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def textract_response() -> dict[str, Any]:
    """A two-page AnalyzeDocument (FORMS) response: 11 key-value pairs, 93 blocks."""
    return copy.deepcopy(_load("textract_analyze_document_forms.json"))


def rekognition_response() -> dict[str, Any]:
    """A DetectModerationLabels response: two parents with children, one lone top-level label."""
    return copy.deepcopy(_load("rekognition_detect_moderation_labels.json"))


def key_check(key: str, aliases: list[str] | None = None, **bounds: float) -> dict[str, Any]:
    parameters: dict[str, Any] = {"ImportantFormKey": key}
    if aliases is not None:
        parameters["ImportantFormKeyAliases"] = aliases
    return {
        "ConditionType": "ImportantFormKeyConfidenceCheck",
        "ConditionParameters": {**parameters, **bounds},
    }


def missing_key(key: str, aliases: list[str] | None = None) -> dict[str, Any]:
    parameters: dict[str, Any] = {"ImportantFormKey": key}
    if aliases is not None:
        parameters["ImportantFormKeyAliases"] = aliases
    return {"ConditionType": "MissingImportantFormKey", "ConditionParameters": parameters}


def label(name: str, **bounds: float) -> dict[str, Any]:
    return {
        "ConditionType": "ModerationLabelConfidenceCheck",
        "ConditionParameters": {"ModerationLabelName": name, **bounds},
    }


def sampling(percentage: float) -> dict[str, Any]:
    return {
        "ConditionType": "Sampling",
        "ConditionParameters": {"RandomSamplingPercentage": percentage},
    }


def prediction_check(path: str, comparator: str, value: Any) -> dict[str, Any]:
    return {
        "ConditionType": "PredictionCheck",
        "ConditionParameters": {"Path": path, "Comparator": comparator, "Value": value},
    }


def conditions(*members: dict[str, Any]) -> dict[str, Any]:
    return {"Conditions": list(members)}


class Draws(random.Random):
    """A random source whose random() returns the given draws in turn, and fails past them:
    a test states each Sampling decision, and how many draws the evaluation takes."""

    def __init__(self, *draws: float) -> None:
        super().__init__(0)
        self.draws = list(draws)

    def random(self) -> float:
        return self.draws.pop(0)


NEVER = Draws()  # for documents without Sampling: any draw fails the test


COMPARATOR_AT_BELOW_ABOVE = [
    # comparator, holds with the threshold exactly at, just below, just above the confidence
    ("Equals", True, False, False),
    ("LessThan", False, False, True),
    ("LessThanEquals", True, False, True),
    ("GreaterThan", False, True, False),
    ("GreaterThanEquals", True, True, False),
]
# (comparator, offset from the confidence, whether the bound holds), one case per row and place
CONFIDENCE_BOUNDARIES = [
    pytest.param(comparator, offset, expected, id=f"{comparator}-{where}")
    for comparator, *outcomes in COMPARATOR_AT_BELOW_ABOVE
    for (where, offset), expected in zip(
        [("at", 0.0), ("below", -0.01), ("above", +0.01)], outcomes, strict=True
    )
]


def evaluated(
    source: str,
    document: dict[str, Any] | None,
    *,
    rng: random.Random = NEVER,
    response: dict[str, Any] | None = None,
) -> Activation:
    """`document`, asserted valid for `source`, evaluated over that source's fixture response
    (or `response`)."""
    if document is not None:
        assert activation_problems(document, request_source=source) == []
    if response is None:
        response = textract_response() if source == TEXTRACT_FORMS else rekognition_response()
    return evaluate_activation(document, request_source=source, response=response, rng=rng)


def judged(node: dict[str, Any], result: bool) -> dict[str, Any]:
    """A condition as the results tree reports it."""
    return {**node, "EvaluationResult": result}


def child_ids(block: dict[str, Any]) -> list[str]:
    """The ids a lowerCamelCase block (as output.json and the widgets spell blocks) names as its
    CHILD blocks."""
    return [i for r in block["relationships"] if r["type"] == "CHILD" for i in r["ids"]]


def key_text(key: dict[str, Any], blocks: dict[str, dict[str, Any]]) -> str:
    """The text of a lowerCamelCase KEY block: its CHILD blocks' texts joined by spaces;
    `blocks` holds them by id."""
    return " ".join(blocks[i]["text"] for i in child_ids(key))


def shown_keys(activation: Activation) -> list[str]:
    """The key texts of the pairs reviewers are shown, read back from the selected blocks."""
    blocks = {block["id"]: block for block in activation.selected_response["blocks"]}
    return [
        key_text(block, blocks)
        for block in blocks.values()
        if block["blockType"] == "KEY_VALUE_SET" and block.get("entityTypes") == ["KEY"]
    ]


def shown_labels(activation: Activation) -> list[str]:
    """The names of the moderation labels reviewers are shown."""
    return [item["name"] for item in activation.selected_response["moderationLabels"]]
