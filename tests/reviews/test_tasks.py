import errno
import json
import logging
from datetime import timedelta

import pytest
from django.core.files.storage import storages

from a2i_portal.celery import app as celery_app
from reviews import tasks
from reviews.models import HumanLoop, TaskSlot
from reviews.services.loops import delete_loop
from reviews.services.outputs import build_output, read_loop_output
from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import HumanLoopFactory

pytestmark = pytest.mark.django_db


def test_the_claim_sweep_task_returns_claims_past_their_deadline(flow, reviewer, clock):
    HumanLoopFactory(flow_definition=flow)
    slot = claim_next_slot(reviewer=reviewer)
    clock.advance(timedelta(seconds=flow.task_time_limit + 1))

    assert tasks.expire_overdue_claims.delay().get() == 1

    slot.refresh_from_db()
    assert slot.state == TaskSlot.State.OPEN


def test_the_loop_sweep_task_fails_loops_past_their_lifetime(flow, clock):
    loop = HumanLoopFactory(flow_definition=flow)
    clock.advance(timedelta(seconds=flow.task_availability_lifetime))

    assert tasks.fail_expired_loops.delay().get() == 1

    loop.refresh_from_db()
    assert (loop.status, loop.failure_code) == (HumanLoop.Status.FAILED, "Expired")


def test_a_sweep_after_downtime_catches_up_on_a_backlog_larger_than_a_batch(
    flow, clock, monkeypatch
):
    monkeypatch.setattr(tasks, "SWEEP_BATCH", 10)
    HumanLoopFactory.create_batch(25, flow_definition=flow)
    clock.advance(timedelta(seconds=flow.task_availability_lifetime))

    assert tasks.fail_expired_loops.delay().get() == 25

    assert not HumanLoop.objects.filter(status=HumanLoop.Status.IN_PROGRESS).exists()


def test_a_backlog_sweep_stops_after_one_interval_and_leaves_the_rest_to_the_next(
    flow, clock, monkeypatch, settings
):
    settings.A2I_SWEEP_INTERVAL = 0
    monkeypatch.setattr(tasks, "SWEEP_BATCH", 10)
    HumanLoopFactory.create_batch(25, flow_definition=flow)
    clock.advance(timedelta(seconds=flow.task_availability_lifetime))

    assert tasks.fail_expired_loops.delay().get() == 10


# output.json, written by a task once the loop's end is committed

ANSWER = {"label": "cat"}


def output_files(outputs_dir):
    return [path for path in outputs_dir.rglob("*") if path.is_file()]


@pytest.fixture
def answered(claimed_slot, reviewer, outputs_dir, django_capture_on_commit_callbacks):
    """The last answer of `open_loop`, submitted but not yet committed: (loop, the callbacks
    its commit would run)."""
    with django_capture_on_commit_callbacks() as callbacks:
        submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)
    return HumanLoop.objects.get(pk=claimed_slot.loop_id), callbacks


@pytest.fixture
def retried_in_process():
    """In-process runs retry as a worker would; with errors propagated, Celery raises the first
    Retry instead. A task that gives up still raises from `.get()`."""
    before = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = before


@pytest.fixture
def failing_writes(outputs_dir, monkeypatch, retried_in_process):
    """The outputs storage fails its next `failures` writes the way a full disk does, leaving a
    partial file behind; `attempts` counts every write."""
    storage = storages["outputs"]
    real_save = storage._save
    state = {"failures": 1, "attempts": 0}

    def save(name, content):
        state["attempts"] += 1
        if state["failures"]:
            state["failures"] -= 1
            partial = outputs_dir / name
            partial.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(b'{"flowDefinitionArn": ')
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(name, content)

    monkeypatch.setattr(storage, "_save", save)
    return state


def test_the_output_is_written_after_the_commit_not_before(answered, outputs_dir):
    loop, callbacks = answered
    assert output_files(outputs_dir) == []

    for callback in callbacks:
        callback()

    assert read_loop_output(loop) == json.loads(json.dumps(build_output(loop)))
    assert len(output_files(outputs_dir)) == 1


def test_with_a_broker_the_commit_sends_the_task_with_the_loop_id(
    celery_broker, claimed_slot, reviewer, outputs_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)
    assert celery_broker == []  # nothing before the commit

    for callback in callbacks:
        callback()

    assert celery_broker == [("reviews.tasks.write_output", (claimed_slot.loop_id,))]
    assert output_files(outputs_dir) == []  # a worker writes it


def test_a_retry_after_an_os_error_writes_the_file_once_with_the_same_bytes(
    answered, outputs_dir, failing_writes
):
    loop, _ = answered
    path = outputs_dir / loop.output_uri.split("://", 1)[1]

    tasks.write_output.delay(loop.pk).get()  # the first write fails, its retry succeeds
    after_retry = path.read_bytes()
    tasks.write_output.delay(loop.pk).get()  # delivered again

    assert failing_writes["attempts"] == 3
    assert output_files(outputs_dir) == [path]
    assert path.read_bytes() == after_retry
    assert json.loads(after_retry)["humanAnswers"][0]["answerContent"] == ANSWER


def test_a_storage_that_keeps_failing_is_given_up_after_eight_retries(answered, failing_writes):
    loop, _ = answered
    failing_writes["failures"] = 100

    with pytest.raises(OSError, match="No space left"):
        tasks.write_output.delay(loop.pk).get()

    assert failing_writes["attempts"] == 1 + 8


def test_a_loop_deleted_before_the_task_runs_has_its_output_written_by_the_deletion(
    answered, outputs_dir, caplog
):
    loop, callbacks = answered
    delete_loop(loop=loop)
    written = output_files(outputs_dir)
    assert len(written) == 1

    with caplog.at_level(logging.INFO, logger="reviews.tasks"):
        for callback in callbacks:
            callback()

    assert output_files(outputs_dir) == written
    assert f"loop {loop.pk} was deleted" in caplog.text


def test_the_output_task_is_registered_under_its_name_for_workers():
    celery_app.loader.import_default_modules()  # what a worker does at start

    registered = celery_app.tasks["reviews.tasks.write_output"]
    assert registered.name == tasks.write_output.name == "reviews.tasks.write_output"
    assert registered.acks_late
