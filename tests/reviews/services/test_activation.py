"""activate_loop(): a loop starts when the flow definition's conditions hold over a Textract or
Rekognition response (or, for a custom flow definition, its routing conditions over the
client's prediction), with A2I's activation output either way."""

import json

import pytest

from a2i_portal.errors import Conflict, Invalid, NotFound, QuotaExceeded
from reviews.models import HumanLoop, LoopActivation, LoopEvent, OpenSlot, TaskSlot
from reviews.services.activation import activate_loop
from tests.factories import (
    FlowDefinitionFactory,
    RekognitionFlowDefinitionFactory,
    StartedLoopFactory,
    TextractFlowDefinitionFactory,
)
from tests.reviews.services.builtin_calls import (
    LOW_EMPLOYEE_NAME,
    LOW_NET_PAY,
    LOW_SCORE,
    MISSING_BANK_ACCOUNT,
    SUGGESTIVE_OR_SWIMWEAR,
    VIOLENCE_ABOVE_90,
    activate_built_in,
    activate_rekognition,
    activate_textract,
    prediction,
    textract_request,
    textract_response,
)
from tests.workflows.activation.support import Draws, conditions, sampling
from workflows import limits
from workflows.models import FlowDefinition

pytestmark = pytest.mark.django_db

WRITTEN = (HumanLoop, TaskSlot, OpenSlot, LoopEvent, LoopActivation)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


NOTHING = {model.__name__: 0 for model in WRITTEN}


@pytest.fixture
def textract_flow(team):  # noqa: ANN001, ANN201
    return TextractFlowDefinitionFactory(
        name="payroll-forms", work_team=team, activation_conditions=LOW_EMPLOYEE_NAME
    )


@pytest.fixture
def rekognition_flow(team):  # noqa: ANN001, ANN201
    return RekognitionFlowDefinitionFactory(
        name="moderation", work_team=team, activation_conditions=SUGGESTIVE_OR_SWIMWEAR
    )


@pytest.fixture
def routed_flow(team):  # noqa: ANN001, ANN201
    return FlowDefinitionFactory(name="cats", work_team=team, routing_conditions=LOW_SCORE)


# Built-in flow definitions: the conditions decide


def test_a_textract_response_meeting_the_conditions_starts_a_loop_in_progress(textract_flow):
    outcome = activate_textract(textract_flow)

    assert outcome.starts
    loop = HumanLoop.objects.get()
    assert outcome.loop == loop
    assert loop.name == "form-1"
    assert loop.flow_definition == textract_flow
    assert loop.status == HumanLoop.Status.IN_PROGRESS


def test_the_activation_output_of_a_started_loop_is_a2is(textract_flow):
    outcome = activate_textract(textract_flow)

    assert list(outcome.output) == [
        "HumanLoopArn",
        "HumanLoopActivationReasons",
        "HumanLoopActivationConditionsEvaluationResults",
    ]
    assert outcome.output["HumanLoopArn"] == outcome.loop.arn
    assert outcome.output["HumanLoopActivationReasons"] == ["ConditionsEvaluation"]
    results = json.loads(outcome.output["HumanLoopActivationConditionsEvaluationResults"])
    assert results == {
        "Conditions": [{**LOW_EMPLOYEE_NAME["Conditions"][0], "EvaluationResult": True}]
    }


def test_a_response_not_meeting_the_conditions_starts_nothing_and_says_why(team):
    flow = TextractFlowDefinitionFactory(work_team=team, activation_conditions=LOW_NET_PAY)

    outcome = activate_textract(flow)

    assert not outcome.starts
    assert outcome.loop is None
    assert list(outcome.output) == ["HumanLoopActivationConditionsEvaluationResults"]
    results = json.loads(outcome.output["HumanLoopActivationConditionsEvaluationResults"])
    assert results["Conditions"][0]["EvaluationResult"] is False
    assert counts() == NOTHING


def test_a_built_in_flow_definition_without_conditions_starts_a_loop_for_every_request(team):
    flow = TextractFlowDefinitionFactory(work_team=team)

    outcome = activate_textract(flow)

    assert outcome.starts
    assert (
        outcome.loop.task_input["selectedAiServiceResponse"]["blocks"]
        == (outcome.loop.task_input["aiServiceResponse"]["blocks"])
    )


