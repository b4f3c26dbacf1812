import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from reviews.exports import csv_lines, csv_response, jsonl_lines, jsonl_response
from reviews.models import HumanLoop, WorkerIdentity
from reviews.services.loops import start_loop
from reviews.services.outputs import build_output
from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import FlowDefinitionFactory, HumanLoopFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
FLOW_ARN = "arn:aws:sagemaker:us-east-1:000000000000:flow-definition/fraud-review"
FIRST_ANSWER = {
    "label": "cat",
    "boxes": [{"left": 1}],
    "sure": True,
    "note": None,
    "comment": 'said "hi", then left',
}
SECOND_ANSWER = {"label": "dog", "count": 3}


@pytest.fixture
def workers(reviewer, second_reviewer):
    return (
        WorkerIdentity.objects.create(
            user=reviewer,
            worker_id="7fe4cd6b55282093",
            sub=uuid.UUID("ec69f8cb-3505-4fef-a2d7-56d1b974644a"),
        ),
        WorkerIdentity.objects.create(
            user=second_reviewer,
            worker_id="0123456789abcdef",
            sub=uuid.UUID("00000000-0000-4000-8000-000000000001"),
        ),
    )


@pytest.fixture
def answered(team, reviewer, second_reviewer, workers, clock, settings):
    """Two loops of `fraud-review`: claims-1 answered by both reviewers, claims-2 by nobody."""
    settings.SITE_URL = "https://portal.example.com"
    clock.current = START
    flow = FlowDefinitionFactory(name="fraud-review", work_team=team, task_count=2)
    first = start_loop(
        name="claims-1",
        flow_definition_name=flow.name,
        input_content='{"text": "a cat", "score": 0.42}',
    )
    clock.advance(timedelta(seconds=1))
    start_loop(name="claims-2", flow_definition_name=flow.name, input_content='{"text": "a dog"}')
    one = claim_next_slot(reviewer=reviewer)
    two = claim_next_slot(reviewer=second_reviewer)
    clock.advance(timedelta(seconds=29.5))
    submit_answer(slot=one, reviewer=reviewer, answer=FIRST_ANSWER, time_spent=12.25)
    clock.advance(timedelta(seconds=29.5))
    submit_answer(slot=two, reviewer=second_reviewer, answer=SECOND_ANSWER, time_spent=40)
    return HumanLoop.objects.get(pk=first.pk)


def identity(worker_id, sub):
    return {
        "identityData": {
            "identityProviderType": "Oidc",
            "issuer": "https://portal.example.com",
            "sub": sub,
        }
    }


def test_jsonl_has_one_output_document_per_loop_in_creation_order(answered):
    first = {
        "flowDefinitionArn": FLOW_ARN,
        "humanAnswers": [
            {
                "acceptanceTime": "2026-03-01T12:00:01.000Z",
                "answerContent": FIRST_ANSWER,
                "submissionTime": "2026-03-01T12:00:30.500Z",
                "timeSpentInSeconds": 12.25,
                "workerId": "7fe4cd6b55282093",
                "workerMetadata": identity(
                    "7fe4cd6b55282093", "ec69f8cb-3505-4fef-a2d7-56d1b974644a"
                ),
            },
            {
                "acceptanceTime": "2026-03-01T12:00:01.000Z",
                "answerContent": SECOND_ANSWER,
                "submissionTime": "2026-03-01T12:01:00.000Z",
                "timeSpentInSeconds": 40.0,
                "workerId": "0123456789abcdef",
                "workerMetadata": identity(
                    "0123456789abcdef", "00000000-0000-4000-8000-000000000001"
                ),
            },
        ],
        "humanLoopName": "claims-1",
        "inputContent": {"score": 0.42, "text": "a cat"},
    }

    lines = list(jsonl_lines(HumanLoop.objects.all()))

    assert lines == [
        json.dumps(first, sort_keys=True) + "\n",
        '{"flowDefinitionArn": "' + FLOW_ARN + '", "humanAnswers": [], '
        '"humanLoopName": "claims-2", "inputContent": {"text": "a dog"}}\n',
    ]


def test_each_jsonl_line_is_what_build_output_gives(answered):
    (line,) = jsonl_lines(HumanLoop.objects.filter(pk=answered.pk))

    assert json.loads(line) == build_output(answered)


