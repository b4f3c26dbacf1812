"""A2I's built-in review widgets (CROWD-ELEMENTS §3.7), rendered from the templates A2I gives
for its Textract and Rekognition integrations."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCRIPT
from tests.browser.images import png

pytestmark = pytest.mark.browser

TEXTRACT = "AWS/Textract/AnalyzeDocument/Forms/V1"
REKOGNITION = "AWS/Rekognition/DetectModerationLabels/Image/V3"

TEXTRACT_TEMPLATE = (
    SCRIPT
    + """
<crowd-form>
  <crowd-textract-analyze-document
      src="{{ task.input.aiServiceRequest.document.s3Object.name | grant_read_access }}"
      initial-value="{{ task.input.selectedAiServiceResponse.blocks }}"
      header="Review the key-value pairs listed on the right and correct them if they don't match the following document."
      no-key-edit
      no-geometry-edit
      keys="{{ task.input.humanLoopContext.importantFormKeys }}"
      block-types="['KEY_VALUE_SET']">
    <short-instructions header="Instructions">
      <p>Click on a key-value block to highlight the corresponding key-value pair in the document.</p>
    </short-instructions>
    <full-instructions header="Instructions"><p>Correct every value you can read.</p></full-instructions>
  </crowd-textract-analyze-document>