def test_a_rekognition_response_meeting_the_conditions_starts_a_loop(rekognition_flow):
    outcome = activate_rekognition(rekognition_flow)

    assert outcome.starts
    assert outcome.output["HumanLoopArn"] == HumanLoop.objects.get().arn


def test_a_rekognition_response_below_the_thresholds_starts_nothing(team):
    flow = RekognitionFlowDefinitionFactory(work_team=team, activation_conditions=VIOLENCE_ABOVE_90)

    outcome = activate_rekognition(flow)

    assert not outcome.starts
    assert counts() == NOTHING


# What a started loop is made of


def test_a_started_loop_has_task_count_open_slots_and_queue_rows(team):
    flow = TextractFlowDefinitionFactory(work_team=team, task_count=2)

    loop = activate_textract(flow).loop

    assert [s.state for s in loop.slots.order_by("index")] == [TaskSlot.State.OPEN] * 2
    assert OpenSlot.objects.filter(loop=loop).count() == 2


def test_a_started_loop_records_its_in_progress_event_in_the_outbox(textract_flow):
    loop = activate_textract(textract_flow).loop

    event = LoopEvent.objects.get()
    assert (event.loop, event.previous_status, event.status) == (loop, "", "InProgress")
    assert event.payload["detail"]["humanLoopName"] == "form-1"


def test_the_activation_is_kept_beside_the_loop(textract_flow):
    outcome = activate_textract(textract_flow, data_attributes=None)

    activation = LoopActivation.objects.get(loop=outcome.loop)
    assert activation.ai_service_request == {
        **textract_request(),
        "HumanLoopConfig": {"HumanLoopName": "form-1", "FlowDefinitionArn": textract_flow.arn},
    }
    assert activation.ai_service_response == textract_response()
    assert activation.condition_results == json.loads(
        outcome.output["HumanLoopActivationConditionsEvaluationResults"]
    )
    assert activation.selected_response["blocks"]


def test_a_textract_loops_input_is_what_a2i_gives_a_built_in_template(textract_flow):
    task_input = activate_textract(textract_flow).loop.task_input

    assert list(task_input) == [
        "aiServiceRequest",
        "aiServiceResponse",
        "selectedAiServiceResponse",
        "humanTaskActivationConditionResults",
        "humanLoopContext",
    ]
    assert task_input["aiServiceRequest"] == {
        "document": {"s3Object": {"bucket": "input-bucket", "name": "document-demo.jpg"}},
        "featureTypes": ["TABLES", "FORMS"],
        "humanLoopConfig": {"humanLoopName": "form-1", "flowDefinitionArn": textract_flow.arn},
    }
    assert set(task_input["aiServiceResponse"]) == {
        "documentMetadata",
        "blocks",
        "analyzeDocumentModelVersion",
    }
    assert task_input["humanTaskActivationConditionResults"]["Conditions"][0]["EvaluationResult"]
    assert task_input["humanLoopContext"] == {
        "importantFormKeys": [
            {
                "importantFormKey": "Employee Name",
                "importantFormKeyAliases": ["Name", "EmployeeName"],
            }
        ]
    }


def test_reviewers_of_a_textract_loop_are_shown_the_pairs_that_met_the_conditions(textract_flow):
    selected = activate_textract(textract_flow).loop.task_input["selectedAiServiceResponse"]

    blocks = selected["blocks"]
    words = [b["text"] for b in blocks if b["blockType"] == "WORD"]
    assert words[:2] == ["Employee", "Name"]
    assert {b["blockType"] for b in blocks} == {"KEY_VALUE_SET", "WORD"}
    (key,) = [b for b in blocks if "KEY" in b.get("entityTypes", [])]
    assert {"geometry", "id", "relationships", "confidence"} <= set(key)
    assert set(key["geometry"]["boundingBox"]) == {"width", "height", "left", "top"}


def test_a_missing_key_is_reviewed_without_pairs_and_named_in_the_context(team):
    flow = TextractFlowDefinitionFactory(work_team=team, activation_conditions=MISSING_BANK_ACCOUNT)

    task_input = activate_textract(flow).loop.task_input

    assert task_input["selectedAiServiceResponse"] == {"blocks": []}
    assert task_input["humanLoopContext"]["importantFormKeys"] == [
        {"importantFormKey": "Bank Account", "importantFormKeyAliases": ["Account No."]}
    ]


