"""The task UI editor: the code editor's assets, the preview (the work page's engine, elements
and frame policy), problems with their lines before saving, and who may preview."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import FlowDefinitionFactory, HumanTaskUiFactory, UserFactory
from workflows import samples
from workflows.models import HumanTaskUi
from workflows.templating.crowd import FRAME_POLICY

pytestmark = pytest.mark.django_db

ADD = "/admin/workflows/humantaskui/add/"
PREVIEW = "/admin/workflows/humantaskui/preview/"
PROBLEMS = "/admin/workflows/humantaskui/preview/problems/"
CODEMIRROR = "vendor/codemirror-5.65.21"
EDITOR_ASSETS = [
    f"{CODEMIRROR}/lib/codemirror.js",
    f"{CODEMIRROR}/lib/codemirror.css",
    f"{CODEMIRROR}/mode/htmlmixed/htmlmixed.js",
    f"{CODEMIRROR}/mode/xml/xml.js",
    f"{CODEMIRROR}/mode/javascript/javascript.js",
    f"{CODEMIRROR}/mode/css/css.js",
    "portal/js/template-editor.js",
    "portal/css/template-editor.css",
]
TEMPLATE = """<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-classifier name="animal" categories="['Cat', 'Dog']" header="{{ task.input.text }}">
  </crowd-classifier>
</crowd-form>"""


def change_url(task_ui: HumanTaskUi) -> str:
    return f"/admin/workflows/humantaskui/{task_ui.pk}/change/"


# The editor page


@pytest.mark.parametrize("asset", EDITOR_ASSETS)
def test_the_editor_page_loads_the_vendored_editor(operator_client, asset):
    page = operator_client.get(ADD).content.decode()

    assert f"/static/{asset}" in page
    assert finders.find(asset), f"{asset} is not in the static files"


def test_the_vendored_editor_keeps_its_licence():
    licence = finders.find(f"{CODEMIRROR}/LICENSE")

    assert licence
    assert "MIT License" in Path(licence).read_text()


def test_the_editor_page_loads_nothing_from_outside_and_no_inline_script(operator_client):
    page = operator_client.get(ADD).content.decode()

    assert not re.search(r"""(src|href)=["']https?://""", page)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", page)


def test_the_template_is_a_plain_monospace_textarea_that_the_script_upgrades(operator_client):
    task_ui = HumanTaskUiFactory(content=TEMPLATE)

    page = operator_client.get(change_url(task_ui)).content.decode()

    textarea = re.search(r"<textarea[^>]*name=\"content\"[^>]*>", page)[0]
    assert 'class="template-source"' in textarea
    assert 'data-template-editor="content"' in textarea
    assert 'spellcheck="false"' in textarea
    assert "crowd-classifier" in page  # the template itself, in the textarea


def test_the_preview_frame_is_sandboxed_exactly_like_the_work_pages(operator_client):
    page = operator_client.get(ADD).content.decode()

    frame = re.search(r'<iframe name="template-preview"[^>]*>', page)[0]
    assert 'sandbox="allow-scripts allow-forms allow-modals allow-popups"' in frame
    button = re.search(r'<button[^>]*id="template-preview-button"[^>]*>', page, re.S)[0]
    assert f'formaction="{PREVIEW}"' in button
    assert 'formtarget="template-preview"' in button


def test_a_new_task_ui_starts_with_an_empty_sample_input(operator_client):
    form = operator_client.get(ADD).context["adminform"].form

    assert form["sample_input"].value() == "{}"


def test_a_task_ui_still_equal_to_a_gallery_sample_starts_from_that_samples_input(
    operator_client,
):
    sample = samples.sample_named("entity-annotation")
    task_ui = HumanTaskUiFactory(content=sample.template)

    form = operator_client.get(change_url(task_ui)).context["adminform"].form

    assert form["sample_input"].value() == sample.input_json
    assert operator_client.get(ADD).context["adminform"].form["sample_input"].value() == "{}"


def test_the_editor_shows_the_arn_digest_and_the_flow_definitions_using_it(operator_client):
    flow = FlowDefinitionFactory(name="claims")

    page = operator_client.get(change_url(flow.task_ui)).content.decode()

    assert flow.task_ui.arn in page
    assert flow.task_ui.content_sha256 in page
    assert f'href="/admin/workflows/flowdefinition/{flow.pk}/change/">claims</a>' in page


# Saving


def test_a_task_ui_added_in_the_editor_is_created_and_the_sample_input_is_not_kept(
    operator_client, clock
):
    response = operator_client.post(
        ADD, {"name": "animals", "content": TEMPLATE, "sample_input": '{"text": "a cat"}'}
    )

    assert response.status_code == 302
    task_ui = HumanTaskUi.objects.get(name="animals")
    assert (task_ui.content, task_ui.created_at) == (TEMPLATE, clock.now())


def test_an_edit_is_saved_and_the_name_stays(operator_client):
    task_ui = HumanTaskUiFactory(name="animals")

    response = operator_client.post(
        change_url(task_ui), {"name": "renamed", "content": TEMPLATE, "sample_input": "{"}
    )

    assert response.status_code == 302
    task_ui.refresh_from_db()
    assert (task_ui.name, task_ui.content) == ("animals", TEMPLATE)


