"""output.json of built-in loops (reference §5.3), field by field: a Textract forms loop and a
Rekognition moderation loop, started by activate_loop() and answered as the built-in widgets
answer (CROWD-ELEMENTS §3.7)."""

import json
from datetime import UTC, datetime

import pytest

from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import RekognitionFlowDefinitionFactory, TextractFlowDefinitionFactory
from tests.reviews.services.builtin_calls import (
    REKOGNITION,
    SUGGESTIVE_OR_SWIMWEAR,
    TEXTRACT,
    activate_rekognition,
    activate_textract,
    textract_response,
)
from tests.workflows.activation.support import key_check, missing_key

pytestmark = pytest.mark.django_db

# §5.3's example conditions, with the alias the fixture's form spells its key with.
ALIASES = ["Mail Address:", "Mail address:", "Mailing Address:"]
MAIL_ADDRESS = {
    "Conditions": [
        {
            "Or": [
                key_check(
                    "Mail address",
                    ALIASES,
                    KeyValueBlockConfidenceLessThan=100,
                    WordBlockConfidenceLessThan=100,
                ),
                missing_key("Mail address", ALIASES),
            ]
        }
    ]
}
CLASSIFIERS = {"ContentClassifiers": ["FreeOfPersonallyIdentifiableInformation"]}
TOP_LEVEL = {
    "awsManagedHumanLoopRequestSource",
    "flowDefinitionArn",
    "humanAnswers",
    "humanLoopName",
    "inputContent",
}
INPUT_CONTENT = {
    "aiServiceRequest",
    "aiServiceResponse",
    "humanTaskActivationConditionResults",
    "selectedAiServiceResponse",
}


@pytest.fixture
def reference_account(settings):  # noqa: ANN001, ANN201
    settings.A2I_REGION, settings.A2I_ACCOUNT_ID = "us-west-2", "111122223333"


def complete(loop, reviewer, answer, capture, clock):  # noqa: ANN001, ANN201
    """Claim, answer and commit (which writes output.json); returns the file as written."""
    clock.current = datetime(2020, 9, 28, 19, 16, 2, 140000, tzinfo=UTC)
    slot = claim_next_slot(reviewer=reviewer)
    clock.current = datetime(2020, 9, 28, 19, 17, 59, 880000, tzinfo=UTC)
    with capture(execute=True):
        submit_answer(slot=slot, reviewer=reviewer, answer=answer, time_spent=117.7)
    return loop


def written(outputs_dir, loop):  # noqa: ANN001, ANN201
    return json.loads((outputs_dir / loop.output_uri.split("://", 1)[1]).read_bytes())


@pytest.fixture
def textract_output(
    team, reviewer, clock, outputs_dir, reference_account, django_capture_on_commit_callbacks
):  # noqa: ANN001, ANN201
    flow = TextractFlowDefinitionFactory(
        name="forms-fd", work_team=team, activation_conditions=MAIL_ADDRESS
    )
    loop = activate_textract(flow, name="forms-loop-1", data_attributes=CLASSIFIERS).loop
    blocks = loop.task_input["selectedAiServiceResponse"]["blocks"]
    key = next(b for b in blocks if "KEY" in b.get("entityTypes", []))
    answer = {
        TEXTRACT: {
            "blocks": [
                {
                    "blockType": "KEY_VALUE_SET",
                    "id": key["id"],
                    "entityTypes": ["KEY"],
                    "relationships": key["relationships"],
                    "text": "Mailing Address:",
                }
            ]
        }
    }
    complete(loop, reviewer, answer, django_capture_on_commit_callbacks, clock)
    return written(outputs_dir, loop), answer, flow


