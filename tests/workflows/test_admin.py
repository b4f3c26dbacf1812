"""The operator console for configuration: templates checked like the API, deletion as A2I does it."""

from __future__ import annotations

import pytest

from workflows.models import FlowDefinition, HumanTaskUi

pytestmark = pytest.mark.django_db


def test_a_template_that_does_not_parse_is_refused_with_the_line(operator_client):
    response = operator_client.post(
        "/admin/workflows/humantaskui/add/",
        {"name": "broken", "content": "<crowd-form>\n{{ task.input.text | nope }}\n</crowd-form>"},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["content"]
    assert errors == [
        "must be a Liquid template that parses: line 2, column 22: unknown filter 'nope'"
    ]
    assert not HumanTaskUi.objects.exists()


def test_an_edited_template_that_parses_is_saved(operator_client, flow):
    task_ui = flow.task_ui

    response = operator_client.post(
        f"/admin/workflows/humantaskui/{task_ui.pk}/change/",
        {"name": task_ui.name, "content": "<crowd-form>{{ task.input.text }}</crowd-form>"},
    )

    assert response.status_code == 302
    task_ui.refresh_from_db()
    assert task_ui.content == "<crowd-form>{{ task.input.text }}</crowd-form>"


def test_the_admin_deletes_a_flow_definition_through_deleting(
    operator_client, flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            "/admin/workflows/flowdefinition/",
            {"action": "delete_as_a2i_does", "_selected_action": [flow.pk], "confirm": "yes"},
            follow=True,
        )

    assert response.status_code == 200
    assert "is Deleting" in response.content.decode()
    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()  # no loops: removed at once


def test_the_admin_offers_no_delete_that_skips_deleting(operator_client, flow):
    response = operator_client.get(f"/admin/workflows/flowdefinition/{flow.pk}/delete/")

    assert response.status_code == 403
    assert FlowDefinition.objects.filter(pk=flow.pk).exists()
