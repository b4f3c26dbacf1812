"""Benchmark of the operator console's loop list on a million loops.

    DATABASE_URL=postgres://... .venv/bin/python tests/benchmarks/admin_loops_benchmark.py
        [--loops 1000000] [--flows 20] [--runs 7] [--keep]

PostgreSQL only. It never writes into the configured database: it creates a throwaway one
beside it (bench_admin_loops_<name>) through Django's test-database machinery, seeds it with
INSERT ... SELECT FROM generate_series (one task slot per loop, answered for Completed loops),
and drops it at the end unless --keep (a kept database is reused, not seeded again).

For each common view of the list it renders the real admin page as a signed-in operator
(through Django's test client), then prints the page's median time, each query it sent to the
loop and slot tables with that query's median time, and the query's EXPLAIN (ANALYZE, BUFFERS)
plan. Last, for comparison, what the count(*) of Django's default paginator would cost on
each view. It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a2i_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from reviews.models import HumanLoop  # noqa: E402
from tests.benchmarks.support import create_database, print_table  # noqa: E402
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam  # noqa: E402

User = get_user_model()

LIST = "/admin/reviews/humanloop/"
# Creation times: one loop every 30 seconds, ending at START + loops * 30 s.
START = datetime(2025, 1, 1, tzinfo=UTC)
SPACING = 30
# Status by n % 100: the mix of a deployment that has run for a year.
STATUS_OF = """CASE WHEN n %% 100 < 75 THEN 'Completed'
                    WHEN n %% 100 < 83 THEN 'Failed'
                    WHEN n %% 100 < 90 THEN 'Stopped'
                    ELSE 'InProgress' END"""
TABLES = ('"reviews_humanloop"', '"reviews_taskslot"')


def seed(loops: int, flows: int) -> tuple[Any, list[FlowDefinition]]:
    """The operator, `flows` flow definitions of one team, and `loops` loops spread over them."""
    operator = User.objects.create_superuser("bench-operator", "op@example.com", "!")
    reviewer = User.objects.create_user("bench-reviewer", password="!")
    team = WorkTeam.objects.create(name="bench-team", description="Benchmark reviewers")
    team.members.set([reviewer])
    ui = HumanTaskUi.objects.create(name="bench-ui", content="<crowd-form></crowd-form>")
    made = [
        FlowDefinition.objects.create(
            name=f"bench-flow-{number}",
            work_team=team,
            task_ui=ui,
            task_title="Benchmark",
            task_description="Benchmark",
            output_path="s3://bench/outputs",
        )
        for number in range(flows)
    ]
    flow_ids = [flow.pk for flow in made]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO reviews_humanloop (name, flow_definition_id, status, input_content,
                failure_code, failure_reason, output_uri, created_at, updated_at, expires_at,
                completed_at)
            SELECT 'loop-' || lpad(n::text, 7, '0'),
                (%(flows)s::bigint[])[1 + n %% %(flow_count)s],
                status,
                '{{"text": "review item ' || n || '"}}',
                CASE WHEN status = 'Failed' THEN 'Expired' ELSE '' END,
                CASE WHEN status = 'Failed' THEN 'The task availability lifetime passed.'
                     ELSE '' END,
                's3://bench/outputs/loop-' || n || '/output.json',
                created, created + interval '1 minute', created + interval '10 days',
                CASE WHEN status = 'InProgress' THEN NULL ELSE created + interval '1 minute' END
            FROM (
                SELECT n, {STATUS_OF} AS status,
                    %(start)s::timestamptz + n * interval '{SPACING} seconds' AS created
                FROM generate_series(1, %(loops)s) AS n
            ) AS rows
            ORDER BY n
            """,
            {"flows": flow_ids, "flow_count": flows, "start": START, "loops": loops},
        )
        cursor.execute(
            """
            INSERT INTO reviews_taskslot (loop_id, "index", state, reviewer_id, claimed_at,
                submitted_at, answer, time_spent)
            SELECT id, 0,
                CASE status WHEN 'Completed' THEN 'submitted' WHEN 'InProgress' THEN 'open'
                    ELSE 'withdrawn' END,
                CASE WHEN status = 'Completed' THEN %(reviewer)s END,
                CASE WHEN status = 'Completed' THEN created_at END,
                CASE WHEN status = 'Completed' THEN completed_at END,
                CASE WHEN status = 'Completed' THEN '{"label": "cat"}'::jsonb END,
                CASE WHEN status = 'Completed' THEN 42.5 END
            FROM reviews_humanloop ORDER BY id
            """,
            {"reviewer": reviewer.pk},
        )
        cursor.execute("VACUUM ANALYZE")
    return operator, made


def median_ms(action: Callable[[], Any], runs: int) -> float:
    action()  # warm the caches and the connection
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def run_sql(sql: str) -> Callable[[], Any]:
    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    return run


def explain(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING ON) {sql}")
        return [row[0] for row in cursor.fetchall()]


