"""A2I's escaping: Ruby Liquid's HTML table, and JSON that stays inert inside HTML and scripts."""

from __future__ import annotations

import json
import re
from typing import Any

from liquid import is_undefined

# Ruby Liquid's table (reference §8.3): `'` becomes `&#39;`, not Python's `&#x27;`.
HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
HTML_SPECIAL = re.compile(r"[&<>\"']")
# escape_once leaves existing entities alone: named, decimal and hexadecimal ones.
HTML_SPECIAL_OUTSIDE_ENTITIES = re.compile(
    r"[<>\"']|&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#\d+|#[xX][0-9a-fA-F]+);)"
)
# As Django's json_script: no `<`, `>` or `&` survives, so `</script>` and `<!--` cannot occur.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class Safe(str):
    """Text that is already HTML: printed as it is."""


class JsonText(str):
    """JSON from `to_json` or from printing an object: escaped for HTML where it is printed,
    except inside a `<script>` element, where it is valid and inert as it stands."""


def escape_html(text: str) -> Safe:
    return Safe(HTML_SPECIAL.sub(lambda match: HTML_ESCAPES[match.group()], text))


def escape_html_once(text: str) -> Safe:
    return Safe(HTML_SPECIAL_OUTSIDE_ENTITIES.sub(lambda match: HTML_ESCAPES[match.group()], text))


def json_text(value: Any) -> JsonText:
    """JSON of a template value: an undefined variable is null, anything else JSON cannot
    express is its string."""
    text = json.dumps(value, ensure_ascii=False, default=plain_value)
    return JsonText(text.translate(JSON_SCRIPT_ESCAPES))


def plain_value(value: Any) -> Any:
    return None if is_undefined(value) else str(value)
