"""Buttons and layout elements (CROWD-ELEMENTS §3.2): they present, never answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import form

pytestmark = pytest.mark.browser


def test_a_submit_crowd_button_replaces_the_automatic_one_and_submits(task_page):
    page = task_page.open(
        form("""
<input name="q" value="v">
<crowd-button form-action="submit" variant="primary" icon="check">Send answer</crowd-button>""")
    )
    expect(page.locator(".crowd-submit")).to_have_count(0)
    expect(page.get_by_role("button", name="Send answer")).to_be_visible()
    task_page.screenshot("crowd-button-submit")

    page.get_by_role("button", name="Send answer").click()
    assert task_page.submitted(click=None) == {"q": "v"}


def test_a_button_without_form_action_never_submits_and_runs_its_onclick(task_page):
    page = task_page.open(
        form("""
<input name="q" value="v">
<crowd-button onclick="window.clicks = (window.clicks || 0) + 1; return false;">Hint</crowd-button>
<crowd-button size="small" secondary>Other</crowd-button>""")
    )
    page.get_by_role("button", name="Hint").click()
    page.get_by_role("button", name="Other").click()

    assert page.evaluate("window.clicks") == 1
    assert task_page.nothing_posted()


def test_a_submit_button_whose_onclick_returns_false_does_not_submit(task_page):
    page = task_page.open(
        form("""
<crowd-button form-action="submit" onclick="return window.allowed === true">Submit</crowd-button>
<input name="q" value="v">""")
    )
    page.get_by_role("button", name="Submit").click()
    assert task_page.nothing_posted()

    page.evaluate("window.allowed = true")
    assert task_page.submitted() == {"q": "v"}


def test_a_disabled_button_toggled_from_script_blocks_then_allows_submission(task_page):
    page = task_page.open(
        form('<crowd-button form-action="submit" disabled>Submit</crowd-button><input name="q">')
    )
    button = page.get_by_role("button", name="Submit")
    expect(button).to_be_disabled()
    page.evaluate("document.querySelector('crowd-button').disabled = false")
    expect(button).to_be_enabled()
    page.locator("input[name=q]").fill("typed")

    assert task_page.submitted() == {"q": "typed"}


def test_a_reset_button_restores_every_control(task_page):
    page = task_page.open(
        form("""
<crowd-input name="city" label="City" value="Lisbon"></crowd-input>
<crowd-checkbox name="ok" checked>OK</crowd-checkbox>
<crowd-slider name="level" value="3" max="5"></crowd-slider>
<crowd-button form-action="reset">Start over</crowd-button>""")
    )
    page.get_by_label("City").fill("Porto")
    page.get_by_role("checkbox", name="OK").click()
    page.get_by_role("slider", name="level").press("End")
    page.get_by_role("button", name="Start over").click()

    expect(page.get_by_label("City")).to_have_value("Lisbon")
    expect(page.get_by_role("checkbox", name="OK")).to_be_checked()
    assert task_page.submitted() == {"city": "Lisbon", "ok": {"on": True}, "level": 3}


def test_a_button_with_href_is_a_link(task_page):
    page = task_page.open(
        form('<crowd-button href="https://example.org/guide" target="_blank">Guide</crowd-button>')
    )
    link = page.get_by_role("link", name="Guide")
    expect(link).to_have_attribute("href", "https://example.org/guide")
    expect(link).to_have_attribute("target", "_blank")


def test_alerts_show_their_type_and_can_be_dismissed_even_when_injected_later(task_page):
    page = task_page.open(
        form("""
<crowd-alert type="success">Saved.</crowd-alert>
<crowd-alert type="warning" dismissible>Check the date.</crowd-alert>
<div id="slot"></div>""")
    )
    page.evaluate(
        """document.getElementById("slot").innerHTML =
            '<crowd-alert type="error">Draw a box first.</crowd-alert>'"""
    )
    error = page.locator("#slot crowd-alert .crowd-alert")
    expect(error).to_have_class("crowd-alert crowd-alert-error")
    expect(error).to_have_attribute("role", "alert")
    expect(page.get_by_role("alert").filter(has_text="Draw a box first.")).to_be_visible()
    task_page.screenshot("crowd-alert")

    page.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text("Check the date.")).to_be_hidden()


def test_card_badge_and_icon_buttons_render(task_page):
    page = task_page.open(
        form("""
<div style="position: relative; padding: 24px">
  <crowd-card heading="Product photo" id="card">
    <p>Is the product centred?</p>
    <crowd-icon-button icon="search" title="Zoom"></crowd-icon-button>
    <crowd-fab label="A" title="Add"></crowd-fab>
    <crowd-fab icon="add" title="New"></crowd-fab>
  </crowd-card>
  <crowd-badge for="card" label="3"></crowd-badge>
