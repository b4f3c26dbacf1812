"""Benchmark of the open-slot queue: start and claim rates, and whether claims stay fast.

    .venv/bin/python tests/benchmarks/queue_benchmark.py [--sizes 100000,1000000]
        [--seconds 60] [--claimers 8] [--window 10] [--runs 5] [--naive]

Works against whatever DATABASE_URL names (PostgreSQL or SQLite) but never writes into that
database: it creates a throwaway test database beside it (test_<name>) through Django's
test-database machinery, and drops it at the end. It prints figures and asserts nothing.

For each size it seeds that many open slots, then measures (medians of --runs runs) the
start_loop rate and the single-claimer claim rate, then runs --claimers concurrent claimers
(threads, one connection and one reviewer each) for --seconds, printing the claims of each
--window and the ratio last window / first window. The question it answers: do claims stay as
fast at the end of a busy minute as at its start, while every claim leaves dead rows behind?

--naive adds two sustained runs with claims in raw SQL, so that both spend the same (small)
time in Python: one on the queue table, one with the claim a first design would write,
implemented here only: scan TaskSlot through a partial index on state = 'open' and UPDATE the
slot in place. claim_next_slot spends most of a claim in the ORM, which hides the tables' part.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
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
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot  # noqa: E402
from reviews.services.loops import start_loop  # noqa: E402
from reviews.services.slots import claim_next_slot, claim_query  # noqa: E402
from tests.benchmarks.support import (  # noqa: E402
    analyze,
    create_database,
    describe_database,
    on_postgres,
    print_table,
)
from workflows import limits  # noqa: E402
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam  # noqa: E402

User = get_user_model()

TASK_COUNT = 2  # two reviewers per loop: claimers race for the two slots at the queue's head
SEED_BATCH = 20_000  # rows per bulk_create where there is no generate_series
START_BATCH = 200  # start_loop calls per run of the start-rate measurement
CLAIM_BATCH = 500  # claims per run of the single-claimer measurement
NAIVE_INDEX = "bench_naive_open_slots"


@dataclass
class Setup:
    """The rows every measurement shares: one team of reviewers, one flow definition."""

    flow: FlowDefinition
    reviewers: list[Any]


@dataclass
class Sustained:
    """Claims per window of one sustained run, and what the database looked like after it."""

    windows: list[int]
    window: float
    ran_out: int = 0
    errors: list[str] = field(default_factory=list)
    plan_before: str = ""
    plan_after: str = ""
    table_stats: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.windows[-1] / self.windows[0] if self.windows[0] else float("nan")


# --- the database ---------------------------------------------------------------------------


def create_setup(claimers: int) -> Setup:
    reviewers = User.objects.bulk_create(
        User(username=f"bench-reviewer-{number}", password="!") for number in range(claimers)
    )
    team = WorkTeam.objects.create(name="bench-team", description="Benchmark reviewers")
    team.members.set(reviewers)
    flow = FlowDefinition.objects.create(
        name="bench-flow",
        work_team=team,
        task_ui=HumanTaskUi.objects.create(name="bench-ui", content="<crowd-form></crowd-form>"),
        task_title="Benchmark",
        task_description="Benchmark",
        task_count=TASK_COUNT,
        task_availability_lifetime=limits.TASK_AVAILABILITY_MAX,
        task_time_limit=limits.TASK_TIME_LIMIT_MAX,
        output_path="s3://bench/outputs",
    )
    return Setup(flow=flow, reviewers=reviewers)


def empty_queue() -> None:
    """Forget every loop of an earlier size, and everything that hangs off a loop."""
    tables = [
        "reviews_renderfailure",
        "reviews_slotevent",
        "reviews_openslot",
        "reviews_taskslot",
        "reviews_humanloop",
    ]
    with connection.cursor() as cursor:
        if on_postgres():
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def seed(setup: Setup, open_slots: int, with_queue: bool = True) -> None:
    """`open_slots` open slots (TaskSlot rows, and their queue rows unless told otherwise), in
    loops of TASK_COUNT, oldest first."""
    loops = open_slots // TASK_COUNT
    now = clock.now()
    expires_at = now + timedelta(seconds=setup.flow.task_availability_lifetime)
    if on_postgres():
        seed_with_generate_series(setup.flow.pk, loops, now, expires_at, with_queue)
    else:
        seed_with_bulk_create(setup.flow, loops, now, expires_at, with_queue)
    analyze()


def seed_with_generate_series(
    flow_id: int, loops: int, now: Any, expires_at: Any, with_queue: bool
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO reviews_humanloop (name, flow_definition_id, status, input_content,
                failure_code, failure_reason, output_uri, created_at, updated_at, expires_at)
            SELECT 'seed-' || n, %(flow)s, 'InProgress', '{"n": ' || n || '}', '', '',
                's3://bench/outputs/bench-flow/seed-' || n || '/output.json',
                %(now)s, %(now)s, %(expires)s
            FROM generate_series(1, %(loops)s) AS n
            ORDER BY n
            """,
            {"flow": flow_id, "now": now, "expires": expires_at, "loops": loops},
        )
        cursor.execute(
            """
            INSERT INTO reviews_taskslot (loop_id, "index", state)
            SELECT loop.id, slot_index, 'open'
            FROM reviews_humanloop AS loop, generate_series(0, %(last)s) AS slot_index
            ORDER BY loop.id, slot_index
            """,
            {"last": TASK_COUNT - 1},
        )
        if with_queue:
            cursor.execute(
                """
                INSERT INTO reviews_openslot (slot_id, loop_id, flow_definition_id, expires_at)
                SELECT id, loop_id, %(flow)s, %(expires)s FROM reviews_taskslot ORDER BY id
                """,
                {"flow": flow_id, "expires": expires_at},
            )


