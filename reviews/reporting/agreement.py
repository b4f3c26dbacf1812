"""Agreement between reviewers on loops that more than one reviewer answered.

The definitions, used on the dashboard and the reviewer's page alike:

- A *multi-review loop* is a Completed loop of a flow definition with TaskCount > 1 that has
  at least two answers.
- A multi-review loop is *unanimous* when all its answers are equal, compared as canonical
  JSON (`canonical_json`: keys sorted, no insignificant whitespace), so key order and
  formatting never count as disagreement.
- A flow definition's agreement is the share of its multi-review loops that are unanimous.
- A reviewer's agreement is the share of the multi-review loops they answered in which their
  answer matches every other answer. With every other answer equal to theirs, all answers are
  equal: it is the share of unanimous loops among the ones they answered.

Which loops a window holds: on the dashboard, both figures count the multi-review loops that
completed inside the window. A reviewer's own summary counts the multi-review loops they
answered inside the window (complete by now), so that its cost follows that reviewer's
answers, not every loop of the window.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet

from reviews.models import HumanLoop, TaskSlot
from reviews.reporting.labels import share_label
from reviews.reporting.percentiles import SAMPLE_SIZE
from reviews.reporting.scopes import loops_completed_in, on_postgresql
from reviews.reporting.windows import ReportWindow
from workflows.models import FlowDefinition

DEFINITION = (
    "Agreement counts loops of flow definitions with more than one reviewer per loop (TaskCount "
    "above 1) that completed in the window with at least two answers. A loop agrees when all "
    "its answers are equal (compared as JSON, key order ignored). A flow definition's figure is "
    "the share of its loops that agree; a reviewer's figure is the share of the loops they "
    "answered in which their answer matches every other answer."
)


def canonical_json(value: Any) -> str:
    """The one text of a JSON value that equal values share: keys sorted, compact separators."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Agreement:
    """`agreed` unanimous loops out of `loops` multi-review loops."""

    agreed: int
    loops: int

    @property
    def share(self) -> float | None:
        return self.agreed / self.loops if self.loops else None

    @property
    def share_label(self) -> str:
        return share_label(self.share)

    def __add__(self, other: Agreement) -> Agreement:
        return Agreement(agreed=self.agreed + other.agreed, loops=self.loops + other.loops)


NO_LOOPS = Agreement(agreed=0, loops=0)


@dataclass(frozen=True)
class FlowAgreement:
    flow_id: int
    flow_name: str
    task_count: int
    agreement: Agreement


@dataclass(frozen=True)
class ReviewerAgreement:
    reviewer_id: int
    username: str
    agreement: Agreement


@dataclass(frozen=True)
class AgreementReport:
    """Agreement per flow definition (by name) and per reviewer (most loops first);
    `multi_review_flows` counts the flow definitions with TaskCount > 1, loops or not.

    `sampled`: the figures describe the most recent `sample_size` multi-review loops of the
    window, not all of them.
    """

    flows: list[FlowAgreement]
    reviewers: list[ReviewerAgreement]
    multi_review_flows: int
    sampled: bool = False
    sample_size: int = 0

    def of_reviewer(self, reviewer_id: int) -> Agreement:
        return next(
            (row.agreement for row in self.reviewers if row.reviewer_id == reviewer_id), NO_LOOPS
        )


# PostgreSQL compares the answers itself: the text of a jsonb value is canonical (keys sorted
# and deduplicated, fixed spacing), and a loop is unanimous when its smallest and largest
# answer digest are the same. One statement yields both groupings (GROUPING SETS). `sample` is
# the loops to count (multi_review_sample); their answers come through the slots' loop index.
AGREEMENT_SQL = """
    WITH sample (loop_id, flow_id) AS ({sample}),
    answers AS (
        SELECT sample.loop_id, sample.flow_id, slot.reviewer_id,
               md5(slot.answer::text) AS digest
        FROM sample
        JOIN reviews_taskslot AS slot ON slot.loop_id = sample.loop_id AND slot.state = %s
    ), verdicts AS (
        SELECT loop_id, flow_id, reviewer_id,
               COUNT(*) OVER per_loop AS answers,
               MIN(digest) OVER per_loop = MAX(digest) OVER per_loop AS unanimous
        FROM answers
        WINDOW per_loop AS (PARTITION BY loop_id)
    )
    SELECT GROUPING(flow_id) = 0 AS by_flow, flow_id, reviewer_id,
           COUNT(DISTINCT loop_id) FILTER (WHERE unanimous), COUNT(DISTINCT loop_id)
    FROM verdicts
    WHERE answers >= 2
    GROUP BY GROUPING SETS ((flow_id), (reviewer_id))
"""


