"""Benchmark of the dashboard's and the reviewer page's queries over a million loops.

    DATABASE_URL=postgres://... .venv/bin/python tests/benchmarks/dashboard_benchmark.py
        [--loops 1000000] [--days 60] [--reviewers 50] [--runs 5] [--windows 24h,7d,30d]
        [--plans] [--skip-proposed]

Needs PostgreSQL (the seed is INSERT ... SELECT over generate_series) but never writes into the
database DATABASE_URL names: it creates a throwaway test database beside it (test_<name>)
through Django's test-database machinery, and drops it at the end. It prints figures and
asserts nothing.

The seed: --loops loops spread evenly over the last --days days, round-robin over four flow
definitions (one, one, two and three reviewers per loop); each takes between 30 seconds and two
days to complete. The ones whose time has not come yet are InProgress (their slots open and
queued, a first answer already in on some multi-review loops); of the others 95% Completed
(every slot answered by distinct reviewers, about one answer in eight disagreeing), 3% Failed
and 2% Stopped (their slots withdrawn). Then VACUUM ANALYZE.

For each window it times every reporting read (median of --runs calls, in the benchmark's
process, so the ORM's part is included) and prints the EXPLAIN (ANALYZE, BUFFERS) of each SQL
statement the read sent: the scans, rows and buffers of each plan node, and the execution time
(--plans prints the whole plans). Then, unless --skip-proposed, it creates the indexes this
report proposes (PROPOSED_INDEXES), analyzes, and times everything again, so the gain of each
index can be read off the summary.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a2i_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from a2i_portal import clock  # noqa: E402
from reviews.reporting import (  # noqa: E402
    agreement_report,
    backlog_by_flow,
    completion_times,
    report_window,
    reviewer_summary,
    tasks_per_reviewer,
)
from reviews.reporting.reviewers import tasks_done_in  # noqa: E402
from reviews.reporting.scopes import loops_completed_in, loops_started_in  # noqa: E402
from reviews.reporting.throughput import counts_by_hour  # noqa: E402
from tests.benchmarks.support import (  # noqa: E402
    analyze,
    create_database,
    describe_database,
    print_table,
)
from workflows import limits  # noqa: E402
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam  # noqa: E402

User = get_user_model()

FLOWS = [("bench-single", 1), ("bench-single-b", 1), ("bench-pair", 2), ("bench-triple", 3)]
USER_PAGE = 100  # the admin's list_per_page

# The indexes the reads would use if they existed, each with the reads it serves.
PROPOSED_INDEXES = {
    "loops_by_end": (
        "CREATE INDEX loops_by_end ON reviews_humanloop (status, completed_at) "
        "INCLUDE (flow_definition_id, created_at) WHERE completed_at IS NOT NULL",
        "loops completed per hour, completion times, agreement",
    ),
    "answers_by_reviewer": (
        "CREATE INDEX answers_by_reviewer ON reviews_taskslot (reviewer_id, submitted_at) "
        "INCLUDE (loop_id, time_spent) WHERE state = 'submitted'",
        "tasks per reviewer, reviewer summary, the user list's tasks-done column",
    ),
}


@dataclass
class Measured:
    """One read in one window: its median time and the plans of the statements it sent."""

    name: str
    window: str
    milliseconds: float
    statements: list[tuple[str, list[str]]] = field(default_factory=list)


# --- the database ---------------------------------------------------------------------------


def create_setup(reviewers: int) -> list[Any]:
    people = User.objects.bulk_create(
        User(username=f"bench-reviewer-{number:03d}", password="!") for number in range(reviewers)
    )
    team = WorkTeam.objects.create(name="bench-team", description="Benchmark reviewers")
    team.members.set(people)
    task_ui = HumanTaskUi.objects.create(name="bench-ui", content="<crowd-form></crowd-form>")
    for name, task_count in FLOWS:
        FlowDefinition.objects.create(
            name=name,
            work_team=team,
            task_ui=task_ui,
            task_title="Benchmark",
            task_description="Benchmark",
            task_count=task_count,
            task_availability_lifetime=limits.TASK_AVAILABILITY_MAX,
            output_path="s3://bench/outputs",
        )
    return people


SEED_LOOPS = """
    INSERT INTO reviews_humanloop (name, flow_definition_id, status, input_content,
        failure_code, failure_reason, output_uri, created_at, updated_at, expires_at, completed_at)
    SELECT 'seed-' || n, flow, status,  '{}',
           CASE status WHEN 'Failed' THEN 'Expired' ELSE '' END,
           CASE status WHEN 'Failed' THEN 'expired' ELSE '' END,
           's3://bench/outputs/seed-' || n || '/output.json',
           created, created, created + interval '10 days',
           CASE WHEN status = 'InProgress' THEN NULL ELSE ends END
    FROM (
        SELECT n, flow, created, ends,
               CASE WHEN ends > %(now)s THEN 'InProgress'
                    WHEN ending < 0.95 THEN 'Completed'
                    WHEN ending < 0.98 THEN 'Failed'
                    ELSE 'Stopped' END AS status
        FROM (
            SELECT n, (%(flows)s::bigint[])[1 + n %% %(flow_count)s] AS flow,
                   %(now)s - %(span)s::interval * (1 - (n - 0.5) / %(loops)s) AS created,
                   %(now)s - %(span)s::interval * (1 - (n - 0.5) / %(loops)s)
                       + make_interval(secs => 30 + power(random(), 3) * 172800) AS ends,
                   random() AS ending
            FROM generate_series(1, %(loops)s) AS n
        ) AS drawn
    ) AS decided
    ORDER BY n
