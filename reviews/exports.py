"""Exports of human loops for operators, streamed so that any number of loops fits.

JSON Lines: one line per loop, its output.json document exactly as `build_output` gives it
(keys sorted, as the output file is written), answered or not.

CSV: one row per human answer (loops without answers give none), loops in creation order and
each loop's answers in output.json's order. The columns are CSV_COLUMNS, then `answer.<key>` for
every top-level key of any exported answer, sorted. An answer cell holds a string as it is and
any other value (number, true/false, null, object, array) as JSON text; it is empty when that
answer has no such key. The answer is what the reviewer submitted, without the request-source
key output.json wraps the answers of built-in flow definitions in.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from a2i_portal import clock
from reviews.models import HumanLoop, TaskSlot, WorkerIdentity
from reviews.services.outputs import build_output, worker_identity_for

CSV_COLUMNS = [
    "human_loop_name",
    "status",
    "flow_definition",
    "worker_id",
    "submission_time",
    "time_spent_in_seconds",
]
ANSWER_PREFIX = "answer."
CHUNK_SIZE = 200  # loops per query: bounded memory whatever the selection


def in_chunks(rows: QuerySet, size: int = CHUNK_SIZE) -> Iterator[list[Any]]:
    """The rows of `rows` in primary key order, `size` per query: keyset pages, so a long
    export holds no cursor open and never scans past an OFFSET; rows deleted meanwhile are
    simply not met again."""
    rows = rows.order_by("pk")
    chunk = list(rows[:size])
    while chunk:
        yield chunk
        chunk = list(rows.filter(pk__gt=chunk[-1].pk)[:size])


def loops_in_chunks(loops: QuerySet[HumanLoop], *, with_input: bool) -> Iterator[list[HumanLoop]]:
    """The loops of `loops` in creation (primary key) order, with their flow definitions."""
    rows = loops.select_related("flow_definition")
    yield from in_chunks(rows.defer(None) if with_input else rows.defer("input_content"))


def jsonl_lines(loops: QuerySet[HumanLoop]) -> Iterator[str]:
    """One output.json document per loop, one per line."""
    for chunk in loops_in_chunks(loops, with_input=True):
        for loop in chunk:
            yield json.dumps(build_output(loop), sort_keys=True, ensure_ascii=False) + "\n"


def submitted_slots(loops: QuerySet[HumanLoop]) -> QuerySet[TaskSlot]:
    return TaskSlot.objects.filter(
        loop__in=loops.order_by().values("pk"), state=TaskSlot.State.SUBMITTED
    )


def unwrapped(answer: Any, request_source: str) -> dict[str, Any]:
    """What the reviewer answered: a built-in widget answers under its request source's key
    (CROWD-ELEMENTS §3.7); the CSV's columns are the fields inside it."""
    if not isinstance(answer, dict):
        return {}
    inner = answer.get(request_source) if request_source else None
    return inner if isinstance(inner, dict) and len(answer) == 1 else answer


def answer_keys(loops: QuerySet[HumanLoop]) -> list[str]:
    """Every top-level key of the loops' answers, sorted: the CSV's answer columns."""
    keys: set[str] = set()
    answers = submitted_slots(loops).values_list("answer", "loop__flow_definition__request_source")
    for answer, request_source in answers.iterator(chunk_size=1000):
        keys.update(unwrapped(answer, request_source))
    return sorted(keys)


def answer_cell(value: Any) -> str:
    return (
        value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    )


def answer_rows(loops: QuerySet[HumanLoop], keys: list[str]) -> Iterator[list[Any]]:
    for chunk in loops_in_chunks(loops, with_input=False):
        by_pk = {loop.pk: loop for loop in chunk}
        slots = list(
            TaskSlot.objects.filter(loop__in=chunk, state=TaskSlot.State.SUBMITTED).order_by(
                "loop_id", "submitted_at", "index"
            )
        )
        reviewers = {slot.reviewer_id for slot in slots}
        workers = {w.user_id: w for w in WorkerIdentity.objects.filter(user__in=reviewers)}
        for slot in slots:
            if slot.reviewer_id not in workers:  # as build_output does: made on first use
                workers[slot.reviewer_id] = worker_identity_for(user_id=slot.reviewer_id)
            loop = by_pk[slot.loop_id]
            answer = unwrapped(slot.answer, loop.flow_definition.request_source)
            yield [
                loop.name,
                loop.status,
                loop.flow_definition.name,
                workers[slot.reviewer_id].worker_id,
                clock.iso8601_millis(slot.submitted_at),
                round(slot.time_spent or 0.0, 3),
                *(answer_cell(answer[key]) if key in answer else "" for key in keys),
            ]


class Lines:
    """A file-like object whose write() returns the line, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


def csv_lines(loops: QuerySet[HumanLoop]) -> Iterator[str]:
    """The header, then one row per human answer."""
    keys = answer_keys(loops)
    writer = csv.writer(Lines())
    yield writer.writerow([*CSV_COLUMNS, *(ANSWER_PREFIX + key for key in keys)])
    for row in answer_rows(loops, keys):
        yield writer.writerow(row)


def streamed(lines: Iterable[str], *, content_type: str, extension: str) -> StreamingHttpResponse:
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    response = StreamingHttpResponse((line.encode() for line in lines), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="human-loops-{stamp}.{extension}"'
    return response


def jsonl_response(loops: QuerySet[HumanLoop]) -> StreamingHttpResponse:
    return streamed(
        jsonl_lines(loops), content_type="application/jsonl; charset=utf-8", extension="jsonl"
    )


def csv_response(loops: QuerySet[HumanLoop]) -> StreamingHttpResponse:
    return streamed(csv_lines(loops), content_type="text/csv; charset=utf-8", extension="csv")
