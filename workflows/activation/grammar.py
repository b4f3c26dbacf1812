"""Activation conditions (`HumanLoopActivationConditions`, reference §4): what a valid tree is.

A flow definition of a built-in request source decides whether a loop starts by evaluating its
conditions (`evaluation` and the source modules beside this one); this module says whether a
conditions document is one the portal accepts, and where it is wrong. The rules are the reference's §4.1 grammar and the condition types and
parameters of §4.2 (Textract) and §4.3 (Rekognition):

- a JSON object with one member, `Conditions`: an array of at least one condition;
- a condition is a simple condition `{"ConditionType", "ConditionParameters"}`, or `{"And": [...]}`
  or `{"Or": [...]}` with at least two members;
- `And`/`Or` nest at most two levels deep (`Conditions[] -> Or -> And -> simple`);
- the condition type must be one the request source offers, with exactly its parameter names,
  the required ones present, and numbers in range (confidences 0-100, sampling 0.01-100).

Every problem found is reported with its path, e.g. `Conditions[0].Or[1]: ...`. `Checker` walks
routing conditions too (`routing`), with that module's condition types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

TEXTRACT_FORMS = "AWS/Textract/AnalyzeDocument/Forms/V1"
REKOGNITION_MODERATION = "AWS/Rekognition/DetectModerationLabels/Image/V3"

MAX_NESTING = 2  # And/Or inside And/Or, no deeper (reference §4.1)
MIN_MEMBERS = 2
MAX_REPORTED = 10  # a tree wrong everywhere is reported by its first problems

CONFIDENCE_RANGE = (0, 100)
SAMPLING_RANGE = (0.01, 100)
COMPARATORS = ("Equals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def describe(value: Any) -> str:
    """A JSON value's type, as the message names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if is_number(value):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def check_text(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a non-empty string, not {describe(value)}"
    if not value.strip():
        return "must not be empty"
    return None