def test_csv_has_a_row_per_answer_with_the_answer_flattened_one_level(answered):
    text = "".join(csv_lines(HumanLoop.objects.all()))

    assert text == (
        "human_loop_name,status,flow_definition,worker_id,submission_time,"
        "time_spent_in_seconds,answer.boxes,answer.comment,answer.count,answer.label,"
        "answer.note,answer.sure\r\n"
        "claims-1,Completed,fraud-review,7fe4cd6b55282093,2026-03-01T12:00:30.500Z,12.25,"
        '"[{""left"": 1}]","said ""hi"", then left",,cat,null,true\r\n'
        "claims-1,Completed,fraud-review,0123456789abcdef,2026-03-01T12:01:00.000Z,40.0,"
        ",,3,dog,,\r\n"
    )


def test_csv_of_loops_without_answers_is_the_header_alone(answered):
    text = "".join(csv_lines(HumanLoop.objects.filter(name="claims-2")))

    assert text == (
        "human_loop_name,status,flow_definition,worker_id,submission_time,time_spent_in_seconds\r\n"
    )


def test_csv_answers_of_a_built_in_flow_definition_are_not_wrapped_in_the_request_source(
    team, reviewer, workers
):
    source = "AWS/Rekognition/DetectModerationLabels/Image/V3"
    flow = FlowDefinitionFactory(name="moderation", work_team=team, request_source=source)
    loop = HumanLoopFactory(name="image-1", flow_definition=flow)
    slot = claim_next_slot(reviewer=reviewer)
    submit_answer(slot=slot, reviewer=reviewer, answer={"moderationLabels": []})

    rows = "".join(csv_lines(HumanLoop.objects.filter(pk=loop.pk))).splitlines()
    (line,) = jsonl_lines(HumanLoop.objects.filter(pk=loop.pk))

    assert rows[0].endswith(",answer.moderationLabels")
    assert rows[1].endswith(",[]")
    assert json.loads(line)["humanAnswers"][0]["answerContent"] == {
        source: {"moderationLabels": []}
    }


def test_csv_answers_the_built_in_widget_wrapped_in_the_request_source_are_unwrapped(
    team, reviewer, workers
):
    source = "AWS/Rekognition/DetectModerationLabels/Image/V3"
    flow = FlowDefinitionFactory(name="moderation", work_team=team, request_source=source)
    loop = HumanLoopFactory(name="image-1", flow_definition=flow)
    slot = claim_next_slot(reviewer=reviewer)
    labels = [{"name": "Suggestive", "parentName": ""}]
    submit_answer(slot=slot, reviewer=reviewer, answer={source: {"moderationLabels": labels}})

    rows = "".join(csv_lines(HumanLoop.objects.filter(pk=loop.pk))).splitlines()
    (line,) = jsonl_lines(HumanLoop.objects.filter(pk=loop.pk))

    assert rows[0].endswith(",answer.moderationLabels")
    assert "Suggestive" in rows[1]
    assert json.loads(line)["humanAnswers"][0]["answerContent"] == {
        source: {"moderationLabels": labels}
    }


def test_an_export_gives_a_reviewer_without_a_worker_identity_one_as_output_json_does(
    open_loop, reviewer
):
    slot = claim_next_slot(reviewer=reviewer)
    submit_answer(slot=slot, reviewer=reviewer, answer={"label": "cat"})

    rows = "".join(csv_lines(HumanLoop.objects.all())).splitlines()

    worker = WorkerIdentity.objects.get(user=reviewer)
    assert rows[1].split(",")[3] == worker.worker_id


def test_the_responses_stream_as_attachments(answered):
    jsonl = jsonl_response(HumanLoop.objects.all())
    csv = csv_response(HumanLoop.objects.all())

    assert jsonl.streaming and csv.streaming
    assert jsonl["Content-Type"] == "application/jsonl; charset=utf-8"
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert jsonl["Content-Disposition"].startswith('attachment; filename="human-loops-')
    assert b"".join(jsonl.streaming_content).count(b"\n") == 2
    assert b"".join(csv.streaming_content).count(b"\r\n") == 3


def test_an_export_reads_the_loops_a_chunk_at_a_time(answered, monkeypatch):
    monkeypatch.setattr("reviews.exports.CHUNK_SIZE", 1)

    lines = list(jsonl_lines(HumanLoop.objects.all()))

    assert [json.loads(line)["humanLoopName"] for line in lines] == ["claims-1", "claims-2"]
