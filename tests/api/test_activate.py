"""POST /api/v1/human-loops/activate/: an AI service's request and response (or a custom model's
prediction) in, A2I's activation output out, and a loop only when the conditions hold."""

import json
from datetime import timedelta

import pytest

from reviews.models import HumanLoop, LoopActivation, LoopEvent
from tests.factories import (
    FlowDefinitionFactory,
    HumanLoopFactory,
    RekognitionFlowDefinitionFactory,
    TextractFlowDefinitionFactory,
)
from tests.reviews.services.builtin_calls import (
    LOW_EMPLOYEE_NAME,
    LOW_NET_PAY,
    LOW_SCORE,
    SUGGESTIVE_OR_SWIMWEAR,
    prediction,
    rekognition_request,
    rekognition_response,
    textract_request,
    textract_response,
)

pytestmark = pytest.mark.django_db

ACTIVATE = "/api/v1/human-loops/activate/"


@pytest.fixture
def textract_flow(team):  # noqa: ANN001, ANN201
    return TextractFlowDefinitionFactory(
        name="payroll-forms", work_team=team, activation_conditions=LOW_EMPLOYEE_NAME
    )


def activate(api, flow, name="form-1", **body):  # noqa: ANN001, ANN201
    body = {
        "name": name,
        "flow_definition": flow.name,
        "ai_service_request": textract_request(),
        "ai_service_response": textract_response(),
        **body,
    }
    body = {key: value for key, value in body.items() if value is not None}  # None: leave out
    return api.post(ACTIVATE, body, format="json")


def nothing_written() -> bool:
    return not (
        HumanLoop.objects.exists() or LoopEvent.objects.exists() or LoopActivation.objects.exists()
    )


def test_a_textract_response_meeting_the_conditions_answers_201_with_the_loop(
    api, textract_flow, clock
):
    response = activate(api, textract_flow)

    assert response.status_code == 201, response.json()
    body = response.json()
    loop = HumanLoop.objects.get()
    assert body["started"] is True
    assert body["conditions_hold"] is True
    assert body["human_loop"]["name"] == "form-1"
    assert body["human_loop"]["arn"] == loop.arn
    assert body["human_loop"]["status"] == "InProgress"
    assert body["activation_output"]["HumanLoopArn"] == loop.arn
    assert body["activation_output"]["HumanLoopActivationReasons"] == ["ConditionsEvaluation"]
    results = json.loads(
        body["activation_output"]["HumanLoopActivationConditionsEvaluationResults"]
    )
    assert results["Conditions"][0]["EvaluationResult"] is True


def test_a_response_not_meeting_the_conditions_answers_200_without_a_loop(api, team):
    flow = TextractFlowDefinitionFactory(work_team=team, activation_conditions=LOW_NET_PAY)

    response = activate(api, flow)

    assert response.status_code == 200
    body = response.json()
    assert (body["started"], body["conditions_hold"], body["human_loop"]) == (False, False, None)
    assert list(body["activation_output"]) == ["HumanLoopActivationConditionsEvaluationResults"]
    assert nothing_written()


def test_a_dry_run_shows_what_would_happen_and_writes_nothing(api, textract_flow):
    response = activate(api, textract_flow, dry_run=True)

    assert response.status_code == 200
    body = response.json()
    assert (body["started"], body["conditions_hold"], body["human_loop"]) == (False, True, None)
    assert "HumanLoopArn" not in body["activation_output"]
    assert body["activation_output"]["HumanLoopActivationReasons"] == ["ConditionsEvaluation"]
    assert nothing_written()


def test_a_rekognition_flow_definition_is_named_by_its_arn(api, team, clock):
    flow = RekognitionFlowDefinitionFactory(
        name="moderation", work_team=team, activation_conditions=SUGGESTIVE_OR_SWIMWEAR
    )

    response = activate(
        api,
        flow,
        name="image-1",
        flow_definition=flow.arn,
        ai_service_request=rekognition_request(),
        ai_service_response=rekognition_response(),
        data_attributes={"ContentClassifiers": ["FreeOfAdultContent"]},
    )

    assert response.status_code == 201, response.json()
    loop = HumanLoop.objects.get()
    assert loop.data_attributes == {"ContentClassifiers": ["FreeOfAdultContent"]}
    assert loop.task_input["selectedAiServiceResponse"]["moderationLabels"][0]["name"] == (
        "Suggestive"
    )