def test_a_rekognition_loops_input_shows_reviewers_the_labels_that_met_the_conditions(
    rekognition_flow,
):
    task_input = activate_rekognition(rekognition_flow).loop.task_input

    assert list(task_input) == [
        "aiServiceRequest",
        "aiServiceResponse",
        "selectedAiServiceResponse",
        "humanTaskActivationConditionResults",
    ]
    assert task_input["aiServiceRequest"]["image"] == {
        "s3Object": {"bucket": "input-bucket", "name": "beach.jpg"}
    }
    assert task_input["selectedAiServiceResponse"] == {
        "moderationLabels": [
            {"confidence": 96.70999908447266, "name": "Suggestive", "parentName": ""}
        ],
        "moderationModelVersion": "6.1",
    }


def test_data_attributes_are_kept_on_the_loop_and_in_the_requests_loop_config(textract_flow):
    attributes = {"ContentClassifiers": ["FreeOfPersonallyIdentifiableInformation"]}

    loop = activate_textract(textract_flow, data_attributes=attributes).loop

    assert loop.data_attributes == attributes
    assert loop.task_input["aiServiceRequest"]["humanLoopConfig"]["dataAttributes"] == {
        "contentClassifiers": ["FreeOfPersonallyIdentifiableInformation"]
    }


def test_a_loop_config_the_client_copied_into_the_request_is_replaced_by_the_calls(
    textract_flow,
):
    request = {
        **textract_request(),
        "HumanLoopConfig": {"HumanLoopName": "elsewhere", "FlowDefinitionArn": "arn:other"},
    }

    loop = activate_textract(textract_flow, request=request).loop

    config = loop.task_input["aiServiceRequest"]["humanLoopConfig"]
    assert config == {"humanLoopName": "form-1", "flowDefinitionArn": textract_flow.arn}


# Sampling (§4.4)


def test_the_same_request_is_sampled_alike_every_time(team):
    flow = TextractFlowDefinitionFactory(
        work_team=team, activation_conditions=conditions(sampling(50))
    )
    decisions = {
        name: {
            activate_textract(flow, request=textract_request(name), dry_run=True).starts
            for _ in range(3)
        }
        for name in (f"scan-{n}.png" for n in range(12))
    }

    assert all(len(outcomes) == 1 for outcomes in decisions.values())
    assert {outcome for (outcome,) in decisions.values()} == {True, False}


def test_the_loop_name_takes_no_part_in_the_sampling_decision(team):
    flow = TextractFlowDefinitionFactory(
        work_team=team, activation_conditions=conditions(sampling(50))
    )

    outcomes = {activate_textract(flow, name=f"n-{n}", dry_run=True).starts for n in range(6)}

    assert len(outcomes) == 1


def test_a_given_random_source_decides_sampling_instead(team):
    flow = TextractFlowDefinitionFactory(
        work_team=team, activation_conditions=conditions(sampling(5))
    )

    assert activate_textract(flow, dry_run=True, rng=Draws(0.01)).starts
    assert not activate_textract(flow, dry_run=True, rng=Draws(0.99)).starts


# Dry runs


def test_a_dry_run_evaluates_and_writes_nothing(textract_flow):
    outcome = activate_textract(textract_flow, dry_run=True)

    assert outcome.starts
    assert outcome.loop is None
    assert "HumanLoopArn" not in outcome.output
    assert outcome.output["HumanLoopActivationReasons"] == ["ConditionsEvaluation"]
    assert counts() == NOTHING


def test_a_dry_run_of_a_name_in_use_is_still_only_an_evaluation(textract_flow):
    activate_textract(textract_flow)
    before = counts()

    outcome = activate_textract(textract_flow, response=textract_response(), dry_run=True)

    assert outcome.loop is None
    assert counts() == before


# Idempotency and names


def test_a_retry_of_the_same_call_answers_with_the_loop_it_started(textract_flow, clock):
    first = activate_textract(textract_flow)
    before = counts()

    again = activate_textract(textract_flow)

    assert again.loop == first.loop
    assert again.output == first.output
    assert counts() == before


