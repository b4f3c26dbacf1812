"""crowd-bounding-box (CROWD-ELEMENTS §3.5): drawing, editing and the boundingBoxes answer.

The image is 1600x1000 pixels shown at about half size, so every answer checks the conversion
from screen positions to natural pixels.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCRIPT
from tests.browser.image_stage import (
    IMAGE,
    Stage,
    blocked_submit,
    element_value,
    open_image_tool,
    serve_image,
    shapes_of,
)
from tests.browser.images import png

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("page_errors")]


TEMPLATE = (
    SCRIPT
    + """
<crowd-form>
  <crowd-bounding-box name="annotatedResult" src="{{ task.input.src }}"
      header="Draw a box around each vehicle" labels="['Car', 'Bus']" EXTRA>
    <short-instructions>Boxes should touch the vehicle's outermost pixels.</short-instructions>
    <full-instructions header="How to draw boxes">Draw one box per vehicle.</full-instructions>
  </crowd-bounding-box>
</crowd-form>"""
)

WITH_INITIAL = (
    SCRIPT
    + """
<crowd-form>
  <crowd-bounding-box name="boxes" src="{{ task.input.src }}" labels="['Car', 'Bus']"
      initial-value="[
        {% for b in task.input.boxes %}
          { label: '{{ b.label }}', left: {{ b.left }}, top: {{ b.top }},
            width: {{ b.width }}, height: {{ b.height }} }, // from the model
        {% endfor %}
      ]">
  </crowd-bounding-box>
