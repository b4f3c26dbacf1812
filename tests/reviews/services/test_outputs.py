import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from reviews.models import WorkerIdentity
from reviews.services.loops import fail_expired_loops, stop_loop
from reviews.services.outputs import output_uri, read_loop_output, write_loop_output
from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import FlowDefinitionFactory, StartedLoopFactory

pytestmark = pytest.mark.django_db

INPUT = {
    "score": {"insightscore": 996},
    "taskObject": {"email_address": "someone@example.net", "billing_state": "NJ"},
}
ANSWER = {"category": {"label": "Needs further review"}}
TIMESTAMP = re.compile(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\Z")


def written_file(outputs_dir, loop):
    return outputs_dir / loop.output_uri.split("://", 1)[1]


def answer_and_commit(capture, slot, reviewer, **kwargs):
    """Submit an answer and run what the commit would run (writing output.json)."""
    with capture(execute=True):
        submit_answer(slot=slot, reviewer=reviewer, answer=ANSWER, **kwargs)


@pytest.fixture
def example_output(
    flow, reviewer, clock, outputs_dir, settings, django_capture_on_commit_callbacks
):
    """The reference's section 5.2 example, replayed: (output.json, raw bytes, loop)."""
    settings.A2I_REGION, settings.A2I_ACCOUNT_ID = "us-east-1", "111122223333"
    clock.current = datetime(2021, 2, 17, 19, 20, 38, 354000, tzinfo=UTC)
    loop = StartedLoopFactory(
        flow_definition=flow, name="fraud-1613589638354", input_content=json.dumps(INPUT)
    )
    clock.current = datetime(2021, 2, 17, 19, 20, 52, 563000, tzinfo=UTC)
    slot = claim_next_slot(reviewer=reviewer)
    clock.current = datetime(2021, 2, 17, 19, 23, 38, 92000, tzinfo=UTC)
    answer_and_commit(django_capture_on_commit_callbacks, slot, reviewer, time_spent=165.529)
    raw = written_file(outputs_dir, loop).read_bytes()
    return json.loads(raw), raw, loop


# Shape, field by field (reference section 5.2 and 5.4)


def test_the_output_of_a_custom_loop_has_exactly_the_four_top_level_fields(example_output):
    output, _, _ = example_output

    assert set(output) == {"flowDefinitionArn", "humanAnswers", "humanLoopName", "inputContent"}


def test_the_output_names_the_flow_definition_by_arn_and_the_loop_by_name(example_output, flow):
    output, _, _ = example_output

    assert output["flowDefinitionArn"] == (
        f"arn:aws:sagemaker:us-east-1:111122223333:flow-definition/{flow.name}"
    )
    assert output["humanLoopName"] == "fraud-1613589638354"


def test_the_input_content_is_parsed_json_not_a_string(example_output):
    output, _, _ = example_output

    assert output["inputContent"] == INPUT


def test_a_human_answer_has_the_fields_of_the_reference(example_output, reviewer, settings):
    output, _, _ = example_output
    worker = WorkerIdentity.objects.get(user=reviewer)

    assert output["humanAnswers"] == [
        {
            "acceptanceTime": "2021-02-17T19:20:52.563Z",
            "answerContent": ANSWER,
            "submissionTime": "2021-02-17T19:23:38.092Z",
            "timeSpentInSeconds": 165.529,
            "workerId": worker.worker_id,
            "workerMetadata": {
                "identityData": {
                    "identityProviderType": "Oidc",
                    "issuer": settings.SITE_URL,
                    "sub": str(worker.sub),
                }
            },
        }
    ]


def test_timestamps_are_utc_to_the_millisecond_with_a_z(example_output):
    output, _, _ = example_output
    answer = output["humanAnswers"][0]

    assert TIMESTAMP.match(answer["acceptanceTime"])
    assert TIMESTAMP.match(answer["submissionTime"])


def test_the_worker_id_is_16_lowercase_hex_characters(example_output):
    output, _, _ = example_output

    assert re.fullmatch(r"[0-9a-f]{16}", output["humanAnswers"][0]["workerId"])


def test_the_keys_are_sorted_at_every_level(example_output):
    _, raw, _ = example_output
    key_lists = []

    json.loads(raw, object_pairs_hook=lambda pairs: key_lists.append([k for k, _ in pairs]))

    assert len(key_lists) > 5
    assert all(keys == sorted(keys) for keys in key_lists)


def test_the_output_is_written_where_the_output_uri_says(example_output, outputs_dir, flow):
    _, _, loop = example_output

    assert loop.output_uri == (
        f"s3://test-bucket/outputs/{flow.name}/2021/02/17/19/20/38/fraud-1613589638354/output.json"
    )
    assert written_file(outputs_dir, loop).is_file()


def test_the_worker_id_of_a_reviewer_is_the_same_in_every_loop(
    flow, reviewer, outputs_dir, django_capture_on_commit_callbacks
):
    loops = StartedLoopFactory.create_batch(2, flow_definition=flow)
    for _ in loops:
        answer_and_commit(
            django_capture_on_commit_callbacks, claim_next_slot(reviewer=reviewer), reviewer
        )

    first, second = (read_loop_output(loop)["humanAnswers"][0]["workerId"] for loop in loops)
    assert first == second == WorkerIdentity.objects.get(user=reviewer).worker_id


def test_two_reviewers_have_different_worker_ids(
    flow_of_two, reviewer, second_reviewer, outputs_dir, django_capture_on_commit_callbacks
):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    first, second = claim_next_slot(reviewer=reviewer), claim_next_slot(reviewer=second_reviewer)
    submit_answer(slot=first, reviewer=reviewer, answer=ANSWER)
    answer_and_commit(django_capture_on_commit_callbacks, second, second_reviewer)

    worker_ids = [a["workerId"] for a in read_loop_output(loop)["humanAnswers"]]
    assert len(set(worker_ids)) == 2


# When it is written


def test_the_output_is_written_once_after_the_commit_of_the_last_answer(
    claimed_slot, reviewer, outputs_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)
    assert not written_file(outputs_dir, claimed_slot.loop).exists()  # not before the commit

    for callback in callbacks:
        callback()

    assert written_file(outputs_dir, claimed_slot.loop).is_file()
    assert [p for p in outputs_dir.rglob("*") if p.is_file()] == [
        written_file(outputs_dir, claimed_slot.loop)
    ]


def test_an_answer_that_is_not_the_last_writes_nothing(
    flow_of_two, reviewer, outputs_dir, django_capture_on_commit_callbacks
):
    loop = StartedLoopFactory(flow_definition=flow_of_two)

    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer=ANSWER)

    assert read_loop_output(loop) is None