def test_the_same_name_with_another_request_is_a_conflict(textract_flow):
    activate_textract(textract_flow)
    before = counts()

    with pytest.raises(Conflict) as caught:
        activate_textract(textract_flow, request=textract_request("another.png"))

    assert caught.value.field == "name"
    assert counts() == before


def test_the_name_of_a_loop_of_another_flow_definition_is_a_conflict(textract_flow, flow):
    StartedLoopFactory(name="form-1", flow_definition=flow)
    before = counts()

    with pytest.raises(Conflict, match="already exists"):
        activate_textract(textract_flow)

    assert counts() == before


def test_the_in_progress_quota_applies(textract_flow, settings):
    settings.A2I_MAX_IN_PROGRESS_LOOPS = 1
    activate_textract(textract_flow, name="form-1")

    with pytest.raises(QuotaExceeded):
        activate_textract(textract_flow, name="form-2", request=textract_request("b.png"))

    assert HumanLoop.objects.count() == 1


# Refusals: each names its field and writes nothing


def refused(error, field, call):  # noqa: ANN001, ANN201
    with pytest.raises(error) as caught:
        call()
    assert caught.value.field == field, caught.value
    assert counts() == NOTHING
    return caught.value.message


def test_a_bad_loop_name_is_refused(textract_flow):
    refused(Invalid, "name", lambda: activate_textract(textract_flow, name="Form_1"))


def test_bad_data_attributes_are_refused(textract_flow):
    attributes = {"ContentClassifiers": ["Nope"]}
    refused(
        Invalid,
        "data_attributes",
        lambda: activate_textract(textract_flow, data_attributes=attributes),
    )


def test_an_unknown_flow_definition_is_not_found(db):
    message = refused(
        NotFound,
        "flow_definition",
        lambda: activate_loop(name="x", flow_definition_name="nope", prediction={}),
    )
    assert "'nope'" in message


def test_a_flow_definition_that_is_not_active_starts_nothing(team):
    flow = TextractFlowDefinitionFactory(work_team=team, status=FlowDefinition.Status.DELETING)

    message = refused(Invalid, "flow_definition", lambda: activate_textract(flow))

    assert "Deleting" in message


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize(
    "field, request_, response, words",
    [
        ("ai_service_request", None, textract_response(), "is required"),
        ("ai_service_response", textract_request(), None, "is required"),
        ("ai_service_request", ["Document"], textract_response(), "must be a JSON object"),
        ("ai_service_response", textract_request(), "Blocks", "must be a JSON object"),
        (
            "ai_service_request",
            {"Document": {"Bytes": "aGVsbG8="}},
            textract_response(),
            "Document.S3Object.Bucket",
        ),
        ("ai_service_response", textract_request(), {"blocks": []}, "with Blocks"),
        (
            "ai_service_response",
            textract_request(),
            {"Blocks": [{"Id": 7, "BlockType": "WORD"}]},
            "Blocks[0].Id: must be a string, not a number",
        ),
        (
            "ai_service_response",
            textract_request(),
            {"Blocks": [{"Id": "a", "Relationships": [{"Type": "CHILD", "Ids": "b"}]}]},
            "Blocks[0].Relationships[0]",
        ),
    ],
)
def test_a_textract_call_it_cannot_read_is_refused_naming_the_field(
    textract_flow, field, request_, response, words, dry_run
):
    def call():  # noqa: ANN202
        return activate_built_in(
            textract_flow, name="form-1", request=request_, response=response, dry_run=dry_run
        )

    message = refused(Invalid, field, call)

    assert words in message


@pytest.mark.parametrize(
    "response, words",
    [
        ({"moderationLabels": []}, "with ModerationLabels"),
        ({"ModerationLabels": [{"Name": 3}]}, "ModerationLabels[0].Name: must be a string"),
    ],
)
def test_a_rekognition_response_it_cannot_read_is_refused_with_the_path(
    rekognition_flow, response, words
):
    def call():  # noqa: ANN202
        return activate_rekognition(rekognition_flow, response=response)

    assert words in refused(Invalid, "ai_service_response", call)


