"""crowd-polygon (CROWD-ELEMENTS §3.5): closed polygons clicked vertex by vertex."""

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

TRIANGLE = [(200, 200), (600, 220), (400, 560)]

TEMPLATE = (
    SCRIPT
    + """
<crowd-form>
  <crowd-polygon name="annotatedResult" src="{{ task.input.src }}"
      header="Outline every building" labels="['Building', 'Tree',]" EXTRA>
    <full-instructions header="Outlining">Follow the walls.</full-instructions>
  </crowd-polygon>
</crowd-form>"""
)


def open_tool(task_page: Any, extra: str = "") -> tuple[Any, Stage]:
    return open_image_tool(task_page, TEMPLATE, "crowd-polygon", extra)


def vertices(points: list[tuple[int, int]]) -> list[dict[str, int]]:
    return [{"x": x, "y": y} for x, y in points]


def polygons_of(task_page: Any) -> list[dict[str, Any]]:
    return shapes_of(task_page, "annotatedResult", "polygons")


def draw(stage: Stage, points: list[tuple[int, int]]) -> None:
    for point in points:
        stage.click(*point)


def test_clicking_the_first_vertex_closes_the_polygon(task_page):
    page, stage = open_tool(task_page)
    draw(stage, TRIANGLE)
    page.mouse.move(*stage.at(260, 240))
    task_page.screenshot("polygon-drawing")

    stage.click(*TRIANGLE[0])
    page.keyboard.press("2")
    draw(stage, [(1000, 300), (1400, 300), (1400, 800), (1000, 800)])
    page.keyboard.press("Enter")
    task_page.screenshot("polygon")

    assert task_page.submitted() == {
        "annotatedResult": {
            "inputImageProperties": IMAGE,
            "polygons": [
                {"label": "Building", "vertices": vertices(TRIANGLE)},
                {
                    "label": "Tree",
                    "vertices": vertices([(1000, 300), (1400, 300), (1400, 800), (1000, 800)]),
                },
            ],
        }
    }


def test_escape_discards_the_polygon_being_drawn(task_page):
    page, stage = open_tool(task_page)
    draw(stage, TRIANGLE)

    page.keyboard.press("Escape")

    assert polygons_of(task_page) == []


def test_backspace_and_undo_remove_the_last_vertex_while_drawing(task_page):
    page, stage = open_tool(task_page)
    draw(stage, [*TRIANGLE, (900, 900), (950, 950)])

    page.keyboard.press("Backspace")
    page.keyboard.press("Control+z")
    page.keyboard.press("Enter")

    assert polygons_of(task_page) == [{"label": "Building", "vertices": vertices(TRIANGLE)}]


def test_enter_with_two_points_does_not_close_and_says_why(task_page):
    page, stage = open_tool(task_page)
    draw(stage, TRIANGLE[:2])

    page.keyboard.press("Enter")

    expect(page.locator("crowd-polygon .crowd-img-error")).to_have_text(
        "A polygon needs at least 3 points."
    )
    stage.click(*TRIANGLE[2])
    stage.click(*TRIANGLE[0])
    assert polygons_of(task_page) == [{"label": "Building", "vertices": vertices(TRIANGLE)}]


def test_submitting_while_a_polygon_is_unfinished_is_blocked(task_page):
    page, stage = open_tool(task_page)
    draw(stage, TRIANGLE)

    alert = blocked_submit(task_page)

    assert "Finish the polygon you are drawing" in alert
    page.locator("crowd-polygon .crowd-img-viewport").focus()
    page.keyboard.press("Enter")
    assert polygons_of(task_page) == [{"label": "Building", "vertices": vertices(TRIANGLE)}]


def test_vertices_and_whole_polygons_are_moved_by_dragging(task_page):
    page, stage = open_tool(task_page)
    draw(stage, [*TRIANGLE, TRIANGLE[0]])

    stage.drag((600, 220), (650, 180))  # a vertex of the selected polygon
    stage.drag((400, 300), (500, 350))  # its inside

    assert polygons_of(task_page) == [
        {"label": "Building", "vertices": vertices([(300, 250), (750, 230), (500, 610)])}
    ]


def test_the_selected_polygon_is_deleted_with_the_delete_key(task_page):
    page, stage = open_tool(task_page)
    draw(stage, [*TRIANGLE, TRIANGLE[0]])
    draw(stage, [(1000, 300), (1400, 300), (1200, 600), (1000, 300)])
    stage.click(400, 300)  # selects the triangle

    page.keyboard.press("Delete")

    assert polygons_of(task_page) == [
        {"label": "Building", "vertices": vertices([(1000, 300), (1400, 300), (1200, 600)])}
    ]


def test_initial_polygons_report_whether_they_changed(task_page):
    page, stage = open_tool(
        task_page,
        extra="""initial-value='[{"label": "Tree", "vertices": [{"x": 100, "y": 100},
            {"x": 300, "y": 100}, {"x": 200, "y": 300}]}]'""",
    )
    initial = [{"label": "Tree", "vertices": vertices([(100, 100), (300, 100), (200, 300)])}]
    assert element_value(page, "crowd-polygon") == {
        "inputImageProperties": IMAGE,
        "polygons": initial,
        "initialValueModified": False,
    }
    stage.click(200, 160)
    page.get_by_role("combobox", name="Label of Polygon 1").select_option("Building")

    assert task_page.submitted() == {
        "annotatedResult": {
            "inputImageProperties": IMAGE,
            "polygons": [{**initial[0], "label": "Building"}],
            "initialValueModified": True,
        }
    }


def test_labels_assigned_after_upgrade_are_used(task_page):
    page, stage = open_tool(task_page)
    page.evaluate("() => { document.querySelector('crowd-polygon').labels = ['Road']; }")
    expect(page.locator("crowd-polygon [role=radio]")).to_have_text(["Road1"])

    draw(stage, [*TRIANGLE, TRIANGLE[0]])

    assert polygons_of(task_page) == [{"label": "Road", "vertices": vertices(TRIANGLE)}]
