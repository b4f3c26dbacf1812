"""Charts drawn on the server as inline SVG: no script, nothing fetched, and readable by screen
readers (each chart is an image with a title and a description; the page puts the figures in a
table beside it). Colours come from the page's stylesheet (static/portal/css/dashboard.css)
through class names, so the charts follow the admin's light and dark themes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

BAR_CHART_WIDTH = 480  # about the width of a dashboard card, so text keeps its size
TIME_CHART_WIDTH = 1100  # a card across the page
FONT_SIZE = 12
LABEL_CHARACTERS = 20  # longer labels are cut, with the whole label in a tooltip


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: a label, one value per series, and the text shown at each bar."""

    label: str
    values: Sequence[float]
    value_labels: Sequence[str]


@dataclass(frozen=True)
class Point:
    """One hour of a time series: its start and one value per series."""

    at: datetime
    values: Sequence[float]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[str],
    bars: Sequence[Bar],
    maximum: float | None = None,
) -> SafeString:
    """Horizontal bars, one group per row, one bar per series; `maximum` fixes the scale (1 for
    shares), else the largest value fills the width."""
    label_width, value_width, bar_height, gap, row_gap = 140, 110, 14, 3, 12
    legend_height = 26 if len(series) > 1 else 6
    row_height = len(series) * bar_height + (len(series) - 1) * gap + row_gap
    height = legend_height + len(bars) * row_height + 6
    plot_left, plot_width = label_width, BAR_CHART_WIDTH - label_width - value_width
    top = maximum if maximum is not None else max((max(b.values) for b in bars), default=0)
    scale = plot_width / top if top > 0 else 0

    parts = [legend(series, y=4)] if len(series) > 1 else []
    for number, bar in enumerate(bars):
        y = legend_height + number * row_height
        middle = y + (row_height - row_gap) / 2
        parts.append(row_label(bar.label, x=label_width - 10, y=middle))
        for index, (value, text) in enumerate(zip(bar.values, bar.value_labels, strict=True)):
            bar_y = y + index * (bar_height + gap)
            length = max(value * scale, 0)
            parts.append(
                format_html(
                    '<rect class="chart-bar chart-series-{}" x="{}" y="{}" width="{}" '
                    'height="{}" rx="2"><title>{}: {} {}</title></rect>'
                    '<text class="chart-value" x="{}" y="{}" dominant-baseline="central">{}'
                    "</text>",
                    index,
                    plot_left,
                    bar_y,
                    f"{length:.1f}",
                    bar_height,
                    bar.label,
                    series[index].lower(),
                    text,
                    f"{plot_left + length + 6:.1f}",
                    bar_y + bar_height / 2,
                    text,
                )
            )
    parts.append(
        format_html(
            '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>',
            plot_left,
            legend_height - 3,
            plot_left,
            height - 6,
        )
    )
    return svg(chart_id, title, description, BAR_CHART_WIDTH, height, parts)