"""
# Slot `index` of a loop goes to reviewer (loop id * 7 + index) mod R: distinct within a loop.
# Answers are submitted one after the other, the last at completion; a multi-review loop's
# later answers disagree with its first about one time in eight.
SEED_SLOTS = """
    INSERT INTO reviews_taskslot (loop_id, "index", state, reviewer_id, claimed_at, deadline,
        submitted_at, answer, time_spent)
    SELECT loop_id, slot_index, state,
           CASE WHEN state = 'submitted' THEN reviewer END,
           CASE WHEN state = 'submitted' THEN submitted - make_interval(secs => spent) END,
           NULL,
           CASE WHEN state = 'submitted' THEN submitted END,
           CASE WHEN state = 'submitted' THEN
               CASE WHEN slot_index > 0 AND disagree < 0.125
                    THEN '{"category": {"label": "dog"}}'::jsonb
                    ELSE '{"category": {"label": "cat"}}'::jsonb END END,
           CASE WHEN state = 'submitted' THEN spent END
    FROM (
        SELECT loop.id AS loop_id, slot_index,
               CASE WHEN loop.status = 'Completed' THEN 'submitted'
                    WHEN loop.status = 'InProgress' AND slot_index = 0 AND flow.task_count > 1
                         AND loop.id %% 3 = 0 THEN 'submitted'
                    WHEN loop.status = 'InProgress' THEN 'open'
                    ELSE 'withdrawn' END AS state,
               (%(reviewers)s::bigint[])[1 + ((loop.id * 7 + slot_index) %% %(reviewer_count)s)::int]
                   AS reviewer,
               CASE WHEN loop.status = 'Completed'
                    THEN loop.completed_at - (loop.completed_at - loop.created_at)
                         * (flow.task_count - 1 - slot_index) / flow.task_count
                    ELSE loop.created_at + interval '1 minute' END AS submitted,
               round((20 + random() * 600)::numeric, 3)::float AS spent,
               random() AS disagree
        FROM reviews_humanloop AS loop
        JOIN workflows_flowdefinition AS flow ON flow.id = loop.flow_definition_id,
             generate_series(0, flow.task_count - 1) AS slot_index
    ) AS drawn
    ORDER BY loop_id, slot_index
