"""Simple form controls (CROWD-ELEMENTS §3.1), used the way a reviewer uses them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import form

pytestmark = pytest.mark.browser


def test_crowd_input_submits_typed_text_and_omits_empty_fields(task_page):
    page = task_page.open(
        form("""
<crowd-input name="city" label="City" placeholder="e.g. Lisbon"></crowd-input>
<crowd-input name="age" label="Age" type="number"></crowd-input>
<crowd-input name="preset" label="Preset" value="{{ task.input.guess }}"></crowd-input>
<crowd-input name="skipped" label="Skipped"></crowd-input>"""),
        {"guess": "kept <as is>"},
    )
    page.get_by_label("City").fill("Porto")
    page.get_by_label("Age").fill("42")

    assert task_page.submitted() == {"city": "Porto", "age": "42", "preset": "kept <as is>"}


def test_a_required_crowd_input_blocks_submission_and_is_focused(task_page):
    page = task_page.open(form('<crowd-input name="reason" label="Reason" required></crowd-input>'))
    page.locator(".crowd-submit").click()

    expect(page.locator(".crowd-form-alert")).to_contain_text("Please fill in “Reason”.")
    expect(page.locator("crowd-input .crowd-field-error")).to_have_text("Please fill in “Reason”.")
    expect(page.get_by_label("Reason")).to_be_focused()
    task_page.screenshot("crowd-input-required")
    assert task_page.nothing_posted()

    page.keyboard.type("Too dark")
    expect(page.locator("crowd-input .crowd-field-error")).to_be_hidden()
    assert task_page.submitted() == {"reason": "Too dark"}


def test_auto_focus_takes_the_focus_and_disabled_fields_still_submit(task_page):
    page = task_page.open(
        form("""
<crowd-input name="locked" label="Locked" value="from the model" disabled></crowd-input>
<crowd-input name="first" label="First" auto-focus></crowd-input>""")
    )
    expect(page.get_by_label("First")).to_be_focused()
    expect(page.get_by_label("Locked")).to_be_disabled()
    page.keyboard.type("typed at once")

    assert task_page.submitted() == {"locked": "from the model", "first": "typed at once"}


def test_allowed_pattern_refuses_other_characters_while_typing(task_page):
    page = task_page.open(
        form('<crowd-input name="zip" label="Postcode" allowedPattern="[0-9]"></crowd-input>')
    )
    page.get_by_label("Postcode").press_sequentially("a1b2-3")

    assert task_page.submitted() == {"zip": "123"}


def test_auto_validate_shows_the_error_message_while_typing(task_page):
    page = task_page.open(
        form(
            '<crowd-input name="code" label="Code" auto-validate min-length="4"'
            ' errorMessage="Four characters at least"></crowd-input>'
        )
    )
    field = page.get_by_label("Code")
    field.press_sequentially("ab")
    expect(page.locator(".crowd-field-error")).to_have_text("Four characters at least")
    field.press_sequentially("cd")
    expect(page.locator(".crowd-field-error")).to_be_hidden()

    assert task_page.submitted() == {"code": "abcd"}


def test_crowd_input_properties_set_from_script_take_effect(task_page):
    page = task_page.open(
        form("""
<crowd-input name="a" label="First"></crowd-input>
<crowd-input name="b" label="Second"></crowd-input>
<script>
  const first = document.querySelector("crowd-input[name=a]");
  first.value = "set before set-up";
</script>""")
    )
    page.evaluate("""() => {
        const second = document.querySelector("crowd-input[name=b]");
        second.label = "Renamed";
        second.required = true;
    }""")
    expect(page.get_by_label("Renamed")).to_be_visible()
    page.locator(".crowd-submit").click()
    expect(page.locator(".crowd-form-alert")).to_contain_text("Renamed")
    page.get_by_label("Renamed").fill("now filled")
    assert page.evaluate("document.querySelector('crowd-input[name=b]').value") == "now filled"

    assert task_page.submitted() == {"a": "set before set-up", "b": "now filled"}


def test_crowd_text_area_keeps_newlines_counts_characters_and_grows(task_page):
    page = task_page.open(
        form(
            '<crowd-text-area name="notes" label="Notes" rows="2" max-rows="4" char-counter'
            ' max-length="200" originalValue="ignored"></crowd-text-area>'
        )
    )
    box = page.get_by_label("Notes")
    start = box.bounding_box()["height"]
    box.fill("one\ntwo\nthree")
    expect(page.locator(".crowd-field-counter")).to_have_text("13 / 200")
    grown = box.bounding_box()["height"]
    assert grown > start
    box.fill("\n".join(str(n) for n in range(12)))
    capped = box.bounding_box()["height"]
    assert grown < capped < start * 3
    box.fill("one\ntwo\nthree")
    task_page.screenshot("crowd-text-area")

    assert task_page.submitted() == {"notes": "one\ntwo\nthree"}


def test_checkboxes_sharing_a_name_merge_and_unchecked_ones_are_false(task_page):
    page = task_page.open(
        form("""
<crowd-checkbox name="image_attributes" value="blurry" checked="false">Blurry</crowd-checkbox>
<crowd-checkbox name="image_attributes" value="dim">Dim</crowd-checkbox>
<crowd-checkbox name="image_attributes" value="exposed">Over-exposed</crowd-checkbox>
<crowd-checkbox name="agree">I agree</crowd-checkbox>""")
    )
    page.get_by_role("checkbox", name="Dim").click()
    page.get_by_role("checkbox", name="I agree").focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="I agree")).to_be_checked()
    task_page.screenshot("crowd-checkbox")

    assert task_page.submitted() == {
        "image_attributes": {"blurry": True, "dim": True, "exposed": False},
        "agree": {"on": True},
    }


def test_a_checkbox_click_handler_sees_the_state_before_the_click(task_page):
    page = task_page.open(
        form("""
