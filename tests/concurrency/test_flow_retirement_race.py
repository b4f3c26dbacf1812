"""Deleting a flow definition while reviewers claim its tasks and clients start its loops
(PostgreSQL row locks, one connection each)."""

from __future__ import annotations

import time

import pytest

from a2i_portal.errors import Invalid, NotFound
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services.loops import start_loop
from reviews.services.retirement import retire_deleting_flow_definitions
from reviews.services.slots import claim_next_slot
from tests.concurrency.threads import open_loops, run_together, values
from tests.factories import FlowDefinitionFactory, UserFactory, WorkTeamFactory
from workflows.models import FlowDefinition
from workflows.services import flow_definitions
from workflows.services.flow_definitions import delete_flow_definition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 40


@pytest.fixture(autouse=True)
def sweep_only_when_told(monkeypatch):
    """The tests run the retirement sweep themselves, at the moment they race it."""
    monkeypatch.setattr(flow_definitions, "request_retirement", lambda: None)


def test_retirement_racing_claims_never_hands_out_a_retired_slot_and_never_deadlocks():
    rounds = []
    for number in range(ROUNDS):
        # A flow definition and team per round: claims of one round see only its loop.
        reviewers = [UserFactory() for _ in range(3)]
        flow = FlowDefinitionFactory(work_team=WorkTeamFactory(members=reviewers), task_count=3)
        (loop,) = open_loops(flow, 1, prefix=f"round-{number}")
        delete_flow_definition(flow=flow)

        # The delays vary which side reaches the locks first across the rounds.
        def sweep(delay=(number % 5) / 1000):  # noqa: ANN001, ANN202
            time.sleep(delay)
            return retire_deleting_flow_definitions()

        def claim(reviewer, delay=(number // 5 % 5) / 1000):  # noqa: ANN001, ANN202
            time.sleep(delay)
            return claim_next_slot(reviewer=reviewer)

        outcome = values(
            run_together(
                [sweep] + [lambda reviewer=reviewer: claim(reviewer) for reviewer in reviewers]
            )
        )
        rounds.append((flow, loop, outcome[0], [slot for slot in outcome[1:] if slot]))

    for flow, loop, removed, claims in rounds:
        if not HumanLoop.objects.filter(pk=loop.pk).exists():
            # Retired: stopped and deleted before any reviewer got a task of it.
            assert removed == 2, loop
            assert claims == [], loop
            assert not FlowDefinition.objects.filter(pk=flow.pk).exists(), loop
            continue
        # A reviewer started it first: it stays, whole, with the claims the reviewers got.
        assert removed == 0, loop
        assert claims, loop
        loop.refresh_from_db()
        assert loop.status == HumanLoop.Status.IN_PROGRESS
        assert FlowDefinition.objects.get(pk=flow.pk).status == FlowDefinition.Status.DELETING
        held = {slot.pk: slot.reviewer_id for slot in claims}
        assert (
            dict(
                TaskSlot.objects.filter(loop=loop, state=TaskSlot.State.CLAIMED).values_list(
                    "pk", "reviewer_id"
                )
            )
            == held
        )
        open_slots = set(
            TaskSlot.objects.filter(loop=loop, state=TaskSlot.State.OPEN).values_list(
                "pk", flat=True
            )
        )
        assert set(OpenSlot.objects.filter(loop=loop).values_list("slot_id", flat=True)) == (
            open_slots
        )
        assert len(open_slots) + len(held) == 3
        assert not SlotEvent.objects.filter(loop=loop, kind=SlotEvent.Kind.WITHDRAWN).exists()


def test_deletion_racing_a_start_either_refuses_the_start_or_retires_its_loop():
    for number in range(ROUNDS):
        flow = FlowDefinitionFactory()
        name = f"start-{number}"

        # The delays vary which side reaches the locks first across the rounds.
        def start(name=name, flow=flow, delay=(number // 5 % 5) / 1000):  # noqa: ANN001, ANN202
            time.sleep(delay)
            return start_loop(name=name, flow_definition_name=flow.name, input_content="{}")

        def delete_and_sweep(flow=flow, delay=(number % 5) / 1000):  # noqa: ANN001, ANN202
            time.sleep(delay)
            delete_flow_definition(flow=flow)
            return retire_deleting_flow_definitions()  # as promptly as the deletion asks for it

        started, deleted = run_together([start, delete_and_sweep])

        assert deleted.error is None, deleted.error
        if started.error is not None:
            # The start came after the deletion: refused, and it wrote nothing.
            assert isinstance(started.error, Invalid | NotFound), started.error
            assert started.error.field == "flow_definition"
            assert not HumanLoop.objects.filter(name=name).exists()
        # A loop that did start was committed before the flow definition turned Deleting, so a
        # sweep finds it: never a loop of a removed flow definition, never a broken start.
        retire_deleting_flow_definitions()
        assert not FlowDefinition.objects.filter(pk=flow.pk).exists()
        assert not HumanLoop.objects.filter(name=name).exists()

    assert not TaskSlot.objects.exists()
    assert not OpenSlot.objects.exists()
