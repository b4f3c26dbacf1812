"""Real threads, one database connection each, released together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection

from a2i_portal import clock
from reviews.models import HumanLoop, OpenSlot, TaskSlot
from workflows.models import FlowDefinition

# A thread still running after this long is stuck: a lock cycle the database did not break.
JOIN_TIMEOUT = 60.0


@dataclass
class Outcome:
    """What one thread's callable returned, or the exception it raised."""

    value: Any = None
    error: BaseException | None = None


def run_together(targets: Iterable[Callable[[], Any]]) -> list[Outcome]:
    """Run each callable in its own thread; all start at once, each on its own connection."""
    targets = list(targets)
    barrier = threading.Barrier(len(targets))
    outcomes = [Outcome() for _ in targets]

    def run(target: Callable[[], Any], outcome: Outcome) -> None:
        try:
            # Connect before the barrier, so connection set-up does not spread the start.
            connection.ensure_connection()
            barrier.wait(JOIN_TIMEOUT)
            outcome.value = target()
        except BaseException as exc:  # reported to the test thread, which decides
            outcome.error = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(target, outcome), daemon=True)
        for target, outcome in zip(targets, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    if any(thread.is_alive() for thread in threads):
        pytest.fail(f"a thread was still running after {JOIN_TIMEOUT} s: a lock wait never ended")
    return outcomes


def values(outcomes: list[Outcome]) -> list[Any]:
    """The threads' return values; fails the test on a deadlock, re-raises any other error."""
    for outcome in outcomes:
        if isinstance(outcome.error, OperationalError):  # PostgreSQL's deadlock detector
            pytest.fail(f"a thread failed with {type(outcome.error).__name__}: {outcome.error}")
        if outcome.error is not None:
            raise outcome.error
    return [outcome.value for outcome in outcomes]


def open_loops(flow: FlowDefinition, count: int, prefix: str = "race") -> list[HumanLoop]:
    """`count` InProgress loops of `flow`, each with TaskCount open slots and their queue rows,
    written in bulk; slot ids follow loop order, so the oldest loop's slots come first."""
    now = clock.now()
    expires_at = now + timedelta(seconds=flow.task_availability_lifetime)
    loops = HumanLoop.objects.bulk_create(
        HumanLoop(
            name=f"{prefix}-{number}",
            flow_definition=flow,
            input_content='{"text": "a cat on a mat"}',
            output_uri=f"s3://test-bucket/outputs/{prefix}-{number}/output.json",
            created_at=now,
            updated_at=now,
            expires_at=expires_at,
        )
        for number in range(count)
    )
    slots = TaskSlot.objects.bulk_create(
        TaskSlot(loop=loop, index=index) for loop in loops for index in range(flow.task_count)
    )
    OpenSlot.objects.bulk_create(
        OpenSlot(slot=slot, loop_id=slot.loop_id, flow_definition=flow, expires_at=expires_at)
        for slot in slots
    )
    return loops