def views(flows: list[FlowDefinition], loops: int) -> list[tuple[str, dict[str, str]]]:
    end = START + timedelta(seconds=loops * SPACING)
    week = max(START, end - timedelta(days=40)).date()
    flow = flows[len(flows) // 2]
    middle = f"loop-{loops // 2:07d}"[:-2]  # a prefix of 100 names
    return [
        ("unfiltered, newest first", {}),
        ("page 200 of the unfiltered list", {"p": "200"}),
        ("status Failed (8%)", {"status__exact": "Failed"}),
        ("status InProgress (10%)", {"status__exact": "InProgress"}),
        ("flow definition", {"flow_definition__id__exact": str(flow.pk)}),
        (
            "flow definition + status InProgress",
            {"flow_definition__id__exact": str(flow.pk), "status__exact": "InProgress"},
        ),
        (f"name search '{middle}' (prefix of 100 names)", {"q": middle}),
        ("name search 'loop-0' (prefix of every name)", {"q": "loop-0"}),
        (
            "creation date range (one week)",
            {"created_from": week.isoformat(), "created_to": (week + timedelta(6)).isoformat()},
        ),
        (
            "creation date range + status Completed",
            {
                "created_from": week.isoformat(),
                "created_to": (week + timedelta(6)).isoformat(),
                "status__exact": "Completed",
            },
        ),
        ("sorted by name", {"o": "1"}),
    ]


def count_sql(params: dict[str, str], flows: list[FlowDefinition]) -> str | None:
    """The count(*) Django's own paginator would run first for this view."""
    conditions = []
    if "status__exact" in params:
        conditions.append(f"status = '{params['status__exact']}'")
    if "flow_definition__id__exact" in params:
        conditions.append(f"flow_definition_id = {int(params['flow_definition__id__exact'])}")
    if "created_from" in params:
        conditions.append(f"created_at >= '{params['created_from']}'")
        conditions.append(f"created_at < '{params['created_to']}'::date + 1")
    if "q" in params:
        conditions.append(f"UPPER(name::text) LIKE UPPER('{params['q']}%')")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"SELECT COUNT(*) FROM reviews_humanloop{where}"


def measure(client: Client, flows: list[FlowDefinition], loops: int, runs: int) -> list[list[str]]:
    summary = []
    for label, params in views(flows, loops):
        url = LIST + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
        connection.queries_log.clear()  # a full log (9,000 entries) would capture nothing
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        sent = [q["sql"] for q in captured]
        queries = [sql for sql in sent if any(table in sql for table in TABLES)]
        page_ms = median_ms(lambda url=url: client.get(url), runs)
        print(f"\n== {label}: GET {url}")
        print(f"   page (Django's rendering included), median of {runs}: {page_ms:.1f} ms;")
        print(f"   {len(sent)} queries in all, {len(queries)} on loops and slots:")
        sql_total = 0.0
        for sql in queries:
            query_ms = median_ms(run_sql(sql), runs)
            sql_total += query_ms
            print(f"\n   -- {query_ms:.2f} ms (median of {runs})\n   {sql}")
            for line in explain(sql):
                print(f"      {line}")
        counted = count_sql(params, flows)
        count_ms = median_ms(run_sql(counted), max(3, runs // 2)) if counted else 0.0
        print(f"\n   not run: Django's paginator count, {count_ms:.1f} ms: {counted}")
        summary.append([label, f"{page_ms:.1f}", f"{sql_total:.2f}", f"{count_ms:.1f}"])
    return summary


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loops", type=int, default=1_000_000, help="loops to seed (1000000)")
    parser.add_argument("--flows", type=int, default=20, help="flow definitions (20)")
    parser.add_argument("--runs", type=int, default=7, help="runs per median (7)")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    # The test client's host name, without setup_test_environment(): its template
    # instrumentation would add to every page's time.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {  # the templates' {% static %} without a collectstatic manifest
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old_name = create_database(
        sqlite_file="admin_loops_benchmark.sqlite3",
        test_name=f"bench_admin_loops_{connection.settings_dict['NAME']}",
        keep=args.keep,
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (version,) = cursor.fetchone()
        print(f"Loop list benchmark on PostgreSQL {version}, {connection.settings_dict['NAME']}")
        if HumanLoop.objects.exists():
            operator = User.objects.get(username="bench-operator")
            flows = list(FlowDefinition.objects.order_by("pk"))
            loops = HumanLoop.objects.count()
            print(f"reusing the kept database: {loops:,} loops")
        else:
            began = time.perf_counter()
            operator, flows = seed(args.loops, args.flows)
            loops = args.loops
            print(
                f"seeded {loops:,} loops and their slots over {len(flows)} flow definitions, "
                f"analyzed, in {time.perf_counter() - began:.1f} s"
            )
        client = Client()
        client.force_login(operator)
        summary = measure(client, flows, loops, args.runs)
        print(f"\n== summary ({loops:,} loops; medians of {args.runs} runs, in ms) ==")
        print_table(["view", "page", "loop+slot SQL", "count(*) avoided"], summary)
    finally:
        connection.close()
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
