"""A Textract or Rekognition flow definition that names no task UI gets its request source's
default worker template, made from A2I's own and reading the input a built-in loop carries."""

import html
import json
import re
from typing import Any

import pytest

from a2i_portal.errors import Invalid
from tests.api.conftest import key_client
from tests.factories import HumanTaskUiFactory, WorkTeamFactory
from tests.reviews.services.builtin_calls import (
    LOW_EMPLOYEE_NAME,
    REKOGNITION,
    SUGGESTIVE_OR_SWIMWEAR,
    TEXTRACT,
    activate_rekognition,
    activate_textract,
)
from tests.workflows.admin_forms import flow_definition_form
from workflows import samples
from workflows.models import FlowDefinition, HumanTaskUi
from workflows.services.flow_definitions import create_flow_definition
from workflows.templating.engine import problems_of, render

pytestmark = pytest.mark.django_db

FLOWS = "/api/v1/flow-definitions/"
ADMIN_ADD = "/admin/workflows/flowdefinition/add/"
CUSTOM_PROBLEM = (
    "is required for a custom flow definition; only a Textract or Rekognition flow definition "
    "gets a default one"
)


def create(name: str = "forms", **changes: Any) -> FlowDefinition:
    values = {
        "name": name,
        "work_team": WorkTeamFactory(),
        "task_title": "Review the form",
        "task_description": "Check the fields",
        "output_path": "s3://bucket/a2i",
        "request_source": TEXTRACT,
        **changes,
    }
    return create_flow_definition(**values)


# The service


@pytest.mark.parametrize(
    "source, name, sample",
    [
        (TEXTRACT, "default-textract-forms-v1", "textract-form-review"),
        (REKOGNITION, "default-rekognition-moderation-v3", "moderation-review"),
    ],
)
def test_a_built_in_flow_definition_without_a_task_ui_gets_the_default_one(source, name, sample):
    flow = create(request_source=source)

    assert flow.task_ui.name == name
    assert flow.task_ui.content == samples.BY_SLUG[sample].template
    assert problems_of(flow.task_ui.content) == []


def test_the_default_task_ui_is_made_once_and_shared(db):
    first, second = create("forms-1"), create("forms-2")

    assert first.task_ui == second.task_ui
    assert HumanTaskUi.objects.count() == 1


def test_an_operators_edit_of_the_default_is_what_later_flow_definitions_get(db):
    edited = HumanTaskUiFactory(name="default-textract-forms-v1", content="<crowd-form/>")

    assert create().task_ui == edited


def test_a_named_task_ui_is_kept_for_a_built_in_flow_definition(db):
    own = HumanTaskUiFactory()

    assert create(task_ui=own).task_ui == own
    assert HumanTaskUi.objects.count() == 1


def test_a_custom_flow_definition_without_a_task_ui_is_refused(db):
    with pytest.raises(Invalid) as caught:
        create(request_source="")

    assert (caught.value.field, caught.value.message) == ("task_ui", CUSTOM_PROBLEM)
    assert not HumanTaskUi.objects.exists()


def test_a_refused_built_in_flow_definition_leaves_no_default_task_ui_behind(db):
    with pytest.raises(Invalid):
        create(name="Forms_1")

    assert not HumanTaskUi.objects.exists()


# The native API and the admin


def test_the_api_creates_a_built_in_flow_definition_without_a_task_ui(operator):
    body = {
        "name": "forms",
        "work_team": WorkTeamFactory().name,
        "request_source": REKOGNITION,
        "task_title": "Review the image",
        "task_description": "Choose the labels that apply",
        "output_path": "s3://bucket/a2i",
    }

    response = key_client(operator).post(FLOWS, body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["task_ui"] == "default-rekognition-moderation-v3"


def test_the_api_refuses_a_custom_flow_definition_without_a_task_ui(operator):
    body = {
        "name": "claims",
        "work_team": WorkTeamFactory().name,
        "task_title": "Review",
        "task_description": "Check",
        "output_path": "s3://bucket/a2i",
    }

    response = key_client(operator).post(FLOWS, body, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": "Invalid", "field": "task_ui", "message": CUSTOM_PROBLEM}


def form_data(**changes: Any) -> dict[str, Any]:
    defaults = {
        "name": "forms",
        "work_team": WorkTeamFactory().pk,
        "request_source": TEXTRACT,
        "task_title": "Review the form",
        "task_description": "Check the fields",
    }
    return flow_definition_form(**defaults | changes)


def test_the_admin_creates_a_built_in_flow_definition_without_a_task_ui(operator_client):
    response = operator_client.post(ADMIN_ADD, form_data())

    assert response.status_code == 302
    assert FlowDefinition.objects.get().task_ui.name == "default-textract-forms-v1"


def test_the_admin_refuses_a_custom_flow_definition_without_a_task_ui(operator_client):
    response = operator_client.post(ADMIN_ADD, form_data(request_source=""))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["task_ui"] == [CUSTOM_PROBLEM]
    assert not FlowDefinition.objects.exists()


# What the defaults show a reviewer of a loop started by activate_loop()


def attribute(page: str, tag: str, name: str) -> str:
    """The unescaped value of attribute `name` of the first `tag` element."""
    element = re.search(rf"<{tag}\b(.*?)>", page, re.S).group(1)
    quoted = re.search(rf"""\b{name}=(?:"([^"]*)"|'([^']*)')""", element)
    return html.unescape(quoted.group(1) if quoted.group(1) is not None else quoted.group(2))


def test_the_textract_default_passes_the_widget_the_document_blocks_and_keys(settings):
    settings.SITE_URL = "https://portal.example"
    flow = create(activation_conditions=LOW_EMPLOYEE_NAME)
    loop = activate_textract(flow).loop

    page = render(flow.task_ui.content, task_input=loop.task_input)

    assert "<crowd-form>" in page
    widget = "crowd-textract-analyze-document"
    assert attribute(page, widget, "src").startswith(
        "https://portal.example/objects/input-bucket/document-demo.jpg?expires="
    )
    assert (
        json.loads(attribute(page, widget, "initial-value"))
        == (loop.task_input["selectedAiServiceResponse"]["blocks"])
    )
    assert json.loads(attribute(page, widget, "keys")) == [
        {"importantFormKey": "Employee Name", "importantFormKeyAliases": ["Name", "EmployeeName"]}
    ]


def test_the_rekognition_default_passes_the_widget_the_image_and_the_selected_labels(settings):
    settings.SITE_URL = "https://portal.example"
    flow = create(request_source=REKOGNITION, activation_conditions=SUGGESTIVE_OR_SWIMWEAR)
    loop = activate_rekognition(flow).loop

    page = render(flow.task_ui.content, task_input=loop.task_input)

    widget = "crowd-rekognition-detect-moderation-labels"
    assert attribute(page, widget, "src").startswith(
        "https://portal.example/objects/input-bucket/beach.jpg?expires="
    )
    categories = re.sub(r"\s+", " ", attribute(page, widget, "categories"))
    assert categories == '[ { name: "Suggestive", parentName: "", }, ]'
    assert "None of the above" in attribute(page, widget, "exclusion-category")
