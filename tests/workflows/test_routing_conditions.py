"""Routing conditions on custom flow definitions: accepted and shown by the native API and the
admin, and refused by both with the same words, naming where a document breaks which rule."""

import json
from typing import Any

import pytest

from a2i_portal.errors import Invalid
from tests.api.conftest import key_client
from tests.factories import FlowDefinitionFactory, HumanTaskUiFactory, WorkTeamFactory
from tests.workflows.activation.support import conditions, prediction_check, sampling
from tests.workflows.admin_forms import flow_definition_form
from workflows.models import FlowDefinition
from workflows.services.flow_definitions import create_flow_definition

pytestmark = pytest.mark.django_db

FLOWS = "/api/v1/flow-definitions/"
ADMIN_ADD = "/admin/workflows/flowdefinition/add/"
TEXTRACT = "AWS/Textract/AnalyzeDocument/Forms/V1"

LOW_SCORE = conditions(
    {"Or": [prediction_check("$.labels[*].score", "LessThan", 0.8), sampling(5)]}
)
BAD_COMPARATOR = conditions(prediction_check("$.score", "Below", 0.8))
BAD_COMPARATOR_PROBLEM = (
    "Conditions[0].ConditionParameters.Comparator: must be one of Equals, NotEquals, LessThan, "
    "LessThanEquals, GreaterThan, GreaterThanEquals, In, NotIn, not 'Below'"
)
ONE_MEMBER_OR = conditions({"Or": [sampling(5)]})
ONE_MEMBER_OR_PROBLEM = "Conditions[0].Or: must have at least 2 members, not 1"
ON_BUILT_IN_PROBLEM = (
    "are only allowed with a custom request source; a Textract or Rekognition flow definition "
    "is decided by its activation conditions"
)


# Native API


@pytest.fixture
def staff_api(operator):  # noqa: ANN001, ANN201
    return key_client(operator)


def flow_body(**changes: Any) -> dict[str, Any]:
    return {
        "name": "cat-review",
        "work_team": WorkTeamFactory().name,
        "task_ui": HumanTaskUiFactory().name,
        "task_title": "Review the label",
        "task_description": "Check the model's label",
        "output_path": "s3://bucket/a2i",
        **changes,
    }


def test_a_custom_flow_definition_is_created_with_routing_conditions(staff_api):
    response = staff_api.post(FLOWS, flow_body(routing_conditions=LOW_SCORE), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["routing_conditions"] == LOW_SCORE
    assert FlowDefinition.objects.get().routing_conditions == LOW_SCORE


def test_routing_conditions_are_shown_in_the_detail_and_the_list(staff_api):
    FlowDefinitionFactory(name="cat-review", routing_conditions=LOW_SCORE)
    FlowDefinitionFactory(name="plain")

    detail = staff_api.get(f"{FLOWS}cat-review/").json()
    listed = {flow["name"]: flow["routing_conditions"] for flow in staff_api.get(FLOWS).json()}

    assert detail["routing_conditions"] == LOW_SCORE
    assert listed == {"cat-review": LOW_SCORE, "plain": None}


@pytest.mark.parametrize(
    "document, problem",
    [(BAD_COMPARATOR, BAD_COMPARATOR_PROBLEM), (ONE_MEMBER_OR, ONE_MEMBER_OR_PROBLEM)],
)
def test_the_api_refuses_a_bad_document_with_the_path_and_the_rule(staff_api, document, problem):
    response = staff_api.post(FLOWS, flow_body(routing_conditions=document), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid",
        "field": "routing_conditions",
        "message": problem,
    }
    assert not FlowDefinition.objects.exists()


def test_the_api_refuses_routing_conditions_on_a_built_in_flow_definition(staff_api):
    body = flow_body(request_source=TEXTRACT, routing_conditions=LOW_SCORE)

    response = staff_api.post(FLOWS, body, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "routing_conditions"
    assert response.json()["message"] == ON_BUILT_IN_PROBLEM
    assert not FlowDefinition.objects.exists()


def test_routing_conditions_that_are_not_an_object_are_refused_by_shape(staff_api):
    response = staff_api.post(FLOWS, flow_body(routing_conditions=[1]), format="json")

    assert response.status_code == 400
    assert "routing_conditions" in response.json()


def test_the_service_refuses_what_the_api_refuses(team):
    with pytest.raises(Invalid) as caught:
        create_flow_definition(
            name="cat-review",
            work_team=team,
            task_ui=HumanTaskUiFactory(),
            task_title="t",
            task_description="d",
            output_path="s3://bucket/a2i",
            routing_conditions=BAD_COMPARATOR,
        )

    assert (caught.value.field, caught.value.message) == (
        "routing_conditions",
        BAD_COMPARATOR_PROBLEM,
    )


def test_the_database_refuses_routing_conditions_on_a_built_in_flow_definition():
    from django.db import IntegrityError, transaction

    flow = FlowDefinitionFactory(request_source=TEXTRACT)
    flow.routing_conditions = LOW_SCORE

    with pytest.raises(IntegrityError), transaction.atomic():
        flow.save()


# Admin


def form_data(**changes: Any) -> dict[str, Any]:
    defaults = {
        "name": "cat-review",
        "work_team": WorkTeamFactory().pk,
        "task_ui": HumanTaskUiFactory().pk,
        "task_title": "Review the label",
        "task_description": "Check the model's label",
    }
    return flow_definition_form(**defaults | changes)


def errors_of(response: Any) -> dict[str, list[str]]:
    return response.context["adminform"].form.errors


def test_the_admin_creates_a_flow_definition_with_routing_conditions(operator_client):
    response = operator_client.post(ADMIN_ADD, form_data(routing_conditions=json.dumps(LOW_SCORE)))

    assert response.status_code == 302
    assert FlowDefinition.objects.get().routing_conditions == LOW_SCORE


@pytest.mark.parametrize(
    "document, problem",
    [(BAD_COMPARATOR, BAD_COMPARATOR_PROBLEM), (ONE_MEMBER_OR, ONE_MEMBER_OR_PROBLEM)],
)
def test_the_admin_refuses_a_bad_document_with_the_path_and_the_rule(
    operator_client, document, problem
):
    response = operator_client.post(ADMIN_ADD, form_data(routing_conditions=json.dumps(document)))

    assert response.status_code == 200
    assert errors_of(response)["routing_conditions"] == [problem]
    assert not FlowDefinition.objects.exists()


def test_the_admin_refuses_routing_conditions_on_a_built_in_flow_definition(operator_client):
    response = operator_client.post(
        ADMIN_ADD,
        form_data(request_source=TEXTRACT, routing_conditions=json.dumps(LOW_SCORE)),
    )

    assert errors_of(response)["routing_conditions"] == [ON_BUILT_IN_PROBLEM]
    assert not FlowDefinition.objects.exists()


def test_the_admin_refuses_routing_conditions_that_are_not_json_with_where(operator_client):
    response = operator_client.post(ADMIN_ADD, form_data(routing_conditions='{"Conditions": ['))

    (error,) = errors_of(response)["routing_conditions"]
    assert error.startswith("is not JSON: Expecting value (line 1, column 17)")


def test_the_flow_definition_page_shows_its_routing_conditions(operator_client):
    flow = FlowDefinitionFactory(routing_conditions=LOW_SCORE)

    page = operator_client.get(f"/admin/workflows/flowdefinition/{flow.pk}/change/")

    assert "Routing conditions" in page.content.decode()
    assert '<pre class="json-view">{\n  &quot;Conditions&quot;: [' in page.content.decode()
