"""Waiting for another process to do something: poll with a deadline, report how long it took."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Timeout(AssertionError):
    """What was awaited did not happen before the deadline."""


def wait_for(
    condition: Callable[[], T], *, timeout: float, what: str, interval: float = 0.2
) -> tuple[T, float]:
    """Call `condition` until it returns something truthy; returns that and the seconds it took.
    Raises Timeout, naming `what`, once `timeout` seconds have passed."""
    began = time.monotonic()
    while True:
        value = condition()
        elapsed = time.monotonic() - began
        if value:
            return value, elapsed
        if elapsed >= timeout:
            raise Timeout(f"{what}: still not the case after {elapsed:.1f} s")
        time.sleep(interval)
