from datetime import timedelta

import pytest

from a2i_portal.errors import Invalid
from reviews import tasks
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services.loops import fail_expired_loops, start_loop, stop_loop
from reviews.services.retirement import retire_deleting_flow_definitions, retire_loop
from reviews.services.slots import claim_next_slot, release_slot, submit_answer
from tests.factories import FlowDefinitionFactory, StartedLoopFactory
from workflows.models import FlowDefinition
from workflows.services.flow_definitions import delete_flow_definition

pytestmark = pytest.mark.django_db

ANSWER = {"category": {"label": "cat"}}


def exists(instance):
    return type(instance).objects.filter(pk=instance.pk).exists()


def status_of(flow):
    return FlowDefinition.objects.values_list("status", flat=True).get(pk=flow.pk)


# Starting loops


def test_a_deleting_flow_definition_starts_no_loop_and_says_why(flow):
    delete_flow_definition(flow=flow)

    with pytest.raises(Invalid, match="is Deleting; loops start only on an Active one") as refused:
        start_loop(name="late", flow_definition_name=flow.name, input_content="{}")

    assert refused.value.field == "flow_definition"
    assert not HumanLoop.objects.exists()
    assert not TaskSlot.objects.exists()


# Loops nobody started, and ended loops


def test_a_loop_nobody_started_is_stopped_and_deleted_then_the_flow_definition_goes(
    flow_of_two, clock
):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    delete_flow_definition(flow=flow_of_two)

    assert retire_deleting_flow_definitions() == 2  # the loop, then the flow definition

    assert not exists(loop)
    assert not TaskSlot.objects.exists()
    assert not OpenSlot.objects.exists()
    assert not SlotEvent.objects.exists()
    assert not FlowDefinition.objects.filter(pk=flow_of_two.pk).exists()


def test_a_loop_whose_claim_was_released_counts_as_not_started(claimed_slot, reviewer, flow):
    release_slot(slot=claimed_slot, reviewer=reviewer)
    delete_flow_definition(flow=flow)

    retire_deleting_flow_definitions()

    assert not HumanLoop.objects.exists()
    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()


def test_a_completed_loop_is_deleted_and_its_output_file_stays(
    claimed_slot, reviewer, flow, outputs_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)
    output = outputs_dir / claimed_slot.loop.output_uri.split("://", 1)[1]
    assert output.exists()
    delete_flow_definition(flow=flow)

    retire_deleting_flow_definitions()

    assert not HumanLoop.objects.exists()
    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()
    assert output.exists()


def test_stopped_and_failed_loops_are_deleted(flow, clock):
    stopped = stop_loop(loop=StartedLoopFactory(flow_definition=flow))
    failed = StartedLoopFactory(flow_definition=flow)
    clock.advance(timedelta(seconds=flow.task_availability_lifetime))
    fail_expired_loops()
    delete_flow_definition(flow=flow)

    assert retire_deleting_flow_definitions() == 3

    assert not exists(stopped)
    assert not exists(failed)
    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()


# Loops a reviewer started


def test_a_loop_being_worked_on_stays_with_its_claim_and_the_flow_stays_deleting(
    claimed_slot, flow
):
    delete_flow_definition(flow=flow)

    assert retire_deleting_flow_definitions() == 0

    claimed_slot.refresh_from_db()
    assert claimed_slot.state == TaskSlot.State.CLAIMED
    assert HumanLoop.objects.get().status == HumanLoop.Status.IN_PROGRESS
    assert status_of(flow) == FlowDefinition.Status.DELETING


def test_once_the_loop_being_worked_on_completes_it_and_the_flow_definition_go(
    claimed_slot, reviewer, flow
):
    delete_flow_definition(flow=flow)
    retire_deleting_flow_definitions()

    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)
    assert retire_deleting_flow_definitions() == 2

    assert not HumanLoop.objects.exists()
    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()


def test_once_the_loop_being_worked_on_expires_it_and_the_flow_definition_go(
    claimed_slot, flow, clock
):
    delete_flow_definition(flow=flow)
    clock.advance(timedelta(seconds=flow.task_availability_lifetime))
    fail_expired_loops()

    assert retire_deleting_flow_definitions() == 2

    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()


def test_a_loop_with_an_answer_and_an_open_slot_stays_open_to_the_team(
    flow_of_two, reviewer, second_reviewer
):
    StartedLoopFactory(flow_definition=flow_of_two)
    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer=ANSWER)
    delete_flow_definition(flow=flow_of_two)

    assert retire_deleting_flow_definitions() == 0

    assert OpenSlot.objects.count() == 1
    assert claim_next_slot(reviewer=second_reviewer) is not None


def test_a_stopping_loop_stays_until_its_claim_ends(flow_of_two, reviewer):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    slot = claim_next_slot(reviewer=reviewer)
    stop_loop(loop=loop)
    delete_flow_definition(flow=flow_of_two)

    assert retire_deleting_flow_definitions() == 0
    assert HumanLoop.objects.get().status == HumanLoop.Status.STOPPING

    release_slot(slot=slot, reviewer=reviewer)  # Stopping -> Stopped
    assert retire_deleting_flow_definitions() == 2
    assert not FlowDefinition.objects.filter(pk=flow_of_two.pk).exists()


def test_retiring_a_started_loop_directly_changes_nothing(claimed_slot):
    before = list(TaskSlot.objects.values())

    assert retire_loop(loop_id=claimed_slot.loop_id) is False

    assert list(TaskSlot.objects.values()) == before
    assert OpenSlot.objects.count() == 0
    assert HumanLoop.objects.get().status == HumanLoop.Status.IN_PROGRESS


def test_retiring_a_loop_that_is_gone_is_a_no_op():
    assert retire_loop(loop_id=123456) is False


# What the sweep leaves alone, and how much it takes at once


def test_active_flow_definitions_and_their_loops_are_left_alone(flow, clock):
    loop = StartedLoopFactory(flow_definition=flow)
    other = FlowDefinitionFactory()
    delete_flow_definition(flow=other)

    assert retire_deleting_flow_definitions() == 1  # the other, loopless flow definition

    assert exists(loop)
    assert OpenSlot.objects.filter(loop=loop).count() == 1
    assert status_of(flow) == FlowDefinition.Status.ACTIVE


def test_nothing_deleting_means_nothing_to_do(open_loop):
    assert retire_deleting_flow_definitions() == 0

    assert exists(open_loop)


def test_a_sweep_retires_at_most_a_batch_and_the_next_one_finishes(flow, clock):
    for _ in range(3):
        StartedLoopFactory(flow_definition=flow)
    delete_flow_definition(flow=flow)

    assert retire_deleting_flow_definitions(batch_size=2) == 2
    assert HumanLoop.objects.count() == 1
    assert status_of(flow) == FlowDefinition.Status.DELETING

    assert retire_deleting_flow_definitions(batch_size=2) == 2
    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()


# The periodic task


def test_the_retirement_task_removes_deleting_flow_definitions(open_loop, flow):
    delete_flow_definition(flow=flow)

    assert tasks.retire_deleting_flow_definitions.delay().get() == 2

    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()
