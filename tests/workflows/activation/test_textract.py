"""Textract FORMS conditions (reference §4.2, §4.5) over a real two-page AnalyzeDocument response:
which key-value pairs a key and its aliases find, how the confidence bounds apply, and which
blocks reviewers are shown."""

from __future__ import annotations

from typing import Any

import pytest

from tests.workflows.activation.support import (
    CONFIDENCE_BOUNDARIES,
    NEVER,
    conditions,
    key_check,
    missing_key,
    shown_keys,
    textract_response,
)
from workflows.activation import TEXTRACT_FORMS, activation_problems, evaluate_textract
from workflows.activation.textract import human_loop_context

# Confidences in the fixture (exact binary fractions, as Textract's float32 values are).
SSN_PAIR = 87.51953125  # KEY and VALUE block of "SSN:"
SSN_KEY_WORD, SSN_VALUE_WORD = 99.4921875, 75.0390625
GROSS_PAY_KEY, GROSS_PAY_VALUE = 72.5, 68.0


def evaluate(*members: dict[str, Any], response: dict[str, Any] | None = None):
    document = conditions(*members)
    assert activation_problems(document, request_source=TEXTRACT_FORMS) == []
    return evaluate_textract(document, response=response or textract_response(), rng=NEVER)


def selected_words(activation) -> list[str]:
    return [b["text"] for b in activation.selected_response["blocks"] if b["blockType"] == "WORD"]


@pytest.mark.parametrize("comparator, offset, expected", CONFIDENCE_BOUNDARIES)
def test_a_key_value_bound_compares_the_key_value_set_block_confidence(
    comparator, offset, expected
):
    threshold = SSN_PAIR + offset
    activation = evaluate(key_check("SSN:", **{f"KeyValueBlockConfidence{comparator}": threshold}))

    assert activation.starts is expected


@pytest.mark.parametrize("comparator, offset, expected", CONFIDENCE_BOUNDARIES)
def test_a_word_bound_holds_when_any_word_of_the_key_or_the_value_satisfies_it(
    comparator, offset, expected
):
    # Any word may satisfy it, so "less than" turns on the least confident word (75.04, of the
    # value) and "greater than" on the most confident one (99.49, of the key).
    confidence = SSN_KEY_WORD if comparator.startswith("Greater") else SSN_VALUE_WORD
    threshold = confidence + offset
    activation = evaluate(key_check("SSN:", **{f"WordBlockConfidence{comparator}": threshold}))

    assert activation.starts is expected


@pytest.mark.parametrize(
    "threshold, expected",
    [(SSN_KEY_WORD, True), (SSN_VALUE_WORD, True), (87.0, False), (SSN_PAIR, False)],
)
def test_word_equals_holds_for_any_word_of_the_key_or_the_value(threshold, expected):
    activation = evaluate(key_check("SSN:", WordBlockConfidenceEquals=threshold))

    assert activation.starts is expected


@pytest.mark.parametrize(
    "bounds, expected",
    [
        ({"KeyValueBlockConfidenceLessThan": 70}, True),  # the VALUE block, 68
        ({"KeyValueBlockConfidenceGreaterThan": 70}, True),  # the KEY block, 72.5
        ({"KeyValueBlockConfidenceEquals": GROSS_PAY_VALUE}, True),
        ({"KeyValueBlockConfidenceEquals": GROSS_PAY_KEY}, True),
        ({"KeyValueBlockConfidenceLessThan": 68}, False),
        # Both bounds must hold for one block: 68 is below 71 but not above 69, 72.5 the reverse.
        ({"KeyValueBlockConfidenceGreaterThan": 69, "KeyValueBlockConfidenceLessThan": 71}, False),
        ({"KeyValueBlockConfidenceGreaterThan": 67, "KeyValueBlockConfidenceLessThan": 69}, True),
    ],
)
def test_a_key_value_bound_holds_when_the_key_block_or_the_value_block_satisfies_it(
    bounds, expected
):
    assert evaluate(key_check("Gross Pay", **bounds)).starts is expected


@pytest.mark.parametrize(
    "low, high, expected",
    [(84, 85, True), (85, 90, False), (97, 98, True), (99.6, 100, False)],
)
def test_a_word_range_holds_only_when_one_word_lies_inside_it(low, high, expected):
    # Employee Name's words: 99.59, 99.56 (key); 98.98, 84.25, 97.70 (value).
    bounds = {"WordBlockConfidenceGreaterThan": low, "WordBlockConfidenceLessThan": high}
    assert evaluate(key_check("Employee Name", **bounds)).starts is expected


