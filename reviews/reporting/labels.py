"""Figures as people read them: durations and shares."""

from __future__ import annotations

NO_FIGURE = "–"


def duration_label(seconds: float | None) -> str:
    """42 s, 12 min 5 s, 3 h 20 min, 2 d 4 h; an en dash for no figure."""
    if seconds is None:
        return NO_FIGURE
    whole = round(seconds)
    if whole < 60:
        return f"{seconds:.1f} s" if seconds < 10 and whole != seconds else f"{whole} s"
    minutes, second = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {second} s" if second else f"{minutes} min"
    hours, minute = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minute} min" if minute else f"{hours} h"
    days, hour = divmod(hours, 24)
    return f"{days} d {hour} h" if hour else f"{days} d"


def share_label(share: float | None) -> str:
    """A share as a whole percentage (67%); an en dash for no figure."""
    if share is None:
        return NO_FIGURE
    return f"{share * 100:.0f}%"
