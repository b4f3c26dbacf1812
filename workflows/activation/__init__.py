"""Activation conditions (reference §4): which documents are valid, and what they decide.

- `grammar`: validation of `HumanLoopActivationConditions` for the built-in request sources,
  used by FlowDefinition.clean.
- `evaluation`: the tree walk shared by every source and its result, `Activation`.
- `textract`, `rekognition`: the built-in condition types over real AI service responses.
- `routing`: the same tree over a custom flow's own prediction JSON (`PredictionCheck`).

Callers import from here; `evaluate_activation` picks the evaluator of a request source.
"""

from __future__ import annotations

import random
from typing import Any

from workflows.activation.evaluation import (
    ACTIVATION_REASON,
    Activation,
    camel_case,
    draws_sample,
    sampling_random,
)
from workflows.activation.grammar import (
    COMPARATORS,
    CONDITION_TYPES,
    CONFIDENCE_RANGE,
    MAX_NESTING,
    MAX_REPORTED,
    MIN_MEMBERS,
    REKOGNITION_MODERATION,
    SAMPLING,
    SAMPLING_RANGE,
    SOURCE_NAMES,
    TEXTRACT_BOUNDS,
    TEXTRACT_FORMS,
    Checker,
    ConditionType,
    activation_problems,
    describe,
    validate_activation_conditions,
)
from workflows.activation.rekognition import evaluate_rekognition
from workflows.activation.routing import (
    PREDICTION_CHECK,
    ROUTING_COMPARATORS,
    evaluate_routing,
    routing_problems,
    validate_routing_conditions,
)
from workflows.activation.textract import evaluate_textract, human_loop_context

EVALUATORS = {TEXTRACT_FORMS: evaluate_textract, REKOGNITION_MODERATION: evaluate_rekognition}


def evaluate_activation(
    conditions: dict[str, Any] | None,
    *,
    request_source: str,
    response: dict[str, Any],
    rng: random.Random | None = None,
) -> Activation:
    """Evaluate a flow definition's validated activation conditions (None: there are none, so
    a loop starts) over the response of its built-in request source.

    Sampling compares `rng.random() * 100` with `RandomSamplingPercentage`, one draw per
    Sampling node in document order, every node evaluated. Without `rng` it draws from the
    operating system; pass `sampling_random(flow_definition_arn=..., request=...)` to make the
    same request under the same flow definition always decide alike, as §4.4 asks."""
    if request_source not in EVALUATORS:
        raise ValueError(f"{request_source!r} is not a built-in request source")
    return EVALUATORS[request_source](conditions, response=response, rng=rng)


__all__ = [
    "ACTIVATION_REASON",
    "COMPARATORS",
    "CONDITION_TYPES",
    "CONFIDENCE_RANGE",
    "EVALUATORS",
    "MAX_NESTING",
    "MAX_REPORTED",
    "MIN_MEMBERS",
    "PREDICTION_CHECK",
    "REKOGNITION_MODERATION",
    "ROUTING_COMPARATORS",
    "SAMPLING",
    "SAMPLING_RANGE",
    "SOURCE_NAMES",
    "TEXTRACT_BOUNDS",
    "TEXTRACT_FORMS",
    "Activation",
    "Checker",
    "ConditionType",
    "activation_problems",
    "camel_case",
    "describe",
    "draws_sample",
    "evaluate_activation",
    "evaluate_rekognition",
    "evaluate_routing",
    "evaluate_textract",
    "human_loop_context",
    "routing_problems",
    "sampling_random",
    "validate_activation_conditions",
    "validate_routing_conditions",
]
