"""Rekognition `DetectModerationLabels` responses under activation conditions (reference §4.3).

ModerationLabelConfidenceCheck holds when a label named exactly `ModerationLabelName`
(case-sensitive; `"*"` for any label) has a `Confidence` satisfying every bound given. The name
is matched against `Name` only, never `ParentName`: Rekognition reports a detected second-level
label together with its top-level parent as a label of its own (`Graphic Male Nudity` and
`Explicit Nudity`), so a condition on `Explicit Nudity` is decided by the parent's own
confidence, and its children are matched only by their own names. Reviewers are shown the labels
that satisfied a true condition, each with its `parentName`, in the response's order.
"""

from __future__ import annotations

import random
from typing import Any

from workflows.activation.evaluation import (
    FALSE,
    Activation,
    ResponseIndex,
    Verdict,
    bounds,
    camel_case,
    in_order,
    within,
)

ANY_LABEL = "*"


class LabelIndex(ResponseIndex):
    """A response's moderation labels by name, built once per response."""

    def __init__(self, response: dict[str, Any]) -> None:
        super().__init__(response)
        self.labels: list[dict[str, Any]] = response.get("ModerationLabels") or []
        self.by_name: dict[str, list[int]] = {}
        for number, label in enumerate(self.labels):
            self.by_name.setdefault(label.get("Name"), []).append(number)

    def condition(self, kind: str, parameters: dict[str, Any]) -> Verdict:
        if kind != "ModerationLabelConfidenceCheck":
            raise ValueError(f"{kind!r} is not a Rekognition condition type")
        name = parameters["ModerationLabelName"]
        named = range(len(self.labels)) if name == ANY_LABEL else self.by_name.get(name, ())
        limits = bounds(parameters, "Confidence")
        satisfied = tuple(n for n in named if within(self.labels[n].get("Confidence"), limits))
        return Verdict(True, satisfied) if satisfied else FALSE

    def selection(self, items: tuple[int, ...]) -> dict[str, Any]:
        """The selected labels, in response order, and the model version."""
        selected: dict[str, Any] = {
            "moderationLabels": [camel_case(self.labels[n]) for n in in_order(items)]
        }
        if "ModerationModelVersion" in self.response:
            selected["moderationModelVersion"] = self.response["ModerationModelVersion"]
        return selected


def evaluate_rekognition(
    conditions: dict[str, Any] | None,
    *,
    response: dict[str, Any],
    rng: random.Random | None = None,
) -> Activation:
    """Evaluate validated `AWS/Rekognition/DetectModerationLabels/Image/V3` conditions over a
    DetectModerationLabels response as Rekognition returns it (`ModerationLabels[].Name`, ...)."""
    return LabelIndex(response).evaluate(conditions, rng)
