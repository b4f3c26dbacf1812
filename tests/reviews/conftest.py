"""Fixtures of the reviews tests."""

from __future__ import annotations

import pytest

from tests.reviews.test_reporting import build_day


@pytest.fixture
def day(clock):  # noqa: ANN001, ANN201
    """A day of review work on the movable clock (see build_day)."""
    return build_day(clock)