</crowd-form>"""
)


def box(left: float, top: float) -> dict[str, Any]:
    return {"boundingBox": {"left": left, "top": top, "width": 0.25, "height": 0.06}}


def kv(key_id: str, words: list[tuple[str, str]], value_id: str, top: float) -> dict[str, Any]:
    return {
        "blockType": "KEY_VALUE_SET",
        "id": key_id,
        "entityTypes": ["KEY"],
        "confidence": 91.5,
        "geometry": box(0.05, top),
        "relationships": [
            {"type": "VALUE", "ids": [value_id]},
            {"type": "CHILD", "ids": [w for w, _ in words]},
        ],
    }


def value(value_id: str, words: list[tuple[str, str]], top: float) -> dict[str, Any]:
    return {
        "blockType": "KEY_VALUE_SET",
        "id": value_id,
        "entityTypes": ["VALUE"],
        "geometry": box(0.4, top),
        "relationships": [{"type": "CHILD", "ids": [w for w, _ in words]}],
    }


def word_blocks(*groups: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"blockType": "WORD", "id": w, "text": t} for group in groups for w, t in group]


NAME_KEY, NAME_VALUE = [("w1", "Name:")], [("w2", "Jane"), ("w3", "Doe")]
DATE_KEY, DATE_VALUE = [("w4", "Date")], [("w5", "2020-01-0l")]
NOTE_KEY, NOTE_VALUE = [("w6", "Page")], [("w7", "1")]
BLOCKS = [
    kv("k1", NAME_KEY, "v1", 0.1),
    value("v1", NAME_VALUE, 0.1),
    kv("k2", DATE_KEY, "v2", 0.3),
    value("v2", DATE_VALUE, 0.3),
    kv("k3", NOTE_KEY, "v3", 0.5),
    value("v3", NOTE_VALUE, 0.5),
    *word_blocks(NAME_KEY, NAME_VALUE, DATE_KEY, DATE_VALUE, NOTE_KEY, NOTE_VALUE),
]


def textract_input(image_url: str, important: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "aiServiceRequest": {"document": {"s3Object": {"name": image_url}}},
        "selectedAiServiceResponse": {"blocks": BLOCKS},
        "humanLoopContext": {"importantFormKeys": important},
    }


def key_block(key_id: str, children: list[str], value_id: str, text: str) -> dict[str, Any]:
    relationships = [{"type": "VALUE", "ids": [value_id]}]
    if children:
        relationships.insert(0, {"type": "CHILD", "ids": children})
    return {
        "blockType": "KEY_VALUE_SET",
        "id": key_id,
        "entityTypes": ["KEY"],
        "relationships": relationships,
        "text": text,
    }


def value_block(value_id: str, children: list[str], text: str) -> dict[str, Any]:
    return {
        "blockType": "KEY_VALUE_SET",
        "id": value_id,
        "entityTypes": ["VALUE"],
        "relationships": [{"type": "CHILD", "ids": children}] if children else [],
        "text": text,
    }


def test_textract_review_corrects_values_and_records_decisions(task_page):
    url = task_page.serve("/documents/form.png", png(800, 1000, (250, 250, 245)), "image/png")
    page = task_page.open(TEXTRACT_TEMPLATE, textract_input(url, []))
    expect(page.locator(".crowd-review-figure img")).to_be_visible()
    assert page.evaluate("document.querySelector('.crowd-review-figure img').naturalWidth") == 800
    expect(page.locator(".crowd-kv-box")).to_have_count(6)
    expect(page.locator(".crowd-kv-key-text").first).to_have_text("Name:")
    expect(page.get_by_label("Value of Name:")).to_have_value("Jane Doe")

    page.get_by_label("Value of Date").fill("2020-01-01")
    page.locator(".crowd-kv").nth(2).get_by_label("Not a key-value pair").check()
    page.get_by_label("Value of Name:").focus()
    expect(page.locator(".crowd-kv-box.crowd-kv-active")).to_have_count(2)
    task_page.screenshot("crowd-textract-analyze-document")

    assert task_page.submitted() == {
        TEXTRACT: {
            "blocks": [
                key_block("k1", ["w1"], "v1", "Name:"),
                value_block("v1", ["w2", "w3"], "Jane Doe"),
                key_block("k2", ["w4"], "v2", "Date"),
                value_block("v2", ["w5"], "2020-01-01"),
            ]
        }
    }


def test_textract_blank_values_and_missing_important_keys(task_page):
    url = task_page.serve("/documents/form.png", png(400, 500), "image/png")
    important = [
        {"importantFormKey": "Name", "importantFormKeyAliases": ["Full name"]},
        {"importantFormKey": "Address", "importantFormKeyAliases": []},
        {"importantFormKey": "Phone", "importantFormKeyAliases": ["Tel"]},
    ]
    page = task_page.open(TEXTRACT_TEMPLATE, textract_input(url, important))
    missing = page.locator(".crowd-kv-missing .crowd-kv-key-text")
    expect(missing).to_have_text(["Address", "Phone"])
    page.locator(".crowd-kv").nth(2).get_by_label("Value is blank").check()

    page.locator(".crowd-submit").click()
    expect(page.locator(".crowd-form-alert")).to_contain_text("“Address”, “Phone”")
    assert task_page.nothing_posted()

    page.get_by_label("Value of Address").fill("1 Main St")
    page.locator(".crowd-kv-missing").nth(1).get_by_label("Key not found in the document").check()

    assert task_page.submitted() == {
        TEXTRACT: {
            "blocks": [
                key_block("k1", ["w1"], "v1", "Name:"),
                value_block("v1", ["w2", "w3"], "Jane Doe"),
                key_block("k2", ["w4"], "v2", "Date"),
                value_block("v2", ["w5"], "2020-01-0l"),
                key_block("k3", ["w6"], "v3", "Page"),
                value_block("v3", [], ""),
                key_block("added-key-1", [], "added-value-1", "Address"),
                value_block("added-value-1", [], "1 Main St"),
            ]
        }
    }


def test_textract_keys_are_editable_without_no_key_edit(task_page):
    url = task_page.serve("/documents/form.png", png(400, 500), "image/png")
    template = TEXTRACT_TEMPLATE.replace("no-key-edit", "")
    page = task_page.open(template, textract_input(url, []))
    page.get_by_label("Key 3").fill("Page number")

    blocks = task_page.submitted()[TEXTRACT]["blocks"]
    assert blocks[4] == key_block("k3", ["w6"], "v3", "Page number")


# With the whole response (document-blocks), as the portal's default template passes it.
DOCUMENT_TEMPLATE = TEXTRACT_TEMPLATE.replace(
    'initial-value="{{ task.input.selectedAiServiceResponse.blocks }}"',
    'initial-value="{{ task.input.selectedAiServiceResponse.blocks }}"\n'
    '      document-blocks="{{ task.input.aiServiceResponse.blocks }}"',
)
DATE_PAIR = [BLOCKS[2], BLOCKS[3], *word_blocks(DATE_KEY, DATE_VALUE)]


def document_input(src: Any, important: list[dict[str, Any]], blocks=BLOCKS, flagged=DATE_PAIR):  # noqa: ANN001
    return {
        "aiServiceRequest": {"document": {"s3Object": {"name": src}}},
        "aiServiceResponse": {"blocks": blocks},
        "selectedAiServiceResponse": {"blocks": flagged},
        "humanLoopContext": {"importantFormKeys": important},
    }


def test_textract_shows_every_pair_with_the_flagged_ones_first_and_answers_what_changed(
    task_page,
):
    url = task_page.serve("/documents/form.png", png(800, 1000, (250, 250, 245)), "image/png")
    important = [
        {"importantFormKey": "Name", "importantFormKeyAliases": []},
        {"importantFormKey": "Phone", "importantFormKeyAliases": []},
    ]
    page = task_page.open(DOCUMENT_TEMPLATE, document_input(url, important))
    expect(page.locator(".crowd-kv-flagged .crowd-kv-key-text")).to_have_text(["Date"])
    others = page.locator(".crowd-kv:not(.crowd-kv-flagged):not(.crowd-kv-missing)")
    expect(others.locator(".crowd-kv-key-text")).to_have_text(["Name:", "Page"])
    expect(page.locator(".crowd-kv-missing .crowd-kv-key-text")).to_have_text(["Phone"])
    expect(page.locator(".crowd-kv-box")).to_have_count(6)
    expect(page.locator(".crowd-kv-box.crowd-kv-flagged")).to_have_count(2)
    expect(page.get_by_label("Not a key-value pair")).to_have_count(1)

    page.locator('.crowd-kv-box[data-pair="1"]').first.click()  # Name's key box
    expect(page.get_by_label("Value of Name:")).to_be_focused()
    page.get_by_label("Value of Name:").fill("Jane Q. Doe")
    page.get_by_label("Value of Page").fill("2")
    page.get_by_label("Value of Page").fill("1")  # back as it was: untouched
    page.get_by_label("Key not found in the document").check()
    page.get_by_label("Value of Date").focus()
    task_page.screenshot("crowd-textract-analyze-document-flagged")

    assert task_page.submitted() == {
        TEXTRACT: {
            "blocks": [
                key_block("k2", ["w4"], "v2", "Date"),
                value_block("v2", ["w5"], "2020-01-0l"),
                key_block("k1", ["w1"], "v1", "Name:"),
                value_block("v1", ["w2", "w3"], "Jane Q. Doe"),
            ]
        }
    }


def on_page(blocks: list[dict[str, Any]], number: int) -> list[dict[str, Any]]:
    return [{**block, "page": number} for block in blocks]


def test_textract_draws_each_box_on_its_own_page(task_page):
    first = task_page.serve("/documents/p1.png", png(600, 800, (250, 250, 245)), "image/png")
    second = task_page.serve("/documents/p2.png", png(500, 700, (245, 245, 250)), "image/png")
    blocks = [*BLOCKS[:2], *on_page(BLOCKS[2:], 2)]  # Name on page 1; Date, Page and words on 2
    page = task_page.open(
        DOCUMENT_TEMPLATE.replace(
            'src="{{ task.input.aiServiceRequest.document.s3Object.name | grant_read_access }}"',
            "src='{{ task.input.aiServiceRequest.document.s3Object.name }}'",
        ),
        document_input([first, second], [], blocks=blocks, flagged=on_page(DATE_PAIR, 2)),
    )
    image = page.locator(".crowd-review-sheet img")
    expect(page.get_by_role("button", name="Page 1")).to_have_attribute("aria-pressed", "true")
    expect(image).to_be_visible()
    assert page.evaluate("document.querySelector('.crowd-review-sheet img').naturalWidth") == 600
    expect(page.locator(".crowd-kv-box")).to_have_count(2)

    page.get_by_role("button", name="Page 2").click()
    expect(page.locator(".crowd-kv-box")).to_have_count(4)
    expect(page.locator(".crowd-kv-box.crowd-kv-flagged")).to_have_count(2)
    page.wait_for_function(
        "() => document.querySelector('.crowd-review-sheet img').naturalWidth === 500"
    )

    page.get_by_label("Value of Name:").focus()
    expect(page.get_by_role("button", name="Page 1")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".crowd-kv-box.crowd-kv-active")).to_have_count(2)


def test_textract_with_one_image_shows_later_pages_on_a_blank_sheet(task_page):
    url = task_page.serve("/documents/form.png", png(600, 800), "image/png")
    blocks = [*BLOCKS[:2], *on_page(BLOCKS[2:], 2)]
    page = task_page.open(DOCUMENT_TEMPLATE, document_input(url, [], blocks=blocks, flagged=[]))
    expect(page.locator(".crowd-review-sheet img")).to_be_visible()
    expect(page.locator(".crowd-kv-flagged")).to_have_count(0)  # nothing to tell apart

    page.get_by_role("button", name="Page 2").click()
    expect(page.locator(".crowd-review-sheet img")).to_be_hidden()
    expect(page.locator(".crowd-review-blank")).to_contain_text("No image of page 2 was given.")
    expect(page.locator(".crowd-kv-box")).to_have_count(4)
    assert page.locator(".crowd-review-blank").bounding_box()["height"] > 300


MODERATION_TEMPLATE = (
    SCRIPT
    + """