def time_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[str],
    points: Sequence[Point],
) -> SafeString:
    """Lines over the hours of a window, the first series shaded beneath. Each hour carries a
    tooltip while there are few enough of them to point at."""
    left, right, top, bottom, height = 48, 12, 30, 26, 260
    width = TIME_CHART_WIDTH
    plot_width, plot_height = width - left - right, height - top - bottom
    ticks = nice_ticks(max((max(p.values) for p in points), default=0))
    step = plot_width / max(len(points), 1)

    def x_of(number: int) -> float:
        return left + step * (number + 0.5)

    def y_of(value: float) -> float:
        return top + plot_height - value / ticks[-1] * plot_height

    parts = [legend(series, y=4, x=left)]
    for tick in ticks:
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="chart-tick" x="{}" y="{}" text-anchor="end" '
                'dominant-baseline="central">{}</text>',
                left,
                f"{y_of(tick):.1f}",
                width - right,
                f"{y_of(tick):.1f}",
                left - 6,
                f"{y_of(tick):.1f}",
                f"{tick:,.0f}",
            )
        )
    every = label_every(len(points))
    for number, point in enumerate(points):
        if point.at.hour % min(every, 24) == 0 and (every < 24 or on_day(point.at, every)):
            parts.append(
                format_html(
                    '<line class="chart-axis" x1="{x}" y1="{y}" x2="{x}" y2="{y2}"/>'
                    '<text class="chart-tick" x="{x}" y="{ty}" text-anchor="middle">{}</text>',
                    point.at.strftime("%H:%M") if every < 24 else day_label(point.at),
                    x=f"{left + step * number:.1f}",
                    y=top + plot_height,
                    y2=top + plot_height + 4,
                    ty=height - 8,
                )
            )
    baseline = top + plot_height
    for index in reversed(range(len(series))):
        coordinates = [(x_of(n), y_of(p.values[index])) for n, p in enumerate(points)]
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        if index == 0 and coordinates:
            area = f"{coordinates[0][0]:.1f},{baseline} {line} {coordinates[-1][0]:.1f},{baseline}"
            parts.append(
                format_html('<polygon class="chart-area chart-series-{}" points="{}"/>', 0, area)
            )
        parts.append(
            format_html('<polyline class="chart-line chart-series-{}" points="{}"/>', index, line)
        )
        if len(points) <= 48:
            parts.append(
                format_html_join(
                    "",
                    '<circle class="chart-dot chart-series-{}" cx="{}" cy="{}" r="3"/>',
                    ((index, f"{x:.1f}", f"{y:.1f}") for x, y in coordinates),
                )
            )
    if len(points) <= 168:
        parts.append(
            format_html_join(
                "",
                '<rect class="chart-hover" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}</title></rect>",
                (
                    (
                        f"{left + step * n:.1f}",
                        top,
                        f"{step:.1f}",
                        plot_height,
                        hour_tooltip(p, series),
                    )
                    for n, p in enumerate(points)
                ),
            )
        )
    parts.append(
        format_html(
            '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>',
            left,
            baseline,
            width - right,
            baseline,
        )
    )
    return svg(chart_id, title, description, width, height, parts, wide=True)


def svg(
    chart_id: str,
    title: str,
    description: str,
    width: float,
    height: float,
    parts: list[str],
    *,
    wide: bool = False,
) -> SafeString:
    return format_html(
        '<svg class="chart{wide}" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-labelledby="{id}-title {id}-desc" font-size="{f}">'
        '<title id="{id}-title">{t}</title><desc id="{id}-desc">{d}</desc>{body}</svg>',
        wide=" chart-wide" if wide else "",
        id=chart_id,
        w=width,
        h=f"{height:.0f}",
        f=FONT_SIZE,
        t=title,
        d=description,
        body=mark_safe("".join(parts)),  # every part was built by format_html
    )


def legend(series: Sequence[str], *, y: float, x: float = 0) -> str:
    items = []
    for index, name in enumerate(series):
        items.append(
            format_html(
                '<rect class="chart-swatch chart-series-{}" x="{}" y="{}" width="12" height="12" '
                'rx="2"/><text class="chart-legend" x="{}" y="{}" dominant-baseline="central">'
                "{}</text>",
                index,
                x,
                y,
                x + 17,
                y + 6,
                name,
            )
        )
        x += 17 + 7.5 * len(name) + 18
    return "".join(items)


def row_label(label: str, *, x: float, y: float) -> str:
    shown = label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"
    return format_html(
        '<text class="chart-label" x="{}" y="{}" text-anchor="end" dominant-baseline="central">'
        "<title>{}</title>{}</text>",
        x,
        y,
        label,
        shown,
    )


def nice_ticks(largest: float, *, count: int = 4) -> list[float]:
    """Round gridline values from 0 to at least `largest`: steps of 1, 2 or 5 times a power
    of ten, about `count` of them; [0, 1] when there is nothing to show."""
    if largest <= 0:
        return [0, 1]
    rough = largest / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    step = max(step, 1)  # counts: no gridline between two whole numbers
    return [step * n for n in range(math.ceil(largest / step) + 1)]


def label_every(hours: int) -> int:
    """Hours between two labels on the time axis: at most about eight labels."""
    return next(
        (step for step in (1, 2, 3, 6, 12, 24, 48, 120, 240) if hours / step <= 8),
        hours,
    )


def on_day(at: datetime, every: int) -> bool:
    return at.timetuple().tm_yday % (every // 24) == 0


def day_label(at: datetime) -> str:
    return f"{at:%b} {at.day}"


def hour_tooltip(point: Point, series: Sequence[str]) -> str:
    """ "Mar 2, 14:00–15:00 UTC: 12 started, 9 completed"."""
    figures = ", ".join(
        f"{value:,.0f} {name.lower()}" for name, value in zip(series, point.values, strict=True)
    )
    at = point.at
    return f"{at:%b} {at.day}, {at:%H}:00–{(at.hour + 1) % 24:02d}:00 UTC: {figures}"
