"""Routing conditions: activation conditions for custom flow definitions, over the client's own
prediction JSON instead of a Textract or Rekognition response.

A document has the shape of `HumanLoopActivationConditions` (reference §4.1: `Conditions`,
`And`/`Or` with at least two members, at most two levels of nesting) with two condition types:

    {"ConditionType": "PredictionCheck",
     "ConditionParameters": {"Path": "$.labels[*].score", "Comparator": "LessThan", "Value": 0.8}}
    {"ConditionType": "Sampling", "ConditionParameters": {"RandomSamplingPercentage": 5}}

- `Path` is a JSONPath expression (jsonpath-ng's extended grammar, filters included:
  `$.labels[?(@.name == "cat")].score`).
- `Comparator` is one of Equals, NotEquals, LessThan, LessThanEquals, GreaterThan,
  GreaterThanEquals, In, NotIn. The four orderings take a number `Value` and hold only for
  numbers found; In and NotIn take an array `Value`; Equals and NotEquals take any JSON value.
  Equality is JSON's: `1` equals `1.0`, `true` never equals `1`, arrays and objects compare by
  content.
- A path that finds nothing makes the check false, whatever the comparator (NotEquals and NotIn
  included: nothing was there to differ); a path that finds several values makes it true when
  any one of them satisfies the comparator. Every check's node in the results tree says how many
  values its path found (`"ValuesFound": n`), so "nothing there" is told apart from "there, but
  not satisfying".
- Reviewers' selection is the satisfying values with their locations,
  `{"matches": [{"path": "$.labels[1].score", "value": 0.35}]}`; Sampling adds none.
"""

from __future__ import annotations

import json
import random
import re
from functools import lru_cache
from typing import Any

from jsonpath_ng.exceptions import JSONPathError
from jsonpath_ng.ext import parse
from jsonpath_ng.jsonpath import DatumInContext, Fields, Index, JSONPath, Root

from workflows.activation.evaluation import Activation, Verdict, evaluate
from workflows.activation.grammar import (
    SAMPLING,
    Checker,
    ConditionType,
    check_text,
    describe,
    is_number,
    listing,
    raise_problems,
)

PREDICTION_CHECK = "PredictionCheck"
ORDERINGS = ("LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals")
MEMBERSHIPS = ("In", "NotIn")
ROUTING_COMPARATORS = ("Equals", "NotEquals", *ORDERINGS, *MEMBERSHIPS)
ROUTING_CONDITIONS_MAX_LENGTH = 10_240  # as HumanLoopActivationConditions (reference §4)
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@lru_cache(maxsize=1024)
def compiled_path(text: str) -> JSONPath:
    """A parsed JSONPath; parsing costs far more than finding, and documents repeat paths."""
    return parse(text)


def check_path(value: Any) -> str | None:
    problem = check_text(value)
    if problem:
        return problem
    try:
        compiled_path(value)
    except JSONPathError as exc:
        return f"is not a JSONPath expression ({exc})"
    return None


def check_comparator(value: Any) -> str | None:
    if not isinstance(value, str) or value not in ROUTING_COMPARATORS:
        shown = repr(value) if isinstance(value, str) else describe(value)
        return f"must be one of {listing(ROUTING_COMPARATORS)}, not {shown}"
    return None


def any_json(value: Any) -> str | None:
    return None  # Equals null is a fair question; the comparator decides what else is allowed


def check_value(parameters: dict[str, Any]) -> list[tuple[str, str]]:
    comparator, value = parameters["Comparator"], parameters["Value"]
    if comparator in ORDERINGS and not is_number(value):
        return [("Value", f"must be a number for {comparator}, not {describe(value)}")]
    if comparator in MEMBERSHIPS and not isinstance(value, list):
        return [("Value", f"must be an array for {comparator}, not {describe(value)}")]
    return []


ROUTING_TYPES: dict[str, ConditionType] = {
    PREDICTION_CHECK: ConditionType(
        PREDICTION_CHECK,
        {"Path": check_path, "Comparator": check_comparator, "Value": any_json},
        required=("Path", "Comparator", "Value"),
        combined=check_value,
    ),
    SAMPLING.name: SAMPLING,
}


