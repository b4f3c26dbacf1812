import pytest
from drf_spectacular.generators import SchemaGenerator

from reviews.models import HumanLoop
from tests.factories import FlowDefinitionFactory
from workflows.models import FlowDefinition

pytestmark = pytest.mark.django_db

FLOWS = "/api/v1/flow-definitions/"


def status_of(flow):
    return FlowDefinition.objects.values_list("status", flat=True).get(pk=flow.pk)


def test_staff_delete_a_flow_definition_and_get_it_back_deleting(staff_api, flow):
    response = staff_api.delete(f"{FLOWS}{flow.name}/")

    assert response.status_code == 202, response.data
    assert response.json()["name"] == flow.name
    assert response.json()["status"] == "Deleting"
    assert status_of(flow) == FlowDefinition.Status.DELETING


def test_a_deleting_flow_definition_reads_deleting_in_the_list_and_on_its_own(
    staff_api, api, claimed_slot, flow
):
    staff_api.delete(f"{FLOWS}{flow.name}/")

    assert api.get(f"{FLOWS}{flow.name}/").json()["status"] == "Deleting"
    assert [(f["name"], f["status"]) for f in api.get(FLOWS).json()] == [(flow.name, "Deleting")]


def test_once_committed_a_flow_definition_without_loops_is_gone_and_its_name_free(
    staff_api, flow, django_capture_on_commit_callbacks
):
    body = {
        "name": flow.name,
        "work_team": flow.work_team.name,
        "task_ui": flow.task_ui.name,
        "task_title": flow.task_title,
        "task_description": flow.task_description,
        "output_path": flow.output_path,
    }

    with django_capture_on_commit_callbacks(execute=True):
        deleted = staff_api.delete(f"{FLOWS}{flow.name}/")

    assert deleted.status_code == 202
    assert staff_api.get(f"{FLOWS}{flow.name}/").status_code == 404
    assert staff_api.get(FLOWS).json() == []
    assert staff_api.post(FLOWS, body, format="json").status_code == 201


def test_once_committed_a_loop_nobody_started_goes_with_its_flow_definition(
    staff_api, open_loop, flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_api.delete(f"{FLOWS}{flow.name}/")

    assert not HumanLoop.objects.exists()
    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()


def test_deleting_twice_is_a_conflict_naming_the_rule(staff_api, claimed_slot, flow):
    staff_api.delete(f"{FLOWS}{flow.name}/")

    response = staff_api.delete(f"{FLOWS}{flow.name}/")

    assert response.status_code == 409
    assert response.json()["error"] == "Conflict"
    assert response.json()["field"] == "status"
    assert "only an Active flow definition can be deleted" in response.json()["message"]
    assert status_of(flow) == FlowDefinition.Status.DELETING


def test_only_staff_delete_flow_definitions(api, flow):
    response = api.delete(f"{FLOWS}{flow.name}/")

    assert response.status_code == 403
    assert status_of(flow) == FlowDefinition.Status.ACTIVE


def test_an_unknown_flow_definition_is_not_found(staff_api):
    FlowDefinitionFactory(name="claims")

    response = staff_api.delete(f"{FLOWS}nothing-here/")

    assert response.status_code == 404
    assert response.json()["field"] == "name"
    assert "nothing-here" in response.json()["message"]
    assert FlowDefinition.objects.get().status == FlowDefinition.Status.ACTIVE


def test_the_schema_documents_the_deletion():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    operation = schema["paths"]["/api/v1/flow-definitions/{name}/"]["delete"]

    assert set(operation["responses"]) == {"202", "404", "409"}
    assert "Deleting" in operation["description"]
    content = operation["responses"]["202"]["content"]["application/json"]["schema"]
    assert content == {"$ref": "#/components/schemas/FlowDefinition"}