</div>""")
    )
    expect(page.get_by_role("heading", name="Product photo")).to_be_visible()
    expect(page.get_by_role("button", name="Zoom").locator("svg")).to_be_visible()
    expect(page.get_by_role("button", name="Add")).to_have_text("A")
    card = page.locator("#card").bounding_box()
    badge = page.locator("crowd-badge").bounding_box()
    assert abs(badge["x"] + badge["width"] / 2 - (card["x"] + card["width"])) < 2
    assert abs(badge["y"] + badge["height"] / 2 - card["y"]) < 2
    expect(page.locator("crowd-badge")).to_have_text("3")
    task_page.screenshot("crowd-card-badge")


def test_tabs_switch_panels_by_click_and_keyboard_and_keep_their_controls(task_page):
    page = task_page.open(
        form("""
<crowd-tabs>
  <crowd-tab header="Text"><crowd-input name="t" label="Transcript" value="hi"></crowd-input></crowd-tab>
  <crowd-tab header="Audio"><p>Listen first.</p></crowd-tab>
  <crowd-tab header="Notes"><p>Anything else?</p></crowd-tab>
</crowd-tabs>""")
    )
    expect(page.get_by_role("tab", name="Text")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("Listen first.")).to_be_hidden()
    page.get_by_role("tab", name="Audio").click()
    expect(page.get_by_role("tabpanel")).to_have_text("Listen first.")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Notes")).to_be_focused()
    expect(page.get_by_text("Anything else?")).to_be_visible()
    page.evaluate("document.querySelectorAll('crowd-tab')[2].header = 'Comments'")
    expect(page.get_by_role("tab", name="Comments")).to_be_visible()
    task_page.screenshot("crowd-tabs")

    assert task_page.submitted() == {"t": "hi"}


def test_modal_opens_from_its_link_and_closes_with_escape(task_page):
    page = task_page.open(
        form(
            '<crowd-modal link-text="See the rules" link-type="button">'
            "<p>Only count people.</p></crowd-modal>"
        )
    )
    expect(page.get_by_text("Only count people.")).to_be_hidden()
    page.get_by_role("button", name="See the rules").click()
    expect(page.get_by_role("dialog")).to_contain_text("Only count people.")
    task_page.screenshot("crowd-modal")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()


def test_instructions_dialog_has_summary_details_and_examples_tabs(task_page):
    page = task_page.open(
        form("""
<crowd-instructions link-text="Read the instructions">
  <short-summary><p>Tag every car.</p></short-summary>
  <detailed-instructions><p>Include parked cars.</p></detailed-instructions>
  <positive-example><p>A box around a red car.</p></positive-example>
  <negative-example><p>A box around a bicycle.</p></negative-example>
</crowd-instructions>""")
    )
    expect(page.get_by_text("Tag every car.")).to_be_hidden()
    page.get_by_role("button", name="Read the instructions").click()
    dialog = page.get_by_role("dialog", name="Instructions")
    expect(dialog.get_by_text("Tag every car.")).to_be_visible()
    dialog.get_by_role("tab", name="Detailed Instructions").click()
    expect(dialog.get_by_text("Include parked cars.")).to_be_visible()
    dialog.get_by_role("tab", name="Examples").click()
    expect(dialog.get_by_text("A box around a red car.")).to_be_visible()
    expect(dialog.get_by_text("A box around a bicycle.")).to_be_visible()
    task_page.screenshot("crowd-instructions")


def test_toast_opens_from_script_and_only_one_shows_at_a_time(task_page):
    page = task_page.open(
        form("""
<crowd-toast id="one" text="Saved draft" duration="0"></crowd-toast>
<crowd-toast id="two" duration="0"><strong>Copied</strong></crowd-toast>""")
    )
    expect(page.get_by_text("Saved draft")).to_be_hidden()
    page.evaluate("document.getElementById('one').open()")
    expect(page.get_by_text("Saved draft")).to_be_visible()
    page.evaluate("document.getElementById('two').show()")
    expect(page.get_by_text("Copied")).to_be_visible()
    expect(page.get_by_text("Saved draft")).to_be_hidden()


def test_iron_icon_children_render_inside_buttons(task_page):
    page = task_page.open(
        form('<crowd-button><iron-icon icon="icons:delete"></iron-icon> Remove</crowd-button>')
    )
    expect(page.get_by_role("button", name="Remove").locator("iron-icon svg")).to_be_visible()
