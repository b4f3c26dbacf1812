"""Textract `AnalyzeDocument` (FORMS) responses under activation conditions (reference §4.2, §4.5).

A key-value pair is a KEY_VALUE_SET block with EntityTypes KEY, the KEY_VALUE_SET block with
EntityTypes VALUE its `VALUE` relationship names, and the WORD and SELECTION_ELEMENT blocks each
names as `CHILD`. Pairs on every page count. LINE and PAGE blocks take no part: the reference
defines the conditions on key-value and word blocks only.

- Key text: the key's WORD texts joined by single spaces, surrounding whitespace trimmed,
  compared case-sensitively and otherwise literally with `ImportantFormKey` and each alias
  (§4.5's recommendation; AWS's own rule is unconfirmed). `Mailing Address:` and
  `mailing address:` are different keys, which is why published examples list both spellings as
  aliases. `ImportantFormKey: "*"` matches every key.
- ImportantFormKeyConfidenceCheck holds when at least one matching pair satisfies every bound
  given. The `KeyValueBlockConfidence*` bounds hold when the pair's KEY block or its VALUE block
  satisfies all of them (the reference names "the KEY_VALUE_SET block confidence" without saying
  which of the two; A2I's own choice is unknown). The `WordBlockConfidence*` bounds hold when
  any WORD block of the key or the value satisfies all of them (§4.2 marks every-vs-any
  unconfirmed and recommends any). Reviewers are shown the satisfying pairs: their KEY and
  VALUE blocks and those blocks' children.
- MissingImportantFormKey holds when no detected key matches the key or an alias (with `"*"`:
  when the document has no key at all); it shows reviewers no pairs (§4.2).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
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

ANY_KEY = "*"
REVIEWED_CHILDREN = ("WORD", "SELECTION_ELEMENT")


@dataclass(frozen=True, slots=True)
class FormPair:
    """One detected key-value pair, as the conditions see it."""

    key_text: str
    block_confidences: tuple[Any, ...]  # the KEY block's, then the VALUE block's if linked
    word_confidences: tuple[Any, ...]  # every WORD of the key, then of the value
    block_ids: tuple[str, ...]  # what reviewers are shown when the pair is selected


def related(block: dict[str, Any], kind: str, blocks: dict[str, dict[str, Any]]) -> list[dict]:
    """The blocks `block` names in its relationships of type `kind`, in the order it names them;
    Ids the response does not hold are skipped."""
    found = []
    for relationship in block.get("Relationships") or ():
        if relationship.get("Type") == kind:
            found.extend(blocks[i] for i in relationship.get("Ids") or () if i in blocks)
    return found


class FormIndex(ResponseIndex):
    """A response's key-value pairs, built once per response (blocks by Id, pairs by key
    text), so that each condition costs a lookup plus the pairs it matches."""

    def __init__(self, response: dict[str, Any]) -> None:
        super().__init__(response)
        self.blocks: list[dict[str, Any]] = response.get("Blocks") or []
        by_id = {block["Id"]: block for block in self.blocks if "Id" in block}
        self.pairs: list[FormPair] = []
        self.by_text: dict[str, list[int]] = {}
        for block in by_id.values():
            if block.get("BlockType") == "KEY_VALUE_SET" and "KEY" in (
                block.get("EntityTypes") or ()
            ):
                pair = self.pair(block, by_id)
                self.by_text.setdefault(pair.key_text, []).append(len(self.pairs))
                self.pairs.append(pair)

    @staticmethod
    def pair(key: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> FormPair:
        key_text: list[str] = []
        words: list[Any] = []
        shown = [key["Id"]]
        confidences = [key.get("Confidence")]
        values = related(key, "VALUE", by_id)[:1]  # Textract links one VALUE to a KEY
        for part in (key, *values):
            if part is not key:
                shown.append(part["Id"])
                confidences.append(part.get("Confidence"))
            for child in related(part, "CHILD", by_id):
                kind = child.get("BlockType")
                if kind == "WORD":
                    words.append(child.get("Confidence"))
                    if part is key:
                        key_text.append(child.get("Text", ""))
                if kind in REVIEWED_CHILDREN:
                    shown.append(child["Id"])
        return FormPair(
            key_text=" ".join(key_text).strip(),
            block_confidences=tuple(confidences),
            word_confidences=tuple(words),
            block_ids=tuple(shown),
        )

    def matching(self, parameters: dict[str, Any]) -> list[int]:
        key = parameters["ImportantFormKey"]
        if key == ANY_KEY:
            return list(range(len(self.pairs)))
        names = [key, *parameters.get("ImportantFormKeyAliases", ())]
        return in_order(number for name in names for number in self.by_text.get(name, ()))

    def confidence_check(self, parameters: dict[str, Any]) -> Verdict:
        pair_bounds = bounds(parameters, "KeyValueBlockConfidence")
        word_bounds = bounds(parameters, "WordBlockConfidence")
        satisfied = tuple(
            number
            for number in self.matching(parameters)
            if (
                not pair_bounds
                or any(within(c, pair_bounds) for c in self.pairs[number].block_confidences)
            )
            and (
                not word_bounds
                or any(within(c, word_bounds) for c in self.pairs[number].word_confidences)
            )
        )
        return Verdict(True, satisfied) if satisfied else FALSE

    def missing_key(self, parameters: dict[str, Any]) -> Verdict:
        return FALSE if self.matching(parameters) else Verdict(True)

    def condition(self, kind: str, parameters: dict[str, Any]) -> Verdict:
        if kind == "ImportantFormKeyConfidenceCheck":
            return self.confidence_check(parameters)
        if kind == "MissingImportantFormKey":
            return self.missing_key(parameters)
        raise ValueError(f"{kind!r} is not a Textract condition type")

    def selection(self, items: tuple[int, ...]) -> dict[str, Any]:
        """The selected pairs' blocks, in the order the response lists them."""
        ids = {block_id for number in items for block_id in self.pairs[number].block_ids}
        return {"blocks": [camel_case(block) for block in self.blocks if block.get("Id") in ids]}


def evaluate_textract(
    conditions: dict[str, Any] | None,
    *,
    response: dict[str, Any],
    rng: random.Random | None = None,
) -> Activation:
    """Evaluate validated `AWS/Textract/AnalyzeDocument/Forms/V1` conditions over an
    AnalyzeDocument response as Textract returns it (PascalCase: `Blocks`, `BlockType`, ...)."""
    return FormIndex(response).evaluate(conditions, rng)


def human_loop_context(conditions: dict[str, Any] | None) -> dict[str, Any]:
    """`task.input.humanLoopContext` for a Textract worker template (§8.1): the important keys
    the conditions name, each once, in document order; `"*"` names none."""
    found: list[dict[str, Any]] = []

    def visit(node: dict[str, Any]) -> None:
        for member in node.get("And") or node.get("Or") or ():
            visit(member)
        parameters = node.get("ConditionParameters") or {}
        key = parameters.get("ImportantFormKey")
        if key is None or key == ANY_KEY:
            return
        entry = {
            "importantFormKey": key,
            "importantFormKeyAliases": list(parameters.get("ImportantFormKeyAliases", [])),
        }
        if entry not in found:
            found.append(entry)

    for member in (conditions or {}).get("Conditions", ()):
        visit(member)
    return {"importantFormKeys": found}
