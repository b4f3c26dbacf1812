"""Driving the image tools like a reviewer: where a natural-image pixel is on screen.

The tools show the image scaled to fit, so tests place the pointer at natural-pixel positions
converted with the stage's on-screen box, and expect answers in natural pixels.
"""

from __future__ import annotations

import base64
import struct
from typing import Any

from tests.browser.images import SIGNATURE, png

IMAGE_WIDTH = 1600
IMAGE_HEIGHT = 1000
IMAGE_PATH = "/images/street.png"
# The inputImageProperties every tool answers for the served image.
IMAGE = {"height": IMAGE_HEIGHT, "width": IMAGE_WIDTH}


def serve_image(
    task_page: Any, width: int = IMAGE_WIDTH, height: int = IMAGE_HEIGHT, path: str = IMAGE_PATH
) -> str:
    """Serves a width x height PNG; returns its URL."""
    return task_page.serve(path, png(width, height), "image/png")


class Stage:
    """The on-screen image of the tool matched by `selector`."""

    def __init__(
        self, page: Any, selector: str, width: int = IMAGE_WIDTH, height: int = IMAGE_HEIGHT
    ) -> None:
        self.page = page
        self.selector = selector
        self.width = width
        self.height = height
        self.locator = page.locator(f"{selector} .crowd-img-stage")
        self.locator.wait_for(state="visible")

    @property
    def box(self) -> dict[str, float]:
        return self.locator.bounding_box()

    @property
    def scale(self) -> float:
        return self.box["width"] / self.width

    def at(self, x: float, y: float) -> tuple[float, float]:
        """Page coordinates of natural pixel (x, y)."""
        box = self.box
        return (
            box["x"] + x * box["width"] / self.width,
            box["y"] + y * box["height"] / self.height,
        )

    def click(self, x: float, y: float) -> None:
        self.page.mouse.click(*self.at(x, y))

    def drag(self, start: tuple[float, float], end: tuple[float, float], steps: int = 6) -> None:
        mouse = self.page.mouse
        mouse.move(*self.at(*start))
        mouse.down()
        mouse.move(*self.at(*end), steps=steps)
        mouse.up()

    def stroke(self, points: list[tuple[float, float]], steps: int = 4) -> None:
        mouse = self.page.mouse
        mouse.move(*self.at(*points[0]))
        mouse.down()
        for point in points[1:]:
            mouse.move(*self.at(*point), steps=steps)
        mouse.up()


def open_image_tool(
    task_page: Any,
    template: str,
    tag: str,
    extra: str = "",
    task_input: dict[str, Any] | None = None,
) -> tuple[Any, Stage]:
    """Opens `template` on the served image, with `extra` in place of its EXTRA marker (more
    attributes for the tool) and `task_input` beside the image's URL in task.input.src; returns
    the page and the Stage of the `tag` tool, once its image is shown."""
    page = task_page.open(
        template.replace("EXTRA", extra), {"src": serve_image(task_page), **(task_input or {})}
    )
    return page, Stage(page, tag)


def shapes_of(task_page: Any, name: str, key: str) -> list[dict[str, Any]]:
    """Submits, checks the answer `name` is about the served image, and returns its `key` list."""
    answer = task_page.submitted()[name]
    assert answer["inputImageProperties"] == IMAGE
    return answer[key]


def element_value(page: Any, selector: str) -> Any:
    return page.evaluate(f"() => document.querySelector({selector!r}).value")


def blocked_submit(task_page: Any) -> str:
    """Clicks Submit, expecting validation to block it; returns the form's alert text."""
    page = task_page.page
    page.locator(".crowd-submit").first.click()
    alert = page.locator(".crowd-form-alert")
    alert.wait_for(state="visible")
    assert not [m for m in task_page.messages() if m.get("type") == "crowd-form:submit"]
    return alert.inner_text()


def png_size(base64_png: str) -> tuple[int, int]:
    """(width, height) of a base64 PNG, read from its header."""
    data = base64.b64decode(base64_png)
    assert data[:8] == SIGNATURE
    return struct.unpack(">II", data[16:24])


def png_pixels(page: Any, base64_png: str, points: list[tuple[int, int]]) -> list[list[int]]:
    """RGBA of the given pixels of a base64 PNG, decoded by the browser."""
    return page.evaluate(
        """async ([data, points]) => {
            const image = new Image();
            image.src = "data:image/png;base64," + data;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.naturalWidth;
            canvas.height = image.naturalHeight;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            return points.map(([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data));
        }""",
        [base64_png, points],
    )
