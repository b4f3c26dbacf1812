"""crowd-entity-annotation (CROWD-ELEMENTS §3.6): highlighting spans of text with the mouse."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCRIPT
from tests.browser.text_selection import select_text

pytestmark = pytest.mark.browser

TEXT = "Yesterday Jeff Bezos met Andy Jassy at Amazon in Seattle."

ENTITIES = (
    SCRIPT
    + """
<crowd-entity-annotation name="crowd-entity-annotation"
  header="Highlight all named entities"
  labels="[{label: 'person', shortDisplayName: 'per', fullDisplayName: 'Person'},
           {label: 'organization', shortDisplayName: 'org', fullDisplayName: 'Organization'},
           {label: 'location', shortDisplayName: 'loc', fullDisplayName: 'Location'},]"
  text="{{ task.input.originalText }}"
  initial-value="{{ task.input.initial | to_json }}">
  <full-instructions header="Named entity recognition"><p>Mark people and places.</p></full-instructions>
  <short-instructions><p>Highlight names, then pick their type.</p></short-instructions>
</crowd-entity-annotation>"""
)


def test_picking_a_label_then_dragging_over_text_records_exact_offsets(task_page):
    page = task_page.open(ENTITIES, {"originalText": TEXT, "initial": []})
    expect(page.get_by_role("heading", name="Highlight all named entities")).to_be_visible()
    page.get_by_role("button", name="Person").click()
    select_text(page, 10, 20)  # "Jeff Bezos"
    select_text(page, 25, 35)  # "Andy Jassy"
    page.get_by_role("button", name="Location").click()
    select_text(page, 49, 56)  # "Seattle"

    expect(page.locator(".crowd-entity-mark")).to_have_count(3)
    expect(page.locator(".crowd-entity-chip").first).to_have_text("per")
    expect(page.locator(".crowd-entity-item")).to_have_count(3)
    task_page.screenshot("crowd-entity-annotation")

    assert task_page.submitted() == {
        "crowd-entity-annotation": {
            "entities": [
                {"label": "person", "startOffset": 10, "endOffset": 20},
                {"label": "person", "startOffset": 25, "endOffset": 35},
                {"label": "location", "startOffset": 49, "endOffset": 56},
            ]
        }
    }


def test_selecting_first_then_pressing_a_digit_labels_the_selection(task_page):
    page = task_page.open(ENTITIES, {"originalText": TEXT, "initial": []})
    expect(page.locator(".crowd-entity-label kbd")).to_have_text(["1", "2", "3"])
    select_text(page, 39, 45)  # "Amazon"
    expect(page.locator(".crowd-entity-prompt")).to_have_text("Choose a label for “Amazon”.")
    page.keyboard.press("2")

    assert task_page.submitted() == {
        "crowd-entity-annotation": {
            "entities": [{"label": "organization", "startOffset": 39, "endOffset": 45}]
        }
    }


def test_initial_spans_are_shown_and_can_be_deleted(task_page):
    initial = [
        {"label": "person", "startOffset": 10, "endOffset": 20},
        {"label": "organization", "startOffset": 39, "endOffset": 45},
    ]
    page = task_page.open(ENTITIES, {"originalText": TEXT, "initial": initial})
    expect(page.locator(".crowd-entity-mark")).to_have_count(2)
    expect(page.locator(".crowd-entity-mark").first).to_contain_text("Jeff Bezos")
    page.get_by_role("button", name="Remove Person “Jeff Bezos”").click()
    expect(page.locator(".crowd-entity-mark")).to_have_count(1)

    assert task_page.submitted() == {
        "crowd-entity-annotation": {
            "entities": [{"label": "organization", "startOffset": 39, "endOffset": 45}]
        }
    }


def test_a_highlight_may_cover_whole_highlights_but_not_part_of_one(task_page):
    initial = [{"label": "person", "startOffset": 10, "endOffset": 20}]
    page = task_page.open(ENTITIES, {"originalText": TEXT, "initial": initial})
    page.get_by_role("button", name="Organization").click()
    select_text(page, 15, 24)  # "Bezos met": part of "Jeff Bezos"
    expect(page.locator(".crowd-entity-prompt")).to_have_text(
        "A highlight may cover whole highlights, but not part of one."
    )
    expect(page.locator(".crowd-entity-item")).to_have_count(1)
    select_text(page, 10, 35)  # "Jeff Bezos met Andy Jassy" covers "Jeff Bezos"
    expect(page.locator(".crowd-entity-mark .crowd-entity-mark")).to_have_count(1)
    task_page.screenshot("crowd-entity-annotation-nested")

    assert task_page.submitted() == {
        "crowd-entity-annotation": {
            "entities": [
                {"label": "person", "startOffset": 10, "endOffset": 20},
                {"label": "organization", "startOffset": 10, "endOffset": 35},
            ]
        }
    }


def test_offsets_count_utf16_units_of_the_decoded_text(task_page):
    text = "I ❤️ <b>Tom & Jerry</b> 😀 Paris"
    page = task_page.open(ENTITIES, {"originalText": text, "initial": []})
    expect(page.locator(".crowd-entity-text")).to_have_text(text)
    page.keyboard.press("3")
    start = page.evaluate("(t) => t.indexOf('Paris')", text)
    select_text(page, start, start + 5)

    answer = task_page.submitted()
    assert answer == {
        "crowd-entity-annotation": {
            "entities": [{"label": "location", "startOffset": start, "endOffset": start + 5}]
        }
    }
    utf16_start = len(text[: text.index("Paris")].encode("utf-16-le")) // 2
    assert start == utf16_start == text.index("Paris") + 1  # 😀 is two UTF-16 code units


def test_questions_moved_into_the_built_in_form_are_submitted_with_the_entities(task_page):
    page = task_page.open(
        ENTITIES
        + """