</crowd-form>"""
)


def open_tool(task_page: Any, extra: str = "") -> tuple[Any, Stage]:
    return open_image_tool(task_page, TEMPLATE, "crowd-bounding-box", extra)


def boxes_of(task_page: Any, name: str = "annotatedResult") -> list[dict[str, Any]]:
    return shapes_of(task_page, name, "boundingBoxes")


def test_a_dragged_box_is_answered_in_natural_pixels(task_page):
    page, stage = open_tool(task_page)
    assert stage.scale < 0.6

    stage.drag((200, 100), (600, 500))
    page.keyboard.press("2")
    stage.drag((1500, 900), (1000, 650))
    expect(page.locator("crowd-bounding-box .crowd-img-list li")).to_have_count(2)
    task_page.screenshot("bounding-box")

    assert task_page.submitted() == {
        "annotatedResult": {
            "boundingBoxes": [
                {"label": "Car", "left": 200, "top": 100, "width": 400, "height": 400},
                {"label": "Bus", "left": 1000, "top": 650, "width": 500, "height": 250},
            ],
            "inputImageProperties": IMAGE,
        }
    }


def test_a_box_drawn_past_the_edge_is_clipped_to_the_image(task_page):
    page, stage = open_tool(task_page)

    stage.drag((1400, 800), (1700, 1080))

    assert boxes_of(task_page) == [
        {"label": "Car", "left": 1400, "top": 800, "width": 200, "height": 200}
    ]


def test_a_box_is_moved_by_dragging_it(task_page):
    page, stage = open_tool(task_page)
    stage.drag((200, 100), (600, 500))
    stage.click(1000, 800)  # deselect

    stage.drag((400, 300), (550, 260))

    assert boxes_of(task_page) == [
        {"label": "Car", "left": 350, "top": 60, "width": 400, "height": 400}
    ]


def test_corner_and_edge_handles_resize_the_selected_box(task_page):
    page, stage = open_tool(task_page)
    stage.drag((200, 100), (600, 500))

    stage.drag((600, 500), (700, 640))  # south-east corner
    stage.drag((200, 370), (250, 370))  # west edge, at mid-height

    assert boxes_of(task_page) == [
        {"label": "Car", "left": 250, "top": 100, "width": 450, "height": 540}
    ]


def test_arrow_keys_nudge_the_selected_box(task_page):
    page, stage = open_tool(task_page)
    stage.drag((200, 100), (600, 500))

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("ArrowUp")

    assert boxes_of(task_page) == [
        {"label": "Car", "left": 202, "top": 109, "width": 400, "height": 400}
    ]


def test_delete_key_and_button_remove_boxes_and_undo_restores_them(task_page):
    page, stage = open_tool(task_page)
    stage.drag((100, 100), (300, 300))
    stage.drag((500, 500), (700, 700))
    stage.drag((900, 100), (1100, 300))

    page.keyboard.press("Delete")  # the box just drawn is selected
    stage.click(200, 200)
    page.get_by_role("button", name="Delete selected box").click()
    expect(page.locator("crowd-bounding-box .crowd-img-list li")).to_have_count(1)
    page.keyboard.press("Control+z")
    expect(page.locator("crowd-bounding-box .crowd-img-list li")).to_have_count(2)
    page.get_by_role("button", name="Undo").click()
    page.get_by_role("button", name="Redo").click()

    assert boxes_of(task_page) == [
        {"label": "Car", "left": 100, "top": 100, "width": 200, "height": 200},
        {"label": "Car", "left": 500, "top": 500, "width": 200, "height": 200},
    ]


def test_a_box_can_be_relabelled_from_the_list(task_page):
    page, stage = open_tool(task_page)
    stage.drag((200, 100), (600, 500))

    page.get_by_role("combobox", name="Label of Box 1").select_option("Bus")

    assert boxes_of(task_page) == [
        {"label": "Bus", "left": 200, "top": 100, "width": 400, "height": 400}
    ]


def test_boxes_drawn_while_zoomed_in_are_still_in_natural_pixels(task_page):
    page, stage = open_tool(task_page)
    page.locator("crowd-bounding-box .crowd-img-viewport").focus()
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert stage.scale > 0.7
    page.locator("crowd-bounding-box .crowd-img-viewport").evaluate(
        "(el) => { el.scrollLeft = 200; el.scrollTop = 150; }"
    )

    stage.drag((600, 400), (700, 450))

    assert boxes_of(task_page) == [
        {"label": "Car", "left": 600, "top": 400, "width": 100, "height": 50}
    ]


def test_initial_boxes_are_editable_and_report_whether_they_changed(task_page):
    boxes = [
        {"label": "Car", "left": 100, "top": 200, "width": 300, "height": 150},
        {"label": "Bus", "left": 800, "top": 300, "width": 400, "height": 500},
    ]
    page = task_page.open(WITH_INITIAL, {"src": serve_image(task_page), "boxes": boxes})
    stage = Stage(page, "crowd-bounding-box")
    value = element_value(page, "crowd-bounding-box")
    assert value == {
        "boundingBoxes": boxes,
        "inputImageProperties": IMAGE,
        "initialValueModified": False,
    }

    stage.drag((250, 275), (300, 275))

    assert task_page.submitted() == {
        "boxes": {
            "boundingBoxes": [{**boxes[0], "left": 150}, boxes[1]],
            "inputImageProperties": IMAGE,
            "initialValueModified": True,
        }
    }


def test_camel_case_initial_value_is_accepted_and_unchanged_boxes_are_not_modified(task_page):
    page, stage = open_tool(
        task_page,
        extra="initialValue=\"[{label: 'Bus', left: 10, top: 20, width: 30, height: 40}]\"",
    )

    assert task_page.submitted() == {
        "annotatedResult": {
            "boundingBoxes": [{"label": "Bus", "left": 10, "top": 20, "width": 30, "height": 40}],
            "inputImageProperties": IMAGE,
            "initialValueModified": False,
        }
    }


def test_labels_assigned_after_upgrade_replace_the_label_choices(task_page):
    page, stage = open_tool(task_page)
    page.evaluate(
        "() => { document.querySelector('crowd-bounding-box').labels = ['Tree', 'Sign', 'Lamp']; }"
    )
    expect(page.locator("crowd-bounding-box [role=radio]")).to_have_text(
        ["Tree1", "Sign2", "Lamp3"]
    )

    page.get_by_role("radio", name="Lamp").click()
    stage.drag((10, 10), (20, 30))

    assert boxes_of(task_page) == [
        {"label": "Lamp", "left": 10, "top": 10, "width": 10, "height": 20}
    ]


def test_value_returns_plain_objects_a_template_may_change(task_page):
    page, stage = open_tool(task_page)
    stage.drag((200, 100), (600, 500))

    result = page.evaluate(
        """() => {
            const el = document.querySelector("crowd-bounding-box");
            const boxes = el.value.boundingBoxes;
            boxes[0].id = "b1";
            boxes[0].left = 5;
            return [boxes, el._submittableValue.boundingBoxes];
        }"""
    )

    box = {"label": "Car", "left": 200, "top": 100, "width": 400, "height": 400}
    assert result == [[{**box, "left": 5, "id": "b1"}], [box]]


def test_a_required_box_tool_blocks_an_empty_submission(task_page):
    page, stage = open_tool(task_page, extra="required")

    alert = blocked_submit(task_page)

    assert "Add at least one box before submitting." in alert
    expect(page.locator("crowd-bounding-box .crowd-img-error")).to_have_text(
        "Add at least one box before submitting."
    )
    task_page.screenshot("bounding-box-required")
    stage.drag((200, 100), (600, 500))
    expect(page.locator("crowd-bounding-box .crowd-img-error")).to_be_empty()
    assert len(boxes_of(task_page)) == 1


def test_without_a_required_flag_no_boxes_is_a_valid_answer(task_page):
    open_tool(task_page)

    assert task_page.submitted() == {
        "annotatedResult": {"boundingBoxes": [], "inputImageProperties": IMAGE}
    }


def test_a_zoomed_image_is_panned_with_space_drag_or_the_move_tool_without_drawing(task_page):
    page, stage = open_tool(task_page)
    viewport = page.locator("crowd-bounding-box .crowd-img-viewport")
    viewport.focus()
    for _ in range(3):
        page.keyboard.press("+")
    scroll = "(el) => [el.scrollLeft, el.scrollTop]"
    left, top = viewport.evaluate(scroll)
    box = viewport.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    page.keyboard.down("Space")
    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0] - 100, centre[1] - 50, steps=4)
    page.mouse.up()
    page.keyboard.up("Space")
    assert viewport.evaluate(scroll) == [
        pytest.approx(left + 100, abs=1),
        pytest.approx(top + 50, abs=1),
    ]

    page.get_by_role("button", name="Move the image").click()
    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0] + 60, centre[1] + 20, steps=4)
    page.mouse.up()
    assert viewport.evaluate(scroll) == [
        pytest.approx(left + 40, abs=1),
        pytest.approx(top + 30, abs=1),
    ]

    assert boxes_of(task_page) == []


def test_labels_set_when_all_elements_are_ready_are_used(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-bounding-box id="tool" name="boxes" src="{{ task.input.src }}"></crowd-bounding-box>
</crowd-form>
<script>
  document.addEventListener("all-crowd-elements-ready", () => {
    document.getElementById("tool").labels = {{ task.input.labels | to_json | skip_autoescape }};
  });
</script>""",
        {"src": serve_image(task_page), "labels": ["Person", "Bicycle"]},
    )
    stage = Stage(page, "crowd-bounding-box")
    expect(page.locator("crowd-bounding-box [role=radio]")).to_have_text(["Person1", "Bicycle2"])

    page.keyboard.press("2")
    stage.drag((100, 100), (200, 300))

    assert task_page.submitted()["boxes"]["boundingBoxes"] == [
        {"label": "Bicycle", "left": 100, "top": 100, "width": 100, "height": 200}
    ]