def test_an_edit_that_does_not_parse_is_refused_with_the_line_and_nothing_changes(
    operator_client,
):
    task_ui = HumanTaskUiFactory()
    before = task_ui.content

    response = operator_client.post(
        change_url(task_ui), {"content": "<p>\n{% if task.input.x %}\n</p>", "sample_input": "{}"}
    )

    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["content"]
    assert error.startswith("must be a Liquid template that parses: line 3")
    task_ui.refresh_from_db()
    assert task_ui.content == before


# The preview


def test_the_preview_renders_the_posted_template_with_the_sample_input(operator_client):
    response = operator_client.post(
        PREVIEW, {"content": TEMPLATE, "sample_input": '{"text": "Tom & Jerry"}'}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert 'header="Tom &amp; Jerry"' in html
    assert '<script src="http://testserver/static/crowd/crowd-html-elements.js"></script>' in html
    assert "assets.crowd.aws" not in html


def test_the_preview_is_served_with_the_frame_policy_and_never_cached(operator_client):
    response = operator_client.post(PREVIEW, {"content": TEMPLATE, "sample_input": "{}"})

    assert response["Content-Security-Policy"] == FRAME_POLICY
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_preview_shows_the_unsaved_template_not_the_stored_one(operator_client):
    task_ui = HumanTaskUiFactory(content="<p>stored</p>")

    response = operator_client.post(
        PREVIEW, {"name": task_ui.name, "content": "<p>edited</p>", "sample_input": "{}"}
    )

    assert response.content.decode() == "<p>edited</p>"
    task_ui.refresh_from_db()
    assert task_ui.content == "<p>stored</p>"


def test_an_empty_sample_input_previews_as_an_empty_object(operator_client):
    response = operator_client.post(PREVIEW, {"content": "<p>[{{ task.input.x }}]</p>"})

    assert response.content.decode() == "<p>[]</p>"


def test_the_preview_of_a_template_that_does_not_parse_lists_the_problem_with_its_line(
    operator_client,
):
    response = operator_client.post(
        PREVIEW, {"content": "<p>\n{{ task.input.text | shout }}\n</p>", "sample_input": "{}"}
    )

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == FRAME_POLICY
    assert "Template, line 2, column 22: unknown filter &#x27;shout&#x27;" in (
        response.content.decode()
    )


def test_problems_are_reported_with_line_and_column_before_saving(operator_client):
    response = operator_client.post(
        PROBLEMS,
        {"content": "<p>\n{{ task.input.a | shout }}\n{{ task.input.b | whisper }}</p>"},
    )

    assert response.status_code == 200
    assert [(p["line"], p["column"], p["message"]) for p in response.json()["problems"]] == [
        (2, 19, "unknown filter 'shout'"),
        (3, 19, "unknown filter 'whisper'"),
    ]
    assert response.json()["problems"][0]["text"] == (
        "Template, line 2, column 19: unknown filter 'shout'"
    )
    assert not HumanTaskUi.objects.exists()


def test_a_syntax_error_is_reported_with_its_line(operator_client):
    response = operator_client.post(
        PROBLEMS, {"content": "<p>\n\n{% for item in task.input.items %}\n</p>"}
    )

    (problem,) = response.json()["problems"]
    assert (problem["source"], problem["code"], problem["line"]) == (
        "template",
        "LiquidSyntaxError",
        4,
    )


def test_a_sample_input_that_is_not_json_is_reported_with_its_line(operator_client):
    response = operator_client.post(
        PROBLEMS, {"content": TEMPLATE, "sample_input": '{\n  "text": "a cat",\n}'}
    )

    (problem,) = response.json()["problems"]
    assert problem["source"] == "input"
    assert (problem["line"], problem["column"]) == (3, 1)
    assert problem["text"].startswith("Sample input, line 3, column 1: is not JSON:")


def test_a_template_that_renders_has_no_problems(operator_client):
    response = operator_client.post(PROBLEMS, {"content": TEMPLATE, "sample_input": "{}"})

    assert response.json() == {"problems": []}


def test_an_empty_template_is_a_problem(operator_client):
    response = operator_client.post(PROBLEMS, {"content": "", "sample_input": "{}"})

    assert response.json()["problems"][0]["text"] == "Template: the template is empty"


def test_a_template_over_128000_characters_is_a_problem(operator_client):
    response = operator_client.post(PROBLEMS, {"content": "x" * 128_001})

    (problem,) = response.json()["problems"]
    assert "at most 128000 characters" in problem["message"]


@pytest.mark.parametrize("url", [PREVIEW, PROBLEMS])
def test_the_preview_takes_posts_only(operator_client, url):
    assert operator_client.get(url).status_code == 405


@pytest.mark.parametrize("url", [PREVIEW, PROBLEMS])
def test_the_preview_is_not_for_anonymous_visitors(client, url):
    response = client.post(url, {"content": TEMPLATE})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", [PREVIEW, PROBLEMS])
def test_the_preview_is_not_for_reviewers(client, reviewer, url):
    client.force_login(reviewer)

    response = client.post(url, {"content": TEMPLATE})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_preview_needs_a_permission_on_task_uis(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    assert client.post(PREVIEW, {"content": TEMPLATE}).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_humantaskui"))
    staff = type(staff).objects.get(pk=staff.pk)
    client.force_login(staff)
    assert client.post(PREVIEW, {"content": TEMPLATE}).status_code == 200


def test_the_preview_needs_the_csrf_token(operator):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(operator)

    assert strict.post(PREVIEW, {"content": TEMPLATE}).status_code == 403