def routing_problems(document: Any) -> list[str]:
    """Every problem of a routing conditions document, each with its path
    (`Conditions[0].Or[1].ConditionParameters.Path: ...`); empty when it is valid."""
    try:
        size = len(json.dumps(document))
    except (TypeError, ValueError):
        return [f'must be a JSON object {{"Conditions": [...]}}, not {describe(document)}']
    if size > ROUTING_CONDITIONS_MAX_LENGTH:
        return [f"must serialize to at most {ROUTING_CONDITIONS_MAX_LENGTH} characters, not {size}"]
    checker = Checker(ROUTING_TYPES, "routing")
    checker.document(document)
    return checker.problems


def validate_routing_conditions(document: Any) -> None:
    """Raise ValidationError naming where a routing conditions document breaks a rule, and
    which rule; one message listing the first problems found."""
    raise_problems(routing_problems(document))


def json_equal(left: Any, right: Any) -> bool:
    """Equality of two JSON values: Python's, except that booleans are not numbers."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if is_number(left) and is_number(right):
        return left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(json_equal, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    return type(left) is type(right) and left == right


ORDER = {
    "LessThan": lambda found, value: found < value,
    "LessThanEquals": lambda found, value: found <= value,
    "GreaterThan": lambda found, value: found > value,
    "GreaterThanEquals": lambda found, value: found >= value,
}


def satisfies(found: Any, comparator: str, value: Any) -> bool:
    if comparator == "Equals":
        return json_equal(found, value)
    if comparator == "NotEquals":
        return not json_equal(found, value)
    if comparator == "In":
        return any(json_equal(found, member) for member in value)
    if comparator == "NotIn":
        return not any(json_equal(found, member) for member in value)
    return is_number(found) and ORDER[comparator](found, value)


def location(datum: DatumInContext) -> str:
    """Where a found value is, as a JSONPath to it alone (`$.labels[1].score`)."""
    steps = []
    step: DatumInContext | None = datum
    while step is not None:
        path = step.path
        if isinstance(path, Fields) and len(path.fields) == 1:
            name = path.fields[0]
            steps.append(f".{name}" if IDENTIFIER.fullmatch(name) else f"[{json.dumps(name)}]")
        elif isinstance(path, Index) and len(path.indices) == 1:
            number = path.indices[0]
            if number < 0 and step.context is not None and isinstance(step.context.value, list):
                number += len(step.context.value)
            steps.append(f"[{number}]")
        elif not isinstance(path, Root):
            return str(datum.full_path)  # a computed value (`len`): the library's own spelling
        step = step.context
    return "$" + "".join(reversed(steps))


def evaluate_routing(
    conditions: dict[str, Any] | None,
    *,
    prediction: Any,
    rng: random.Random | None = None,
) -> Activation:
    """Evaluate a validated routing conditions document over a prediction (any JSON value).

    The result is the one activation conditions give: `starts`, `output` (reasons and the
    evaluation results string), `condition_results` (each PredictionCheck node also carries
    `ValuesFound`) and `selected_response` (`{"matches": [...]}`). Sampling compares
    `rng.random() * 100` with `RandomSamplingPercentage`, one draw per Sampling node in
    document order; without `rng` it draws from the operating system."""
    matched: dict[str, Any] = {}

    def condition(kind: str, parameters: dict[str, Any]) -> Verdict:
        if kind != PREDICTION_CHECK:
            raise ValueError(f"{kind!r} is not a routing condition type")
        found = compiled_path(parameters["Path"]).find(prediction)
        comparator, value = parameters["Comparator"], parameters["Value"]
        places = []
        for datum in found:
            if satisfies(datum.value, comparator, value):
                place = location(datum)
                matched[place] = datum.value
                places.append(place)
        details = {"ValuesFound": len(found)}
        if not places:
            return Verdict(False, details=details)
        return Verdict(True, tuple(places), details=details)

    def selected(verdict: Verdict) -> dict[str, Any]:
        return {"matches": [{"path": place, "value": matched[place]} for place in verdict.items]}

    return evaluate(conditions, simple=condition, select=selected, rng=rng)
