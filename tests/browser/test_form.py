"""<crowd-form>: validation, the template's submit handlers, serialization (CROWD-ELEMENTS §2)
and the post to the parent window."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCRIPT

pytestmark = pytest.mark.browser


def test_native_controls_are_serialized_as_the_crowd_equivalents(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <input name="title" value="{{ task.input.title }}">
  <input type="hidden" name="meta" value='{"k": 1}'>
  <input type="number" name="count" value="7">
  <input type="date" name="day" value="2024-05-01">
  <input name="empty" value="">
  <input name="untitled-disabled" value="x" disabled>
  <input value="nameless">
  <textarea name="notes"></textarea>
  <select name="colour"><option value="red">Red</option><option value="blue">Blue</option></select>
  <input type="checkbox" name="flags" value="blurry" checked>
  <input type="checkbox" name="flags" value="dim">
  <input type="checkbox" name="agree">
  <input type="radio" name="size" value="small">
  <input type="radio" name="size" value="large">
  <input name="dup" value="first"><input name="dup" value="second">
</crowd-form>""",
        {"title": "A & B"},
    )
    page.locator("textarea[name=notes]").fill("line one\nline two")
    page.locator("select[name=colour]").select_option("blue")
    page.locator("input[value=large]").check()
    page.locator("input[name=agree]").check()

    assert task_page.submitted() == {
        "title": "A & B",
        "meta": '{"k": 1}',
        "count": "7",
        "day": "2024-05-01",
        "notes": "line one\nline two",
        "colour": "blue",
        "flags": {"blurry": True, "dim": False},
        "agree": {"on": True},
        "size": {"small": False, "large": True},
        "dup": "second",
    }


def test_submit_handlers_run_before_serialization_and_fill_hidden_inputs(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form onsubmit="document.getElementById('a').value = 'from attribute'">
  <input type="hidden" id="a" name="a">
  <input type="hidden" id="b" name="b">
</crowd-form>
<script>
  document.querySelector("crowd-form").addEventListener("submit", () => {
    document.getElementById("b").value = JSON.stringify([1, 2]);
  });
</script>"""
    )
    page.wait_for_selector(".crowd-submit")

    assert task_page.submitted() == {"a": "from attribute", "b": "[1,2]"}


def test_a_submit_handler_that_prevents_default_cancels_the_submission(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <input name="answer" value="yes">
</crowd-form>
<script>
  window.attempts = 0;
  document.querySelector("crowd-form").onsubmit = (event) => {
    window.attempts += 1;
    if (window.attempts === 1) event.preventDefault();
  };
</script>"""
    )
    page.locator(".crowd-submit").click()

    assert page.evaluate("window.attempts") == 1
    assert task_page.submissions() == []
    assert task_page.submitted() == {"answer": "yes"}


def test_the_submit_method_runs_validation_handlers_and_posts(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-button form-action="submit" style="display:none"></crowd-button>
  <input name="q" value="a">
  <button type="button" id="mine" onclick="document.querySelector('crowd-form').submit()">
    Send</button>
</crowd-form>
<script>
  document.querySelector("crowd-form").onsubmit = () => { window.handled = true; };
</script>"""
    )
    assert page.locator(".crowd-submit").count() == 0

    assert task_page.submitted(click="#mine") == {"q": "a"}
    assert page.evaluate("window.handled") is True


def test_controls_appended_to_the_native_form_are_submitted(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form><p>Question</p></crowd-form>
<script>
  const extra = document.createElement("input");
  extra.name = "extra";
  extra.value = "added";
  document.querySelector("crowd-form").form.appendChild(extra);
</script>"""
    )
    assert page.evaluate("document.querySelector('crowd-form').form instanceof HTMLFormElement")

    assert task_page.submitted() == {"extra": "added"}


def test_a_required_native_control_blocks_submission_with_a_visible_message(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <label>Reason <input name="reason" required></label>
</crowd-form>"""
    )
    page.locator(".crowd-submit").click()

    alert = page.locator(".crowd-form-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Reason")
    field = page.locator("input[name=reason]")
    expect(field).to_have_class("crowd-invalid")
    expect(field).to_be_focused()
    task_page.screenshot("form-validation")
    assert task_page.submissions() == []

    field.fill("because")
    expect(field).not_to_have_class("crowd-invalid")
    assert task_page.submitted() == {"reason": "because"}
    expect(alert).to_be_hidden()


def test_object_value_input_is_validated_and_emits_its_object(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <object-value-input name="boxes" error-message="Draw at least one box."></object-value-input>
</crowd-form>
<script>
  const holder = document.querySelector("object-value-input");
  holder.validate = () => Array.isArray(holder.value && holder.value.items);
</script>"""
    )
    page.locator(".crowd-submit").click()
    expect(page.locator(".crowd-form-alert")).to_contain_text("Draw at least one box.")
    assert task_page.submissions() == []

    page.evaluate("document.querySelector('object-value-input').value = {items: [{x: 1}]}")
    assert task_page.submitted() == {"boxes": {"items": [{"x": 1}]}}


