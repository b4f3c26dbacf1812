"""Output tags with A2I's printing rules, in place of python-liquid's.

- Every printed value is HTML-escaped with Ruby Liquid's table, string literals included, unless
  a filter already made it HTML (`escape`, `escape_once`, `skip_autoescape`) or it was captured
  from rendered output.
- An object or an array prints as JSON, not as Liquid's concatenation: A2I's own templates write
  `initial-value="{{ task.input.selectedAiServiceResponse.blocks }}"`.
- JSON printed inside a `<script>` element is not HTML-escaped there: it is already inert
  (`<`, `>` and `&` are unicode escapes), and entities would break the script.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from io import StringIO
from typing import TYPE_CHECKING, Any, TextIO

from liquid import is_undefined
from liquid.builtin.output import Output, OutputNode
from liquid.builtin.tags.capture_tag import CaptureNode, CaptureTag
from liquid.builtin.tags.cycle_tag import CycleNode, CycleTag
from liquid.builtin.tags.echo_tag import EchoTag

from workflows.templating.escaping import JsonText, Safe, escape_html, json_text

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.expression import Expression
    from liquid.token import Token

SCRIPT_ELEMENT = re.compile(r"<script\b[^>]*>.*?(?:</script\s*>|\Z)", re.IGNORECASE | re.DOTALL)


def plain_text(value: Any) -> str:
    """The text of a value before any escaping: JSON for objects and arrays."""
    if isinstance(value, str):
        return value
    if value is None or is_undefined(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping | list | tuple):
        return json_text(value)
    return str(value)


def printed(value: Any, *, in_script: bool) -> str:
    if isinstance(value, Safe):
        return value
    text = plain_text(value)
    if in_script and isinstance(text, JsonText):
        return text
    return escape_html(text)


@lru_cache(maxsize=16)
def script_spans(source: str) -> tuple[tuple[int, int], ...]:
    return tuple(match.span() for match in SCRIPT_ELEMENT.finditer(source))


def inside_script(token: Token) -> bool:
    return any(start <= token.start_index < end for start, end in script_spans(token.source))


class PrintNode(OutputNode):
    """`{{ expression }}`, printed by A2I's rules."""

    __slots__ = ("in_script",)

    def __init__(self, token: Token, expression: Expression) -> None:
        super().__init__(token, expression)
        self.in_script = inside_script(token)

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        value = self.expression.evaluate(context)
        return buffer.write(printed(value, in_script=self.in_script))

    async def render_to_output_async(self, context: RenderContext, buffer: TextIO) -> int:
        value = await self.expression.evaluate_async(context)
        return buffer.write(printed(value, in_script=self.in_script))


class PrintTag(Output):
    node_class = PrintNode


class EchoNode(PrintNode):
    """`{% echo expression %}`, the tag form of an output statement."""

    def __str__(self) -> str:
        return f"{{% echo {self.expression} %}}"


class PrintingEchoTag(EchoTag):
    node_class = EchoNode


class SafeCaptureNode(CaptureNode):
    """`{% capture %}` holds rendered output, which is HTML already: printing it again must
    not escape it twice."""

    def _assign(self, context: RenderContext, buf: StringIO) -> None:
        context.assign(self.name, Safe(buf.getvalue()))


class SafeCaptureTag(CaptureTag):
    node_class = SafeCaptureNode


class EscapedCycleNode(CycleNode):
    """`{% cycle %}` prints its arguments: escaped like any output."""

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        raw = StringIO()
        super().render_to_output(context, raw)
        return buffer.write(escape_html(raw.getvalue()))

    async def render_to_output_async(self, context: RenderContext, buffer: TextIO) -> int:
        raw = StringIO()
        await super().render_to_output_async(context, raw)
        return buffer.write(escape_html(raw.getvalue()))


class EscapedCycleTag(CycleTag):
    node_class = EscapedCycleNode


TAGS = (PrintTag, PrintingEchoTag, SafeCaptureTag, EscapedCycleTag)