<crowd-form>
  <crowd-rekognition-detect-moderation-labels
    categories='[
      {% for label in task.input.selectedAiServiceResponse.moderationLabels %}
        {
          name: "{{ label.name }}",
          parentName: "{{ label.parentName }}",
        },
      {% endfor %}
    ]'
    src="{{ task.input.aiServiceRequest.image.s3Object.name | grant_read_access }}"
    header="Review the image and choose all applicable categories."
    exclusion-category="{ text: 'None of the above' }">
    <short-instructions header="Instructions">Choose every category that applies.</short-instructions>
    <full-instructions header="Instructions">Look at the whole image.</full-instructions>
  </crowd-rekognition-detect-moderation-labels>
</crowd-form>"""
)


def moderation_input(image_url: str) -> dict[str, Any]:
    return {
        "aiServiceRequest": {"image": {"s3Object": {"name": image_url}}},
        "selectedAiServiceResponse": {
            "moderationLabels": [
                {"confidence": 91.1, "name": "Suggestive", "parentName": ""},
                {
                    "confidence": 80.0,
                    "name": "Female Swimwear Or Underwear",
                    "parentName": "Suggestive",
                },
                {"confidence": 60.0, "name": "Violence", "parentName": ""},
            ]
        },
    }


def test_moderation_review_returns_the_chosen_category_objects(task_page):
    url = task_page.serve("/images/photo.png", png(640, 480, (180, 200, 220)), "image/png")
    page = task_page.open(MODERATION_TEMPLATE, moderation_input(url))
    expect(page.locator(".crowd-review-figure img")).to_be_visible()
    expect(page.get_by_role("heading", name="Review the image")).to_be_visible()
    page.get_by_role("checkbox", name="Violence").click()
    page.get_by_role("checkbox", name="Suggestive", exact=True).click()
    page.get_by_role("checkbox", name="Violence").click()
    page.get_by_role("checkbox", name="Female Swimwear Or Underwear").click()
    task_page.screenshot("crowd-rekognition-detect-moderation-labels")

    assert task_page.submitted() == {
        REKOGNITION: {
            "moderationLabels": [
                {"name": "Suggestive", "parentName": ""},
                {"name": "Female Swimwear Or Underwear", "parentName": "Suggestive"},
            ]
        }
    }


def test_moderation_exclusion_clears_and_disables_every_category(task_page):
    url = task_page.serve("/images/photo.png", png(64, 48), "image/png")
    page = task_page.open(MODERATION_TEMPLATE, moderation_input(url))
    page.locator(".crowd-submit").click()
    expect(page.locator(".crowd-form-alert")).to_contain_text("None of the above")
    assert task_page.nothing_posted()

    page.get_by_role("checkbox", name="Violence").click()
    page.get_by_role("button", name="None of the above").click()
    expect(page.get_by_role("checkbox", name="Violence")).to_be_disabled()
    expect(page.get_by_role("checkbox", name="Violence")).to_have_attribute("aria-checked", "false")

    assert task_page.submitted() == {REKOGNITION: {"moderationLabels": []}}


def test_moderation_string_categories_are_returned_as_strings(task_page):
    url = task_page.serve("/images/photo.png", png(64, 48), "image/png")
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-rekognition-detect-moderation-labels src="{{ task.input.url }}"
    categories="['Nudity', 'Hate Symbols',]"></crowd-rekognition-detect-moderation-labels>
</crowd-form>""",
        {"url": url},
    )
    page.get_by_role("checkbox", name="Hate Symbols").click()

    assert task_page.submitted() == {REKOGNITION: {"moderationLabels": ["Hate Symbols"]}}


