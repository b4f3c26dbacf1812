"""Benchmark of StartHumanLoop: the service alone, and through each front end over HTTP.

    .venv/bin/python tests/benchmarks/start_loop_benchmark.py [--loops 200] [--runs 5]
        [--clients 1] [--workers 1] [--queries]

Works against whatever DATABASE_URL names (PostgreSQL or SQLite) but never writes into that
database: it creates a throwaway test database beside it (test_<name>) through Django's
test-database machinery, and drops it at the end. It prints figures and asserts nothing.

It measures the rate at which loops start (loops/second) three ways, against the same database:

  service   reviews.services.loops.start_loop, called in the benchmark's process
  REST      POST /api/v1/human-loops/ with an access key by HTTP Basic
  boto3     the `sagemaker-a2i-runtime` client's start_human_loop, signed with SigV4

REST and boto3 go through a real socket to gunicorn (gthread workers, so keep-alive works)
started on 127.0.0.1 against the throwaway database: their figures include the client's work,
HTTP parsing, middleware, authentication and serialization on both sides. Each client keeps
one connection open for all its requests (urllib3 for REST; botocore keeps its own alive).

Each of --runs rounds measures all three, in an order that rotates from round to round, so
that noise on the machine hits them alike; an unmeasured round first warms the server. A
measurement forks --clients processes (own database connection, own HTTP connection, no GIL
shared with the others) that each start --loops loops after one untimed warm-up request. The
table gives medians over the rounds: the rate, the rate as a ratio to the service's in the same
round, the mean time a client waited per loop, and how much longer that was than the service's
in the same round (the front end's cost per request).

The SQL each front end sends for one start, captured in-process through Django's test client
(the same middleware and views gunicorn runs), is counted after the table; --queries prints it.
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a2i_portal.settings")

import django  # noqa: E402

django.setup()

import boto3  # noqa: E402
import urllib3  # noqa: E402
from botocore.awsrequest import AWSPreparedRequest, AWSResponse  # noqa: E402
from botocore.config import Config  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from a2i_portal.access.services import create_access_key  # noqa: E402
from reviews.services.loops import start_loop  # noqa: E402
from tests.benchmarks.support import (  # noqa: E402
    create_database,
    describe_database,
    on_postgres,
    print_table,
)
from workflows import limits  # noqa: E402
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam  # noqa: E402

User = get_user_model()

FLOW_NAME = "bench-flow"
INPUT_CONTENT = json.dumps({"text": "a cat on a mat", "prediction": "cat", "confidence": 0.42})
LOOPS_PATH = "/api/v1/human-loops/"
RUNTIME_PATH = "/a2i-runtime"
SERVER_START_TIMEOUT = 30.0  # seconds for gunicorn to answer /health/
MEASUREMENT_TIMEOUT = 600.0  # seconds for every client of one measurement to report
WARM_UP_LOOPS = 20  # loops per client in the unmeasured first round


@dataclass(frozen=True)
class Target:
    """What a client needs to start loops: where the server is, the key, the flow definition."""

    host: str
    port: int
    key_id: str
    secret: str
    flow_name: str
    flow_arn: str

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@dataclass(frozen=True)
class Way:
    """One way of starting a loop: `starter` runs in a client process and returns the call
    that starts one loop by name."""

    name: str
    label: str
    starter: Callable[[Target], Callable[[str], None]]


@dataclass
class Measurement:
    """All clients of one way in one round."""

    loops: int
    seconds: float  # first client's start to last client's end
    waits: list[float]  # per client: its own seconds / its loops

    @property
    def rate(self) -> float:
        return self.loops / self.seconds if self.seconds else float("inf")

    @property
    def wait_ms(self) -> float:
        return 1000 * statistics.fmean(self.waits)


@dataclass
class Results:
    """Every measurement of every way, round by round."""

    rounds: list[dict[str, Measurement]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# --- the ways -------------------------------------------------------------------------------


def service_starter(target: Target) -> Callable[[str], None]:
    def start(name: str) -> None:
        start_loop(name=name, flow_definition_name=target.flow_name, input_content=INPUT_CONTENT)

    return start


def basic_authorization(key_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key_id}:{secret}".encode()).decode()


def rest_starter(target: Target) -> Callable[[str], None]:
    # One connection, reused: maxsize=1 with block=True never opens a second one.
    pool = urllib3.HTTPConnectionPool(
        target.host, target.port, maxsize=1, block=True, retries=False
    )
    headers = {
        "Authorization": basic_authorization(target.key_id, target.secret),
        "Content-Type": "application/json",
        "Accept": "application/json",
    }

    def start(name: str) -> None:
        body = {"name": name, "flow_definition": target.flow_name, "input_content": INPUT_CONTENT}
        response = pool.request("POST", LOOPS_PATH, body=json.dumps(body), headers=headers)
        if response.status != 201:
            raise RuntimeError(f"HTTP {response.status}: {response.data[:300]!r}")

    return start


def runtime_client(endpoint_url: str, target: Target) -> Any:
    return boto3.client(
        "sagemaker-a2i-runtime",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=target.key_id,
        aws_secret_access_key=target.secret,
        config=Config(retries={"max_attempts": 1}, max_pool_connections=1),
    )


def boto3_starter(target: Target) -> Callable[[str], None]:
    client = runtime_client(target.url + RUNTIME_PATH, target)

    def start(name: str) -> None:
        client.start_human_loop(
            HumanLoopName=name,
            FlowDefinitionArn=target.flow_arn,
            HumanLoopInput={"InputContent": INPUT_CONTENT},
        )

    return start


SERVICE = Way("service", "start_loop() in-process", service_starter)
WAYS = [
    SERVICE,
    Way("rest", "REST POST /api/v1/human-loops/", rest_starter),
    Way("boto3", "boto3 start_human_loop (SigV4)", boto3_starter),
]


# --- the database and the server ------------------------------------------------------------


def create_target_rows(host: str, port: int) -> Target:
    """A client with an access key, and a flow definition of one answer per loop."""
    client = User.objects.create(username="bench-client", password="!")
    key, secret = create_access_key(user=client, description="start-loop benchmark")
    team = WorkTeam.objects.create(name="bench-team", description="Benchmark reviewers")
    flow = FlowDefinition.objects.create(
        name=FLOW_NAME,
        work_team=team,
        task_ui=HumanTaskUi.objects.create(name="bench-ui", content="<crowd-form></crowd-form>"),
        task_title="Benchmark",
        task_description="Benchmark",
        task_count=1,
        task_availability_lifetime=limits.TASK_AVAILABILITY_MAX,
        task_time_limit=limits.TASK_TIME_LIMIT_MAX,
        output_path="s3://bench/outputs",
    )
    return Target(host, port, key.key_id, secret, flow.name, flow.arn)


def throwaway_database_url() -> str:
    """DATABASE_URL of the throwaway database, for the server process."""
    name = connection.settings_dict["NAME"]
    if not on_postgres():
        return f"sqlite:///{Path(name).resolve()}"
    configured = urlsplit(os.environ["DATABASE_URL"])
    return configured._replace(path=f"/{name}").geturl()


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(host: str, port: int, workers: int, threads: int) -> Iterator[str]:
    """gunicorn serving the portal on host:port against the throwaway database; yields its
    description. Its log goes to a temporary file, printed if it fails to start."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "a2i_portal.wsgi",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        # Long enough that no client's connection is closed between two of its measurements.
        "--keep-alive=600",
        "--log-level=warning",
    ]
    env = {**os.environ, "DATABASE_URL": throwaway_database_url(), "DEBUG": "False"}
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            wait_until_healthy(server, host, port, log)
            yield f"gunicorn, {workers} gthread worker(s) x {threads} thread(s), {host}:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_until_healthy(server: subprocess.Popen, host: str, port: int, log: TextIO) -> None:
    pool = urllib3.HTTPConnectionPool(host, port, retries=False, timeout=2.0)
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if pool.request("GET", "/health/").status == 200:
                return
        except urllib3.exceptions.HTTPError:
            pass
        time.sleep(0.2)
    log.seek(0)
    raise RuntimeError(f"gunicorn did not become healthy on {host}:{port}:\n{log.read()}")


