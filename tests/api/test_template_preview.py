"""The native equivalent of RenderUiTemplate, and the parse check on creating a template."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from workflows.models import HumanTaskUi

pytestmark = pytest.mark.django_db


def test_a_stored_template_renders_with_a_sample_input(api, flow):
    response = api.post(
        f"/api/v1/human-task-uis/{flow.task_ui.name}/render/",
        {"input": {"text": "Tom & Jerry"}},
        format="json",
    )

    assert response.status_code == 200
    assert 'header="Tom &amp; Jerry"' in response.json()["rendered_content"]
    assert response.json()["errors"] == []


def test_an_unsaved_template_renders_with_a_sample_input(api):
    response = api.post(
        "/api/v1/human-task-uis/render/",
        {"content": "<p>{{ task.input.labels }}</p>", "input": {"labels": ["a", "b"]}},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "rendered_content": "<p>[&quot;a&quot;, &quot;b&quot;]</p>",
        "errors": [],
    }


def test_a_template_problem_is_reported_with_its_line_not_as_an_error_status(api):
    response = api.post(
        "/api/v1/human-task-uis/render/",
        {"content": "<p>\n{{ task.input | nope }}</p>", "input": {}},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "rendered_content": "",
        "errors": [
            {
                "code": "UndefinedFilter",
                "message": "line 2, column 17: unknown filter 'nope'",
                "line": 2,
                "column": 17,
            }
        ],
    }


def test_a_preview_without_input_is_refused_naming_the_field(api):
    response = api.post("/api/v1/human-task-uis/render/", {"content": "<p>x</p>"}, format="json")

    assert response.status_code == 400
    assert "input" in response.json()


def test_a_preview_of_an_unknown_template_is_not_found(api):
    response = api.post("/api/v1/human-task-uis/nope/render/", {"input": {}}, format="json")

    assert response.status_code == 404
    assert response.json()["field"] == "name"


def test_a_preview_needs_an_authenticated_caller():
    response = APIClient().post("/api/v1/human-task-uis/render/", {"input": {}}, format="json")

    assert response.status_code in (401, 403)


def test_creating_a_template_that_does_not_parse_is_refused_with_the_line(staff_api):
    response = staff_api.post(
        "/api/v1/human-task-uis/",
        {"name": "broken", "content": "<crowd-form>\n{% if task.input.x %}\n</crowd-form>"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["field"] == "content"
    assert "must be a Liquid template that parses" in response.json()["message"]
    assert "expected tag endif" in response.json()["message"]
    assert not HumanTaskUi.objects.exists()