@pytest.fixture
def rekognition_output(
    team, reviewer, clock, outputs_dir, reference_account, django_capture_on_commit_callbacks
):  # noqa: ANN001, ANN201
    flow = RekognitionFlowDefinitionFactory(
        name="moderation-fd", work_team=team, activation_conditions=SUGGESTIVE_OR_SWIMWEAR
    )
    loop = activate_rekognition(flow, name="image-loop-1").loop
    answer = {REKOGNITION: {"moderationLabels": [{"name": "Suggestive", "parentName": ""}]}}
    complete(loop, reviewer, answer, django_capture_on_commit_callbacks, clock)
    return written(outputs_dir, loop), answer, flow


# Textract (§5.3's example)


def test_a_textract_output_has_the_five_top_level_fields(textract_output):
    output, _, flow = textract_output

    assert set(output) == TOP_LEVEL
    assert output["awsManagedHumanLoopRequestSource"] == TEXTRACT
    assert output["flowDefinitionArn"] == (
        "arn:aws:sagemaker:us-west-2:111122223333:flow-definition/forms-fd"
    )
    assert output["humanLoopName"] == "forms-loop-1"


def test_a_textract_outputs_input_content_has_the_four_members_and_no_other(textract_output):
    output, _, _ = textract_output

    assert set(output["inputContent"]) == INPUT_CONTENT


def test_the_textract_request_is_written_camel_case_with_its_loop_config(textract_output):
    output, _, _ = textract_output

    assert output["inputContent"]["aiServiceRequest"] == {
        "document": {"s3Object": {"bucket": "input-bucket", "name": "document-demo.jpg"}},
        "featureTypes": ["TABLES", "FORMS"],
        "humanLoopConfig": {
            "dataAttributes": {"contentClassifiers": ["FreeOfPersonallyIdentifiableInformation"]},
            "flowDefinitionArn": "arn:aws:sagemaker:us-west-2:111122223333:flow-definition/forms-fd",
            "humanLoopName": "forms-loop-1",
        },
    }


def test_the_whole_textract_response_is_written_camel_case(textract_output):
    output, _, _ = textract_output
    response = output["inputContent"]["aiServiceResponse"]
    original = textract_response()

    assert set(response) == {"analyzeDocumentModelVersion", "blocks", "documentMetadata"}
    assert response["documentMetadata"] == {"pages": 2}
    assert len(response["blocks"]) == len(original["Blocks"])
    first = response["blocks"][0]
    assert set(first) == {"blockType", "geometry", "id", "relationships", "page"}
    assert set(first["geometry"]) == {"boundingBox", "polygon"}
    assert set(first["geometry"]["boundingBox"]) == {"width", "height", "left", "top"}
    assert set(first["geometry"]["polygon"][0]) == {"x", "y"}
    assert first["relationships"][0]["type"] == "CHILD"
    assert first["id"] == original["Blocks"][0]["Id"]


def test_the_textract_condition_results_keep_the_flow_definitions_pascal_case(textract_output):
    output, _, _ = textract_output
    check, missing = MAIL_ADDRESS["Conditions"][0]["Or"]

    assert output["inputContent"]["humanTaskActivationConditionResults"] == {
        "Conditions": [
            {
                "EvaluationResult": True,
                "Or": [
                    {**check, "EvaluationResult": True},
                    {**missing, "EvaluationResult": False},
                ],
            }
        ]
    }


def test_the_selected_textract_response_is_the_matched_pairs_blocks(textract_output):
    output, _, _ = textract_output
    selected = output["inputContent"]["selectedAiServiceResponse"]

    assert set(selected) == {"blocks"}
    words = [b["text"] for b in selected["blocks"] if b["blockType"] == "WORD"]
    assert words[:2] == ["Mailing", "Address:"]
    assert all("blockType" in b and "BlockType" not in b for b in selected["blocks"])


