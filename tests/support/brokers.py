"""Brokers a test (or benchmark) process shares with the Celery workers it starts, each one
private to the run: a folder, a Redis database, a RabbitMQ virtual host."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

VHOST_PREFIX = "a2i-test-"


class BrokerUnavailable(Exception):
    """The broker is not reachable, or cannot be set up from this process."""


@dataclass(frozen=True)
class Broker:
    """Where messages go: the URL and transport options of the calling process, and the
    environment variables that make a worker's settings say the same."""

    name: str
    url: str
    transport_options: dict[str, Any] = field(default_factory=dict)
    worker_arguments: tuple[str, ...] = ()

    @property
    def worker_environment(self) -> dict[str, str]:
        return {"CELERY_BROKER_URL": self.url}


# What the settings make the Celery app use for `filesystem://` (see a2i_portal/broker.py).
FOLDER_TRANSPORT = "a2i_portal.broker:Transport"


def filesystem_broker(var_dir: Path) -> Broker:
    """The default broker, in `var_dir`: a worker whose VAR_DIR is `var_dir` uses the same
    folders, as the settings derive them from VAR_DIR."""
    folders = {part: var_dir / "broker" / part for part in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
        "store_processed": False,
    }
    return Broker("filesystem", "filesystem://", options, ())


@contextmanager
def redis_broker(
    *, host: str = "127.0.0.1", port: int = 6379, databases: Sequence[int] = (11,)
) -> Iterator[Broker]:
    """The first Redis database of `databases` that no other run on this machine holds (a lock
    file says who does), emptied before and after: never FLUSHALL, never another's database."""
    import redis

    try:
        redis.Redis(host=host, port=port, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        raise BrokerUnavailable(f"Redis at {host}:{port}: {exc}") from exc
    for number in databases:
        with machine_lock(f"redis-{host}-{port}-{number}") as held:
            if not held:
                continue
            database = redis.Redis(host=host, port=port, db=number)
            database.flushdb()
            try:
                yield Broker("redis", f"redis://{host}:{port}/{number}")
            finally:
                database.flushdb()
                database.close()
            return
    raise BrokerUnavailable(f"Redis databases {list(databases)} are all in use by other runs")


@contextmanager
def machine_lock(name: str) -> Iterator[bool]:
    """An exclusive lock of this machine's processes, held while the block runs; yields whether
    it was free (never waits)."""
    path = Path(tempfile.gettempdir()) / f"a2i-{name}.lock"
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def rabbitmq_broker(
    *, host: str = "127.0.0.1", port: int = 5672, user: str = "guest", password: str = "guest"
) -> Iterator[Broker]:
    """A RabbitMQ virtual host of this run's own, made with rabbitmqctl (so on the broker's
    machine, with the rights to administer it) and deleted afterwards with all it holds."""
    from kombu import Connection

    try:
        with Connection(f"amqp://{user}:{password}@{host}:{port}//", connect_timeout=3) as probe:
            probe.ensure_connection(max_retries=1)
    except Exception as exc:  # kombu raises the transport's own errors
        raise BrokerUnavailable(f"RabbitMQ at {host}:{port}: {exc}") from exc
    delete_stale_vhosts()
    vhost = f"{VHOST_PREFIX}{os.getpid()}"
    rabbitmqctl("add_vhost", vhost)
    try:
        rabbitmqctl("set_permissions", "-p", vhost, user, ".*", ".*", ".*")
        yield Broker("rabbitmq", f"amqp://{user}:{password}@{host}:{port}/{quote(vhost, safe='')}")
    finally:
        rabbitmqctl("delete_vhost", vhost)


def rabbitmqctl(*args: str) -> str:
    program = shutil.which("rabbitmqctl")
    if program is None:
        raise BrokerUnavailable("rabbitmqctl is not installed: no virtual host of our own")
    try:
        done = subprocess.run(
            [program, "-q", *args], capture_output=True, text=True, timeout=60, check=True
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        output = getattr(exc, "stderr", "") or exc
        raise BrokerUnavailable(f"rabbitmqctl {' '.join(args)}: {output}") from exc
    return done.stdout


def delete_stale_vhosts() -> None:
    """Virtual hosts a killed run left behind: their process is gone."""
    for line in rabbitmqctl("list_vhosts").split():
        if not line.startswith(VHOST_PREFIX):
            continue
        pid = line.removeprefix(VHOST_PREFIX)
        if pid.isdigit() and not process_exists(int(pid)):
            rabbitmqctl("delete_vhost", line)


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def sending_to(broker: Broker) -> Iterator[None]:
    """Tasks this process queues are sent to `broker`, where the workers are, instead of run in
    the caller (the test suite's eager mode); the app's configuration is restored on exit."""
    from a2i_portal.celery import app

    keys = ("task_always_eager", "broker_url", "broker_transport", "broker_transport_options")
    before = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False,
        broker_url=broker.url,
        # An explicit transport outranks the URL's scheme: the portal's own for a folder, as
        # the settings choose it, else the one the URL names.
        broker_transport=FOLDER_TRANSPORT if broker.url == "filesystem://" else None,
        broker_transport_options=broker.transport_options,
    )
    drop_connection_pools(app)
    try:
        yield
    finally:
        drop_connection_pools(app)
        app.conf.update(before)


def drop_connection_pools(app: Any) -> None:
    """The app's broker connections are closed and forgotten: they were opened for the broker
    it had, and the next message opens new ones for the broker it has now. kombu keeps the pools
    in a registry of its own, keyed by broker, which would hand the closed ones out again."""
    from kombu import pools

    pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")  # created on first use only
    if amqp is not None:
        amqp._producer_pool = None
