"""The recovery sweep: what a lost message left undone is done once it is overdue."""

from datetime import timedelta

import pytest

from reviews.models import HumanLoop, LoopEvent, WebhookDelivery
from reviews.services import webhooks
from reviews.services.loops import delete_loop, stop_loop
from reviews.services.outbox import recover_outbox
from reviews.services.outputs import read_loop_output
from reviews.services.retirement import retire_deleting_flow_definitions
from reviews.services.slots import submit_answer
from workflows.services.flow_definitions import delete_flow_definition

pytestmark = pytest.mark.django_db

RECOVERY = 60


@pytest.fixture(autouse=True)
def recovery_after_a_minute(settings):
    settings.A2I_OUTBOX_RECOVERY_SECONDS = RECOVERY


@pytest.fixture
def lost_messages(celery_broker):
    """Broker mode with nothing consuming: every task sent after a commit is lost."""
    return celery_broker


def dispatch_all():
    """Fan out every event written so far (their messages are lost in these tests)."""
    for event in LoopEvent.objects.filter(dispatched_at__isnull=True):
        webhooks.dispatch_event(event_pk=event.pk)


@pytest.fixture
def endpoint(db):
    endpoint, _ = webhooks.register_endpoint(name="client", url="http://127.0.0.1:9/hook")
    return endpoint


@pytest.fixture
def posts(monkeypatch):
    """Deliveries POST nowhere: each call is recorded as a delivered attempt."""
    sent = []

    def post(*, delivery, number):
        sent.append(delivery.pk)
        return webhooks.PostResult(200, 1, "")

    monkeypatch.setattr(webhooks, "post", post)
    return sent


@pytest.fixture
def completed_without_output(
    claimed_slot, reviewer, outputs_dir, lost_messages, django_capture_on_commit_callbacks
):
    """A loop completed whose write_output message was lost."""
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(slot=claimed_slot, reviewer=reviewer, answer={"ok": 1})
    assert ("reviews.tasks.write_output", (claimed_slot.loop_id,)) in lost_messages
    return claimed_slot.loop


def test_nothing_is_taken_up_before_the_recovery_period(completed_without_output, clock):
    clock.advance(timedelta(seconds=RECOVERY - 1))

    assert recover_outbox() == 0
    assert read_loop_output(completed_without_output) is None


def test_a_lost_output_write_is_done_and_its_event_released(
    completed_without_output, clock, django_capture_on_commit_callbacks
):
    clock.advance(timedelta(seconds=RECOVERY))

    with django_capture_on_commit_callbacks(execute=True):
        recover_outbox()

    assert read_loop_output(completed_without_output)["humanLoopName"] == (
        completed_without_output.name
    )
    event = LoopEvent.objects.get(loop=completed_without_output, status="Completed")
    assert not event.awaits_output


def test_a_deleted_loop_no_longer_holds_its_event_back(completed_without_output, clock):
    delete_loop(loop=completed_without_output)
    clock.advance(timedelta(seconds=RECOVERY))

    recover_outbox()

    event = LoopEvent.objects.get(loop_name=completed_without_output.name, status="Completed")
    assert not event.awaits_output


def test_a_lost_fan_out_is_done(open_loop, endpoint, lost_messages, clock, posts):
    stop_loop(loop=open_loop)
    clock.advance(timedelta(seconds=RECOVERY))

    recover_outbox()

    stopped = LoopEvent.objects.get(status="Stopped")
    assert stopped.dispatched_at is not None
    assert WebhookDelivery.objects.filter(event=stopped).count() == 1


def test_a_lost_post_is_queued_again_once(
    open_loop, endpoint, lost_messages, clock, django_capture_on_commit_callbacks
):
    stop_loop(loop=open_loop)
    dispatch_all()
    pk = WebhookDelivery.objects.get().pk
    clock.advance(timedelta(seconds=RECOVERY))
    lost_messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert recover_outbox() == 1
        assert recover_outbox() == 0  # now due again: left to the message just queued

    assert lost_messages == [("reviews.tasks.deliver_webhook", (pk,))]
    clock.advance(timedelta(seconds=RECOVERY))
    assert recover_outbox() == 1


def test_a_post_in_a_workers_hands_is_not_queued_again(open_loop, endpoint, lost_messages, clock):
    stop_loop(loop=open_loop)
    dispatch_all()
    pk = WebhookDelivery.objects.get().pk
    clock.advance(timedelta(seconds=RECOVERY))
    WebhookDelivery.objects.filter(pk=pk).update(leased_until=clock.now() + timedelta(seconds=5))

    assert recover_outbox() == 0


def test_delivered_and_abandoned_deliveries_are_left_alone(
    open_loop, endpoint, lost_messages, clock
):
    stop_loop(loop=open_loop)
    dispatch_all()
    pk = WebhookDelivery.objects.get().pk
    WebhookDelivery.objects.filter(pk=pk).update(state=WebhookDelivery.State.ABANDONED)
    clock.advance(timedelta(seconds=RECOVERY * 10))

    assert recover_outbox() == 0


def test_recovery_is_a_periodic_task(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["recover-outbox"]

    assert schedule["task"] == "reviews.tasks.recover_outbox"
    assert schedule["schedule"] == settings.A2I_SWEEP_INTERVAL


def test_deleting_a_loop_whose_output_is_not_written_writes_it_first(
    completed_without_output, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delete_loop(loop=completed_without_output)

    assert read_loop_output(completed_without_output)["humanLoopName"] == (
        completed_without_output.name
    )
    event = LoopEvent.objects.get(loop_name=completed_without_output.name, status="Completed")
    assert not event.awaits_output


def test_retiring_a_deleted_flows_loop_whose_output_is_not_written_writes_it_first(
    completed_without_output, django_capture_on_commit_callbacks
):
    flow = completed_without_output.flow_definition
    delete_flow_definition(flow=flow)

    with django_capture_on_commit_callbacks(execute=True):
        retire_deleting_flow_definitions()

    assert not HumanLoop.objects.filter(pk=completed_without_output.pk).exists()
    assert read_loop_output(completed_without_output)["humanLoopName"] == (
        completed_without_output.name
    )