def test_a_rekognition_request_must_name_the_image_in_s3(rekognition_flow):
    def call():  # noqa: ANN202
        return activate_rekognition(rekognition_flow, request={"Image": {"Bytes": "aGVsbG8="}})

    assert "Image.S3Object.Bucket" in refused(Invalid, "ai_service_request", call)


def test_a_prediction_sent_to_a_built_in_flow_definition_is_refused(textract_flow):
    refused(Invalid, "prediction", lambda: activate_textract(textract_flow, prediction={"a": 1}))


def test_a_response_over_the_input_limit_is_refused_naming_it(textract_flow):
    response = {"Blocks": [], "Padding": "x" * limits.INPUT_CONTENT_MAX_LENGTH}

    message = refused(
        Invalid, "ai_service_response", lambda: activate_textract(textract_flow, response=response)
    )

    assert message.startswith(f"must serialize to at most {limits.INPUT_CONTENT_MAX_LENGTH}")


def test_a_response_whose_review_input_would_pass_the_limit_is_refused_naming_it(team):
    flow = TextractFlowDefinitionFactory(work_team=team)  # everything is selected: twice the size
    response = {"Blocks": [], "Padding": "x" * (limits.INPUT_CONTENT_MAX_LENGTH // 2 + 10)}

    message = refused(
        Invalid, "ai_service_response", lambda: activate_textract(flow, response=response)
    )

    assert "the loop's input would be" in message


# Custom flow definitions: routing conditions over the client's prediction


def test_a_prediction_meeting_the_routing_conditions_starts_a_loop_with_it_as_input(routed_flow):
    outcome = activate_loop(
        name="cat-1", flow_definition_name=routed_flow.name, prediction=prediction(0.35)
    )

    assert outcome.starts
    assert outcome.loop.task_input == prediction(0.35)
    assert outcome.output["HumanLoopArn"] == outcome.loop.arn


def test_a_routed_loops_activation_keeps_the_verdict_and_the_matches(routed_flow):
    loop = activate_loop(
        name="cat-1", flow_definition_name=routed_flow.name, prediction=prediction(0.35)
    ).loop

    activation = LoopActivation.objects.get(loop=loop)
    assert (activation.ai_service_request, activation.ai_service_response) == (None, None)
    assert activation.selected_response == {
        "matches": [{"path": "$.labels[0].score", "value": 0.35}]
    }
    check = activation.condition_results["Conditions"][0]
    assert (check["EvaluationResult"], check["ValuesFound"]) == (True, 1)


def test_a_confident_prediction_starts_nothing(routed_flow):
    outcome = activate_loop(
        name="cat-1", flow_definition_name=routed_flow.name, prediction=prediction(0.97)
    )

    assert not outcome.starts
    assert "HumanLoopArn" not in outcome.output
    assert counts() == NOTHING


def test_a_routed_loop_is_a_loop_like_any_other_retry_included(routed_flow):
    first = activate_loop(
        name="cat-1", flow_definition_name=routed_flow.name, prediction=prediction()
    )
    again = activate_loop(
        name="cat-1", flow_definition_name=routed_flow.name, prediction=prediction()
    )

    assert again.loop == first.loop
    assert LoopEvent.objects.filter(loop=first.loop, status="InProgress").count() == 1


def test_a_custom_flow_definition_without_routing_conditions_is_refused(flow):
    message = refused(
        Invalid,
        "flow_definition",
        lambda: activate_loop(name="cat-1", flow_definition_name=flow.name, prediction={}),
    )

    assert message.endswith("has no routing conditions; call StartHumanLoop")


@pytest.mark.parametrize(
    "arguments, field",
    [
        ({}, "prediction"),
        ({"prediction": [0.35]}, "prediction"),
        (
            {"prediction": prediction(), "ai_service_request": textract_request()},
            "ai_service_request",
        ),
        (
            {"prediction": prediction(), "ai_service_response": textract_response()},
            "ai_service_response",
        ),
        ({"prediction": {"x": "y" * limits.INPUT_CONTENT_MAX_LENGTH}}, "prediction"),
    ],
)
def test_a_routing_call_it_cannot_read_is_refused_naming_the_field(routed_flow, arguments, field):
    refused(
        Invalid,
        field,
        lambda: activate_loop(name="cat-1", flow_definition_name=routed_flow.name, **arguments),
    )