def test_changed_labels_and_src_attributes_rerender_the_tool(task_page):
    page, stage = open_tool(task_page)
    small = task_page.serve("/images/small.png", png(400, 250), "image/png")

    page.evaluate(
        f"""() => {{
            const el = document.querySelector("crowd-bounding-box");
            el.setAttribute("labels", "['Truck']");
            el.setAttribute("src", {small!r});
        }}"""
    )
    expect(page.locator("crowd-bounding-box [role=radio]")).to_have_text(["Truck1"])
    page.wait_for_function(
        "() => document.querySelector('crowd-bounding-box').value.inputImageProperties.width === 400"
    )
    small_stage = Stage(page, "crowd-bounding-box", width=400, height=250)
    small_stage.drag((10, 20), (110, 70))

    assert task_page.submitted() == {
        "annotatedResult": {
            "boundingBoxes": [
                {"label": "Truck", "left": 10, "top": 20, "width": 100, "height": 50}
            ],
            "inputImageProperties": {"height": 250, "width": 400},
        }
    }


def test_a_form_reset_restores_the_initial_boxes(task_page):
    boxes = [{"label": "Car", "left": 100, "top": 200, "width": 300, "height": 150}]
    page = task_page.open(WITH_INITIAL, {"src": serve_image(task_page), "boxes": boxes})
    stage = Stage(page, "crowd-bounding-box")
    stage.drag((1000, 500), (1200, 700))
    stage.drag((250, 275), (300, 275))

    page.evaluate("() => document.querySelector('crowd-form').reset()")

    assert element_value(page, "crowd-bounding-box") == {
        "boundingBoxes": boxes,
        "inputImageProperties": IMAGE,
        "initialValueModified": False,
    }


def test_an_image_that_cannot_be_loaded_is_reported(task_page):
    page = task_page.open(
        SCRIPT
        + """
<crowd-form>
  <crowd-bounding-box name="boxes" src="/images/missing.png" labels="['Car']"></crowd-bounding-box>
</crowd-form>"""
    )

    expect(page.locator("crowd-bounding-box .crowd-img-status")).to_have_text(
        "The image could not be loaded."
    )


def test_a_box_is_selected_moved_and_relabelled_from_the_keyboard(task_page):
    boxes = [{"label": "Car", "left": 100, "top": 200, "width": 300, "height": 150}]
    page = task_page.open(WITH_INITIAL, {"src": serve_image(task_page), "boxes": boxes})
    Stage(page, "crowd-bounding-box")
    page.get_by_role("button", name="Box 1", exact=True).focus()

    page.keyboard.press("Enter")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Tab")
    expect(page.get_by_role("combobox", name="Label of Box 1")).to_be_focused()
    page.get_by_role("combobox", name="Label of Box 1").select_option("Bus")
    expect(page.get_by_role("combobox", name="Label of Box 1")).to_be_focused()

    assert task_page.submitted()["boxes"]["boundingBoxes"] == [
        {"label": "Bus", "left": 101, "top": 210, "width": 300, "height": 150}
    ]
