"""The one Liquid engine of worker task templates: python-liquid with A2I's dialect.

Everything that renders or checks a template goes through here: the reviewer's work page,
RenderUiTemplate, the native preview, and the checks made when a template is saved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from liquid import BoundTemplate, Environment
from liquid.exceptions import (
    LiquidError,
    LiquidSyntaxError,
    ResourceLimitError,
    UnknownFilterError,
)

from workflows.templating import read_access
from workflows.templating.filters import FILTERS
from workflows.templating.nodes import TAGS


class TemplateEnvironment(Environment):
    """Liquid as A2I speaks it. python-liquid's own autoescape is off: its markupsafe escaping
    treats string literals as safe and writes `&#34;`; the print tags escape instead."""

    # A template is someone's code running in a web request: bound what one rendering may do.
    loop_iteration_limit = 1_000_000
    output_stream_limit = 20_000_000
    local_namespace_limit = 10_000_000

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        super().setup_tags_and_filters(extra=extra)
        for tag in TAGS:
            self.add_tag(tag)
        for name, function in FILTERS.items():
            self.add_filter(name, function)


ENVIRONMENT = TemplateEnvironment(autoescape=False, strict_filters=True)


@dataclass(frozen=True)
class TemplateProblem:
    """Why a template cannot be used, with a stable code (RenderUiTemplate's `Errors[].Code`)
    and, when known, where (1-based line and column)."""

    code: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}: " if self.line else ""
        return f"{where}{self.message}"


@dataclass(frozen=True)
class Rendering:
    html: str
    problems: tuple[TemplateProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


class TemplateError(Exception):
    """A template that does not parse, or a rendering that failed."""

    def __init__(self, problem: TemplateProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def content_digest(content: str) -> str:
    """Identifies a template revision: SHA-256 of its UTF-8 text, as DescribeHumanTaskUi says."""
    return hashlib.sha256(content.encode()).hexdigest()


def parse(content: str) -> BoundTemplate:
    """The parsed template, from the cache when this revision was parsed before. Raises
    TemplateError."""
    return parsed_revision(content_digest(content), content)


@lru_cache(maxsize=128)
def parsed_revision(digest: str, content: str) -> BoundTemplate:
    try:
        return ENVIRONMENT.from_string(content)
    except LiquidError as exc:
        raise TemplateError(problem_of(exc, source=content)) from exc


def problems_of(content: str) -> list[TemplateProblem]:
    """What stops a template being saved: a syntax error, or filters Liquid does not know."""
    try:
        template = parse(content)
    except TemplateError as exc:
        return [exc.problem]
    problems = []
    for name, spans in template.analyze().filters.items():
        if name not in ENVIRONMENT.filters:
            line, column = position(content, spans[0].index)
            problems.append(
                TemplateProblem("UndefinedFilter", f"unknown filter {name!r}", line, column)
            )
    return sorted(problems, key=lambda problem: (problem.line or 0, problem.column or 0))


def position(source: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character."""
    before = source[:index]
    return before.count("\n") + 1, index - before.rfind("\n")


def problem_of(exc: LiquidError, *, source: str | None = None) -> TemplateProblem:
    if isinstance(exc, LiquidSyntaxError):
        code = "LiquidSyntaxError"
    elif isinstance(exc, UnknownFilterError):
        code = "UndefinedFilter"
    elif isinstance(exc, ResourceLimitError):
        code = "RenderLimitExceeded"
    else:
        code = "RenderError"
    try:
        context = exc.context()
    except ValueError:  # a position past the end: the template ended too soon
        context = None
    message = str(exc.message)
    if context:
        return TemplateProblem(code, message, context[0], context[1] + 1)
    if source is not None and isinstance(exc, LiquidSyntaxError):
        line = source.count("\n") + (0 if source.endswith("\n") else 1)
        return TemplateProblem(code, f"{message} (the template ends too soon)", line, 1)
    return TemplateProblem(code, message)


def task_context(task_input: Any) -> dict[str, Any]:
    """What a template sees: `task.input`, and nothing else (reference §8.1)."""
    return {"task": {"input": task_input}}


@contextmanager
def granting(access: read_access.ReadAccess | None) -> Iterator[None]:
    token = read_access.current.set(access)
    try:
        yield
    finally:
        read_access.current.reset(token)


def render(content: str, *, task_input: Any, access: read_access.ReadAccess | None = None) -> str:
    """The template's HTML for one task. Raises TemplateError."""
    template = parse(content)
    try:
        with granting(access):
            return template.render(**task_context(task_input))
    except LiquidError as exc:
        raise TemplateError(problem_of(exc)) from exc


def preview(
    content: str, *, task_input_json: str, access: read_access.ReadAccess | None = None
) -> Rendering:
    """RenderUiTemplate: problems are reported beside the output, never raised."""
    try:
        task_input = json.loads(task_input_json)
    except ValueError as exc:
        problem = TemplateProblem("InvalidTaskInput", f"the task input is not JSON: {exc}")
        return Rendering("", (problem,))
    return preview_input(content, task_input=task_input, access=access)


def preview_input(
    content: str, *, task_input: Any, access: read_access.ReadAccess | None = None
) -> Rendering:
    """A preview with the task input already parsed."""
    try:
        return Rendering(render(content, task_input=task_input, access=access))
    except TemplateError as exc:
        return Rendering("", (exc.problem,))
