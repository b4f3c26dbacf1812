"""Benchmark of webhook delivery end to end: real Celery workers, a real broker, a receiver.

    .venv/bin/python tests/benchmarks/webhook_benchmark.py [--loops 500] [--rounds 3]
        [--paced 50] [--clients 4] [--workers 1] [--concurrency 2] [--broker redis]
        [--soak MINUTES] [--rate 10] [--seed N]

Meant for PostgreSQL (DATABASE_URL=postgres://...) and Redis, it works against whatever
DATABASE_URL names but never writes into that database: it creates a throwaway database
beside it (test_<name>_webhooks; a file in VAR_DIR on SQLite) and drops it at the end. The
broker is a Redis database of its own (12, emptied before and after; --broker rabbitmq: a
virtual host of its own; --broker filesystem: a folder). --workers processes of `celery -A
a2i_portal worker --concurrency N` (the first with beat) share one temporary VAR_DIR, where the
output files go. The receiver is an HTTP server on 127.0.0.1 that checks each signature and
records when each event arrived. The figures are printed; nothing is asserted on speed.

Measurement (the default), with the settings' own timers: each of --rounds rounds starts
--loops loops and has them claimed (untimed, and their InProgress events fanned out before the
clock starts), then --clients threads submit the answers as fast as they can. Throughput is
Completed events the receiver accepted per second, from the first completion to the last
arrival; the lag of an event is its arrival minus its LoopEvent's occurred_at (median, p95,
max per round, then the median over rounds). A paced round completes --paced loops ten a
second: the lag when nothing queues.

--soak MINUTES, with short timers (sweeps every second, recovery after 5 s, retries 0.5 s to
5 s apart): steady traffic of --rate actions a second (starts, claims and answers, stops,
claims left to run out, loops left to expire, half-answered loops left to expire), while a
worker is SIGKILLed and started again at random intervals and the receiver answers 500 to one
POST in ten and drops every connection for 5 s every 20-40 s. Then it lets the system drain
and prints loops by status, outputs written against loops that ended with answers, events
expected against distinct events delivered, duplicates, deliveries by state. Exit code 1 when
anything was lost.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a2i_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from a2i_portal import clock  # noqa: E402
from a2i_portal.errors import DomainError  # noqa: E402
from reviews.models import HumanLoop, LoopEvent, TaskSlot, WebhookEndpoint  # noqa: E402
from reviews.services.loops import start_loop, stop_loop  # noqa: E402
from reviews.services.slots import claim_next_slot, submit_answer  # noqa: E402
from reviews.services.webhooks import register_endpoint  # noqa: E402
from tests.benchmarks.support import create_database, describe_database, print_table  # noqa: E402
from tests.factories import FlowDefinitionFactory, UserFactory, WorkTeamFactory  # noqa: E402
from tests.support.audit import Audit, audit  # noqa: E402
from tests.support.brokers import (  # noqa: E402
    Broker,
    filesystem_broker,
    rabbitmq_broker,
    redis_broker,
    sending_to,
)
from tests.support.polling import Timeout, wait_for  # noqa: E402
from tests.support.receiver import Flaky, Receiver  # noqa: E402
from tests.support.traffic import ANSWER, claim_due_soon, expire_soon  # noqa: E402
from tests.support.worker import Worker, wait_for_other_sessions_to_end  # noqa: E402
from workflows.models import FlowDefinition  # noqa: E402

SECRET = "whsec_webhook-benchmark-secret"
INPUT_CONTENT = '{"text": "a cat on a mat", "prediction": "cat", "confidence": 0.42}'
REDIS_DATABASE = 12
PACE = 10.0  # completions a second in the paced round
ROUND_TIMEOUT = 600.0  # seconds for the events of one round to arrive
SOAK_TIMERS = {
    "A2I_SWEEP_INTERVAL": "1",
    "A2I_OUTBOX_RECOVERY_SECONDS": "5",
    "WEBHOOK_RETRY_BASE_SECONDS": "0.5",
    "WEBHOOK_RETRY_MAX_SECONDS": "5",
    "WEBHOOK_TIMEOUT_SECONDS": "5",
}
# A worker killed mid-POST holds that delivery for WEBHOOK_TIMEOUT_SECONDS + 30 s.
DRAIN_TIMEOUT = 300.0
KILL_EVERY = (5.0, 30.0)  # seconds between kills in the soak, uniformly at random
DOWN_FOR = (0.0, 3.0)  # seconds a killed worker stays down


@dataclass
class Setup:
    """The rows every part of the run uses."""

    reviewers: list[Any]
    flow: FlowDefinition  # one answer per loop: the traffic
    pair_flow: FlowDefinition  # two answers per loop: half-answered loops
    idle_flow: FlowDefinition  # loops nobody works on: they expire
    endpoint: WebhookEndpoint


def create_setup(receiver: Receiver) -> Setup:
    reviewers = [UserFactory(username=f"bench-reviewer-{number}") for number in range(4)]
    team = WorkTeamFactory(members=reviewers)
    endpoint, _ = register_endpoint(name="benchmark", url=receiver.url, secret=SECRET)
    return Setup(
        reviewers=reviewers,
        flow=FlowDefinitionFactory(name="bench-flow", work_team=team),
        pair_flow=FlowDefinitionFactory(name="bench-pairs", work_team=team, task_count=2),
        idle_flow=FlowDefinitionFactory(name="bench-idle", work_team=team),
        endpoint=endpoint,
    )


def open_broker(name: str, var_dir: Path) -> AbstractContextManager[Broker]:
    if name == "redis":
        return redis_broker(databases=(REDIS_DATABASE,))
    if name == "rabbitmq":
        return rabbitmq_broker()
    return nullcontext(filesystem_broker(var_dir))


@contextmanager
def workers(
    broker: Broker, var_dir: Path, args: argparse.Namespace, timers: dict[str, str]
) -> Iterator[list[Worker]]:
    """--workers processes sharing `var_dir` (one output folder), the first with beat; killed at
    the end, and their database sessions awaited, whatever happened."""
    fleet = [
        Worker(
            broker=broker,
            var_dir=var_dir,
            name=f"worker{number}",
            concurrency=args.concurrency,
            beat=number == 0,
            timers=timers,
        )
        for number in range(args.workers)
    ]
    try:
        for worker in fleet:
            worker.start()
        yield fleet
    finally:
        for worker in fleet:
            worker.kill()
        wait_for_other_sessions_to_end()


# --- measurement ------------------------------------------------------------------------------


@dataclass
class Round:
    label: str
    loops: int
    submit_seconds: float
    deliver_seconds: float  # first completion to last arrival
    lags: list[float]  # seconds, one per event
    duplicates: int

    @property
    def submit_rate(self) -> float:
        return self.loops / self.submit_seconds if self.submit_seconds else float("inf")

    @property
    def delivery_rate(self) -> float:
        return self.loops / self.deliver_seconds if self.deliver_seconds else float("inf")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def claimed_loops(setup: Setup, prefix: str, count: int) -> list[TaskSlot]:
    """`count` loops started and claimed, their InProgress events fanned out: only the
    completions are left to time."""
    slots = []
    for number in range(count):
        start_loop(
            name=f"{prefix}-{number}",
            flow_definition_name=setup.flow.name,
            input_content=INPUT_CONTENT,
        )
        reviewer = setup.reviewers[number % len(setup.reviewers)]
        slots.append(claim_next_slot(reviewer=reviewer, flow_definition=setup.flow))
    undispatched = LoopEvent.objects.filter(dispatched_at__isnull=True, awaits_output=False)
    wait_for(lambda: not undispatched.exists(), timeout=ROUND_TIMEOUT, what="fan-outs")
    return slots


def submit_all(slots: list[TaskSlot], clients: int) -> float:
    """Every slot answered by `clients` threads at once; returns the seconds it took."""
    errors: list[BaseException] = []

    def submit(share: list[TaskSlot]) -> None:
        try:
            for slot in share:
                submit_answer(slot=slot, reviewer=slot.reviewer, answer=ANSWER)
        except BaseException as exc:  # reported by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(slots[number::clients],)) for number in range(clients)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.monotonic() - began


def arrivals_of(receiver: Receiver, prefix: str, setup: Setup) -> tuple[list[float], float, int]:
    """Once every Completed event of the loops named `prefix-*` arrived: each one's lag, the
    seconds from the first completion to the last arrival, and the duplicates."""
    events = dict(
        LoopEvent.objects.filter(
            loop_name__startswith=f"{prefix}-", status=HumanLoop.Status.COMPLETED
        ).values_list("event_id", "occurred_at")
    )
    wanted = {str(event_id): at for event_id, at in events.items()}

    def all_arrived() -> dict[str, Any] | None:
        accepted = receiver.accepted()
        return accepted if all(event_id in accepted for event_id in wanted) else None

    accepted, _ = wait_for(all_arrived, timeout=ROUND_TIMEOUT, what=f"the events of {prefix}")
    first: dict[str, datetime] = {i: accepted[i][0].at for i in wanted}
    lags = [(first[i] - occurred).total_seconds() for i, occurred in wanted.items()]
    span = (max(first.values()) - min(wanted.values())).total_seconds()
    duplicates = sum(len(accepted[i]) - 1 for i in wanted)
    return lags, span, duplicates


def burst_round(setup: Setup, receiver: Receiver, label: str, args: argparse.Namespace) -> Round:
    slots = claimed_loops(setup, label, args.loops)
    submit_seconds = submit_all(slots, args.clients)
    lags, span, duplicates = arrivals_of(receiver, label, setup)
    return Round(label, len(slots), submit_seconds, span, lags, duplicates)


def paced_round(setup: Setup, receiver: Receiver, args: argparse.Namespace) -> Round:
    slots = claimed_loops(setup, "paced", args.paced)
    began = time.monotonic()
    for number, slot in enumerate(slots):
        time.sleep(max(0.0, began + number / PACE - time.monotonic()))
        submit_answer(slot=slot, reviewer=slot.reviewer, answer=ANSWER)
    submit_seconds = time.monotonic() - began
    lags, span, duplicates = arrivals_of(receiver, "paced", setup)
    return Round(f"paced {PACE:.0f}/s", len(slots), submit_seconds, span, lags, duplicates)


def measure(setup: Setup, receiver: Receiver, args: argparse.Namespace) -> None:
    burst_round(setup, receiver, "warm", argparse.Namespace(**{**vars(args), "loops": 50}))
    rounds = []
    for number in range(1, args.rounds + 1):
        rounds.append(burst_round(setup, receiver, f"r{number}", args))
        print(f"  round {number}/{args.rounds}: {rounds[-1].delivery_rate:,.1f} events/s")
    paced = paced_round(setup, receiver, args) if args.paced else None
    print_rounds(rounds, paced, args)


def print_rounds(rounds: list[Round], paced: Round | None, args: argparse.Namespace) -> None:
    def row(label: str, measured: list[Round]) -> list[str]:
        def mid(values: list[float]) -> float:
            return statistics.median(values)

        return [
            label,
            str(measured[0].loops),
            f"{mid([r.submit_rate for r in measured]):,.0f}",
            f"{mid([r.delivery_rate for r in measured]):,.1f}",
            f"{mid([1000 * statistics.median(r.lags) for r in measured]):,.0f}",
            f"{mid([1000 * percentile(r.lags, 0.95) for r in measured]):,.0f}",
            f"{mid([1000 * max(r.lags) for r in measured]):,.0f}",
            str(sum(r.duplicates for r in measured)),
        ]

    print(
        f"\n== Webhook delivery: {args.workers} worker(s) x concurrency {args.concurrency}, "
        f"{args.clients} submitting threads =="
    )
    headers = [
        "round",
        "loops",
        "submits/s",
        "delivered/s",
        "lag median ms",
        "lag p95 ms",
        "lag max ms",
        "duplicates",
    ]
    rows = [row(r.label, [r]) for r in rounds]
    rows.append(row(f"median of {len(rounds)}", rounds))
    if paced is not None:
        rows.append(row(paced.label, [paced]))
    print_table(headers, rows)
    print(
        "  delivered/s: Completed events accepted by the receiver per second, first completion "
        "to last arrival; lag: arrival minus the event's occurred_at"
    )


# --- soak -------------------------------------------------------------------------------------


@dataclass
class Traffic:
    """Steady, random traffic through the services, from this process."""

    setup: Setup
    random: random.Random
    counts: Counter[str] = field(default_factory=Counter)
    started: list[int] = field(default_factory=list)
    number: int = 0

    def start(self, flow: FlowDefinition) -> HumanLoop:
        self.number += 1
        loop = start_loop(
            name=f"soak-{self.number}", flow_definition_name=flow.name, input_content=INPUT_CONTENT
        )
        self.started.append(loop.pk)
        self.counts["start"] += 1
        return loop

    def reviewer(self) -> Any:
        return self.random.choice(self.setup.reviewers)

    def claim(self, flow: FlowDefinition) -> TaskSlot | None:
        slot = claim_next_slot(reviewer=self.reviewer(), flow_definition=flow)
        self.counts["claim" if slot else "nothing to claim"] += 1
        return slot

    def answer(self, slot: TaskSlot) -> None:
        submit_answer(slot=slot, reviewer=slot.reviewer, answer=ANSWER)
        self.counts["answer"] += 1

    # The actions, chosen at random by weight.

    def start_one(self) -> None:
        self.start(self.setup.flow)

    def complete_one(self) -> None:
        if slot := self.claim(self.setup.flow):
            self.answer(slot)

    def stop_one(self) -> None:
        """A loop started lately: often still open, sometimes ended meanwhile (refused)."""
        if self.started:
            stop_loop(loop=HumanLoop(pk=self.random.choice(self.started[-50:])))
            self.counts["stop"] += 1

    def stop_while_claimed(self) -> None:
        """Stopping while a reviewer holds the task: the answer ends it, or its claim runs out."""
        self.start(self.setup.flow)
        slot = self.claim(self.setup.flow)
        if slot is None:
            return
        stop_loop(loop=HumanLoop(pk=slot.loop_id))
        self.counts["stop"] += 1
        if self.random.random() < 0.5:
            self.answer(slot)
        else:
            claim_due_soon(slot.pk, seconds=1)
            self.counts["claim left to run out"] += 1

    def abandon_claim(self) -> None:
        if slot := self.claim(self.setup.flow):
            claim_due_soon(slot.pk, seconds=self.random.uniform(0.5, 3))
            self.counts["claim left to run out"] += 1

    def leave_to_expire(self) -> None:
        loop = self.start(self.setup.idle_flow)
        expire_soon([loop.pk], seconds=self.random.uniform(1, 4))
        self.counts["left to expire"] += 1

    def half_answer(self) -> None:
        """One answer of two, then the time runs out: Failed, with an output.json."""
        loop = self.start(self.setup.pair_flow)
        if slot := self.claim(self.setup.pair_flow):  # this loop's, or an older one's
            self.answer(slot)
        expire_soon([loop.pk], seconds=self.random.uniform(1, 4))
        self.counts["left to expire"] += 1

    def step(self) -> None:
        actions: list[tuple[Callable[[], None], int]] = [
            (self.start_one, 30),
            (self.complete_one, 30),
            (self.stop_one, 8),
            (self.stop_while_claimed, 6),
            (self.abandon_claim, 8),
            (self.leave_to_expire, 10),
            (self.half_answer, 8),
        ]
        action = self.random.choices([a for a, _ in actions], [w for _, w in actions])[0]
        try:
            action()
        except DomainError as exc:  # a loop that ended meanwhile, a claim that ran out
            self.counts[f"refused ({type(exc).__name__})"] += 1


class Chaos(threading.Thread):
    """Kills a worker (SIGKILL, whole process group) at random intervals and starts it again."""

    def __init__(self, fleet: list[Worker], rng: random.Random) -> None:
        super().__init__(daemon=True)
        self.fleet, self.random = fleet, rng
        self.done = threading.Event()
        self.kills = 0
        self.errors: list[BaseException] = []

    def run(self) -> None:
        try:
            while not self.done.wait(self.random.uniform(*KILL_EVERY)):
                worker = self.random.choice(self.fleet)
                worker.kill()
                self.kills += 1
                time.sleep(self.random.uniform(*DOWN_FOR))
                worker.start()
        except BaseException as exc:  # reported by the main thread
            self.errors.append(exc)

    def stop(self) -> None:
        self.done.set()
        self.join()


def drained(setup: Setup, receiver: Receiver) -> Audit | None:
    """The final state, once nothing is left in flight: no loop waits for a sweep, no event for
    its output or fan-out, every wanted event accepted, every delivery settled."""
    now = clock.now()
    waiting = (
        HumanLoop.objects.filter(status=HumanLoop.Status.IN_PROGRESS, expires_at__lte=now).exists()
        or TaskSlot.objects.filter(state=TaskSlot.State.CLAIMED, deadline__lt=now).exists()
        or LoopEvent.objects.filter(awaits_output=True).exists()
        or LoopEvent.objects.filter(dispatched_at__isnull=True).exists()
    )
    if waiting:
        return None
    report = audit(receiver=receiver, endpoint=setup.endpoint)
    return report if report.settled else None


def soak(setup: Setup, receiver: Receiver, fleet: list[Worker], args: argparse.Namespace) -> bool:
    rng = random.Random(args.seed)
    traffic = Traffic(setup, rng)
    chaos = Chaos(fleet, rng)
    chaos.start()
    began = time.monotonic()
    end = began + 60 * args.soak
    step = 0
    while time.monotonic() < end:
        traffic.step()
        step += 1
        time.sleep(max(0.0, began + step / args.rate - time.monotonic()))
        if step % int(30 * args.rate) == 0:
            print(f"  {time.monotonic() - began:5.0f} s: {step} actions, {chaos.kills} kills")
    chaos.stop()
    for worker in fleet:
        if not worker.running:
            worker.start()
    print(f"  traffic over after {time.monotonic() - began:.0f} s; draining")
    drain_began = time.monotonic()
    try:
        report, _ = wait_for(
            lambda: drained(setup, receiver), timeout=DRAIN_TIMEOUT, what="drain", interval=1
        )
    except Timeout as exc:
        print(f"  {exc}")
        report = audit(receiver=receiver, endpoint=setup.endpoint)
    drain = time.monotonic() - drain_began

    print(f"\n== Soak: {args.soak:g} min at {args.rate:g} actions/s, seed {args.seed} ==")
    print("  actions: " + ", ".join(f"{k} {v}" for k, v in sorted(traffic.counts.items())))
    outages = len(receiver.answer.outages_seen) if isinstance(receiver.answer, Flaky) else 0
    print(
        f"  worker kills: {chaos.kills}; receiver outages met: {outages}; drained in {drain:.0f} s"
    )
    for line in report.lines():
        print(f"  {line}")
    abandoned = report.deliveries.get("abandoned", 0)
    print(f"  abandoned deliveries: {abandoned}; duplicates: {sum(report.duplicates.values())}")
    problems = report.problems + [f"chaos thread failed: {exc!r}" for exc in chaos.errors]
    for problem in problems:
        print(f"  LOST: {problem}")
    print("  nothing lost" if not problems else f"  {len(problems)} kinds of loss")
    return not problems


# --- the run ----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loops", type=int, default=500, help="loops per round (500)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (3)")
    parser.add_argument(
        "--paced", type=int, default=50, help=f"loops of the paced round, {PACE:g}/s (50; 0: none)"
    )
    parser.add_argument("--clients", type=int, default=4, help="submitting threads (4)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (1)")
    parser.add_argument("--concurrency", type=int, default=2, help="per worker (2)")
    parser.add_argument(
        "--broker", choices=["redis", "rabbitmq", "filesystem"], default="redis", help="(redis)"
    )
    parser.add_argument("--soak", type=float, default=0, help="minutes of soak instead")
    parser.add_argument("--rate", type=float, default=10, help="soak actions a second (10)")
    parser.add_argument("--seed", type=int, default=None, help="soak randomness (random)")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1_000_000)
    return args


def main() -> int:
    args = parse_args()
    logging.disable(logging.INFO)  # a line per status change would bury the figures
    name = settings.DATABASES["default"]["NAME"]
    old_name = create_database(
        sqlite_file="webhook_benchmark.sqlite3", test_name=f"test_{Path(str(name)).stem}_webhooks"
    )
    ok = True
    try:
        with (
            tempfile.TemporaryDirectory(prefix="webhook-benchmark-") as folder,
            open_broker(args.broker, Path(folder)) as broker,
            sending_to(broker),
        ):
            var_dir = Path(folder)
            timers = SOAK_TIMERS if args.soak else {}
            answer = Flaky(seed=args.seed) if args.soak else None
            with Receiver(
                secret=SECRET, outputs_root=var_dir / "outputs", answer=answer
            ) as receiver:
                setup = create_setup(receiver)
                with workers(broker, var_dir, args, timers) as fleet:
                    print(f"Webhook benchmark on {describe_database()}")
                    print(f"broker: {broker.name} {broker.url}; receiver: {receiver.url}")
                    if args.soak:
                        ok = soak(setup, receiver, fleet, args)
                    else:
                        measure(setup, receiver, args)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
