"""crowd-semantic-segmentation and crowd-instance-segmentation (CROWD-ELEMENTS §3.5): painting
labels onto pixels; the answer carries the mask as a PNG of the image's size."""

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
    png_pixels,
    png_size,
)
from tests.browser.images import mask_png

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("page_errors")]

CLEAR = [0, 0, 0, 0]
BLUE = [0x1F, 0x77, 0xB4, 255]
ORANGE = [0xFF, 0x7F, 0x0E, 255]
GREEN = [0x2C, 0xA0, 0x2C, 255]

SEMANTIC = (
    SCRIPT
    + """
<crowd-form>
  <crowd-semantic-segmentation name="crowd-semantic-segmentation" src="{{ task.input.src }}"
      header="Paint the sky, the road and the cars" labels="['Sky', 'Road', 'Car']" EXTRA>
    <short-instructions>Paint every pixel of each class.</short-instructions>
  </crowd-semantic-segmentation>
</crowd-form>"""
)

INSTANCE = (
    SCRIPT
    + """
<crowd-form>
  <crowd-instance-segmentation name="instances" src="{{ task.input.src }}"
      header="Paint each animal" labels="['Cat', 'Dog']" EXTRA>
  </crowd-instance-segmentation>
</crowd-form>"""
)


def open_tool(task_page: Any, template: str, tag: str, extra: str = "") -> tuple[Any, Stage]:
    """Opens the tool, then waits until its mask is ready for painting."""
    page, stage = open_image_tool(task_page, template, tag, extra)
    page.wait_for_function(
        f"() => !document.querySelector({tag!r}).crowdValidate()"
        if "required" not in extra
        else f"() => document.querySelector({tag!r})._maskReady"
    )
    return page, stage


def brush_radius(stage: Stage, page: Any, tag: str) -> float:
    """The brush radius in natural pixels at the current zoom."""
    size = page.evaluate(f"() => document.querySelector({tag!r}).brushSize")
    return size / 2 / stage.scale


def test_painted_labels_are_answered_as_mappings_and_a_full_size_png(task_page):
    tag = "crowd-semantic-segmentation"
    page, stage = open_tool(task_page, SEMANTIC, tag)
    radius = brush_radius(stage, page, tag)
    assert 20 < radius < 30

    stage.stroke([(200, 200), (600, 200), (600, 300)])
    page.keyboard.press("3")
    stage.stroke([(1000, 800), (1300, 800)])
    page.mouse.move(*stage.at(1100, 500))
    task_page.screenshot("semantic-segmentation")

    answer = task_page.submitted()[tag]
    assert set(answer) == {"inputImageProperties", "labelMappings", "labeledImage"}
    assert answer["inputImageProperties"] == IMAGE
    assert answer["labelMappings"] == {"Sky": {"color": "#1f77b4"}, "Car": {"color": "#2ca02c"}}
    data = answer["labeledImage"]["pngImageData"]
    assert not data.startswith("data:")
    assert png_size(data) == (1600, 1000)
    inside = round(radius) - 3
    outside = round(radius) + 3
    assert png_pixels(
        page,
        data,
        [(400, 200), (400, 200 + inside), (400, 200 - outside), (600, 280), (1200, 800), (5, 5)],
    ) == [BLUE, BLUE, CLEAR, BLUE, GREEN, CLEAR]


def test_the_eraser_clears_painted_pixels(task_page):
    tag = "crowd-semantic-segmentation"
    page, stage = open_tool(task_page, SEMANTIC, tag)
    stage.stroke([(200, 500), (1000, 500)])

    page.keyboard.press("e")
    stage.stroke([(600, 400), (600, 600)])

    data = task_page.submitted()[tag]["labeledImage"]["pngImageData"]
    assert png_pixels(page, data, [(300, 500), (600, 500), (900, 500)]) == [BLUE, CLEAR, BLUE]


def test_brush_size_keys_change_the_painted_width(task_page):
    tag = "crowd-semantic-segmentation"
    page, stage = open_tool(task_page, SEMANTIC, tag)
    page.locator(f"{tag} .crowd-img-viewport").focus()
    for _ in range(4):
        page.keyboard.press("]")
    radius = brush_radius(stage, page, tag)
    assert radius > 55

    stage.stroke([(800, 500), (801, 500)])

    data = task_page.submitted()[tag]["labeledImage"]["pngImageData"]
    near = round(radius) - 3
    far = round(radius) + 3
    assert png_pixels(page, data, [(800, 500 + near), (800, 500 + far)]) == [BLUE, CLEAR]


def test_undo_removes_the_last_stroke(task_page):
    tag = "crowd-semantic-segmentation"
    page, stage = open_tool(task_page, SEMANTIC, tag)
    stage.stroke([(200, 200), (400, 200)])
    page.keyboard.press("2")
    stage.stroke([(200, 600), (400, 600)])

    page.keyboard.press("Control+z")

    answer = task_page.submitted()[tag]
    assert answer["labelMappings"] == {"Sky": {"color": "#1f77b4"}}
    data = answer["labeledImage"]["pngImageData"]
    assert png_pixels(page, data, [(300, 200), (300, 600)]) == [BLUE, CLEAR]


def test_a_required_segmentation_needs_some_paint(task_page):
    tag = "crowd-semantic-segmentation"
    page, stage = open_tool(task_page, SEMANTIC, tag, extra="required")

    assert "Add at least one painted area before submitting." in blocked_submit(task_page)
    stage.stroke([(200, 200), (300, 200)])
    assert task_page.submitted()[tag]["labelMappings"] == {"Sky": {"color": "#1f77b4"}}


