"""crowd-image-classifier and crowd-image-classifier-multi-select (CROWD-ELEMENTS §3.4)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCRIPT
from tests.browser.image_stage import Stage, blocked_submit, open_image_tool, serve_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("page_errors")]


SINGLE = (
    SCRIPT
    + """
<crowd-form>
  <crowd-image-classifier name="animal" src="{{ task.input.src }}"
      header="What animal is in the picture?" categories="['Cat', 'Dog', 'Bird',]">
    <short-instructions header="Tips">Pick the animal in the foreground.</short-instructions>
    <full-instructions header="Classifying animals">Only one answer counts.</full-instructions>
    <worker-comment header="Tell us more" link-text="Add a note" placeholder="Optional note">
      Describe anything unusual about the image.
    </worker-comment>
  </crowd-image-classifier>
</crowd-form>"""
)

MULTI = (
    SCRIPT
    + """
<crowd-form>
  <crowd-image-classifier-multi-select name="content" src="{{ task.input.src }}"
      header="What does the image show?" categories="{{ task.input.categories | to_json }}"
      exclusion-category="{ text: 'None of the above' }">
    <worker-comment>Anything we should know?</worker-comment>
  </crowd-image-classifier-multi-select>
</crowd-form>"""
)


def open_single(task_page: Any) -> Any:
    page, _ = open_image_tool(task_page, SINGLE, "crowd-image-classifier")
    return page


def open_multi(task_page: Any) -> Any:
    categories = ["People", "Vehicles", "Animals"]
    page, _ = open_image_tool(
        task_page,
        MULTI,
        "crowd-image-classifier-multi-select",
        task_input={"categories": categories},
    )
    return page


def test_the_clicked_category_and_the_worker_comment_are_answered(task_page):
    page = open_single(task_page)
    page.get_by_role("radio", name="Dog").click()
    page.get_by_role("button", name="Add a note").click()
    dialog = page.get_by_role("dialog", name="Tell us more")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Describe anything unusual about the image.")
    expect(dialog.get_by_role("textbox")).to_have_attribute("placeholder", "Optional note")
    dialog.get_by_role("textbox").fill("  The dog is partly hidden.  ")
    dialog.get_by_role("button", name="Save comment").click()
    expect(page.locator(".crowd-img-comment-text")).to_have_text(
        "Your comment: The dog is partly hidden."
    )
    expect(page.get_by_role("radio", name="Dog")).to_have_attribute("aria-checked", "true")
    task_page.screenshot("image-classifier")

    assert task_page.submitted() == {
        "animal": {"label": "Dog", "workerComment": "The dog is partly hidden."}
    }


def test_an_unanswered_image_classifier_blocks_submission_with_a_message(task_page):
    page = open_single(task_page)

    alert = blocked_submit(task_page)

    assert "Choose a category for the image." in alert
    expect(page.locator("crowd-image-classifier .crowd-img-error")).to_have_text(
        "Choose a category for the image."
    )
    page.get_by_role("radio", name="Cat").click()
    expect(page.locator("crowd-image-classifier .crowd-img-error")).to_be_empty()
    assert task_page.submitted() == {"animal": {"label": "Cat"}}


def test_number_and_arrow_keys_choose_a_category(task_page):
    page = open_single(task_page)
    page.locator("crowd-image-classifier .crowd-img-viewport").focus()
    page.keyboard.press("3")
    expect(page.get_by_role("radio", name="Bird")).to_have_attribute("aria-checked", "true")
    page.get_by_role("radio", name="Bird").focus()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="Dog")).to_be_focused()

    assert task_page.submitted() == {"animal": {"label": "Dog"}}


def test_categories_assigned_after_upgrade_replace_the_choices(task_page):
    page = open_single(task_page)
    page.evaluate(
        """() => {
            const el = document.querySelector("crowd-image-classifier");
            el.categories = ["Red", "Green"];
        }"""
    )
    expect(page.locator("crowd-image-classifier [role=radio]")).to_have_text(["Red1", "Green2"])
    page.get_by_role("radio", name="Green").click()
    assert page.evaluate("() => document.querySelector('crowd-image-classifier').value") == "Green"

    assert task_page.submitted() == {"animal": {"label": "Green"}}


def test_full_instructions_open_in_a_modal(task_page):
    page = open_single(task_page)
    expect(page.locator(".crowd-instructions-panel")).to_contain_text(
        "Pick the animal in the foreground."
    )
    page.get_by_role("button", name="View full instructions").click()
    dialog = page.get_by_role("dialog", name="Classifying animals")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Only one answer counts.")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_zoom_keys_and_ctrl_wheel_scale_the_image(task_page):
    page = open_single(task_page)
    stage = Stage(page, "crowd-image-classifier")
    fitted = stage.box["width"]
    page.locator("crowd-image-classifier .crowd-img-viewport").focus()
    page.keyboard.press("+")
    assert stage.box["width"] == pytest.approx(fitted * 1.25, abs=1)
    page.keyboard.press("0")
    assert stage.box["width"] == pytest.approx(fitted, abs=1)
    page.mouse.move(*stage.at(800, 500))
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_function(
        f"() => document.querySelector('crowd-image-classifier .crowd-img-stage')"
        f".getBoundingClientRect().width > {fitted + 10}"
    )


def test_several_categories_are_answered_in_category_order(task_page):
    page = open_multi(task_page)
    page.get_by_role("checkbox", name="Animals").click()
    page.get_by_role("checkbox", name="People").click()
    page.get_by_role("checkbox", name="Vehicles").click()
    page.get_by_role("checkbox", name="Vehicles").click()
    task_page.screenshot("image-classifier-multi-select")

    assert task_page.submitted() == {"content": {"labels": ["People", "Animals"]}}


def test_the_exclusion_category_clears_the_others_and_is_answered_alone(task_page):
    page = open_multi(task_page)
    page.get_by_role("checkbox", name="People").click()
    page.get_by_role("checkbox", name="None of the above").click()
    expect(page.get_by_role("checkbox", name="People")).to_have_attribute("aria-checked", "false")

    assert task_page.submitted() == {"content": {"labels": ["None of the above"]}}


def test_choosing_a_category_clears_the_exclusion(task_page):
    page = open_multi(task_page)
    page.locator("crowd-image-classifier-multi-select .crowd-img-viewport").focus()
    page.keyboard.press("4")
    expect(page.get_by_role("checkbox", name="None of the above")).to_have_attribute(
        "aria-checked", "true"
    )
    page.keyboard.press("2")
    expect(page.get_by_role("checkbox", name="None of the above")).to_have_attribute(
        "aria-checked", "false"
    )

    assert task_page.submitted() == {"content": {"labels": ["Vehicles"]}}


def test_multi_select_needs_at_least_one_category(task_page):
    page = open_multi(task_page)

    alert = blocked_submit(task_page)

    assert "Choose at least one category for the image." in alert
    page.get_by_role("checkbox", name="People").click()
    assert task_page.submitted() == {"content": {"labels": ["People"]}}


def test_multi_select_carries_the_worker_comment(task_page):
    page = open_multi(task_page)
    page.get_by_role("checkbox", name="Vehicles").click()
    page.get_by_role("button", name="Add a comment").click()
    dialog = page.get_by_role("dialog", name="Add a comment")
    dialog.get_by_role("textbox").fill("Two cars")
    dialog.get_by_role("button", name="Save comment").click()

    assert task_page.submitted() == {
        "content": {"labels": ["Vehicles"], "workerComment": "Two cars"}
    }


def test_camel_case_attribute_spelling_is_accepted(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-image-classifier-multi-select name="q" src="{{ task.input.src }}"
      categories='["A", "B"]' exclusionCategory="{text: 'Neither'}">
  </crowd-image-classifier-multi-select>
</crowd-form>""",
        {"src": serve_image(task_page)},
    )
    page.get_by_role("checkbox", name="Neither").click()

    assert task_page.submitted() == {"q": {"labels": ["Neither"]}}


