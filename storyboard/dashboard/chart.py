"""The weekly NPS trend as server-rendered SVG: a line with the 95 % margin as a band.

No scripts and no ``style`` attributes (the CSP forbids inline styles); every text in the
markup is escaped. Colours come from the stylesheet's tokens only (the custom properties
in ``:root`` of ``static/css/storyboard.css``): each part has a class that the stylesheet
colours with ``var(--token)``, and its presentation attributes (the fallback for an SVG
shown without the stylesheet) are the same tokens' values, read from the stylesheet, so
the chart has no colour of its own to drift.

The chart is one image (``role="img"`` with a title and a description) and has no links
or other focusable parts inside; the page puts a table with the same numbers, and the
week links, next to it. The running week is not a complete week: its point is hollow,
the segment to it dashed, it has no band, and it is labelled "so far".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import gettext as _
from markupsafe import Markup, escape

from storyboard.dashboard.service import WeekNps
from storyboard.nps.math import signed_points

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 48
GRID = (-100, -50, 0, 50, 100)

STYLESHEET = Path("css") / "storyboard.css"
_TOKEN = re.compile(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,8})\b")
# What each part is drawn in: a token of the stylesheet (see its classes .nps-chart …).
BRAND = "brand"  # the line and points
ACCENT = "accent"  # the margin band
ACCENT_INK = "accent-ink"  # error bars and the "so far" label
LINE = "line"  # grid lines
FIELD_LINE = "field-line"  # the zero line
MUTED = "muted"  # axis numbers
INK_SOFT = "ink-soft"  # week labels
CARD = "card"  # inside of the running week's hollow point


def _static_folder() -> Path:
    if has_app_context() and current_app.static_folder:
        return Path(current_app.static_folder)
    package = Path(__file__).resolve().parents[1]  # as storyboard._asset_dir finds it
    return package / "static" if (package / "static").is_dir() else package.parent / "static"


@lru_cache(maxsize=4)
def _tokens_in(stylesheet: Path) -> dict[str, str]:
    """The colour tokens (``--name: #hex``) of the stylesheet's ``:root`` block."""
    css = stylesheet.read_text(encoding="utf-8")
    start = css.index(":root")
    return dict(_TOKEN.findall(css[start : css.index("}", start)]))


def _colours() -> dict[str, str]:
    return _tokens_in(_static_folder() / STYLESHEET)


def _y(value: float) -> float:
    return TOP + (100 - value) / 200 * (HEIGHT - TOP - BOTTOM)


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if count == 1 else index * span / (count - 1))


def _runs(weeks: Sequence[WeekNps]) -> list[list[int]]:
    """Consecutive weeks with data: the line and band break where a week has none."""
    runs: list[list[int]] = []
    current: list[int] = []
    for index, week in enumerate(weeks):
        if week.total.has_data:
            current.append(index)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _description(weeks: Sequence[WeekNps], running: bool) -> str:
    text = _(
        "Weekly NPS from -100 to 100; the shaded band is the margin of error "
        "(95 percent). The table below the chart has the same numbers."
    )
    if running and weeks:
        last = weeks[-1].total
        text += " " + _("The last week is still running: its point is hollow and its line dashed.")
        if last.score is not None and last.margin is not None:
            text += " " + _(
                "This week so far: NPS %(score)s ± %(margin)s (n = %(n)s).",
                score=signed_points(last.score),
                margin=f"{last.margin:.0f}",
                n=last.n,
            )
    return text