def seed_with_bulk_create(
    flow: FlowDefinition, loops: int, now: Any, expires_at: Any, with_queue: bool
) -> None:
    for first in range(0, loops, SEED_BATCH):
        with transaction.atomic():
            batch = HumanLoop.objects.bulk_create(
                HumanLoop(
                    name=f"seed-{number}",
                    flow_definition=flow,
                    input_content=f'{{"n": {number}}}',
                    output_uri=f"s3://bench/outputs/bench-flow/seed-{number}/output.json",
                    created_at=now,
                    updated_at=now,
                    expires_at=expires_at,
                )
                for number in range(first, min(first + SEED_BATCH, loops))
            )
            slots = TaskSlot.objects.bulk_create(
                TaskSlot(loop=loop, index=index) for loop in batch for index in range(TASK_COUNT)
            )
            if with_queue:
                OpenSlot.objects.bulk_create(
                    OpenSlot(
                        slot=slot, loop_id=slot.loop_id, flow_definition=flow, expires_at=expires_at
                    )
                    for slot in slots
                )


def vacuum() -> None:
    if on_postgres():
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")


def queue_stats() -> list[tuple[Any, ...]]:
    """Live and dead rows, vacuum runs and size of the tables a claim reads or writes."""
    if not on_postgres():
        return []
    # The counters are flushed by each backend about once a second: give the claimers' last
    # transactions time to report.
    time.sleep(1.5)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT relname, n_live_tup, n_dead_tup, vacuum_count + autovacuum_count,
                   pg_size_pretty(pg_total_relation_size(relid))
            FROM pg_stat_user_tables
            WHERE relname IN ('reviews_openslot', 'reviews_taskslot', 'reviews_slotevent')
            ORDER BY relname
            """
        )
        return cursor.fetchall()


# --- measurements ---------------------------------------------------------------------------


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def measure_start_rate(setup: Setup, runs: int, label: str) -> list[float]:
    rates = []
    for run in range(runs):
        began = time.perf_counter()
        for number in range(START_BATCH):
            start_loop(
                name=f"start-{label}-{run}-{number}",
                flow_definition_name=setup.flow.name,
                input_content=f'{{"run": {run}, "n": {number}}}',
            )
        rates.append(rate(START_BATCH, time.perf_counter() - began))
    return rates


def measure_claim_rate(setup: Setup, runs: int) -> list[float]:
    """One claim at a time, the reviewers taking turns: one reviewer alone would have to walk
    past the second slot of every loop it already holds, which no real team does for long."""
    rates = []
    for _ in range(runs):
        began = time.perf_counter()
        for number in range(CLAIM_BATCH):
            claim_next_slot(reviewer=setup.reviewers[number % len(setup.reviewers)])
        rates.append(rate(CLAIM_BATCH, time.perf_counter() - began))
    return rates


def sustained_run(
    setup: Setup,
    claim: Callable[[Any], object | None],
    seconds: float,
    window: float,
    explain: Callable[[Any], str],
) -> Sustained:
    """All reviewers claim at once for `seconds`; claims are counted per `window`."""
    windows = int(round(seconds / window))
    result = Sustained(windows=[0] * windows, window=window)
    result.plan_before = explain(setup.reviewers[-1])
    barrier = threading.Barrier(len(setup.reviewers) + 1)
    lock = threading.Lock()
    started: list[float] = []

    def claimer(reviewer: Any) -> None:
        counts = [0] * windows
        ran_out = 0
        try:
            connection.ensure_connection()
            barrier.wait()
            began = started[0]
            while (elapsed := time.monotonic() - began) < seconds:
                if claim(reviewer) is None:
                    ran_out += 1
                    continue
                counts[min(int(elapsed // window), windows - 1)] += 1
        except Exception as exc:  # reported with the figures, which are then incomplete
            with lock:
                result.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()
            with lock:
                result.windows = [a + b for a, b in zip(result.windows, counts, strict=True)]
                result.ran_out += ran_out

    threads = [threading.Thread(target=claimer, args=(r,)) for r in setup.reviewers]
    for thread in threads:
        thread.start()
    started.append(time.monotonic())
    barrier.wait()
    for thread in threads:
        thread.join()
    result.plan_after = explain(setup.reviewers[-1])
    result.table_stats = queue_stats()
    return result


def explain_sql(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of one claim query, rolled back; a one-line summary."""
    if not on_postgres():
        return "(EXPLAIN ANALYZE needs PostgreSQL)"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) {sql}", params)
        plan = [line for (line,) in cursor.fetchall()]
        transaction.set_rollback(True)
    return summarize_plan(plan)


