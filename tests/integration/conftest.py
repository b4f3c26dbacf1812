"""Real `celery -A a2i_portal worker` processes (beat embedded) against a real broker and the
test database: on PostgreSQL a Redis database of their own (and RabbitMQ for one scenario),
on SQLite the filesystem broker in a temporary folder and a file copy of the test database.

The tests send real messages to the same broker and commit what the workers must see
(`django_db(transaction=True)`); everything the workers write goes to temporary folders.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, closing, contextmanager, nullcontext
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import FlowDefinitionFactory
from tests.support.brokers import (
    Broker,
    BrokerUnavailable,
    filesystem_broker,
    rabbitmq_broker,
    redis_broker,
    sending_to,
)
from tests.support.worker import Worker, wait_for_other_sessions_to_end

# Redis databases these tests may take, the first free one (12 is the benchmark's).
REDIS_DATABASES = (11, 13, 14, 15)


@pytest.fixture(scope="package")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):  # noqa: ANN001
    """On SQLite, these tests run on a file copy of pytest-django's in-memory test database,
    which no other process can open; the rest of the suite keeps the in-memory one."""
    from django.conf import settings
    from django.db import connections

    memory = connections["default"]
    if memory.vendor != "sqlite" or not memory.is_in_memory_db():
        yield
        return
    path = tmp_path_factory.mktemp("database") / "test.sqlite3"
    with django_db_blocker.unblock():
        memory.ensure_connection()
        with closing(sqlite3.connect(path)) as copy:
            memory.connection.backup(copy)
    on_file = {**memory.settings_dict, "NAME": str(path)}
    # The connection handler reads this dict for new connections (threads) and the workers'
    # DATABASE_URL comes from it; the in-memory wrapper keeps its own dict and stays open.
    settings.DATABASES["default"] = on_file
    connections["default"] = memory.__class__(on_file, alias="default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = memory
        settings.DATABASES["default"] = memory.settings_dict


def unavailable(exc: BrokerUnavailable, *, required: bool) -> None:
    """A broker missing on a developer's machine skips, and says why; on CI a required one
    fails. RabbitMQ is never required: its virtual host needs rabbitmqctl and the rights to
    run it, which a test cannot arrange."""
    if required and os.environ.get("CI"):
        pytest.fail(f"the broker these tests need is not available: {exc}")
    pytest.skip(f"broker not available: {exc}")


@contextmanager
def running_worker(
    open_broker: Callable[[Path], AbstractContextManager[Broker]],
    var_dir: Path,
    *,
    required: bool = True,
) -> Iterator[Worker]:
    """A worker with beat on a broker of its own, killed at the end whatever happened."""
    with ExitStack() as stack:
        try:
            broker = stack.enter_context(open_broker(var_dir))
        except BrokerUnavailable as exc:
            unavailable(exc, required=required)
        worker = Worker(broker=broker, var_dir=var_dir)
        try:
            took = worker.start()
            print(f"\n{broker.name} worker ready in {took:.1f} s")
            yield worker
        finally:
            worker.kill()


def default_broker(var_dir: Path) -> AbstractContextManager[Broker]:
    if connection.vendor == "postgresql":
        return redis_broker(databases=REDIS_DATABASES)
    return nullcontext(filesystem_broker(var_dir))


@pytest.fixture(scope="package")
def worker_process(django_db_setup, django_db_blocker, tmp_path_factory):  # noqa: ANN001
    """The package's worker: Redis on PostgreSQL, the filesystem broker on SQLite. It outlives
    every other worker of the package; once it is stopped, no worker session may be left on the
    database, which PostgreSQL cannot drop while they are."""
    with running_worker(default_broker, tmp_path_factory.mktemp("worker")) as worker:
        yield worker
    with django_db_blocker.unblock():
        left = wait_for_other_sessions_to_end()
    assert not left, f"{left} database sessions of stopped workers are still open"


@pytest.fixture(scope="module")
def rabbitmq_worker_process(worker_process, tmp_path_factory):  # noqa: ANN001
    with running_worker(
        lambda var_dir: rabbitmq_broker(), tmp_path_factory.mktemp("rabbitmq"), required=False
    ) as w:
        yield w


@contextmanager
def serving(worker: Worker) -> Iterator[Worker]:
    """The worker is running (a test before may have killed it), and this process's tasks go to
    its broker for the test's duration."""
    if not worker.running:
        worker.start()
    with sending_to(worker.broker):
        yield worker


@pytest.fixture
def worker(worker_process):  # noqa: ANN001
    with serving(worker_process) as running:
        yield running


@pytest.fixture
def rabbitmq_worker(rabbitmq_worker_process, worker_process):  # noqa: ANN001
    """The RabbitMQ worker alone: the package's worker is stopped meanwhile (a later test starts
    it again). Two deployments on one database would each sweep the other's work, writing
    outputs to their own folder and sending events through their own broker."""
    worker_process.kill()
    with serving(rabbitmq_worker_process) as running:
        yield running


@pytest.fixture
def idle_flow(team):  # noqa: ANN001
    """A second flow definition of the reviewers' team, whose loops nobody works on unless told
    (claims name the flow definition they take from)."""
    return FlowDefinitionFactory(work_team=team)