<div id="extra"><crowd-checkbox name="unsure">I am not sure</crowd-checkbox>
  <input name="comment" value="fine"></div>
<script>
  document.addEventListener("all-crowd-elements-ready", () => {
    const annotator = document.querySelector("crowd-entity-annotation");
    annotator.shadowRoot.querySelector("crowd-form").form.appendChild(
      document.getElementById("extra"));
  });
</script>""",
        {"originalText": TEXT, "initial": []},
    )
    page.get_by_role("checkbox", name="I am not sure").click()
    expect(page.locator(".crowd-submit")).to_have_count(1)

    assert task_page.submitted() == {
        "crowd-entity-annotation": {"entities": []},
        "unsure": {"on": True},
        "comment": "fine",
    }


def test_inside_an_outer_form_there_is_one_submit_and_one_answer(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-entity-annotation name="ner" labels="['person']" text="Ada Lovelace wrote code.">
  </crowd-entity-annotation>
  <crowd-input name="note" label="Note" value="ok"></crowd-input>
</crowd-form>"""
    )
    expect(page.locator(".crowd-submit")).to_have_count(1)
    select_text(page, 0, 12)  # the only label is already chosen

    assert task_page.submitted() == {
        "ner": {"entities": [{"label": "person", "startOffset": 0, "endOffset": 12}]},
        "note": "ok",
    }


def test_labels_set_from_script_re_render_and_camel_case_initial_value_is_read(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-entity-annotation name="ner" text="Berlin is big." labels='[ ]'
  initialValue="[{label: 'city', startOffset: 0, endOffset: 6}]"></crowd-entity-annotation>
<script>
  document.addEventListener("all-crowd-elements-ready", () => {
    const el = document.querySelector("crowd-entity-annotation");
    el.labels = [{label: "city", fullDisplayName: "City"}, {label: "size"}];
    el.setAttribute("initial-value", "[{label: 'city', startOffset: 0, endOffset: 6}]");
  });
</script>"""
    )
    expect(page.get_by_role("button", name="City", exact=True)).to_be_visible()
    expect(page.locator(".crowd-entity-mark")).to_have_text("cityBerlin")
    assert page.evaluate("document.querySelector('crowd-entity-annotation').value") == {
        "entities": [{"label": "city", "startOffset": 0, "endOffset": 6}]
    }
    page.get_by_role("button", name="size").click()
    select_text(page, 10, 13)

    assert task_page.submitted() == {
        "ner": {
            "entities": [
                {"label": "city", "startOffset": 0, "endOffset": 6},
                {"label": "size", "startOffset": 10, "endOffset": 13},
            ]
        }
    }
