"""Percentiles the way PostgreSQL's percentile_cont computes them: in the database there, in
Python over a bounded sample elsewhere."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.db.models import Aggregate, FloatField, Func

# Figures computed from individual rows read at most this many, the most recent of the window:
# agreement (every answer is read and compared), and on databases without percentile_cont
# (SQLite) the completion times and the time per task.
SAMPLE_SIZE = 10_000


class PercentileCont(Aggregate):
    """percentile_cont(fraction) WITHIN GROUP (ORDER BY expression): the value at `fraction` of
    the ordered values, interpolated linearly between the two nearest ones. PostgreSQL only."""

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, *, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError(f"fraction must be between 0 and 1, not {fraction}")
        super().__init__(expression, fraction=float(fraction), **extra)


class EpochSeconds(Func):
    """An interval (the difference of two times) as seconds. PostgreSQL only."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def percentile_cont(values: Iterable[float], fraction: float) -> float | None:
    """What percentile_cont(fraction) returns for `values`; None when there are none."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)
