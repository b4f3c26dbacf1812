"""Selecting text of crowd-entity-annotation with the mouse, as a reviewer does.

Offsets count characters of the annotated text alone: the label chips the tool inserts between
them ([data-crowd-chip]) are skipped.
"""

from __future__ import annotations

from typing import Any

# The viewport boxes of the characters at offsets `start` and `end - 1` of the annotated text.
CHARACTER_BOXES = """([start, end]) => {
    const root = document.querySelector(".crowd-entity-text");
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.parentElement.closest("[data-crowd-chip]")) nodes.push(n);
    }
    const rectOf = (offset) => {
        let at = 0;
        for (const node of nodes) {
            if (offset < at + node.length) {
                const range = document.createRange();
                range.setStart(node, offset - at);
                range.setEnd(node, offset - at + 1);
                const r = range.getBoundingClientRect();
                return {x: r.x, y: r.y, width: r.width, height: r.height};
            }
            at += node.length;
        }
    };
    return [rectOf(start), rectOf(end - 1)];
}"""


def character_boxes(frame: Any, start: int, end: int) -> tuple[dict[str, float], dict[str, float]]:
    """Frame-relative boxes of the first and the last character of text[start:end]; `frame` is
    a Playwright Page or Frame."""
    found = frame.evaluate(CHARACTER_BOXES, [start, end])
    return found[0], found[1]


def select_text(
    page: Any, start: int, end: int, frame: Any = None, origin: tuple[float, float] = (0, 0)
) -> None:
    """Drag the mouse over characters start..end-1 of the annotated text.

    The text is in `frame` (the page itself when None), whose top-left corner is at `origin`
    in the page."""
    first, last = character_boxes(page if frame is None else frame, start, end)
    x, y = origin
    page.mouse.move(x + first["x"] + 1, y + first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(x + last["x"] + last["width"] - 1, y + last["y"] + last["height"] / 2, steps=5)
    page.mouse.up()
