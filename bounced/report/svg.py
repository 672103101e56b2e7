"""Inline SVG charts with real axes: stacked bars on a date axis, a legend, sparklines.

No label is placed by hand: the y ticks are "nice" numbers (1, 2, 5 x 10^n), and the date ticks
take the smallest interval (a day, two, a week on Mondays, two weeks, a month on the 1st) whose
labels have room, from a conservative estimate of the label's width.  The Chromium test measures
the rendered boxes to keep that estimate honest.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 860, 280
LEFT, RIGHT, BOTTOM = 62, 30, 46
CHAR = 7.0  # px per character of the 11 px labels: generous, so that estimates err towards room
LINE = 18


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    color: str


@dataclass(frozen=True)
class Band:
    """A span on the date axis (a storm): first and last day, inclusive, and what it was."""

    first: str
    last: str
    title: str


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """0 .. at least ``top`` in steps of 1, 2 or 5 x 10^n, about ``count`` of them."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    step = max(step, 1) if top >= 1 else step
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if v == int(v) else f"{v:g}"


def _label(day: str) -> str:
    return date.fromisoformat(day).strftime("%b %-d")


def date_ticks(starts: Sequence[str], step_px: float, bucket_days: int) -> list[int]:
    """Indexes of the buckets that get a label: the densest regular choice whose labels fit."""
    need = CHAR * len("Nov 30") + 12
    days = [date.fromisoformat(s) for s in starts]
    choices = [(1, lambda i, d: True), (2, lambda i, d: i % 2 == 0),
               (7, lambda i, d: d.weekday() == 0 if bucket_days == 1 else True),
               (14, lambda i, d: d.weekday() == 0 and (d.toordinal() // 7) % 2 == 0 if bucket_days == 1 else i % 2 == 0),
               (28, lambda i, d: d.day == 1 if bucket_days == 1 else i % 4 == 0),
               (56, lambda i, d: d.day == 1 and d.month % 2 == 1 if bucket_days == 1 else i % 8 == 0)]
    for span, pick in choices:
        if span < bucket_days:
            continue
        chosen = [i for i, d in enumerate(days) if pick(i, d)]
        gaps = [b - a for a, b in zip(chosen, chosen[1:])]
        if chosen and min(gaps, default=len(days)) * step_px >= need:
            return chosen
    return [0]


def legend(series: Sequence[Series], top: float) -> tuple[str, float]:
    """Swatches and labels in rows across the top; returns the SVG and the height used."""
    x, y, parts = float(LEFT), top, ['<g class="legend">']
    for s in series:
        width = 16 + CHAR * len(s.label) + 18
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, y = float(LEFT), y + LINE
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="11" height="11" fill="{s.color}"/>'
                     f'<text class="legend-label" x="{x + 16:.1f}" y="{y:.1f}">{_e(s.label)}</text>')
        x += width
    parts.append("</g>")
    return "".join(parts), y - top + LINE


def stacked_bars(chart_id: str, starts: Sequence[str], values: Sequence[dict[str, int]], series: Sequence[Series],
                 bucket_days: int = 1, bands: Sequence[Band] = (), unit: str = "events") -> str:
    """Stacked bars per bucket (a day or a week) on a date axis, zero buckets kept, with a y axis and legend."""
    legend_svg, legend_h = legend(series, 16)
    top_y = 16 + legend_h + 8
    base_y = HEIGHT - BOTTOM
    plot_w, plot_h = WIDTH - LEFT - RIGHT, base_y - top_y
    step = plot_w / max(len(starts), 1)
    ticks = nice_ticks(max((sum(v.get(s.key, 0) for s in series) for v in values), default=0))
    scale = plot_h / ticks[-1]
    per = "day" if bucket_days == 1 else "week"
    parts = [f'<svg id="{chart_id}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
             f' role="img" aria-label="{_e(unit)} per {per}">', legend_svg, '<g class="y-axis">']
    for t in ticks:
        y = base_y - t * scale
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="tick-label" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(t)}</text>')
    parts.append(f'<text class="axis-title" transform="translate(14,{top_y + plot_h / 2:.1f}) rotate(-90)"'
                 f' text-anchor="middle">{_e(unit)} per {per}</text></g><g class="bands">')
    index = {s: i for i, s in enumerate(starts)}
    for b in bands:
        i0 = _bucket(starts, b.first, bucket_days)
        i1 = _bucket(starts, b.last, bucket_days)
        if i0 is None and i1 is None:
            continue
        x0, x1 = LEFT + (i0 or 0) * step, LEFT + ((len(starts) - 1) if i1 is None else i1) * step + step
        parts.append(f'<rect class="storm-band" x="{x0:.1f}" y="{top_y}" width="{x1 - x0:.1f}" height="{plot_h:.1f}">'
                     f'<title>{_e(b.title)}</title></rect>')
    parts.append('</g><g class="bars">')
    for start, v in zip(starts, values):
        x, y = LEFT + index[start] * step + step * 0.1, float(base_y)
        for s in series:
            n = v.get(s.key, 0)
            if n:
                h = n * scale
                y -= h
                parts.append(f'<rect class="bar" data-day="{start}" data-kind="{s.key}" data-count="{n}" x="{x:.1f}"'
                             f' y="{y:.1f}" width="{max(step * 0.8, 1):.1f}" height="{h:.1f}" fill="{s.color}">'
                             f'<title>{_e(start)}{" (week)" if bucket_days > 1 else ""}: {n} {_e(s.label)}</title></rect>')
    parts.append(f'</g><g class="x-axis"><line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base_y}" y2="{base_y}"/>')
    for i in date_ticks(starts, step, bucket_days):
        x = LEFT + i * step + step / 2
        parts.append(f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{base_y}" y2="{base_y + 4}"/>'
                     f'<text class="tick-label" x="{x:.1f}" y="{base_y + 16}" text-anchor="middle">{_label(starts[i])}</text>')
    first, last = date.fromisoformat(starts[0]), date.fromisoformat(starts[-1])
    years = str(first.year) if first.year == last.year else f"{first.year}-{last.year}"
    what = "day" if bucket_days == 1 else "week starting Monday"
    parts.append(f'<text class="axis-title" x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
                 f'{what}, {years} (UTC)</text></g></svg>')
    return "".join(parts)


