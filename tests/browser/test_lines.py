"""crowd-line and crowd-polyline (CROWD-ELEMENTS §3.5): straight segments and open polylines."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCRIPT
from tests.browser.image_stage import IMAGE, blocked_submit, element_value, shapes_of
from tests.browser.image_stage import open_image_tool as open_tool

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("page_errors")]


LINE = (
    SCRIPT
    + """
<crowd-form>
  <crowd-line name="lines" src="{{ task.input.src }}" header="Trace the lane markings"
      labels="['Solid', 'Dashed']" label-colors="['#e31a1c', '#33a02c']" EXTRA>
    <short-instructions>One line per marking.</short-instructions>
  </crowd-line>
</crowd-form>"""
)

POLYLINE = (
    SCRIPT
    + """
<crowd-form>
  <crowd-polyline name="paths" src="{{ task.input.src }}" header="Trace the cables"
      labels="['Power', 'Phone']" EXTRA>
  </crowd-polyline>
</crowd-form>"""
)


def vertices(*points: tuple[int, int]) -> list[dict[str, int]]:
    return [{"x": x, "y": y} for x, y in points]


def test_a_line_is_drawn_with_two_clicks_or_one_drag(task_page):
    page, stage = open_tool(task_page, LINE, "crowd-line")
    expect(page.locator("crowd-line [role=radio] .crowd-img-swatch").first).to_have_css(
        "background-color", "rgb(227, 26, 28)"
    )

    stage.click(100, 900)
    stage.click(700, 150)
    page.keyboard.press("2")
    stage.drag((900, 950), (1300, 100))
    task_page.screenshot("line")

    assert task_page.submitted() == {
        "lines": {
            "inputImageProperties": IMAGE,
            "lines": [
                {"label": "Solid", "vertices": vertices((100, 900), (700, 150))},
                {"label": "Dashed", "vertices": vertices((900, 950), (1300, 100))},
            ],
        }
    }


def test_escape_after_the_first_click_discards_the_line(task_page):
    page, stage = open_tool(task_page, LINE, "crowd-line")
    stage.click(100, 900)

    page.keyboard.press("Escape")

    assert shapes_of(task_page, "lines", "lines") == []


def test_a_half_drawn_line_blocks_submission(task_page):
    page, stage = open_tool(task_page, LINE, "crowd-line")
    stage.click(100, 900)

    assert "Finish the line you are drawing" in blocked_submit(task_page)
    stage.click(200, 800)
    assert shapes_of(task_page, "lines", "lines") == [
        {"label": "Solid", "vertices": vertices((100, 900), (200, 800))}
    ]


def test_the_ends_of_the_selected_line_are_dragged(task_page):
    page, stage = open_tool(task_page, LINE, "crowd-line")
    stage.click(100, 900)
    stage.click(700, 150)

    stage.drag((700, 150), (800, 120))
    stage.drag((450, 525), (460, 535))  # the middle moves the whole line

    assert shapes_of(task_page, "lines", "lines") == [
        {"label": "Solid", "vertices": vertices((110, 910), (810, 130))}
    ]


def test_initial_lines_with_comments_are_parsed_and_report_changes(task_page):
    page, stage = open_tool(
        task_page,
        LINE,
        "crowd-line",
        extra="""initial-value="{
          lines: [
            // the model's guess
            { label: 'Dashed', vertices: [{ x: 58, y: 295 }, { x: 1342, y: 398 }] },
          ]
        }" """,
    )
    initial = [{"label": "Dashed", "vertices": vertices((58, 295), (1342, 398))}]
    assert element_value(page, "crowd-line") == {
        "inputImageProperties": IMAGE,
        "lines": initial,
        "initialValueModified": False,
    }
    stage.click(700, 347)
    page.keyboard.press("Delete")

    assert task_page.submitted() == {
        "lines": {"inputImageProperties": IMAGE, "lines": [], "initialValueModified": True}
    }


def test_line_labels_assigned_after_upgrade_are_used(task_page):
    page, stage = open_tool(task_page, LINE, "crowd-line")
    page.evaluate("() => { document.querySelector('crowd-line').labels = ['Kerb', 'Stop line']; }")
    expect(page.locator("crowd-line [role=radio]")).to_have_text(["Kerb1", "Stop line2"])

    page.get_by_role("radio", name="Stop line").click()
    stage.drag((10, 10), (300, 10))

    assert shapes_of(task_page, "lines", "lines") == [
        {"label": "Stop line", "vertices": vertices((10, 10), (300, 10))}
    ]


def test_a_polyline_is_finished_with_enter_or_by_clicking_its_last_point(task_page):
    page, stage = open_tool(task_page, POLYLINE, "crowd-polyline")
    for point in [(100, 100), (400, 300), (300, 600), (700, 800)]:
        stage.click(*point)
    page.keyboard.press("Enter")
    page.keyboard.press("2")
    for point in [(900, 900), (1200, 500), (1500, 700)]:
        stage.click(*point)
    stage.click(1500, 700)
    task_page.screenshot("polyline")

    assert task_page.submitted() == {
        "paths": {
            "inputImageProperties": IMAGE,
            "polylines": [
                {
                    "label": "Power",
                    "vertices": vertices((100, 100), (400, 300), (300, 600), (700, 800)),
                },
                {"label": "Phone", "vertices": vertices((900, 900), (1200, 500), (1500, 700))},
            ],
        }
    }


def test_an_unfinished_polyline_blocks_submission_and_escape_discards_it(task_page):
    page, stage = open_tool(task_page, POLYLINE, "crowd-polyline")
    stage.click(100, 100)
    stage.click(400, 300)

    assert "Finish the polyline you are drawing" in blocked_submit(task_page)
    page.locator("crowd-polyline .crowd-img-viewport").focus()
    page.keyboard.press("Escape")
    assert shapes_of(task_page, "paths", "polylines") == []


def test_initial_polylines_are_editable(task_page):
    page, stage = open_tool(
        task_page,
        POLYLINE,
        "crowd-polyline",
        extra="""initialValue="{polylines: [{label: 'Phone', vertices: [
            {x: 100, y: 100}, {x: 500, y: 100}, {x: 500, y: 500}]}]}" """,
    )
    stage.click(300, 100)  # selects it
    stage.drag((500, 500), (520, 640))

    assert task_page.submitted() == {
        "paths": {
            "inputImageProperties": IMAGE,
            "polylines": [
                {"label": "Phone", "vertices": vertices((100, 100), (500, 100), (520, 640))}
            ],
            "initialValueModified": True,
        }
    }