"""
SEED_QUEUE = """
    INSERT INTO reviews_openslot (slot_id, loop_id, flow_definition_id, expires_at)
    SELECT slot.id, slot.loop_id, loop.flow_definition_id, loop.expires_at
    FROM reviews_taskslot AS slot JOIN reviews_humanloop AS loop ON loop.id = slot.loop_id
    WHERE slot.state = 'open'
    ORDER BY slot.id
"""


def seed(people: list[Any], loops: int, days: int) -> None:
    flows = list(FlowDefinition.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            SEED_LOOPS,
            {
                "now": clock.now(),
                "span": f"{days} days",
                "loops": loops,
                "flows": flows,
                "flow_count": len(flows),
            },
        )
        cursor.execute(
            SEED_SLOTS,
            {"reviewers": [person.pk for person in people], "reviewer_count": len(people)},
        )
        cursor.execute(SEED_QUEUE)
    analyze()


def table_counts() -> list[list[Any]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'loops', status, count(*) FROM reviews_humanloop GROUP BY status
            UNION ALL SELECT 'slots', state, count(*) FROM reviews_taskslot GROUP BY state
            UNION ALL SELECT 'queue', 'rows', count(*) FROM reviews_openslot
            ORDER BY 1, 2
            """
        )
        return [list(row) for row in cursor.fetchall()]