def summarize_plan(plan: list[str]) -> str:
    """Buffers touched by the whole query, the scan that found the slot, and execution time."""
    buffers = next((line.strip() for line in plan if "Buffers:" in line), "Buffers: none")
    scans = [
        re.sub(r"\s+\(cost=.*?\)", "", line.strip().lstrip("-> "))
        for line in plan
        if "Index" in line and "Scan" in line
    ]
    executed = next((line.strip() for line in plan if line.startswith("Execution Time")), "")
    return f"{scans[0] if scans else plan[0].strip()} | {buffers} | {executed}"


def explain_claim(reviewer: Any) -> str:
    """The plan of claim_next_slot's claim query as it runs now (captured, then explained)."""
    if not on_postgres():
        return "(EXPLAIN ANALYZE needs PostgreSQL)"
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        claim_next_slot(reviewer=reviewer)
        transaction.set_rollback(True)
    claim_sql = next(q["sql"] for q in queries.captured_queries if "SKIP LOCKED" in q["sql"])
    return explain_sql(claim_sql)


# --- raw-SQL claims: the queue against the naive design, at the same Python cost -----------
# claim_next_slot spends most of a claim in the ORM, so its rate says little about the tables.
# These two claims differ only in the table they take the slot from; both read it with the
# service's own subqueries (and fence), so the figures compare the tables and nothing else.

NAIVE_CLAIM_QUERY = """
    SELECT slot.id
    FROM reviews_taskslot AS slot
    JOIN reviews_humanloop AS humanloop ON humanloop.id = slot.loop_id
    WHERE slot.state = 'open' AND humanloop.flow_definition_id IN ({flows})
      AND humanloop.expires_at > %s
      AND NOT EXISTS (
          SELECT 1 FROM reviews_taskslot AS taken
          WHERE taken.loop_id = slot.loop_id AND taken.reviewer_id = %s{fence}
      )
      AND NOT EXISTS (
          SELECT 1 FROM reviews_slotevent AS declined
          WHERE declined.loop_id = slot.loop_id AND declined.reviewer_id = %s
            AND declined.kind = %s{fence}
      )
    ORDER BY slot.id
    LIMIT 1
"""


def naive_claim_query() -> str:
    if not on_postgres():
        return NAIVE_CLAIM_QUERY.format(flows="%s", fence="")
    return (
        NAIVE_CLAIM_QUERY.format(flows="%s", fence=" OFFSET 0") + "FOR UPDATE OF slot SKIP LOCKED"
    )