def check_texts(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "must be an array of non-empty strings"
    return None


def check_range(low: float, high: float) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not is_number(value):
            return f"must be a number from {low:g} to {high:g}, not {describe(value)}"
        if not low <= value <= high:
            return f"must be from {low:g} to {high:g}, not {value:g}"
        return None

    return check


@dataclass(frozen=True)
class ConditionType:
    """One ConditionType of a request source: its parameters and which of them it needs."""

    name: str
    parameters: dict[str, Callable[[Any], str | None]]
    required: tuple[str, ...] = ()
    # At least one of these must be given: a confidence check with no bound checks nothing.
    one_of: tuple[str, ...] = field(default=())
    # Rules between parameters, run once each parameter is valid on its own: yields
    # (parameter, message) pairs.
    combined: Callable[[dict[str, Any]], Iterable[tuple[str, str]]] | None = None


def comparators(prefix: str) -> dict[str, Callable[[Any], str | None]]:
    return {f"{prefix}{c}": check_range(*CONFIDENCE_RANGE) for c in COMPARATORS}


SAMPLING = ConditionType(
    "Sampling",
    {"RandomSamplingPercentage": check_range(*SAMPLING_RANGE)},
    required=("RandomSamplingPercentage",),
)
TEXTRACT_BOUNDS = {**comparators("KeyValueBlockConfidence"), **comparators("WordBlockConfidence")}
CONDITION_TYPES: dict[str, dict[str, ConditionType]] = {
    TEXTRACT_FORMS: {
        kind.name: kind
        for kind in (
            ConditionType(
                "ImportantFormKeyConfidenceCheck",
                {
                    "ImportantFormKey": check_text,
                    "ImportantFormKeyAliases": check_texts,
                    **TEXTRACT_BOUNDS,
                },
                required=("ImportantFormKey",),
                one_of=tuple(TEXTRACT_BOUNDS),
            ),
            ConditionType(
                "MissingImportantFormKey",
                {"ImportantFormKey": check_text, "ImportantFormKeyAliases": check_texts},
                required=("ImportantFormKey",),
            ),
            SAMPLING,
        )
    },
    REKOGNITION_MODERATION: {
        kind.name: kind
        for kind in (
            ConditionType(
                "ModerationLabelConfidenceCheck",
                {"ModerationLabelName": check_text, **comparators("Confidence")},
                required=("ModerationLabelName",),
                one_of=tuple(comparators("Confidence")),
            ),
            SAMPLING,
        )
    },
}
SOURCE_NAMES = {TEXTRACT_FORMS: "Textract", REKOGNITION_MODERATION: "Rekognition"}


def listing(names: Any) -> str:
    return ", ".join(names)


class Checker:
    """Walks one conditions document and collects its problems, each with its path.

    `types` are the condition types the document may use and `source` names their owner in
    messages ("Textract", "Rekognition", "routing")."""

    def __init__(self, types: dict[str, ConditionType], source: str) -> None:
        self.source = source
        self.types = types
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def document(self, conditions: Any) -> None:
        if not isinstance(conditions, dict):
            self.problems.append(
                f'must be a JSON object {{"Conditions": [...]}}, not {describe(conditions)}'
            )
            return
        extra = sorted(set(conditions) - {"Conditions"})
        if extra:
            self.problem(extra[0], 'is not allowed: the only member is "Conditions"')
        if "Conditions" not in conditions:
            self.problems.append('must be a JSON object {"Conditions": [...]}')
            return
        members = conditions["Conditions"]
        if not isinstance(members, list):
            self.problem("Conditions", f"must be an array of conditions, not {describe(members)}")
            return
        if not members:
            self.problem("Conditions", "must hold at least one condition")
        for index, member in enumerate(members):
            self.condition(member, f"Conditions[{index}]", nesting=0)

    def condition(self, node: Any, path: str, *, nesting: int) -> None:
        if not isinstance(node, dict):
            self.problem(
                path,
                "must be an object: a condition with ConditionType, or an And or Or array; "
                f"not {describe(node)}",
            )
            return
        kinds = [key for key in ("ConditionType", "And", "Or") if key in node]
        if len(kinds) != 1:
            found = f"it has {listing(kinds)}" if kinds else "it has none of them"
            self.problem(path, f"must have exactly one of ConditionType, And, Or; {found}")
            return
        if kinds[0] == "ConditionType":
            self.simple(node, path)
        else:
            self.combination(node, kinds[0], path, nesting=nesting + 1)

    def combination(self, node: dict[str, Any], operator: str, path: str, *, nesting: int) -> None:
        extra = sorted(set(node) - {operator})
        if extra:
            self.problem(path, f"{extra[0]} is not allowed beside {operator}")
        here = f"{path}.{operator}"
        if nesting > MAX_NESTING:
            self.problem(
                here,
                f"nests And/Or {nesting} levels deep; at most {MAX_NESTING} are allowed "
                "(Conditions[] -> Or -> And -> condition)",
            )
            return
        members = node[operator]
        if not isinstance(members, list):
            self.problem(here, f"must be an array of conditions, not {describe(members)}")
            return
        if len(members) < MIN_MEMBERS:
            self.problem(here, f"must have at least {MIN_MEMBERS} members, not {len(members)}")
        for index, member in enumerate(members):
            self.condition(member, f"{here}[{index}]", nesting=nesting)

    def simple(self, node: dict[str, Any], path: str) -> None:
        extra = sorted(set(node) - {"ConditionType", "ConditionParameters"})
        if extra:
            self.problem(path, f"{extra[0]} is not allowed beside ConditionType")
        name = node["ConditionType"]
        kind = self.types.get(name) if isinstance(name, str) else None
        if kind is None:
            shown = repr(name) if isinstance(name, str) else describe(name)
            self.problem(
                path,
                f"ConditionType {shown} is not one of {listing(self.types)} for {self.source}",
            )
            return
        parameters = node.get("ConditionParameters")
        if not isinstance(parameters, dict):
            given = "missing" if parameters is None else describe(parameters)
            self.problem(
                f"{path}.ConditionParameters",
                f"must be an object with the parameters of {name}, not {given}",
            )
            return
        here = f"{path}.ConditionParameters"
        found = len(self.problems)
        for key, value in parameters.items():
            check = kind.parameters.get(key)
            if check is None:
                self.problem(
                    here,
                    f"{key!r} is not a parameter of {name}; its parameters are "
                    f"{listing(kind.parameters)}",
                )
                continue
            message = check(value)
            if message:
                self.problem(f"{here}.{key}", message)
        for key in kind.required:
            if key not in parameters:
                self.problem(here, f"{name} needs {key}")
        if kind.one_of and not any(key in parameters for key in kind.one_of):
            self.problem(here, f"{name} needs at least one of {listing(kind.one_of)}")
        if kind.combined is not None and len(self.problems) == found:
            for key, message in kind.combined(parameters):
                self.problem(f"{here}.{key}", message)


def activation_problems(conditions: Any, *, request_source: str) -> list[str]:
    """Every problem of a conditions document for a built-in request source, each with its
    path; empty when it is valid."""
    if request_source not in CONDITION_TYPES:
        return [
            "are only allowed with a built-in request source (Textract or Rekognition); a "
            "custom flow starts a loop on every request"
        ]
    checker = Checker(CONDITION_TYPES[request_source], SOURCE_NAMES[request_source])
    checker.document(conditions)
    return checker.problems


def raise_problems(problems: list[str]) -> None:
    """Raise one ValidationError listing the first problems found; nothing when there are none."""
    if problems:
        shown = problems[:MAX_REPORTED]
        more = len(problems) - len(shown)
        message = "; ".join(shown) + (f"; and {more} more" if more else "")
        raise ValidationError(message, code="invalid")


def validate_activation_conditions(conditions: Any, *, request_source: str) -> None:
    """Raise ValidationError naming where the conditions break a rule of reference §4, and
    which rule; one message listing the first problems found."""
    raise_problems(activation_problems(conditions, request_source=request_source))