@pytest.mark.parametrize(
    "bounds, expected",
    [
        ({"KeyValueBlockConfidenceLessThan": 60, "WordBlockConfidenceLessThan": 85}, True),
        ({"KeyValueBlockConfidenceLessThan": 60, "WordBlockConfidenceLessThan": 84}, False),
        ({"KeyValueBlockConfidenceLessThan": 58, "WordBlockConfidenceLessThan": 85}, False),
    ],
)
def test_key_value_and_word_bounds_of_one_condition_must_both_hold(bounds, expected):
    assert evaluate(key_check("Employee Name", **bounds)).starts is expected


def test_a_pair_with_an_empty_value_is_judged_on_its_key_words_alone():
    # "Signature Date:" has a 41.25 pair and key words of 99.5 and 99.38, and no value words.
    assert evaluate(key_check("Signature Date:", WordBlockConfidenceGreaterThan=99.4)).starts
    assert not evaluate(key_check("Signature Date:", WordBlockConfidenceLessThan=99)).starts
    assert evaluate(key_check("Signature Date:", KeyValueBlockConfidenceLessThan=50)).starts


@pytest.mark.parametrize(
    "key, aliases, found",
    [
        ("Mailing Address:", None, ["Mailing Address:"]),
        ("mailing address:", None, ["mailing address:"]),
        ("Mailing Address", None, []),  # the colon is part of the key
        ("Mailing address:", None, []),  # so is the case
        ("MAILING ADDRESS:", None, []),
        ("Mailing Address", ["Mailing Address:"], ["Mailing Address:"]),
        (
            "Address",
            ["Mailing Address:", "mailing address:"],
            ["Mailing Address:", "mailing address:"],
        ),
        ("Employee Name", None, ["Employee Name"]),  # words joined by one space
        ("EmployeeName", None, []),
        ("Employee  Name", None, []),
        ("SSN", ["SSN:"], ["SSN:"]),
        ("Pay", ["Pay Date", "PayDate"], ["Pay Date"]),  # "Gross Pay" and "Net Pay" are not it
    ],
)
def test_keys_match_the_detected_key_text_case_and_punctuation_included(key, aliases, found):
    activation = evaluate(key_check(key, aliases, KeyValueBlockConfidenceGreaterThanEquals=0))

    assert activation.starts is bool(found)
    assert shown_keys(activation) == found


def test_surrounding_whitespace_of_the_detected_key_is_trimmed():
    response = textract_response()
    for block in response["Blocks"]:
        if block.get("Text") == "SSN:" and block["BlockType"] == "WORD":
            block["Text"] = "  SSN:\t"

    assert evaluate(key_check("SSN:", KeyValueBlockConfidenceLessThan=90), response=response).starts


def test_an_alias_finds_a_key_on_the_second_page():
    activation = evaluate(
        key_check("Mailing Address", ["mailing address:"], KeyValueBlockConfidenceGreaterThan=80)
    )

    blocks = activation.selected_response["blocks"]
    assert {block["page"] for block in blocks} == {2}
    assert (
        " ".join(selected_words(activation))
        == "mailing address: PO Box 4410, Springfield, IL 62704"
    )


def test_a_key_and_its_alias_found_on_both_pages_select_both_pairs():
    activation = evaluate(
        key_check("Mailing Address:", ["mailing address:"], KeyValueBlockConfidenceGreaterThan=80)
    )

    pages = [b["page"] for b in activation.selected_response["blocks"] if b["blockType"] != "WORD"]
    assert pages == [1, 1, 2, 2]
    assert shown_keys(activation) == ["Mailing Address:", "mailing address:"]


def test_the_catch_all_key_selects_every_pair_within_the_bounds():
    activation = evaluate(key_check("*", KeyValueBlockConfidenceLessThan=87.6))

    assert shown_keys(activation) == [  # 58.3, 87.52, 86.69, 72.5 and 68, 41.25
        "Employee Name",
        "SSN:",
        "Part-time",
        "Gross Pay",
        "Signature Date:",
    ]


def test_reviewers_are_shown_the_pairs_key_value_and_word_blocks_in_response_order():
    response = textract_response()
    activation = evaluate(key_check("Employee Name", KeyValueBlockConfidenceLessThan=60))

    blocks = activation.selected_response["blocks"]
    assert list(activation.selected_response) == ["blocks"]
    assert [b["blockType"] for b in blocks] == ["WORD"] * 5 + ["KEY_VALUE_SET"] * 2
    assert [b["entityTypes"] for b in blocks[5:]] == [["KEY"], ["VALUE"]]
    order = [b["Id"] for b in response["Blocks"]]
    assert [b["id"] for b in blocks] == sorted((b["id"] for b in blocks), key=order.index)
    # lowerCamelCase, as output.json writes AWS responses (§5.3), values untouched
    key = blocks[5]
    assert set(key) == {"blockType", "confidence", "geometry", "id", "relationships"} | {
        "entityTypes",
        "page",
    }
    assert set(key["geometry"]) == {"boundingBox", "polygon"}
    assert set(key["geometry"]["polygon"][0]) == {"x", "y"}
    assert key["relationships"][0]["type"] == "VALUE"