def test_an_initial_mask_is_loaded_with_its_colours_and_reports_changes(task_page):
    tag = "crowd-semantic-segmentation"
    mask = task_page.serve(
        "/masks/previous.png",
        mask_png(
            1600, 1000, [(0, 0, 1600, 300, (0x12, 0x34, 0x56)), (0, 700, 800, 1000, (9, 9, 9))]
        ),
        "image/png",
    )
    page, stage = open_tool(
        task_page,
        SEMANTIC,
        tag,
        extra="""initial-value='{"labelMappings": {"Sky": {"color": "#123456"},
            "Road": {"color": "#090909"}}, "src": "MASK"}'""".replace("MASK", mask),
    )
    value = element_value(page, tag)
    assert value["labelMappings"] == {"Sky": {"color": "#123456"}, "Road": {"color": "#090909"}}
    assert value["initialValueModified"] is False
    expect(page.locator(f"{tag} [role=radio] .crowd-img-swatch").first).to_have_css(
        "background-color", "rgb(18, 52, 86)"
    )

    page.keyboard.press("3")
    stage.stroke([(1200, 800), (1300, 800)])

    answer = task_page.submitted()[tag]
    assert answer["initialValueModified"] is True
    assert answer["labelMappings"] == {
        "Sky": {"color": "#123456"},
        "Road": {"color": "#090909"},
        "Car": {"color": "#2ca02c"},
    }
    assert png_pixels(
        page,
        answer["labeledImage"]["pngImageData"],
        [(100, 100), (100, 900), (1250, 800), (1250, 500)],
    ) == [[0x12, 0x34, 0x56, 255], [9, 9, 9, 255], GREEN, CLEAR]


def test_segmentation_labels_assigned_after_upgrade_are_used(task_page):
    tag = "crowd-semantic-segmentation"
    page, stage = open_tool(task_page, SEMANTIC, tag)
    page.evaluate(f"() => {{ document.querySelector({tag!r}).labels = ['Water', 'Land']; }}")
    expect(page.locator(f"{tag} [role=radio]")).to_have_text(["Water1", "Land2"])

    page.get_by_role("radio", name="Land").click()
    stage.stroke([(200, 200), (300, 200)])

    assert task_page.submitted()[tag]["labelMappings"] == {"Land": {"color": "#ff7f0e"}}


def test_each_instance_gets_its_own_colour(task_page):
    tag = "crowd-instance-segmentation"
    page, stage = open_tool(task_page, INSTANCE, tag)

    stage.stroke([(200, 200), (400, 200)])
    page.keyboard.press("n")
    stage.stroke([(200, 600), (400, 600)])
    page.keyboard.press("2")
    stage.stroke([(1000, 400), (1200, 400)])
    page.mouse.move(*stage.at(1300, 700))
    expect(page.locator(f"{tag} .crowd-img-list li")).to_have_text(["Cat 1", "Cat 2", "Dog 1"])
    task_page.screenshot("instance-segmentation")

    answer = task_page.submitted()["instances"]
    assert answer["inputImageProperties"] == IMAGE
    assert answer["instances"] == [
        {"color": "#1f77b4", "label": "Cat"},
        {"color": "#ff7f0e", "label": "Cat"},
        {"color": "#2ca02c", "label": "Dog"},
    ]
    assert png_pixels(
        page, answer["labeledImage"]["pngImageData"], [(300, 200), (300, 600), (1100, 400)]
    ) == [BLUE, ORANGE, GREEN]


def test_deleting_an_instance_clears_its_pixels(task_page):
    tag = "crowd-instance-segmentation"
    page, stage = open_tool(task_page, INSTANCE, tag)
    stage.stroke([(200, 200), (400, 200)])
    page.get_by_role("button", name="New instance").click()
    stage.stroke([(200, 600), (400, 600)])

    page.get_by_role("button", name="Delete Cat 1").click()

    answer = task_page.submitted()["instances"]
    assert answer["instances"] == [{"color": "#ff7f0e", "label": "Cat"}]
    data = answer["labeledImage"]["pngImageData"]
    assert png_pixels(page, data, [(300, 200), (300, 600)]) == [CLEAR, ORANGE]


def test_initial_instances_are_loaded_from_their_mask(task_page):
    tag = "crowd-instance-segmentation"
    mask = task_page.serve(
        "/masks/instances.png",
        mask_png(1600, 1000, [(0, 0, 100, 100, (0xAA, 0, 0)), (200, 200, 300, 300, (0, 0xAA, 0))]),
        "image/png",
    )
    page, stage = open_tool(
        task_page,
        INSTANCE,
        tag,
        extra="""initialValue="{instances: [{color: '#aa0000', label: 'Dog'},
            {color: '#00aa00', label: 'Dog'}], src: 'MASK'}" """.replace("MASK", mask),
    )

    answer = task_page.submitted()["instances"]
    assert answer["instances"] == [
        {"color": "#aa0000", "label": "Dog"},
        {"color": "#00aa00", "label": "Dog"},
    ]
    assert answer["initialValueModified"] is False
    assert png_pixels(
        page, answer["labeledImage"]["pngImageData"], [(50, 50), (250, 250), (150, 150)]
    ) == [[0xAA, 0, 0, 255], [0, 0xAA, 0, 255], CLEAR]