def test_ctrl_enter_submits_from_anywhere_on_the_page(task_page):
    page = task_page.open(SCRIPT + '<crowd-form><input name="q" value="typed"></crowd-form>')
    page.locator("input[name=q]").focus()
    page.keyboard.press("Control+Enter")

    assert task_page.submitted(click=None) == {"q": "typed"}


def test_enter_in_a_field_does_not_submit_or_leave_the_page(task_page):
    page = task_page.open(
        SCRIPT + '<crowd-form><input name="q" value="x"><button>Other</button></crowd-form>'
    )
    page.locator("input[name=q]").press("Enter")
    page.locator("button", has_text="Other").click()

    assert task_page.submissions() == []
    assert page.url.endswith("/task")


def test_a_second_submit_waits_for_the_parent_which_can_report_an_error(task_page):
    page = task_page.open(SCRIPT + '<crowd-form><input name="q" value="x"></crowd-form>')
    button = page.locator(".crowd-submit")
    button.click()
    expect(page.locator(".crowd-form-status")).to_have_text("✓ Submitted")
    expect(button).to_be_disabled()
    page.evaluate("document.querySelector('crowd-form').submit()")
    assert len(task_page.submissions()) == 1

    page.evaluate(
        "window.postMessage({type: 'crowd-form:error', message: 'The task has expired.'}, '*')"
    )
    expect(page.locator(".crowd-form-alert")).to_contain_text("The task has expired.")
    expect(button).to_be_enabled()
    button.click()
    assert len(task_page.submissions()) == 2


def test_the_parent_window_can_request_a_submission(task_page):
    page = task_page.open(SCRIPT + '<crowd-form><input name="q" value="x" required></crowd-form>')
    page.locator("input[name=q]").fill("")
    page.evaluate("window.postMessage({type: 'crowd-form:submit-request'}, '*')")
    expect(page.locator(".crowd-form-alert")).to_be_visible()
    assert task_page.submissions() == []

    page.locator("input[name=q]").fill("y")
    page.evaluate("window.postMessage({type: 'crowd-form:submit-request'}, '*')")
    assert task_page.submitted(click=None) == {"q": "y"}


def test_instruction_regions_give_a_side_panel_and_a_full_instructions_modal(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <short-instructions header="Quick guide">Read the review, then answer.
    <input name="inside" value="kept"></short-instructions>
  <full-instructions header="How to review">Long explanation of the rules.</full-instructions>
  <p>Is the review positive?</p>
  <input name="verdict" value="yes">
</crowd-form>"""
    )
    panel = page.locator(".crowd-instructions-panel")
    expect(panel).to_contain_text("Quick guide")
    expect(panel).to_contain_text("Read the review")
    expect(page.get_by_text("Long explanation")).to_be_hidden()
    box_panel, box_question = panel.bounding_box(), page.get_by_text("Is the review").bounding_box()
    assert box_panel["x"] + box_panel["width"] <= box_question["x"]

    page.get_by_role("button", name="View full instructions").click()
    dialog = page.get_by_role("dialog", name="How to review")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("Long explanation")).to_be_visible()
    task_page.screenshot("form-full-instructions")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    task_page.screenshot("form-instructions")

    assert task_page.submitted() == {"inside": "kept", "verdict": "yes"}


def test_answer_format_flatten_objects_gives_dotted_keys(task_page):
    task_page.open(
        SCRIPT
        + """
<crowd-form answer-format="flatten-objects">
  <input type="checkbox" name="tags" value="a" checked><input name="t" value="x">
</crowd-form>"""
    )
    assert task_page.submitted() == {"tags.a": True, "t": "x"}


def test_reset_restores_native_controls(task_page):
    page = task_page.open(SCRIPT + '<crowd-form><input name="q" value="start"></crowd-form>')
    page.locator("input[name=q]").fill("changed")
    page.evaluate("document.querySelector('crowd-form').reset()")

    assert task_page.submitted() == {"q": "start"}


def test_all_crowd_elements_ready_is_announced_after_set_up(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form><input name="q"></crowd-form>
<script>
  document.addEventListener("all-crowd-elements-ready", () => {
    window.readySawButton = !!document.querySelector(".crowd-submit");
  });
</script>"""
    )
    page.wait_for_function("window.readySawButton !== undefined")
    assert page.evaluate("window.readySawButton") is True