def trend_chart(weeks: Sequence[WeekNps], title: str, running: bool = True) -> Markup:
    """SVG markup of the weekly NPS of ``weeks`` (oldest first); with ``running`` the
    last week is drawn as incomplete."""
    count = len(weeks)
    last = count - 1 if running else None
    colour = _colours()
    parts: list[str] = [
        f'<svg class="nps-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        ' role="img" aria-labelledby="nps-chart-title nps-chart-desc">',
        f'<title id="nps-chart-title">{escape(title)}</title>',
        f'<desc id="nps-chart-desc">{escape(_description(weeks, running))}</desc>',
    ]
    for value in GRID:
        y = _y(value)
        grid_class = "nps-grid nps-grid-zero" if value == 0 else "nps-grid"
        grid_colour = colour[FIELD_LINE if value == 0 else LINE]
        parts.append(
            f'<line class="{grid_class}" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{y:.1f}" stroke="{grid_colour}" stroke-width="1"/>'
            f'<text class="nps-axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="{colour[MUTED]}">{value}</text>'
        )
    complete = [w for i, w in enumerate(weeks) if i != last]
    for run in (run for run in _runs(complete) if len(run) > 1):
        upper = [(_x(i, count), _y(weeks[i].total.high or 0)) for i in run]
        lower = [(_x(i, count), _y(weeks[i].total.low or 0)) for i in reversed(run)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in upper + lower)
        parts.append(
            f'<polygon class="nps-band" points="{points}" fill="{colour[ACCENT]}" '
            'fill-opacity="0.35" stroke="none"/>'
        )
        line = " ".join(f"{_x(i, count):.1f},{_y(weeks[i].total.score or 0):.1f}" for i in run)
        parts.append(
            f'<polyline class="nps-line" points="{line}" fill="none" '
            f'stroke="{colour[BRAND]}" stroke-width="2.5"/>'
        )
    if last is not None and last > 0:
        before, now = weeks[last - 1].total, weeks[last].total
        if before.score is not None and now.score is not None:
            parts.append(
                f'<line class="nps-line-running" x1="{_x(last - 1, count):.1f}" '
                f'y1="{_y(before.score):.1f}" x2="{_x(last, count):.1f}" '
                f'y2="{_y(now.score):.1f}" stroke="{colour[BRAND]}" stroke-width="2" '
                'stroke-dasharray="6 4"/>'
            )
    for index, week in enumerate(weeks):
        x = _x(index, count)
        result = week.total
        is_running = index == last
        if result.score is not None and result.low is not None and result.high is not None:
            # An error bar too, so a week without neighbours still shows its margin.
            dashes = ' stroke-dasharray="3 3"' if is_running else ""
            parts.append(
                f'<line class="nps-error" x1="{x:.1f}" y1="{_y(result.high):.1f}" '
                f'x2="{x:.1f}" y2="{_y(result.low):.1f}" stroke="{colour[ACCENT_INK]}" '
                f'stroke-width="2"{dashes}/>'
            )
        if result.score is not None and result.margin is not None:
            label = _(
                "%(week)s: NPS %(score)s ± %(margin)s (n = %(n)s)",
                week=str(week.week),
                score=f"{result.score:.0f}",
                margin=f"{result.margin:.0f}",
                n=result.n,
            )
            if is_running:
                label += " " + _("(running week, so far)")
                parts.append(
                    f'<circle class="nps-point nps-point-running" cx="{x:.1f}" '
                    f'cy="{_y(result.score):.1f}" r="5" fill="{colour[CARD]}" '
                    f'stroke="{colour[BRAND]}" stroke-width="2.5">'
                    f"<title>{escape(label)}</title></circle>"
                )
            else:
                parts.append(
                    f'<circle class="nps-point" cx="{x:.1f}" cy="{_y(result.score):.1f}" '
                    f'r="4" fill="{colour[BRAND]}"><title>{escape(label)}</title></circle>'
                )
        # Every other label (counted back from the last week) gives way on a phone, where
        # the stylesheet draws the labels larger; see .nps-week-between.
        week_class = "nps-week nps-week-between" if (count - 1 - index) % 2 else "nps-week"
        parts.append(
            f'<text class="{week_class}" x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="middle" font-size="11" fill="{colour[INK_SOFT]}">'
            f"W{week.week.week:02d}</text>"
        )
        if is_running:
            so_far = escape(_("so far"))
            parts.append(
                f'<text class="nps-running-label" x="{min(x, WIDTH - RIGHT - 4):.1f}" '
                f'y="{HEIGHT - BOTTOM + 34}" text-anchor="end" font-size="11" '
                f'font-weight="600" fill="{colour[ACCENT_INK]}">{so_far}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