<crowd-checkbox name="c" onclick="window.seen = this.checked">Check</crowd-checkbox>
<script>
  document.querySelector("crowd-checkbox").addEventListener("change", (event) => {
    window.changed = event.target.checked;
  });
</script>""")
    )
    page.get_by_role("checkbox", name="Check").click()
    page.wait_for_function("window.changed !== undefined")

    assert page.evaluate("[window.seen, window.changed]") == [False, True]


def test_a_required_checkbox_must_be_checked(task_page):
    page = task_page.open(form('<crowd-checkbox name="ok" required>I confirm</crowd-checkbox>'))
    page.locator(".crowd-submit").click()

    expect(page.locator(".crowd-form-alert")).to_contain_text("I confirm")
    expect(page.get_by_role("checkbox", name="I confirm")).to_be_focused()
    assert task_page.nothing_posted()
    page.keyboard.press("Space")
    assert task_page.submitted() == {"ok": {"on": True}}


def test_radio_buttons_in_a_group_are_exclusive_and_report_under_their_own_names(task_page):
    page = task_page.open(
        form("""
<crowd-radio-group>
  <crowd-radio-button name="tech" value="tech">Technology</crowd-radio-button>
  <crowd-radio-button name="politics" value="politics" checked>Politics</crowd-radio-button>
  <crowd-radio-button name="sport" value="sport">Sport</crowd-radio-button>
</crowd-radio-group>""")
    )
    page.get_by_role("radio", name="Technology").click()
    expect(page.get_by_role("radio", name="Politics")).not_to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Politics")).to_be_checked()
    expect(page.get_by_role("radio", name="Politics")).to_be_focused()
    page.keyboard.press("ArrowUp")
    task_page.screenshot("crowd-radio-group")

    assert task_page.submitted() == {
        "tech": {"tech": True},
        "politics": {"politics": False},
        "sport": {"sport": False},
    }


def test_radio_buttons_outside_a_group_sharing_a_name_merge(task_page):
    page = task_page.open(
        form("""
<crowd-radio-button name="size" value="small">Small</crowd-radio-button>
<crowd-radio-button name="size" value="large">Large</crowd-radio-button>""")
    )
    page.get_by_role("radio", name="Large").click()

    assert task_page.submitted() == {"size": {"small": False, "large": True}}


def test_toggle_button_switches_and_can_be_required(task_page):
    page = task_page.open(
        form("""
<crowd-toggle-button name="nsfw" value="yes" invalid>Not safe for work</crowd-toggle-button>
<crowd-toggle-button name="reviewed" required>Reviewed</crowd-toggle-button>""")
    )
    task_page.screenshot("crowd-toggle-button")
    page.locator(".crowd-submit").click()
    expect(page.locator(".crowd-form-alert")).to_contain_text("Reviewed")
    assert task_page.nothing_posted()

    page.get_by_role("switch", name="Reviewed").press("Enter")
    page.get_by_role("switch", name="Not safe for work").click()
    page.get_by_role("switch", name="Not safe for work").click()

    assert task_page.submitted() == {"nsfw": {"yes": False}, "reviewed": {"on": True}}


def test_slider_follows_keyboard_mouse_and_its_number_box(task_page):
    page = task_page.open(
        form("""
<p>How confident are you?</p>
<crowd-slider name="confidence" min="0" max="10" step="1" value="5" pin editable
  secondary-progress="8">
  <crowd-slider-label position="0">Unsure</crowd-slider-label>
  <crowd-slider-label position="10">Certain</crowd-slider-label>
</crowd-slider>""")
    )
    knob = page.get_by_role("slider", name="confidence")
    knob.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.querySelector('crowd-slider').value") == 7
    expect(page.get_by_label("confidence (number)")).to_have_value("7")

    box = knob.bounding_box()
    page.mouse.move(box["x"] + 9, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2, steps=4)
    expect(page.locator(".crowd-slider-pin")).to_have_css("opacity", "1")
    page.mouse.up()
    assert page.evaluate("document.querySelector('crowd-slider').value") == 2

    page.get_by_label("confidence (number)").fill("9")
    page.get_by_label("confidence (number)").press("Tab")
    assert page.evaluate("document.querySelector('crowd-slider').value") == 9
    task_page.screenshot("crowd-slider")

    assert task_page.submitted() == {"confidence": 9}


def test_a_required_slider_must_be_moved_and_values_default_to_min(task_page):
    page = task_page.open(
        form("""
<crowd-slider name="score" min="1" max="5" required></crowd-slider>
<crowd-slider name="other" min="3" max="9"></crowd-slider>""")
    )
    page.locator(".crowd-submit").click()
    expect(page.locator(".crowd-form-alert")).to_contain_text("score")
    assert task_page.nothing_posted()

    page.get_by_role("slider", name="score").press("End")
    assert task_page.submitted() == {"score": 5, "other": 3}


def test_slider_attributes_changed_after_set_up_re_render(task_page):
    page = task_page.open(form('<crowd-slider name="s" max="10"></crowd-slider>'))
    page.evaluate("""() => {
        const slider = document.querySelector("crowd-slider");
        slider.setAttribute("max", "4");
        slider.value = 3;
    }""")
    page.get_by_role("slider", name="s").press("ArrowRight")
    page.get_by_role("slider", name="s").press("ArrowRight")

    assert task_page.submitted() == {"s": 4}
