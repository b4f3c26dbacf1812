"""What the engine refuses, and how it says where."""

from __future__ import annotations

import pytest

from a2i_portal.errors import Invalid
from workflows.models import HumanTaskUi
from workflows.services.task_uis import create_human_task_ui
from workflows.templating import engine
from workflows.templating.engine import TemplateError, preview, problems_of, render


def test_a_syntax_error_is_reported_with_its_line_and_reason():
    (problem,) = problems_of("<p>\n{% if task.input.x %}\n{{ task.input.y }\n")

    assert problem.code == "LiquidSyntaxError"
    assert problem.line == 3
    assert "expected '}}'" in problem.message


def test_an_unknown_tag_is_a_syntax_error_on_its_line():
    (problem,) = problems_of("ok\n{% iff x %}{% endiff %}")

    assert (problem.code, problem.line) == ("LiquidSyntaxError", 2)
    assert str(problem).startswith("line 2, column 4: unexpected tag 'iff'")


def test_unknown_filters_are_reported_each_at_its_first_use():
    problems = problems_of("{{ a | nope }}\n{{ b | upcase | never }}\n{{ c | nope }}")

    assert [(p.code, p.line, p.message) for p in problems] == [
        ("UndefinedFilter", 1, "unknown filter 'nope'"),
        ("UndefinedFilter", 2, "unknown filter 'never'"),
    ]


def test_a2i_filters_and_standard_filters_are_known():
    source = (
        "{{ a | escape | escape_once | skip_autoescape }}{{ a | to_json }}"
        "{{ a | grant_read_access }}{{ a | downcase | truncate: 3 | default: 'x' }}"
    )

    assert problems_of(source) == []


@pytest.mark.django_db
def test_saving_a_template_that_does_not_parse_is_refused_naming_the_line():
    with pytest.raises(Invalid) as refused:
        create_human_task_ui(name="broken", content="<crowd-form>\n{% for x in y %}\n")

    assert refused.value.field == "content"
    assert refused.value.message.startswith(
        "must be a Liquid template that parses: line 2, column 1: expected tag endfor"
    )
    assert not HumanTaskUi.objects.exists()


def test_a_render_error_is_raised_as_a_template_error_with_a_code():
    with pytest.raises(TemplateError) as failed:
        render("{{ task.input.n | divided_by: 0 }}", task_input={"n": 1})

    assert failed.value.problem.code == "RenderError"
    assert failed.value.problem.line == 1


def test_a_runaway_loop_stops_at_the_iteration_limit():
    rendering = preview(
        "{% for i in (1..5000) %}{% for j in (1..5000) %}{% endfor %}{% endfor %}",
        task_input_json="{}",
    )

    assert [p.code for p in rendering.problems] == ["RenderLimitExceeded"]


def test_a_preview_reports_input_that_is_not_json():
    rendering = preview("<p>{{ task.input.a }}</p>", task_input_json="{not json")

    assert rendering.html == ""
    assert rendering.problems[0].code == "InvalidTaskInput"


def test_a_revision_is_parsed_once_and_an_edited_one_again():
    engine.parsed_revision.cache_clear()
    first = "<p>{{ task.input.a }} revision one</p>"
    second = "<p>{{ task.input.a }} revision two</p>"

    render(first, task_input={"a": 1})
    render(first, task_input={"a": 2})
    render(second, task_input={"a": 3})

    info = engine.parsed_revision.cache_info()
    assert (info.hits, info.misses) == (1, 2)