def test_writing_the_output_again_gives_the_identical_bytes(example_output, outputs_dir):
    _, raw, loop = example_output

    name = write_loop_output(loop_id=loop.pk)

    assert name == loop.output_uri.split("://", 1)[1]
    assert written_file(outputs_dir, loop).read_bytes() == raw
    assert len([p for p in outputs_dir.rglob("*") if p.is_file()]) == 1


def test_a_loop_of_two_tasks_writes_both_answers_in_submission_order(
    flow_of_two, reviewer, second_reviewer, clock, outputs_dir, django_capture_on_commit_callbacks
):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    first, second = claim_next_slot(reviewer=reviewer), claim_next_slot(reviewer=second_reviewer)
    clock.advance(timedelta(seconds=10))
    submit_answer(slot=second, reviewer=second_reviewer, answer={"category": {"label": "dog"}})
    clock.advance(timedelta(seconds=10))
    answer_and_commit(django_capture_on_commit_callbacks, first, reviewer)

    answers = read_loop_output(loop)["humanAnswers"]
    assert [a["answerContent"] for a in answers] == [{"category": {"label": "dog"}}, ANSWER]
    assert [a["workerId"] for a in answers] == [
        WorkerIdentity.objects.get(user=second_reviewer).worker_id,
        WorkerIdentity.objects.get(user=reviewer).worker_id,
    ]


def test_a_stopped_loop_with_one_answer_writes_its_output(
    flow_of_two, reviewer, second_reviewer, outputs_dir, django_capture_on_commit_callbacks
):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer=ANSWER)

    with django_capture_on_commit_callbacks(execute=True):
        stop_loop(loop=loop)

    assert [a["answerContent"] for a in read_loop_output(loop)["humanAnswers"]] == [ANSWER]


def test_a_stopped_loop_without_answers_writes_nothing(
    open_loop, outputs_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stop_loop(loop=open_loop)

    assert read_loop_output(open_loop) is None
    assert not [p for p in outputs_dir.rglob("*") if p.is_file()]


def test_an_expired_loop_with_one_answer_writes_its_output(
    flow_of_two, reviewer, clock, outputs_dir, django_capture_on_commit_callbacks
):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer=ANSWER)
    clock.advance(loop.expires_at - clock.now())

    with django_capture_on_commit_callbacks(execute=True):
        assert fail_expired_loops() == 1

    assert len(read_loop_output(loop)["humanAnswers"]) == 1


# Where it goes


@pytest.mark.parametrize("output_path", ["s3://bucket/a2i-results/", "s3://bucket/a2i-results///"])
def test_the_output_uri_strips_trailing_slashes_of_the_output_path(team, output_path):
    flow = FlowDefinitionFactory(work_team=team, name="fd", output_path=output_path)

    loop = StartedLoopFactory(flow_definition=flow, name="loop-1")

    assert loop.output_uri.startswith("s3://bucket/a2i-results/fd/")
    assert "//" not in loop.output_uri.removeprefix("s3://")


def test_the_output_uri_of_a_bucket_without_a_prefix(team):
    flow = FlowDefinitionFactory(work_team=team, name="fd", output_path="s3://bucket")

    assert StartedLoopFactory(flow_definition=flow, name="loop-1").output_uri.startswith(
        "s3://bucket/fd/"
    )


def test_the_output_uri_zero_pads_every_part_of_the_creation_time():
    uri = output_uri(
        output_path="https://store.example.com/out",
        flow_definition_name="fd",
        created_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        loop_name="loop-1",
    )

    assert uri == "https://store.example.com/out/fd/2024/01/02/03/04/05/loop-1/output.json"
