"""Real Celery worker processes (`celery -A a2i_portal worker`), started against the database
and broker of the calling test or benchmark, with timers short enough to watch them work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.support.brokers import Broker

ROOT = Path(__file__).resolve().parents[2]

# Sweeps every second, lost work recovered 3 s late, failed POSTs retried from 0.2 s to 1 s
# apart. A POST's lease is WEBHOOK_TIMEOUT_SECONDS + 30 s, so a worker killed mid-POST delays
# that delivery by about half a minute whatever these say.
FAST_TIMERS = {
    "A2I_SWEEP_INTERVAL": "1",
    "A2I_OUTBOX_RECOVERY_SECONDS": "3",
    "WEBHOOK_RETRY_BASE_SECONDS": "0.2",
    "WEBHOOK_RETRY_MAX_SECONDS": "1",
    "WEBHOOK_TIMEOUT_SECONDS": "2",
}
START_TIMEOUT = 60.0  # seconds for a worker to say it is ready, on a busy machine


class WorkerFailed(AssertionError):
    """A worker process exited, or never got ready."""


def database_url(database: dict[str, Any]) -> str:
    """The DATABASE_URL of a Django database configuration, as django-environ reads it back."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(database['NAME']).resolve()}"
    user = quote(database.get("USER") or "", safe="")
    password = quote(database.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = database.get("HOST") or ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(database['NAME'], safe='')}"


def worker_environment(
    *, broker: Broker, var_dir: Path, timers: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment of a worker process: the caller's database (the test database, once
    pytest-django made it) and broker, everything it writes under `var_dir`, and the caller's
    keys, so that it decrypts the webhook secrets and names the ARNs the caller does."""
    from django.conf import settings

    metrics = var_dir / "metrics"
    metrics.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "a2i_portal.settings",
        "DATABASE_URL": database_url(settings.DATABASES["default"]),
        "VAR_DIR": str(var_dir),
        "OUTPUT_ROOT": str(var_dir / "outputs"),
        "OUTPUT_STORAGE": "disk",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        "SECRET_KEY": settings.SECRET_KEY,
        "ACCESS_KEY_ENCRYPTION_KEY": settings.ACCESS_KEY_ENCRYPTION_KEY,
        "A2I_REGION": settings.A2I_REGION,
        "A2I_ACCOUNT_ID": settings.A2I_ACCOUNT_ID,
        "SITE_URL": settings.SITE_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        **broker.worker_environment,
        **(FAST_TIMERS if timers is None else timers),
    }


class Worker:
    """One `celery -A a2i_portal worker` process, beat embedded when asked, in a process group
    of its own: a kill takes its pool processes and beat with it. Its output goes to a log file;
    each start appends to it."""

    def __init__(
        self,
        *,
        broker: Broker,
        var_dir: Path,
        name: str = "worker",
        concurrency: int = 2,
        beat: bool = True,
        timers: dict[str, str] | None = None,
    ) -> None:
        self.broker, self.var_dir, self.name = broker, var_dir, name
        self.concurrency, self.beat = concurrency, beat
        self.environment = worker_environment(broker=broker, var_dir=var_dir, timers=timers)
        self.log_path = var_dir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.log_offset = 0

    @property
    def outputs_root(self) -> Path:
        return Path(self.environment["OUTPUT_ROOT"])

    @property
    def hostname(self) -> str:
        return f"{self.name}-{self.starts}@localhost"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "a2i_portal",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            str(self.concurrency),
            "--hostname",
            self.hostname,
            # Nothing to synchronise with other workers: a faster start, less broker traffic.
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            *(["--beat"] if self.beat else []),
            *self.broker.worker_arguments,
        ]

    def start(self) -> float:
        """Start the process; returns once it consumes, with the seconds that took."""
        if self.running:
            raise WorkerFailed(f"{self.name} is running already")
        self.starts += 1
        self.log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        began = time.monotonic()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_ready()
        return time.monotonic() - began

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while f"{self.hostname} ready." not in self.log_since_start():
            if not self.running:
                raise WorkerFailed(f"{self.name} exited while starting:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise WorkerFailed(f"{self.name} not ready after {timeout} s:\n{self.log_tail()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL to the whole group: no warm shutdown, nothing acknowledged or cleaned up."""
        if self.process is None:
            return
        signal_group(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def log_since_start(self) -> str:
        if not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as log:
            log.seek(self.log_offset)
            return log.read().decode(errors="replace")

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def signal_group(pgid: int, signum: int) -> None:
    with suppress(ProcessLookupError):  # every process of the group has exited already
        os.killpg(pgid, signum)


def wait_for_other_sessions_to_end(timeout: float = 15.0) -> int:
    """On PostgreSQL, wait until no other session is connected to this database (a killed
    worker's backends exit a moment after it), so that the test database can be dropped.
    Returns how many are still there when it gives up."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0
    deadline = time.monotonic() + timeout
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'"
            )
            others = cursor.fetchone()[0]
        if not others or time.monotonic() > deadline:
            return others
        time.sleep(0.2)
