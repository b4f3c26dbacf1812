"""What the activation tests share: the fixture responses, condition builders, and draws."""

from __future__ import annotations

import copy
import json
import random
from functools import cache
from pathlib import Path
from typing import Any

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
