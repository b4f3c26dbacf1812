import pytest

from a2i_portal.celery import app as celery_app
from a2i_portal.errors import Conflict, NotFound
from reviews.models import HumanLoop
from tests.factories import FlowDefinitionFactory, HumanLoopFactory
from workflows.models import FlowDefinition
from workflows.services import flow_definitions
from workflows.services.flow_definitions import (
    RETIREMENT_TASK,
    create_flow_definition,
    delete_flow_definition,
    flow_definition_for_new_loop,
    remove_deleted_flow_definition,
    request_retirement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_tasks(monkeypatch):
    """Task names given to the broker, which never sees them."""
    sent = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, *args, **kwargs: sent.append(name))
    return sent


def status_of(flow):
    return FlowDefinition.objects.values_list("status", flat=True).get(pk=flow.pk)


# Active -> Deleting


def test_deleting_an_active_flow_definition_makes_it_deleting():
    flow = FlowDefinitionFactory()

    deleted = delete_flow_definition(flow=flow)

    assert deleted.status == FlowDefinition.Status.DELETING
    assert status_of(flow) == FlowDefinition.Status.DELETING


def test_deleting_asks_for_the_retirement_sweep_once_committed(django_capture_on_commit_callbacks):
    flow = FlowDefinitionFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        delete_flow_definition(flow=flow)

    assert callbacks == [request_retirement]


def test_a_deleting_flow_definition_cannot_be_deleted_again(django_capture_on_commit_callbacks):
    flow = FlowDefinitionFactory(name="claims", status=FlowDefinition.Status.DELETING)

    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(Conflict, match="only an Active flow definition can be deleted") as refused,
    ):
        delete_flow_definition(flow=flow)

    assert refused.value.field == "status"
    assert "'claims' is Deleting" in refused.value.message
    assert status_of(flow) == FlowDefinition.Status.DELETING
    assert callbacks == []


@pytest.mark.parametrize(
    "status", [FlowDefinition.Status.INITIALIZING, FlowDefinition.Status.FAILED]
)
def test_a_flow_definition_that_is_not_active_cannot_be_deleted(status):
    flow = FlowDefinitionFactory(status=status)

    with pytest.raises(Conflict) as refused:
        delete_flow_definition(flow=flow)

    assert refused.value.field == "status"
    assert status in refused.value.message
    assert status_of(flow) == status


def test_a_flow_definition_removed_meanwhile_is_not_found():
    flow = FlowDefinitionFactory(name="claims")
    FlowDefinition.objects.filter(pk=flow.pk).delete()

    with pytest.raises(NotFound, match="'claims' does not exist") as refused:
        delete_flow_definition(flow=flow)

    assert refused.value.field == "flow_definition"


# Deleting -> gone


def test_a_deleting_flow_definition_without_loops_is_removed_and_its_name_is_free_again():
    flow = FlowDefinitionFactory(name="claims", status=FlowDefinition.Status.DELETING)

    remove_deleted_flow_definition(flow=flow)

    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()
    again = create_flow_definition(
        name="claims",
        work_team=flow.work_team,
        task_ui=flow.task_ui,
        task_title="Classify the text",
        task_description="Pick the category that fits",
        output_path="s3://test-bucket/outputs",
    )
    assert again.status == FlowDefinition.Status.ACTIVE


def test_an_active_flow_definition_is_never_removed():
    flow = FlowDefinitionFactory(name="claims")

    with pytest.raises(Conflict, match="only a Deleting flow definition is removed") as refused:
        remove_deleted_flow_definition(flow=flow)

    assert refused.value.field == "status"
    assert status_of(flow) == FlowDefinition.Status.ACTIVE


def test_a_deleting_flow_definition_with_loops_left_is_not_removed():
    flow = FlowDefinitionFactory(name="claims")
    loop = HumanLoopFactory(flow_definition=flow)
    FlowDefinition.objects.filter(pk=flow.pk).update(status=FlowDefinition.Status.DELETING)

    with pytest.raises(Conflict, match="still has human loops") as refused:
        remove_deleted_flow_definition(flow=flow)

    assert refused.value.field == "human_loops"
    assert status_of(flow) == FlowDefinition.Status.DELETING
    assert HumanLoop.objects.filter(pk=loop.pk).exists()


def test_removing_a_removed_flow_definition_is_not_found():
    flow = FlowDefinitionFactory(status=FlowDefinition.Status.DELETING)
    remove_deleted_flow_definition(flow=flow)

    with pytest.raises(NotFound) as refused:
        remove_deleted_flow_definition(flow=flow)

    assert refused.value.field == "flow_definition"


# The sweep asked for after a deletion


def test_with_a_broker_the_sweep_is_sent_by_task_name(celery_broker):
    assert not celery_app.conf.task_always_eager

    request_retirement()

    assert celery_broker == [("reviews.tasks.retire_deleting_flow_definitions", ())]


def test_the_task_name_sent_is_one_the_workers_know():
    celery_app.loader.import_default_modules()  # what a worker does at start

    assert RETIREMENT_TASK in celery_app.tasks


def test_in_process_mode_runs_the_sweep_here_and_sends_nothing(sent_tasks):
    assert celery_app.conf.task_always_eager
    flow = FlowDefinitionFactory(status=FlowDefinition.Status.DELETING)

    request_retirement()

    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()
    assert sent_tasks == []


def test_a_failing_sweep_request_leaves_the_deletion_committed(
    monkeypatch, django_capture_on_commit_callbacks
):
    flow = FlowDefinitionFactory()

    def broker_down():
        raise OSError("broker unreachable")

    monkeypatch.setattr(flow_definitions, "request_retirement", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        delete_flow_definition(flow=flow)

    assert status_of(flow) == FlowDefinition.Status.DELETING


# Reading a flow definition for a new loop


def test_a_flow_definition_is_found_by_name_for_a_new_loop():
    flow = FlowDefinitionFactory(name="claims")

    assert flow_definition_for_new_loop(name="claims") == flow
    assert flow_definition_for_new_loop(name="other") is None