def test_a_retry_of_the_same_call_answers_200_with_the_same_loop(api, textract_flow, clock):
    first = activate(api, textract_flow)
    clock.advance(timedelta(seconds=5))

    again = activate(api, textract_flow)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert HumanLoop.objects.count() == 1


def test_the_same_name_with_another_request_is_a_conflict(api, textract_flow):
    activate(api, textract_flow)

    response = activate(api, textract_flow, ai_service_request=textract_request("other.png"))

    assert response.status_code == 409
    assert response.json()["field"] == "name"


def test_a_custom_prediction_is_routed_by_the_flow_definitions_routing_conditions(api, team):
    flow = FlowDefinitionFactory(name="cats", work_team=team, routing_conditions=LOW_SCORE)

    unsure = activate(
        api,
        flow,
        name="cat-1",
        prediction=prediction(0.35),
        ai_service_request=None,
        ai_service_response=None,
    )
    sure = activate(
        api,
        flow,
        name="cat-2",
        prediction=prediction(0.97),
        ai_service_request=None,
        ai_service_response=None,
    )

    assert (unsure.status_code, sure.status_code) == (201, 200)
    assert [loop.name for loop in HumanLoop.objects.all()] == ["cat-1"]
    assert HumanLoop.objects.get().task_input == prediction(0.35)


# Refusals, in the domain's shape


@pytest.mark.parametrize(
    "changes, status, field",
    [
        ({"name": "Form_1"}, 400, "name"),
        ({"flow_definition": "nope"}, 404, "flow_definition"),
        ({"ai_service_request": None}, 400, "ai_service_request"),
        ({"ai_service_response": ["Blocks"]}, 400, "ai_service_response"),
        ({"ai_service_response": {"Blocks": [{"Id": 1}]}}, 400, "ai_service_response"),
        ({"prediction": {"score": 1}}, 400, "prediction"),
        ({"data_attributes": {"ContentClassifiers": ["Nope"]}}, 400, "data_attributes"),
    ],
)
def test_a_refusal_names_the_field_and_the_rule_and_writes_nothing(
    api, textract_flow, changes, status, field
):
    response = activate(api, textract_flow, **changes)

    assert response.status_code == status, response.json()
    body = response.json()
    assert set(body) == {"error", "field", "message"}
    assert body["field"] == field
    assert nothing_written()


def test_a_bad_path_in_the_response_is_named_in_the_message(api, textract_flow):
    response = activate(api, textract_flow, ai_service_response={"Blocks": [{"Id": 1}]})

    assert response.json()["message"] == "Blocks[0].Id: must be a string, not a number"


def test_a_custom_flow_definition_without_routing_conditions_is_refused(api, flow):
    response = activate(
        api, flow, ai_service_request=None, ai_service_response=None, prediction=prediction()
    )

    assert response.status_code == 400
    assert response.json()["message"].endswith("has no routing conditions; call StartHumanLoop")


def test_shapes_the_serializer_checks_are_refused_by_field(api, textract_flow):
    response = activate(api, textract_flow, name=5, dry_run="maybe")

    assert response.status_code == 400
    assert set(response.json()) == {"name", "dry_run"}
    assert nothing_written()


def test_an_anonymous_caller_is_refused(client, textract_flow):
    response = client.post(ACTIVATE, {}, content_type="application/json")

    assert response.status_code in (401, 403)


def test_an_activation_costs_a_bounded_number_of_queries(
    api, textract_flow, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        response = activate(api, textract_flow)

    assert response.status_code == 201


def test_a_loop_named_activate_is_still_described_and_deleted_at_its_url(api, flow):
    HumanLoopFactory(name="activate", flow_definition=flow)

    described = api.get(ACTIVATE)

    assert described.status_code == 200
    assert described.json()["name"] == "activate"
    assert api.delete(ACTIVATE).status_code == 409  # InProgress: as at any loop's URL