@dataclass(frozen=True)
class RawClaim:
    """A claim in raw SQL: find and lock the oldest open slot (`select`, which takes the flow,
    the time, the reviewer twice and the declined kind), take it out of the open set
    (`remove`, empty when the UPDATE that marks it claimed does it), record the event."""

    name: str
    title: str
    select: Callable[[], str]
    remove: str
    uses_queue: bool


QUEUE_SQL = RawClaim(
    name="queue, raw SQL",
    title="the queue table (reviews_openslot, row deleted on claim), claimed by raw SQL",
    select=lambda: claim_query(flow_count=1),
    remove="DELETE FROM reviews_openslot WHERE slot_id = %s",
    uses_queue=True,
)
NAIVE_SQL = RawClaim(
    name="naive, raw SQL",
    title="naive: TaskSlot by a partial index on state='open', updated in place, raw SQL",
    select=naive_claim_query,
    remove="",
    uses_queue=False,
)


def claim_params(flow: FlowDefinition, reviewer: Any) -> list[Any]:
    now = connection.ops.adapt_datetimefield_value(clock.now())
    return [flow.pk, now, reviewer.pk, reviewer.pk, SlotEvent.Kind.DECLINED]


def create_naive_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAIVE_INDEX} ON reviews_taskslot (id) "
            "WHERE state = 'open'"
        )


def drop_naive_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {NAIVE_INDEX}")


def raw_claimer(variant: RawClaim, flow: FlowDefinition) -> Callable[[Any], int | None]:
    def claim(reviewer: Any) -> int | None:
        with transaction.atomic(), connection.cursor() as cursor:
            if on_postgres():  # the service's lock: one claim at a time per reviewer
                cursor.execute(
                    "SELECT id FROM auth_user WHERE id = %s FOR NO KEY UPDATE", [reviewer.pk]
                )
            now = clock.now()
            cursor.execute(variant.select(), claim_params(flow, reviewer))
            row = cursor.fetchone()
            if row is None:
                return None
            (slot_id,) = row
            if variant.remove:
                cursor.execute(variant.remove, [slot_id])
            cursor.execute(
                "UPDATE reviews_taskslot SET state = 'claimed', reviewer_id = %s, "
                "claimed_at = %s, deadline = %s WHERE id = %s RETURNING loop_id",
                [
                    reviewer.pk,
                    connection.ops.adapt_datetimefield_value(now),
                    connection.ops.adapt_datetimefield_value(
                        now + timedelta(seconds=flow.task_time_limit)
                    ),
                    slot_id,
                ],
            )
            (loop_id,) = cursor.fetchone()
            SlotEvent.objects.create(
                slot_id=slot_id,
                loop_id=loop_id,
                kind=SlotEvent.Kind.CLAIMED,
                reviewer=reviewer,
                at=now,
            )
            return slot_id

    return claim


def raw_explainer(variant: RawClaim, flow: FlowDefinition) -> Callable[[Any], str]:
    def explain(reviewer: Any) -> str:
        return explain_sql(variant.select(), claim_params(flow, reviewer))

    return explain


def run_raw(setup: Setup, size: int, variant: RawClaim, args: argparse.Namespace) -> Sustained:
    """A sustained run of a raw-SQL claim on freshly seeded slots."""
    empty_queue()
    if not variant.uses_queue:
        create_naive_index()
    seed(setup, size, with_queue=variant.uses_queue)
    try:
        result = sustained_run(
            setup,
            raw_claimer(variant, setup.flow),
            args.seconds,
            args.window,
            raw_explainer(variant, setup.flow),
        )
    finally:
        drop_naive_index()
    print_sustained(
        f"{variant.title}, {args.claimers} claimers for {args.seconds:.0f} s",
        result,
        args.claimers,
    )
    return result


# --- printing -------------------------------------------------------------------------------


def print_rates(rows: list[tuple[str, list[float]]]) -> None:
    print_table(
        ["measurement", "median", "runs"],
        [
            [name, f"{statistics.median(rates):,.0f}", " ".join(f"{r:,.0f}" for r in rates)]
            for name, rates in rows
        ],
    )