def relation_sizes() -> list[list[Any]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT relname, pg_size_pretty(pg_relation_size(oid))
            FROM pg_class
            WHERE relname IN ('reviews_humanloop', 'reviews_taskslot', 'reviews_openslot')
               OR relname = ANY(%s)
            ORDER BY relname
            """,
            [list(PROPOSED_INDEXES)],
        )
        return [list(row) for row in cursor.fetchall()]


# --- the reads ------------------------------------------------------------------------------


def reads(window_key: str, busiest: Any) -> list[tuple[str, Callable[[], object]]]:
    """Each dashboard and reviewer-page read, as the pages call it."""
    window = report_window(window_key)
    users = User.objects.annotate(tasks_done_recently=tasks_done_in(window))
    return [
        (
            "loops started per hour",
            lambda: counts_by_hour(loops_started_in(window), "created_at"),
        ),
        (
            "loops completed per hour",
            lambda: counts_by_hour(loops_completed_in(window), "completed_at"),
        ),
        ("completion times per flow", lambda: completion_times(window)),
        ("tasks per reviewer", lambda: tasks_per_reviewer(window)),
        ("agreement per flow and reviewer", lambda: agreement_report(window)),
        ("reviewer summary (busiest)", lambda: reviewer_summary(busiest, window=window)),
        (
            f"user list, {USER_PAGE} by name",
            lambda: list(users.order_by("username", "-pk")[:USER_PAGE]),
        ),
        (
            f"user list, {USER_PAGE} by tasks done",
            lambda: list(users.order_by("-tasks_done_recently", "-pk")[:USER_PAGE]),
        ),
    ]


def measure(name: str, window: str, read: Callable[[], object], runs: int) -> Measured:
    read()  # warm the cache the way a page reload would
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        read()
        times.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as queries:
        read()
    statements = [(query["sql"], explain(query["sql"])) for query in queries.captured_queries]
    return Measured(name, window, statistics.median(times), statements)


def explain(sql: str) -> list[str]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) {sql}")
        plan = [line for (line,) in cursor.fetchall()]
        transaction.set_rollback(True)
    return plan


def plan_summary(plan: list[str]) -> list[str]:
    """The plan's nodes with their actual rows and buffers, and the execution time."""
    lines = []
    for line in plan:
        stripped = line.strip()
        if "->" in line or (lines == [] and "(cost=" in line):
            node = re.sub(r"\s*\(cost=[^)]*\)", "", line.rstrip())
            node = re.sub(
                r"\(actual time=[\d.]+\.\.([\d.]+) rows=(\d+) loops=(\d+)\)",
                r"[\1 ms, \2 rows x\3]",
                node,
            )
            lines.append(node)
        elif stripped.startswith(("Index Cond", "Buffers")) and lines:
            lines[-1] += f"  {{{stripped}}}"
        elif stripped.startswith("Execution Time"):
            lines.append(f"  {stripped}")
    return lines


# --- printing -------------------------------------------------------------------------------


def print_measured(measured: Measured, full_plans: bool) -> None:
    print(f"\n  {measured.name} [{measured.window}]: median {measured.milliseconds:,.1f} ms")
    for number, (sql, plan) in enumerate(measured.statements, start=1):
        print(f"    statement {number}: {shorten(sql)}")
        for line in plan if full_plans else plan_summary(plan):
            print(f"      {line}")


def shorten(sql: str, length: int = 150) -> str:
    flat = " ".join(sql.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def execution_ms(measured: Measured) -> float:
    total = 0.0
    for _, plan in measured.statements:
        found = next((line for line in plan if line.startswith("Execution Time")), "")
        match = re.search(r"([\d.]+) ms", found)
        total += float(match.group(1)) if match else 0.0
    return total


def run_round(
    label: str, busiest: Any, windows: list[str], runs: int, full_plans: bool
) -> list[Measured]:
    print(f"\n== {label} ==")
    results = [measure("backlog by flow (now)", "-", backlog_by_flow, runs)]
    print_measured(results[0], full_plans)
    for window in windows:
        for name, read in reads(window, busiest):
            result = measure(name, window, read, runs)
            print_measured(result, full_plans)
            results.append(result)
    return results


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loops", type=lambda t: int(t.replace("_", "")), default=1_000_000)
    parser.add_argument("--days", type=int, default=60, help="the loops' span (60)")
    parser.add_argument("--reviewers", type=int, default=50, help="reviewers (50)")
    parser.add_argument("--runs", type=int, default=5, help="runs per median (5)")
    parser.add_argument(
        "--windows",
        default="24h,7d,30d",
        type=lambda text: text.split(","),
        help="report windows to measure (24h,7d,30d)",
    )
    parser.add_argument("--plans", action="store_true", help="print whole EXPLAIN plans")
    parser.add_argument(
        "--skip-proposed", action="store_true", help="do not measure with the proposed indexes"
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The dashboard benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    old_name = create_database(sqlite_file="dashboard_benchmark.sqlite3")
    try:
        print(f"Dashboard benchmark on {describe_database('shared_buffers', 'work_mem')}")
        people = create_setup(args.reviewers)
        began = time.perf_counter()
        seed(people, args.loops, args.days)
        print(
            f"seeded {args.loops:,} loops over {args.days} days, {args.reviewers} reviewers, "
            f"in {time.perf_counter() - began:.0f} s"
        )
        print_table(
            ["table", "state", "rows"],
            [[t, s, f"{n:,}"] for t, s, n in table_counts()],
            align="left",
        )
        busiest = User.objects.get(pk=people[0].pk)

        before = run_round("existing indexes", busiest, args.windows, args.runs, args.plans)
        rounds = [("existing indexes", before)]
        if not args.skip_proposed:
            for name, (sql, serves) in PROPOSED_INDEXES.items():
                with connection.cursor() as cursor:
                    began = time.perf_counter()
                    cursor.execute(sql)
                print(f"\ncreated {name} ({serves}) in {time.perf_counter() - began:.1f} s")
            analyze()
            print_table(["relation", "size"], relation_sizes(), align="left")
            after = run_round(
                "with the proposed indexes", busiest, args.windows, args.runs, args.plans
            )
            rounds.append(("with the proposed indexes", after))

        print("\n== summary: median ms per read (EXPLAIN ANALYZE execution ms in brackets) ==")
        headers = ["read", "window", *(label for label, _ in rounds)]
        rows = []
        for index, first in enumerate(before):
            rows.append(
                [first.name, first.window]
                + [
                    f"{results[index].milliseconds:,.1f} ({execution_ms(results[index]):,.1f})"
                    for _, results in rounds
                ]
            )
        print_table(headers, rows, align="left")
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
