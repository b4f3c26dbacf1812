"""crowd-keypoint (CROWD-ELEMENTS §3.5): labelled points in natural pixels."""

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
    shapes_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("page_errors")]


TEMPLATE = (
    SCRIPT
    + """
<crowd-form>
  <crowd-keypoint name="keypoints" src="{{ task.input.src }}" header="Mark the eyes and the nose"
      labels='{{ task.input.labels | to_json }}' EXTRA>
    <short-instructions>Click the centre of each feature.</short-instructions>
  </crowd-keypoint>
</crowd-form>"""
)


def open_tool(task_page: Any, extra: str = "") -> tuple[Any, Stage]:
    labels = ["Left eye", "Right eye", "Nose"]
    return open_image_tool(task_page, TEMPLATE, "crowd-keypoint", extra, {"labels": labels})


def points_of(task_page: Any) -> list[dict[str, Any]]:
    return shapes_of(task_page, "keypoints", "keypoints")


def test_clicks_place_labelled_points_in_natural_pixels(task_page):
    page, stage = open_tool(task_page)

    stage.click(600, 400)
    page.keyboard.press("2")
    stage.click(1000, 400)
    page.get_by_role("radio", name="Nose").click()
    stage.click(800, 612)
    task_page.screenshot("keypoint")

    assert task_page.submitted() == {
        "keypoints": {
            "inputImageProperties": IMAGE,
            "keypoints": [
                {"label": "Left eye", "x": 600, "y": 400},
                {"label": "Right eye", "x": 1000, "y": 400},
                {"label": "Nose", "x": 800, "y": 612},
            ],
        }
    }


def test_a_point_is_moved_by_dragging_it(task_page):
    page, stage = open_tool(task_page)
    stage.click(600, 400)
    stage.click(1000, 400)

    stage.drag((600, 400), (640, 380))

    assert points_of(task_page) == [
        {"label": "Left eye", "x": 640, "y": 380},
        {"label": "Left eye", "x": 1000, "y": 400},
    ]


def test_points_are_deleted_with_the_key_or_the_list_and_undo_restores_them(task_page):
    page, stage = open_tool(task_page)
    stage.click(100, 100)
    stage.click(200, 200)
    stage.click(300, 300)

    page.keyboard.press("Backspace")
    page.get_by_role("button", name="Delete Point 1").click()
    expect(page.locator("crowd-keypoint .crowd-img-list li")).to_have_count(1)
    page.keyboard.press("Control+z")

    assert points_of(task_page) == [
        {"label": "Left eye", "x": 100, "y": 100},
        {"label": "Left eye", "x": 200, "y": 200},
    ]


def test_arrow_keys_nudge_the_selected_point_and_stop_at_the_edge(task_page):
    page, stage = open_tool(task_page)
    stage.click(3, 500)

    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("ArrowDown")

    assert points_of(task_page) == [{"label": "Left eye", "x": 0, "y": 501}]


def test_initial_points_with_unknown_labels_are_dropped(task_page):
    page, stage = open_tool(
        task_page,
        extra="""initial-value="[{label: 'Nose', x: 800, y: 600}, {label: 'Ear', x: 5, y: 5}]" """,
    )
    assert element_value(page, "crowd-keypoint") == {
        "inputImageProperties": IMAGE,
        "keypoints": [{"label": "Nose", "x": 800, "y": 600}],
        "initialValueModified": False,
    }

    stage.drag((800, 600), (810, 590))

    assert task_page.submitted() == {
        "keypoints": {
            "inputImageProperties": IMAGE,
            "keypoints": [{"label": "Nose", "x": 810, "y": 590}],
            "initialValueModified": True,
        }
    }


def test_labels_assigned_after_upgrade_are_used(task_page):
    page, stage = open_tool(task_page)
    page.evaluate(
        "() => { document.querySelector('crowd-keypoint').labels = \"['Head', 'Tail']\"; }"
    )
    expect(page.locator("crowd-keypoint [role=radio]")).to_have_text(["Head1", "Tail2"])

    page.keyboard.press("2")
    stage.click(50, 60)

    assert points_of(task_page) == [{"label": "Tail", "x": 50, "y": 60}]


def test_a_required_keypoint_tool_blocks_an_empty_submission(task_page):
    page, stage = open_tool(task_page, extra="required")

    assert "Add at least one point before submitting." in blocked_submit(task_page)
    stage.click(10, 10)
    assert points_of(task_page) == [{"label": "Left eye", "x": 10, "y": 10}]