def print_sustained(title: str, result: Sustained, claimers: int) -> None:
    print(f"\n  {title}")
    rows = []
    for number, claims in enumerate(result.windows):
        start, end = number * result.window, (number + 1) * result.window
        rows.append([f"{start:.0f}-{end:.0f} s", f"{claims:,}", f"{claims / result.window:,.0f}"])
    rows.append(["total", f"{sum(result.windows):,}", ""])
    print_table(["window", "claims", "claims/s"], rows)
    print(
        f"  last window / first window: {result.ratio:.2f}"
        f"   ({claimers} claimers; empty-handed claims: {result.ran_out:,})"
    )
    if result.ran_out:
        print("  the queue ran dry during the run: the ratio measures that, not the queue's speed")
    print(f"  claim query at start: {result.plan_before}")
    print(f"  claim query at end:   {result.plan_after}")
    if result.table_stats:
        print_table(
            ["table", "live rows", "dead rows", "vacuums", "size"],
            [
                [f"{cell:,}" if isinstance(cell, int) else cell for cell in row]
                for row in result.table_stats
            ],
        )
    for error in result.errors:
        print(f"  ERROR in a claimer: {error}")


# --- the run --------------------------------------------------------------------------------


def run_size(setup: Setup, size: int, args: argparse.Namespace) -> list[tuple[str, Sustained]]:
    """The measurements of one size: the service's sustained run, then the raw-SQL ones."""
    print(f"\n== {size:,} open slots ({size // TASK_COUNT:,} loops of {TASK_COUNT}) ==")
    empty_queue()
    began = time.perf_counter()
    seed(setup, size)
    print(f"  seeded and analyzed in {time.perf_counter() - began:.1f} s")

    print_rates(
        [
            ("start_loop, loops/s", measure_start_rate(setup, args.runs, str(size))),
            ("claim_next_slot, 1 claimer, claims/s", measure_claim_rate(setup, args.runs)),
        ]
    )
    # The sustained run starts from a vacuumed queue, so its first window is not flattered by
    # dead rows the measurements above left at the head. VACUUM without ANALYZE: the statistics
    # stay those of a freshly loaded queue (nobody holds anything), the case where a careless
    # claim query goes wrong.
    vacuum()
    result = sustained_run(
        setup,
        lambda reviewer: claim_next_slot(reviewer=reviewer),
        args.seconds,
        args.window,
        explain_claim,
    )
    print_sustained(
        f"sustained: {args.claimers} claimers through claim_next_slot for {args.seconds:.0f} s",
        result,
        args.claimers,
    )

    results = [("claim_next_slot", result)]
    if args.naive:
        for variant in (QUEUE_SQL, NAIVE_SQL):
            results.append((variant.name, run_raw(setup, size, variant, args)))
    return results


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="100000,1000000",
        type=lambda text: [int(size.replace("_", "")) for size in text.split(",")],
        help="open slots to seed, one run per size (default 100000,1000000)",
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="sustained run (60)")
    parser.add_argument("--window", type=float, default=10.0, help="counting window (10)")
    parser.add_argument("--claimers", type=int, default=8, help="concurrent claimers (8)")
    parser.add_argument("--runs", type=int, default=5, help="runs per median (5)")
    parser.add_argument(
        "--naive",
        action="store_true",
        help="also run the naive design, and the queue, both claimed by raw SQL",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    old_name = create_database(sqlite_file="queue_benchmark.sqlite3")
    try:
        print(f"Queue benchmark on {describe_database('autovacuum', 'autovacuum_naptime')}")
        print(
            f"sizes {', '.join(f'{size:,}' for size in args.sizes)}; {args.claimers} claimers "
            f"for {args.seconds:.0f} s in {args.window:.0f} s windows; medians of {args.runs} runs"
        )
        setup = create_setup(args.claimers)
        summary = []
        for size in args.sizes:
            for name, result in run_size(setup, size, args):
                first, last = result.windows[0], result.windows[-1]
                summary.append(
                    [f"{size:,}", name, f"{first:,}", f"{last:,}", f"{result.ratio:.2f}"]
                )
        print(
            f"\n== summary: sustained runs, {args.claimers} claimers, {args.window:.0f} s windows =="
        )
        print_table(["open slots", "claim", "first window", "last window", "last/first"], summary)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
