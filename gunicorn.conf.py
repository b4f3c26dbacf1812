"""Gunicorn settings of the web process (Procfile: `gunicorn -c gunicorn.conf.py ...`); the
command line gives the rest."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gunicorn.arbiter import Arbiter
    from gunicorn.workers.base import Worker

# prometheus-client chooses multiprocess mode when it is first imported, and the workers inherit
# this process's modules: the metrics folder must be in the environment before the import below.
# scripts/run-portal exports it; otherwise this is settings.PROMETHEUS_MULTIPROC_DIR's default.
_var_dir = Path(os.environ.get("VAR_DIR", Path(__file__).resolve().parent / "var"))
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str((_var_dir / "metrics").resolve()))

from prometheus_client import multiprocess  # noqa: E402


def child_exit(server: Arbiter, worker: Worker) -> None:
    multiprocess.mark_process_dead(worker.pid)
