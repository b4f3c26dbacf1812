"""The filters A2I adds to Liquid (reference §8.2), over python-liquid's standard ones."""

from __future__ import annotations

from typing import Any

from workflows.templating import read_access
from workflows.templating.escaping import (
    JsonText,
    Safe,
    escape_html,
    escape_html_once,
    json_text,
)
from workflows.templating.nodes import plain_text


def escape(value: Any) -> Safe:
    """HTML-escape, once: the result is not escaped again when printed."""
    return escape_html(plain_text(value))


def escape_once(value: Any) -> Safe:
    """HTML-escape, leaving entities that are already there (`&amp;` stays `&amp;`)."""
    return escape_html_once(plain_text(value))


def skip_autoescape(value: Any) -> Safe:
    """Print as it is: for trusted HTML only. JSON keeps its escapes of `<`, `>` and `&`, so
    `{{ x | to_json | skip_autoescape }}` inside a `<script>` cannot end the script."""
    return Safe(plain_text(value))


def to_json(value: Any) -> JsonText:
    return json_text(value)


def grant_read_access(value: Any) -> str:
    """An S3 reference becomes a short-lived URL a reviewer's browser can read."""
    return read_access.grant(plain_text(value))


FILTERS = {
    "escape": escape,
    "escape_once": escape_once,
    "skip_autoescape": skip_autoescape,
    "to_json": to_json,
    "grant_read_access": grant_read_access,
}