def test_a_bounding_box_overlay_is_drawn_with_a_legend_and_can_be_hidden(task_page):
    overlay = {
        "boundingBox": {
            "labels": ["Car", "Bus"],
            "value": [
                {"label": "Car", "left": 100, "top": 120, "width": 400, "height": 300},
                {"label": "Bus", "left": 900, "top": 400, "width": 500, "height": 450},
            ],
        }
    }
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-image-classifier name="verdict" src="{{ task.input.src }}"
      header="Are the boxes correct?" categories="['Correct', 'Wrong']"
      overlay="{{ task.input.overlay | to_json }}">
  </crowd-image-classifier>
</crowd-form>""",
        {"src": serve_image(task_page), "overlay": overlay},
    )
    stage = Stage(page, "crowd-image-classifier")
    boxes = page.locator("crowd-image-classifier .crowd-img-overlay > rect")
    expect(boxes).to_have_count(2)
    first = boxes.first.bounding_box()
    assert first["x"] == pytest.approx(stage.at(100, 120)[0], abs=1.5)
    assert first["width"] == pytest.approx(400 * stage.scale, abs=2)
    expect(page.locator(".crowd-img-legend")).to_have_text("CarBus")
    task_page.screenshot("image-classifier-overlay")
    page.get_by_role("button", name="Show the overlay").click()
    expect(boxes).to_have_count(0)
    page.get_by_role("radio", name="Correct").click()

    assert task_page.submitted() == {"verdict": {"label": "Correct"}}


def test_a_segmentation_overlay_shows_its_mask(task_page):
    mask = task_page.serve("/mask.png", b"", "image/png")
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-image-classifier name="verdict" src="{{ task.input.src }}" categories="['Good', 'Bad']"
      overlay="{ semanticSegmentation: { labels: ['Sky'], labelMappings: { Sky: { color: '#1f77b4' } },
                 src: '{{ task.input.mask }}' } }">
  </crowd-image-classifier>
</crowd-form>""",
        {"src": serve_image(task_page), "mask": mask},
    )
    Stage(page, "crowd-image-classifier")
    expect(page.locator("crowd-image-classifier .crowd-img-layers img")).to_have_attribute(
        "src", mask
    )
    expect(page.locator(".crowd-img-legend")).to_have_text("Sky")