def _bucket(starts: Sequence[str], day: str, bucket_days: int) -> int | None:
    """The index of the bucket holding ``day``, None when outside."""
    d = date.fromisoformat(day[:10])
    for i, s in enumerate(starts):
        first = date.fromisoformat(s)
        if first <= d < first.fromordinal(first.toordinal() + bucket_days):
            return i
    return None


def sparkline(values: Sequence[float | None], threshold: float | None = None) -> str:
    """A small line of a rate over time (gaps where nothing was sent), scaled to its own maximum."""
    w, h, pad = 120, 26, 3
    known = [v for v in values if v is not None]
    if not known:
        return '<svg class="spark" width="120" height="26" viewBox="0 0 120 26"></svg>'
    top = max(max(known), threshold or 0) or 1
    dx = (w - 2 * pad) / max(len(values) - 1, 1)
    text = ", ".join("—" if v is None else f"{v * 100:.1f} %" for v in values)
    parts = [f'<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"'
             f' role="img" aria-label="weekly failure rate"><title>per week: {text}</title>']
    if threshold:
        y = h - pad - threshold / top * (h - 2 * pad)
        parts.append(f'<line class="threshold" x1="0" x2="{w}" y1="{y:.1f}" y2="{y:.1f}"/>')
    runs: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
            continue
        runs[-1].append(f"{pad + i * dx:.1f},{h - pad - v / top * (h - 2 * pad):.1f}")
    for run in runs:
        if len(run) > 1:
            parts.append(f'<polyline points="{" ".join(run)}"/>')
        elif run:
            x, y = run[0].split(",")
            parts.append(f'<circle cx="{x}" cy="{y}" r="1.5"/>')
    parts.append("</svg>")
    return "".join(parts)
