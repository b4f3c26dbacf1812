"""Forms of the task UI console: the template editor, its preview, and the gallery."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from django import forms

from workflows import limits, samples
from workflows.models import HumanTaskUi
from workflows.templating.crowd import elements_url, with_portal_elements
from workflows.templating.engine import TemplateProblem, preview_input, problems_of
from workflows.templating.read_access import ReadAccess

EMPTY_INPUT = "{}"


class TemplateSource(forms.Textarea):
    """The template's own textarea: monospace and untouched by the browser's helpers without
    JavaScript; static/portal/js/template-editor.js turns it into a code editor."""

    def __init__(self) -> None:
        super().__init__(
            attrs={
                "class": "template-source",
                "rows": 28,
                "spellcheck": "false",
                "autocapitalize": "off",
                "autocomplete": "off",
                "wrap": "off",
                "data-template-editor": "content",
            }
        )


class SampleInput(forms.Textarea):
    """The preview's task input; `sample` names the gallery sample it came from."""

    def __init__(self, sample: str = "") -> None:
        attrs = {
            "class": "template-sample-input",
            "rows": 10,
            "spellcheck": "false",
            "autocapitalize": "off",
            "autocomplete": "off",
            "data-template-editor": "input",
        }
        if sample:
            attrs["data-sample"] = sample
        super().__init__(attrs=attrs)


def sample_input_field(*, initial: str = EMPTY_INPUT, sample: str = "") -> forms.CharField:
    return forms.CharField(
        label="Sample task input",
        required=False,
        strip=False,
        initial=initial,
        widget=SampleInput(sample),
        help_text="JSON the preview renders the template with, as <code>task.input</code>. It "
        "is not saved: a task UI keeps no input, each human loop brings its own.",
    )


class HumanTaskUiForm(forms.ModelForm):
    """A worker template as the editor shows it. The model checks the template (length, that it
    parses, that every filter exists), so the admin refuses what the API refuses; the sample
    input only feeds the preview and is never saved."""

    sample_input = sample_input_field()

    class Meta:
        model = HumanTaskUi
        fields = ["name", "content"]
        widgets = {"content": TemplateSource()}
        labels = {"content": "Worker template"}
        help_texts = {
            "name": "1-63 lowercase letters, digits and hyphens. It cannot be changed later: "
            "the task UI's ARN is made from it.",
            "content": "HTML with Liquid (<code>{{ task.input.… }}</code>, "
            "<code>grant_read_access</code>, <code>to_json</code>) and Crowd HTML Elements, "
            f"at most {limits.UI_TEMPLATE_MAX_LENGTH:,} characters. Templates written for A2I "
            "work unchanged: the portal serves its own crowd-html-elements.js.",
        }


@dataclass(frozen=True)
class PreviewProblem:
    """Why the preview shows no template: where (the template or the sample input, with the
    1-based line and column when known) and the reason."""

    source: str  # "template" or "input"
    message: str
    line: int | None = None
    column: int | None = None
    code: str = ""

    def __str__(self) -> str:
        where = "Template" if self.source == "template" else "Sample input"
        if self.line:
            where += f", line {self.line}"
            if self.column:
                where += f", column {self.column}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "text": str(self)}


def template_problem(problem: TemplateProblem) -> PreviewProblem:
    return PreviewProblem("template", problem.message, problem.line, problem.column, problem.code)


@dataclass(frozen=True)
class Preview:
    """What the preview frame shows: the rendered template, or the problems that stop it."""

    html: str
    problems: tuple[PreviewProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


class TemplatePreviewForm(forms.Form):
    """The editor's current (unsaved) template and sample input, posted for a preview."""

    content = forms.CharField(strip=False, max_length=limits.UI_TEMPLATE_MAX_LENGTH)
    sample_input = forms.CharField(required=False, strip=False)

    def form_problems(self) -> tuple[PreviewProblem, ...]:
        return tuple(
            PreviewProblem(
                "template" if field == "content" else "input",
                "the template is empty"
                if field == "content" and error.code == "required"
                else str(error.message % (error.params or {})),
            )
            for field, errors in self.errors.as_data().items()
            for error in errors
        )

    def preview(self, *, access: ReadAccess) -> Preview:
        """The template rendered with the sample input through the one engine, with the
        portal's Crowd HTML Elements, exactly as the work page shows it. Call after is_valid();
        an invalid form gives its problems."""
        if self.errors:
            return Preview("", self.form_problems())
        content = self.cleaned_data["content"]
        problems = [template_problem(problem) for problem in problems_of(content)]
        text = self.cleaned_data["sample_input"]
        try:
            task_input = json.loads(text if text.strip() else EMPTY_INPUT)
        except ValueError as exc:
            problems.append(
                PreviewProblem(
                    "input",
                    f"is not JSON: {getattr(exc, 'msg', str(exc))}",
                    getattr(exc, "lineno", None),
                    getattr(exc, "colno", None),
                    "InvalidTaskInput",
                )
            )
        if problems:
            return Preview("", tuple(problems))
        rendering = preview_input(content, task_input=task_input, access=access)
        if not rendering.ok:
            return Preview("", tuple(template_problem(p) for p in rendering.problems))
        return Preview(with_portal_elements(rendering.html, elements_url(access.site_url)))


class GalleryForm(forms.Form):
    """A task UI to create from a gallery sample: which sample, and the new task UI's name."""

    sample = forms.ChoiceField(
        choices=[(sample.slug, sample.title) for sample in samples.SAMPLES],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "%(value)s is not a sample of the gallery."},
    )
    name = forms.CharField(
        label="Name",
        max_length=limits.NAME_MAX_LENGTH,
        validators=[limits.lowercase_name],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="1-63 lowercase letters, digits and hyphens.",
    )


def suggested_name(slug: str, taken: set[str]) -> str:
    """The sample's slug, numbered when a task UI already has that name."""
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"