def agreement_report(window: ReportWindow, *, reviewer: Any | None = None) -> AgreementReport:
    """Agreement over the window's multi-review loops, or over the most recent SAMPLE_SIZE of
    them when there are more (`sampled`: comparing answers costs a read of each).

    With `reviewer`, the loops are the Completed ones that reviewer answered inside the window
    (the report's flows and other reviewers then describe just those loops).
    """
    flows = {
        pk: (name, task_count)
        for pk, name, task_count in FlowDefinition.objects.filter(task_count__gt=1).values_list(
            "pk", "name", "task_count"
        )
    }
    if not flows:
        return AgreementReport(flows=[], reviewers=[], multi_review_flows=0)
    loops = multi_review_loops(window, list(flows), reviewer).order_by("-completed_at", "-pk")
    sampled = loops[SAMPLE_SIZE : SAMPLE_SIZE + 1].exists()
    sample = loops[:SAMPLE_SIZE]
    if on_postgresql():
        by_flow, by_reviewer = tally_in_database(sample)
    else:
        by_flow, by_reviewer = tally(
            TaskSlot.objects.filter(
                state=TaskSlot.State.SUBMITTED, loop_id__in=sample.values("pk")
            ).values_list("loop_id", "loop__flow_definition_id", "reviewer_id", "answer")
        )
    usernames = dict(
        get_user_model().objects.filter(pk__in=list(by_reviewer)).values_list("pk", "username")
    )
    return AgreementReport(
        flows=sorted(
            (
                FlowAgreement(
                    flow_id=flow_id,
                    flow_name=flows[flow_id][0],
                    task_count=flows[flow_id][1],
                    agreement=agreement,
                )
                for flow_id, agreement in by_flow.items()
            ),
            key=lambda row: row.flow_name,
        ),
        reviewers=sorted(
            (
                ReviewerAgreement(
                    reviewer_id=reviewer_id,
                    username=usernames.get(reviewer_id, f"user {reviewer_id}"),
                    agreement=agreement,
                )
                for reviewer_id, agreement in by_reviewer.items()
            ),
            key=lambda row: (-row.agreement.loops, row.username),
        ),
        multi_review_flows=len(flows),
        sampled=sampled,
        sample_size=SAMPLE_SIZE,
    )


def multi_review_loops(
    window: ReportWindow, flow_ids: list[int], reviewer: Any | None
) -> QuerySet[HumanLoop]:
    """Loops of the given flow definitions completed in the window; with `reviewer`, Completed
    loops that reviewer answered in the window (found from their answers). Whether a loop has
    two answers is decided when its answers are compared."""
    if reviewer is None:
        return loops_completed_in(window).filter(flow_definition_id__in=flow_ids)
    # A join, not `pk IN (answers)`: PostgreSQL then plans it from the reviewer's answers (one
    # loop probe each) instead of reading every loop to hash-join them.
    return HumanLoop.objects.filter(
        status=HumanLoop.Status.COMPLETED,
        flow_definition_id__in=flow_ids,
        slots__reviewer=reviewer,
        slots__state=TaskSlot.State.SUBMITTED,
        slots__submitted_at__gte=window.start,
        slots__submitted_at__lt=window.end,
    )


def tally_in_database(
    sample: QuerySet[HumanLoop],
) -> tuple[dict[int, Agreement], dict[int, Agreement]]:
    sample_sql, sample_params = sample.values_list(
        "pk", "flow_definition_id"
    ).query.sql_with_params()
    by_flow: dict[int, Agreement] = {}
    by_reviewer: dict[int, Agreement] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            AGREEMENT_SQL.format(sample=sample_sql),
            [*sample_params, TaskSlot.State.SUBMITTED],
        )
        for is_flow_row, flow_id, reviewer_id, agreed, loops in cursor.fetchall():
            if is_flow_row:
                by_flow[flow_id] = Agreement(agreed=agreed, loops=loops)
            else:
                by_reviewer[reviewer_id] = Agreement(agreed=agreed, loops=loops)
    return by_flow, by_reviewer


def tally(
    answers: Iterable[tuple[int, int, int, Any]],
) -> tuple[dict[int, Agreement], dict[int, Agreement]]:
    """Agreement per flow and per reviewer from (loop, flow, reviewer, answer) rows."""
    of_loop: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    for loop_id, flow_id, reviewer_id, answer in answers:
        of_loop[loop_id, flow_id].append((reviewer_id, canonical_json(answer)))
    by_flow: dict[int, Agreement] = defaultdict(lambda: NO_LOOPS)
    by_reviewer: dict[int, Agreement] = defaultdict(lambda: NO_LOOPS)
    for (_, flow_id), loop_answers in of_loop.items():
        if len(loop_answers) < 2:
            continue
        verdict = Agreement(agreed=int(len({text for _, text in loop_answers}) == 1), loops=1)
        by_flow[flow_id] += verdict
        for reviewer_id, _ in loop_answers:
            by_reviewer[reviewer_id] += verdict
    return dict(by_flow), dict(by_reviewer)
