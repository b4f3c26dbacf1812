"""crowd-classifier and crowd-classifier-multi-select (CROWD-ELEMENTS §3.3)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCRIPT

pytestmark = pytest.mark.browser


SENTIMENT = (
    SCRIPT
    + """
<crowd-form>
  <crowd-classifier name="sentiment" categories="['Positive', 'Negative', 'Neutral',]"
    header="What sentiment does this review express?">
    <classification-target>{{ task.input.taskObject }}</classification-target>
    <full-instructions header="Sentiment analysis instructions">
      <p><strong>Positive</strong>: the reviewer liked the product.</p>
    </full-instructions>
    <short-instructions>Choose the sentiment of the review.</short-instructions>
  </crowd-classifier>
</crowd-form>"""
)


def test_choosing_a_category_with_the_mouse_gives_its_label(task_page):
    page = task_page.open(SENTIMENT, {"taskObject": "Loved it <3, would buy again."})
    expect(page.get_by_text("Loved it <3, would buy again.")).to_be_visible()
    expect(page.get_by_role("heading", name="What sentiment")).to_be_visible()
    expect(page.locator(".crowd-instructions-panel")).to_contain_text("Choose the sentiment")
    page.get_by_role("radio", name="Negative").click()
    page.get_by_role("radio", name="Positive").click()
    expect(page.get_by_role("radio", name="Positive")).to_have_attribute("aria-checked", "true")
    expect(page.get_by_role("radio", name="Negative")).to_have_attribute("aria-checked", "false")
    task_page.screenshot("crowd-classifier")

    page.get_by_role("button", name="View full instructions").click()
    expect(page.get_by_role("dialog", name="Sentiment analysis instructions")).to_contain_text(
        "the reviewer liked the product"
    )
    page.keyboard.press("Escape")

    assert task_page.submitted() == {"sentiment": {"label": "Positive"}}


def test_digit_keys_choose_categories_and_hints_are_shown(task_page):
    page = task_page.open(SENTIMENT, {"taskObject": "Meh."})
    expect(page.locator(".crowd-choice kbd")).to_have_text(["1", "2", "3"])
    page.keyboard.press("3")
    expect(page.get_by_role("radio", name="Neutral")).to_have_attribute("aria-checked", "true")
    page.keyboard.press("2")

    assert page.evaluate("document.querySelector('crowd-classifier').value") == "Negative"
    assert task_page.submitted() == {"sentiment": {"label": "Negative"}}


def test_arrow_keys_move_the_choice_inside_the_group(task_page):
    page = task_page.open(SENTIMENT, {"taskObject": "Fine."})
    page.get_by_role("radio", name="Positive").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")

    expect(page.get_by_role("radio", name="Negative")).to_be_focused()
    assert task_page.submitted() == {"sentiment": {"label": "Negative"}}


def test_submitting_without_a_choice_is_blocked(task_page):
    page = task_page.open(SENTIMENT, {"taskObject": "?"})
    page.locator(".crowd-submit").click()

    expect(page.locator(".crowd-form-alert")).to_contain_text("Choose a category")
    expect(page.get_by_role("radio", name="Positive")).to_be_focused()
    assert task_page.nothing_posted()
    page.keyboard.press("1")
    assert task_page.submitted() == {"sentiment": {"label": "Positive"}}


def test_initial_value_preselects_and_change_events_report_the_string(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-classifier name="c" categories="{{ task.input.labels | to_json }}"
    initial-value="{{ task.input.prediction }}"></crowd-classifier>
</crowd-form>
<script>
  document.querySelector("crowd-classifier").addEventListener("change", (event) => {
    window.picked = event.target.value;
  });
</script>""",
        {"labels": ["cat", 'dog "big"'], "prediction": 'dog "big"'},
    )
    expect(page.get_by_role("radio", name='dog "big"')).to_have_attribute("aria-checked", "true")
    page.get_by_role("radio", name="cat").click()
    page.wait_for_function("window.picked === 'cat'")
    page.get_by_role("radio", name='dog "big"').click()

    assert task_page.submitted() == {"c": {"label": 'dog "big"'}}


def test_categories_set_from_script_re_render_and_empty_lists_parse(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-classifier name="c" categories='[ ]' header="Pick"></crowd-classifier>
</crowd-form>
<script>
  document.addEventListener("all-crowd-elements-ready", () => {
    document.querySelector("crowd-classifier").categories = ["Spam", "Ham"];
  });
</script>"""
    )
    expect(page.get_by_role("radio", name="Ham")).to_be_visible()
    page.evaluate("document.querySelector('crowd-classifier').setAttribute('header', 'Label it')")
    expect(page.get_by_role("heading", name="Label it")).to_be_visible()
    page.get_by_role("radio", name="Ham").click()

    assert task_page.submitted() == {"c": {"label": "Ham"}}


def test_single_classifier_exclusion_category_is_a_choice(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-classifier name="c" categories="['A', 'B']" exclusionCategory="{ text: 'Neither' }">
  </crowd-classifier>
</crowd-form>"""
    )
    page.keyboard.press("3")

    assert task_page.submitted() == {"c": {"label": "Neither"}}


MULTI = (
    SCRIPT
    + """
<crowd-form>
  <crowd-classifier-multi-select name="topics" header="Which topics does the article cover?"
    categories="[{% for t in task.input.topics %}'{{ t }}', {% endfor %}]"
    exclusion-category="{ text: 'None of the above' }">
    <classification-target><p>{{ task.input.text }}</p></classification-target>
    <short-instructions>Pick every topic that applies.</short-instructions>
  </crowd-classifier-multi-select>
</crowd-form>"""
)


def test_multi_select_gives_every_chosen_label_in_listed_order(task_page):
    page = task_page.open(
        MULTI, {"topics": ["Sport", "Politics", "Tech"], "text": "Robots play football."}
    )
    page.get_by_role("checkbox", name="Tech").click()
    page.keyboard.press("1")
    page.keyboard.press("2")
    page.keyboard.press("2")
    expect(page.get_by_role("checkbox", name="Politics")).to_have_attribute("aria-checked", "false")
    task_page.screenshot("crowd-classifier-multi-select")

    assert task_page.submitted() == {"topics": {"labels": ["Sport", "Tech"]}}


def test_multi_select_exclusion_clears_the_other_choices(task_page):
    page = task_page.open(MULTI, {"topics": ["Sport", "Tech"], "text": "Weather."})
    page.get_by_role("checkbox", name="Sport").click()
    page.get_by_role("checkbox", name="None of the above").click()
    expect(page.get_by_role("checkbox", name="Sport")).to_have_attribute("aria-checked", "false")

    assert task_page.submitted() == {"topics": {"labels": ["None of the above"]}}


def test_multi_select_needs_at_least_one_choice(task_page):
    page = task_page.open(MULTI, {"topics": ["Sport"], "text": "x"})
    page.locator(".crowd-submit").click()

    expect(page.locator(".crowd-form-alert")).to_contain_text("Choose at least one category")
    assert task_page.nothing_posted()
    page.get_by_role("checkbox", name="Sport").click()
    assert task_page.submitted() == {"topics": {"labels": ["Sport"]}}


def test_digits_typed_in_a_text_field_do_not_choose_categories(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-classifier name="c" categories="['A', 'B']"></crowd-classifier>
  <crowd-input name="note" label="Note"></crowd-input>
</crowd-form>"""
    )
    page.get_by_label("Note").press_sequentially("12")
    page.get_by_role("radio", name="B").click()

    assert task_page.submitted() == {"c": {"label": "B"}, "note": "12"}
