"""Evaluating a conditions tree (reference §4.4), whatever the request source.

A source (Textract, Rekognition, a custom flow's routing) says what each of its simple conditions
finds in one response; this module walks the tree, draws the Sampling decisions, combines
And/Or, and builds what the caller needs: whether a loop starts, A2I's
`HumanLoopActivationOutput` members (§4.7), the condition tree with `EvaluationResult` on every
node (`humanTaskActivationConditionResults`, §5.3), and what reviewers are shown
(`selectedAiServiceResponse`).

Rules, all from the reference:

- the top-level `Conditions` array is an implicit Or: a loop starts when at least one member
  holds (§4.1); with no conditions at all every request starts one (§4.4);
- every node is evaluated, even after the outcome is known: reviewers see what any true condition
  matched, and every node's result is reported (§4.4);
- what reviewers see is the union of what the true conditions matched; a Sampling decision alone
  shows them the whole response, and `And` with a sibling narrows it to what the sibling matched
  (§4.2 "Sampling").
"""

from __future__ import annotations

import hashlib
import json
import operator
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from workflows.activation.grammar import is_number

# §4.7 leaves the vocabulary unconfirmed; this is the value the reference recommends.
ACTIVATION_REASON = "ConditionsEvaluation"

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": operator.eq,
    "LessThan": operator.lt,
    "LessThanEquals": operator.le,
    "GreaterThan": operator.gt,
    "GreaterThanEquals": operator.ge,
}

Bounds = tuple[tuple[Callable[[Any, Any], bool], float], ...]


def bounds(parameters: dict[str, Any], prefix: str) -> Bounds:
    """The comparators of `parameters` named `prefix` + comparator (`ConfidenceLessThan`), as
    (compare, threshold) pairs; several are combined with AND (§4.2)."""
    return tuple(
        (compare, parameters[prefix + name])
        for name, compare in COMPARE.items()
        if prefix + name in parameters
    )


def within(value: Any, limits: Bounds) -> bool:
    """Whether a confidence satisfies every bound; a missing confidence satisfies none."""
    return is_number(value) and all(compare(value, threshold) for compare, threshold in limits)


@dataclass(frozen=True)
class Verdict:
    """What one node of the tree found in a response.

    `items` name what satisfied it, in the source's own terms (key-value pair numbers, label
    numbers, JSONPath locations); `everything` marks a Sampling decision, which shows reviewers
    the whole response; `details` are extra members for the node in the results tree."""

    holds: bool
    items: tuple[Any, ...] = ()
    everything: bool = False
    details: dict[str, Any] = field(default_factory=dict)


FALSE = Verdict(False)


def combine(kind: str, verdicts: list[Verdict]) -> Verdict:
    """`And` or `Or` of evaluated members (the top-level array is an `Or`)."""
    holding = [verdict for verdict in verdicts if verdict.holds]
    if kind == "And":
        if len(holding) < len(verdicts):
            return FALSE
        everything = all(verdict.everything for verdict in holding)
    else:
        if not holding:
            return FALSE
        everything = any(verdict.everything for verdict in holding)
    items = dict.fromkeys(item for verdict in holding for item in verdict.items)
    return Verdict(True, tuple(items), everything)


def draws_sample(percentage: float, rng: random.Random) -> bool:
    """One Sampling decision: `rng.random() * 100 < RandomSamplingPercentage`.

    `random()` is uniform on [0, 1), so 100 always samples and 5 samples 5 % of draws."""
    return rng.random() * 100 < percentage


SimpleCondition = Callable[[str, dict[str, Any]], Verdict]


class TreeWalk:
    """Evaluates one conditions document: simple conditions through the source's `simple`,
    Sampling through `rng`, one draw per Sampling node in document order."""

    def __init__(self, simple: SimpleCondition, rng: random.Random) -> None:
        self.simple = simple
        self.rng = rng

    def document(self, conditions: dict[str, Any]) -> tuple[Verdict, dict[str, Any]]:
        evaluated = [self.node(member) for member in conditions["Conditions"]]
        verdict = combine("Or", [verdict for verdict, _ in evaluated])
        return verdict, {"Conditions": [result for _, result in evaluated]}

    def node(self, node: dict[str, Any]) -> tuple[Verdict, dict[str, Any]]:
        if "ConditionType" in node:
            kind, parameters = node["ConditionType"], node.get("ConditionParameters") or {}
            if kind == "Sampling":
                sampled = draws_sample(parameters["RandomSamplingPercentage"], self.rng)
                verdict = Verdict(True, everything=True) if sampled else FALSE
            else:
                verdict = self.simple(kind, parameters)
            return verdict, {**node, "EvaluationResult": verdict.holds, **verdict.details}
        kind = "And" if "And" in node else "Or"
        evaluated = [self.node(member) for member in node[kind]]
        verdict = combine(kind, [verdict for verdict, _ in evaluated])
        return verdict, {"EvaluationResult": verdict.holds, kind: [r for _, r in evaluated]}