def test_moderation_children_are_shown_beneath_their_parents(task_page):
    url = task_page.serve("/images/photo.png", png(64, 48), "image/png")
    categories = [
        {"name": "Graphic Male Nudity", "parentName": "Explicit Nudity"},
        {"Name": "Violence", "ParentName": ""},
        {"name": "Explicit Nudity", "parentName": ""},
        {"name": "Weapons", "parentName": "Violence"},
        {"name": "Smoking", "parentName": "Tobacco"},
    ]
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-rekognition-detect-moderation-labels src="{{ task.input.url }}"
    categories="{{ task.input.categories }}"></crowd-rekognition-detect-moderation-labels>
</crowd-form>""",
        {"url": url, "categories": categories},
    )
    options = page.locator(".crowd-moderation-option[role=checkbox]")
    expect(options.locator(".crowd-moderation-name > :first-child")).to_have_text(
        ["Violence", "Weapons", "Explicit Nudity", "Graphic Male Nudity", "Smoking"]
    )
    expect(page.locator(".crowd-moderation-parent")).to_have_text(["in Tobacco"])
    levels = [options.nth(n).get_attribute("data-level") for n in range(5)]
    assert levels == ["0", "1", "0", "1", "0"]
    page.get_by_role("checkbox", name="Smoking").click()
    page.get_by_role("checkbox", name="Violence").click()
    page.get_by_role("checkbox", name="Graphic Male Nudity").click()

    assert task_page.submitted() == {
        REKOGNITION: {"moderationLabels": [categories[0], categories[1], categories[4]]}
    }


def test_attributes_changed_after_upgrade_are_shown(task_page):
    url = task_page.serve("/images/photo.png", png(64, 48), "image/png")
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-textract-analyze-document src="{{ task.input.url }}" initial-value="[]">
  </crowd-textract-analyze-document>
  <crowd-rekognition-detect-moderation-labels src="{{ task.input.url }}" categories="['Nudity']">
  </crowd-rekognition-detect-moderation-labels>
</crowd-form>""",
        {"url": url},
    )
    expect(page.locator(".crowd-kv-empty")).to_be_visible()
    page.evaluate(
        """(blocks) => {
            document.querySelector('crowd-textract-analyze-document')
                .setAttribute('initial-value', JSON.stringify(blocks));
            document.querySelector('crowd-rekognition-detect-moderation-labels')
                .setAttribute('categories', "['Violence', 'Weapons']");
        }""",
        BLOCKS,
    )

    expect(page.locator(".crowd-kv")).to_have_count(3)
    expect(page.get_by_label("Value of Date")).to_have_value("2020-01-0l")
    expect(page.get_by_role("checkbox")).to_have_text(["Violence", "Weapons"])