def test_a_selected_checkbox_pair_shows_its_selection_element():
    activation = evaluate(key_check("Full-time", KeyValueBlockConfidenceLessThan=90))

    kinds = [b["blockType"] for b in activation.selected_response["blocks"]]
    assert kinds == ["WORD", "SELECTION_ELEMENT", "KEY_VALUE_SET", "KEY_VALUE_SET"]
    selection = activation.selected_response["blocks"][1]
    assert selection["selectionStatus"] == "SELECTED"


def test_lines_and_pages_are_never_shown():
    activation = evaluate(key_check("*", KeyValueBlockConfidenceGreaterThanEquals=0))

    kinds = {b["blockType"] for b in activation.selected_response["blocks"]}
    assert kinds == {"WORD", "SELECTION_ELEMENT", "KEY_VALUE_SET"}
    headings = 2 * 3  # the words of each page's title, which belong to no pair
    assert len(activation.selected_response["blocks"]) == 93 - 2 - 21 - headings
    assert len(shown_keys(activation)) == 11


@pytest.mark.parametrize(
    "key, aliases, missing",
    [
        ("Tax ID", None, True),
        ("Tax ID", ["TIN", "Taxpayer ID:"], True),
        ("Mailing Address", None, True),
        ("Mailing Address", ["Mailing Address:"], False),
        ("Mailing address", ["mailing address"], True),
        ("Net Pay", None, False),  # a key on the second page
        ("*", None, False),
    ],
)
def test_a_key_is_missing_when_neither_it_nor_an_alias_was_detected(key, aliases, missing):
    activation = evaluate(missing_key(key, aliases))

    assert activation.starts is missing
    assert activation.selected_response == {"blocks": []}  # the pairs are not shown (§4.2)


def test_the_catch_all_key_is_missing_only_from_a_document_without_keys():
    response = textract_response()
    response["Blocks"] = [b for b in response["Blocks"] if b["BlockType"] != "KEY_VALUE_SET"]

    assert evaluate(missing_key("*"), response=response).starts
    assert not evaluate(
        key_check("*", KeyValueBlockConfidenceLessThan=100), response=response
    ).starts


def test_relationships_to_blocks_the_response_lacks_are_ignored():
    response = textract_response()
    key = next(b for b in response["Blocks"] if b.get("EntityTypes") == ["KEY"])
    key["Relationships"][0]["Ids"] = ["00000000-0000-0000-0000-000000000000"]

    activation = evaluate(key_check("Employee Name", KeyValueBlockConfidenceLessThan=60))
    broken = evaluate(
        key_check("Employee Name", KeyValueBlockConfidenceLessThan=60), response=response
    )

    assert activation.starts and broken.starts
    assert shown_keys(broken) == ["Employee Name"]
    assert selected_words(broken) == ["Employee", "Name"]  # the value's words are lost with it


def test_a_response_without_blocks_has_no_keys():
    empty = {"DocumentMetadata": {"Pages": 1}, "Blocks": []}

    assert evaluate(missing_key("Pay Date"), response=empty).starts
    assert not evaluate(key_check("*", KeyValueBlockConfidenceLessThan=100), response=empty).starts


def test_the_worker_template_gets_the_important_keys_of_the_conditions():
    document = conditions(
        {
            "Or": [
                key_check("Pay Date", ["PayDate"], KeyValueBlockConfidenceLessThan=60),
                missing_key("Mailing Address", ["Mailing Address:"]),
            ]
        },
        key_check("Pay Date", ["PayDate"], WordBlockConfidenceLessThan=60),
        key_check("*", KeyValueBlockConfidenceLessThan=50),
        missing_key("Tax ID"),
    )

    assert human_loop_context(document) == {
        "importantFormKeys": [
            {"importantFormKey": "Pay Date", "importantFormKeyAliases": ["PayDate"]},
            {
                "importantFormKey": "Mailing Address",
                "importantFormKeyAliases": ["Mailing Address:"],
            },
            {"importantFormKey": "Tax ID", "importantFormKeyAliases": []},
        ]
    }
    assert human_loop_context(None) == {"importantFormKeys": []}