# --- measurements ---------------------------------------------------------------------------


def client_process(
    way: Way,
    target: Target,
    prefix: str,
    loops: int,
    barrier: Any,
    results: Any,
) -> None:
    """One client of a measurement: warm up untimed, wait for the others, start `loops`."""
    try:
        start = way.starter(target)
        start(f"{prefix}-warm")  # opens the database or HTTP connection
        barrier.wait()
        began = time.monotonic()
        for number in range(loops):
            start(f"{prefix}-{number}")
        results.put((began, time.monotonic(), ""))
    except Exception as exc:
        barrier.abort()  # the others stop waiting
        results.put((0.0, 0.0, f"{way.name} {prefix}: {type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def measure(way: Way, target: Target, label: str, clients: int, loops: int) -> Measurement:
    """`clients` processes start `loops` loops each, all at once."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(clients)
    results = context.Queue()
    connection.close()  # a forked child must open its own
    processes = [
        context.Process(
            target=client_process,
            args=(way, target, f"{way.name}-{label}-c{client}", loops, barrier, results),
        )
        for client in range(clients)
    ]
    for process in processes:
        process.start()
    reports = [results.get(timeout=MEASUREMENT_TIMEOUT) for _ in processes]
    for process in processes:
        process.join()
    errors = [error for _, _, error in reports if error]
    if errors:
        raise RuntimeError("; ".join(errors))
    return Measurement(
        loops=clients * loops,
        seconds=max(end for _, end, _ in reports) - min(began for began, _, _ in reports),
        waits=[(end - began) / loops for began, end, _ in reports],
    )


def run_rounds(target: Target, args: argparse.Namespace) -> Results:
    results = Results()
    for way in WAYS:  # warm-up: first requests of each worker, lazy imports, plans
        measure(way, target, "warm", args.clients, min(args.loops, WARM_UP_LOOPS))
    for number in range(args.runs):
        shift = number % len(WAYS)
        order = WAYS[shift:] + WAYS[:shift]
        measured: dict[str, Measurement] = {}
        for way in order:
            try:
                measured[way.name] = measure(way, target, f"r{number}", args.clients, args.loops)
            except Exception as exc:  # reported with the figures, which are then incomplete
                results.errors.append(f"round {number + 1}: {exc}")
        results.rounds.append(measured)
        print(
            f"  round {number + 1}/{args.runs} ({', '.join(way.name for way in order)}): "
            + ", ".join(
                f"{way.name} {measured[way.name].rate:,.0f}/s"
                for way in order
                if way.name in measured
            ),
            flush=True,
        )
    return results


# --- queries per request, in-process --------------------------------------------------------


class Body:
    """What AWSResponse reads a response body from."""

    def __init__(self, content: bytes) -> None:
        self.content = content

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self.content


def through_test_client(request: AWSPreparedRequest, **kwargs: Any) -> AWSResponse:
    """A botocore before-send hook: hand the signed request to Django's test client instead of
    the network, and its response back to botocore."""
    parts = urlsplit(request.url)
    headers = {
        name: value.decode() if isinstance(value, bytes) else value
        for name, value in request.headers.items()
    }
    headers.setdefault("Host", parts.netloc)  # urllib3 adds it when sending; it is signed
    content_type = headers.pop("Content-Type", "")
    headers.pop("Content-Length", None)  # the test client sets it from the body
    response = Client().generic(
        request.method,
        parts.path + (f"?{parts.query}" if parts.query else ""),
        data=request.body or b"",
        content_type=content_type,
        headers=headers,
    )
    return AWSResponse(
        request.url, response.status_code, dict(response.items()), Body(response.content)
    )


def captured_service(target: Target, name: str) -> None:
    service_starter(target)(name)


def captured_rest(target: Target, name: str) -> None:
    body = {"name": name, "flow_definition": target.flow_name, "input_content": INPUT_CONTENT}
    response = Client().post(
        LOOPS_PATH,
        data=json.dumps(body),
        content_type="application/json",
        headers={
            "Host": target.host,
            "Authorization": basic_authorization(target.key_id, target.secret),
            "Accept": "application/json",
        },
    )
    if response.status_code != 201:
        raise RuntimeError(f"HTTP {response.status_code}: {response.content[:300]!r}")


def captured_boto3(target: Target, name: str) -> None:
    client = runtime_client(target.url + RUNTIME_PATH, target)
    client.meta.events.register("before-send", through_test_client)
    client.start_human_loop(
        HumanLoopName=name,
        FlowDefinitionArn=target.flow_arn,
        HumanLoopInput={"InputContent": INPUT_CONTENT},
    )


CAPTURED: dict[str, Callable[[Target, str], None]] = {
    "service": captured_service,
    "rest": captured_rest,
    "boto3": captured_boto3,
}


def queries_per_start(target: Target) -> dict[str, list[str]]:
    """The SQL of one start through each way (the second of two: the first may be the one a
    minute that records the key's use)."""
    statements = {}
    for way in WAYS:
        CAPTURED[way.name](target, f"queries-{way.name}-0")
        with CaptureQueriesContext(connection) as captured:
            CAPTURED[way.name](target, f"queries-{way.name}-1")
        statements[way.name] = [query["sql"] for query in captured.captured_queries]
    connection.close()
    return statements


# --- printing -------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def print_results(results: Results, args: argparse.Namespace) -> None:
    rows = []
    for way in WAYS:
        rounds = [measured for measured in results.rounds if way.name in measured]
        paired = [m for m in rounds if SERVICE.name in m]
        rates = [m[way.name].rate for m in rounds]
        rows.append(
            [
                way.label,
                f"{median(rates):,.0f}",
                f"{median([m[way.name].rate / m[SERVICE.name].rate for m in paired]):.2f}",
                f"{median([m[way.name].wait_ms for m in rounds]):.2f}",
                f"{median([m[way.name].wait_ms - m[SERVICE.name].wait_ms for m in paired]):+.2f}",
                " ".join(f"{rate:,.0f}" for rate in rates),
            ]
        )
    print(
        f"\n== StartHumanLoop, {args.clients} client(s) x {args.loops} loops per run, "
        f"medians of {len(results.rounds)} runs =="
    )
    print_table(
        ["front end", "loops/s", "x service", "ms/loop", "overhead ms", "runs (loops/s)"], rows
    )
    print(
        "  x service, overhead: against start_loop() in the same round; ms/loop: mean wait of "
        "a client per loop"
    )
    for error in results.errors:
        print(f"  ERROR: {error}")


def print_queries(statements: dict[str, list[str]], verbose: bool) -> None:
    print("\n== SQL statements per start (one request, in-process through the test client) ==")
    print_table(
        ["front end", "statements"],
        [[way.label, len(statements[way.name])] for way in WAYS],
    )
    if not verbose:
        return
    for way in WAYS:
        print(f"\n  {way.label}:")
        for number, sql in enumerate(statements[way.name], start=1):
            print(f"  {number:2}. {sql[:160]}{'...' if len(sql) > 160 else ''}")


# --- the run --------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loops", type=int, default=200, help="loops per client per run (200)")
    parser.add_argument("--runs", type=int, default=5, help="rounds, one run of each way (5)")
    parser.add_argument("--clients", type=int, default=1, help="concurrent clients (1)")
    parser.add_argument(
        "--workers", type=int, default=1, help="gunicorn worker processes (1); threads: --clients"
    )
    parser.add_argument(
        "--queries", action="store_true", help="print the SQL of one start through each way"
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    host = "127.0.0.1"
    port = free_port(host)
    old_name = create_database(sqlite_file="start_loop_benchmark.sqlite3")
    try:
        target = create_target_rows(host, port)
        with gunicorn(host, port, args.workers, max(args.clients, 1)) as server:
            print(f"StartHumanLoop benchmark on {describe_database('autovacuum')}")
            print(f"server: {server}; client processes: {args.clients}")
            results = run_rounds(target, args)
        print_results(results, args)
        print_queries(queries_per_start(target), args.queries)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