def test_a_textract_answer_is_keyed_by_the_request_source_once(textract_output):
    output, answer, _ = textract_output

    (human_answer,) = output["humanAnswers"]
    assert human_answer["answerContent"] == answer
    assert list(human_answer["answerContent"]) == [TEXTRACT]
    assert human_answer["acceptanceTime"] == "2020-09-28T19:16:02.140Z"
    assert human_answer["submissionTime"] == "2020-09-28T19:17:59.880Z"
    assert human_answer["timeSpentInSeconds"] == 117.7
    assert set(human_answer) == {
        "acceptanceTime",
        "answerContent",
        "submissionTime",
        "timeSpentInSeconds",
        "workerId",
        "workerMetadata",
    }


# Rekognition


def test_a_rekognition_output_names_its_request_source(rekognition_output):
    output, _, _ = rekognition_output

    assert set(output) == TOP_LEVEL
    assert output["awsManagedHumanLoopRequestSource"] == REKOGNITION
    assert set(output["inputContent"]) == INPUT_CONTENT


def test_the_rekognition_request_and_response_are_written_camel_case(rekognition_output):
    output, _, _ = rekognition_output
    content = output["inputContent"]

    assert content["aiServiceRequest"] == {
        "image": {"s3Object": {"bucket": "input-bucket", "name": "beach.jpg"}},
        "minConfidence": 50,
        "humanLoopConfig": {
            "flowDefinitionArn": (
                "arn:aws:sagemaker:us-west-2:111122223333:flow-definition/moderation-fd"
            ),
            "humanLoopName": "image-loop-1",
        },
    }
    assert set(content["aiServiceResponse"]) == {"moderationLabels", "moderationModelVersion"}
    assert content["aiServiceResponse"]["moderationLabels"][0] == {
        "confidence": 96.70999908447266,
        "name": "Suggestive",
        "parentName": "",
    }


def test_the_selected_rekognition_response_is_the_labels_that_met_the_conditions(
    rekognition_output,
):
    output, _, _ = rekognition_output

    assert output["inputContent"]["selectedAiServiceResponse"] == {
        "moderationLabels": [
            {"confidence": 96.70999908447266, "name": "Suggestive", "parentName": ""}
        ],
        "moderationModelVersion": "6.1",
    }
    results = output["inputContent"]["humanTaskActivationConditionResults"]
    assert [node["EvaluationResult"] for node in results["Conditions"][0]["Or"]] == [True, False]


def test_a_rekognition_answer_lists_the_chosen_labels_under_the_request_source(
    rekognition_output,
):
    output, answer, _ = rekognition_output

    assert output["humanAnswers"][0]["answerContent"] == {
        REKOGNITION: {"moderationLabels": [{"name": "Suggestive", "parentName": ""}]}
    }


# Answers saved without the request-source key, and the element reference's spelling


@pytest.fixture
def answered_moderation(team, reviewer, outputs_dir, django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    flow = RekognitionFlowDefinitionFactory(work_team=team)
    loop = activate_rekognition(flow, name="image-2").loop

    def answer(content):  # noqa: ANN001, ANN202
        slot = claim_next_slot(reviewer=reviewer)
        with django_capture_on_commit_callbacks(execute=True):
            submit_answer(slot=slot, reviewer=reviewer, answer=content)
        return written(outputs_dir, loop)["humanAnswers"][0]["answerContent"]

    return answer


def test_an_answer_without_the_request_source_key_is_wrapped_in_it(answered_moderation):
    assert answered_moderation({"moderationLabels": []}) == {REKOGNITION: {"moderationLabels": []}}


def test_none_of_the_above_contributes_no_labels(answered_moderation):
    assert answered_moderation({REKOGNITION: {"moderationLabels": []}}) == {
        REKOGNITION: {"moderationLabels": []}
    }


def test_the_element_references_moderation_labels_spelling_is_written_lower_camel_case(
    answered_moderation,
):
    labels = [{"name": "Violence", "parentName": ""}]

    assert answered_moderation({REKOGNITION: {"ModerationLabels": labels}}) == {
        REKOGNITION: {"moderationLabels": labels}
    }