@dataclass(frozen=True)
class Activation:
    """The outcome of evaluating activation (or routing) conditions over one response.

    - `starts`: whether a human loop starts.
    - `output`: the `HumanLoopActivationOutput` members A2I adds to the AI service's response
      (§4.7), less `HumanLoopArn`, which the caller adds once it has created the loop:
      `HumanLoopActivationReasons` (`["ConditionsEvaluation"]`, present only when a loop
      starts: the reference gives it at least one item) and
      `HumanLoopActivationConditionsEvaluationResults` (`condition_results` as compact JSON
      text), present either way.
    - `condition_results`: the conditions document with `"EvaluationResult": true|false` on
      every node, `Conditions` at the top; output.json's `humanTaskActivationConditionResults`.
    - `selected_response`: what reviewers are shown, lowerCamelCase as output.json writes it;
      output.json's `selectedAiServiceResponse` (Textract `{"blocks": [...]}`, Rekognition
      `{"moderationLabels": [...], "moderationModelVersion": ...}`, the whole response after a
      Sampling decision alone), or for routing `{"matches": [{"path", "value"}, ...]}`.
    """

    starts: bool
    output: dict[str, Any]
    condition_results: dict[str, Any]
    selected_response: dict[str, Any]


def evaluate(
    conditions: dict[str, Any] | None,
    *,
    simple: SimpleCondition,
    select: Callable[[Verdict], dict[str, Any]],
    rng: random.Random | None,
) -> Activation:
    """Evaluate a validated conditions document; `select` turns the combined verdict into what
    reviewers are shown. Without `rng`, Sampling draws from the operating system."""
    if conditions is None:  # §4.4: no conditions, every request starts a loop
        verdict, results = Verdict(True, everything=True), {"Conditions": []}
    else:
        verdict, results = TreeWalk(simple, rng or random.SystemRandom()).document(conditions)
    output: dict[str, Any] = {}
    if verdict.holds:
        output["HumanLoopActivationReasons"] = [ACTIVATION_REASON]
    output["HumanLoopActivationConditionsEvaluationResults"] = json.dumps(
        results, separators=(",", ":"), ensure_ascii=False
    )
    return Activation(
        starts=verdict.holds,
        output=output,
        condition_results=results,
        selected_response=select(verdict),
    )


class ResponseIndex:
    """One built-in AI service response, indexed once by its source (`textract`, `rekognition`)
    for that source's simple conditions (`condition`) and for what reviewers are shown of what
    they matched (`selection`)."""

    def __init__(self, response: dict[str, Any]) -> None:
        self.response = response

    def condition(self, kind: str, parameters: dict[str, Any]) -> Verdict:
        raise NotImplementedError

    def selection(self, items: tuple[Any, ...]) -> dict[str, Any]:
        raise NotImplementedError

    def selected(self, verdict: Verdict) -> dict[str, Any]:
        """selectedAiServiceResponse: the whole response after a Sampling decision alone,
        otherwise the source's selection of what the true conditions matched."""
        if verdict.everything:
            return camel_case(self.response)
        return self.selection(verdict.items)

    def evaluate(self, conditions: dict[str, Any] | None, rng: random.Random | None) -> Activation:
        return evaluate(conditions, simple=self.condition, select=self.selected, rng=rng)


def sampling_random(*, flow_definition_arn: str, request: Any) -> random.Random:
    """A source of Sampling draws fixed by the flow definition and the request.

    §4.4: resubmitting the same request with the same configuration yields the same sampling
    decision. The request's `HumanLoopConfig` is left out of the hash: it names the loop, and a
    resubmission has to name a new one."""
    if isinstance(request, dict):
        request = {
            key: value
            for key, value in request.items()
            if key not in ("HumanLoopConfig", "humanLoopConfig")
        }
    text = json.dumps(
        [flow_definition_arn, request], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return random.Random(int.from_bytes(hashlib.sha256(text.encode()).digest(), "big"))


# AWS responses repeat a few dozen member names; the bound keeps clients' own keys from growing
# it without end.
CAMEL_KEYS: dict[str, str] = {}
CAMEL_KEYS_KEPT = 1024


def camel_case(value: Any) -> Any:
    """An AWS response as output.json writes it (§5.3): every object key's first letter in lower
    case (`BoundingBox` -> `boundingBox`, `S3Object` -> `s3Object`), values untouched."""
    if isinstance(value, dict):
        converted = {}
        for key, item in value.items():
            name = CAMEL_KEYS.get(key)
            if name is None:
                name = key[:1].lower() + key[1:]
                if len(CAMEL_KEYS) < CAMEL_KEYS_KEPT:
                    CAMEL_KEYS[key] = name
            converted[name] = camel_case(item) if isinstance(item, CONTAINERS) else item
        return converted
    if isinstance(value, list):
        return [camel_case(item) if isinstance(item, CONTAINERS) else item for item in value]
    return value


CONTAINERS = (dict, list)


def in_order(items: Iterable[int]) -> list[int]:
    """Item numbers in the order the response lists them."""
    return sorted(set(items))
