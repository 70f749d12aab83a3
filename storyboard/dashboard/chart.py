"""The weekly NPS trend as server-rendered SVG: a line with the 95 % margin as a band.

No scripts and no ``style`` attributes (the CSP forbids inline styles); every text in the
markup is escaped. Colours are the stylesheet's tokens (``static/css/storyboard.css``):
the classes below are coloured there, and the presentation attributes repeat the same
values for an SVG opened on its own.

The chart is one image (``role="img"`` with a title and a description) and has no links
or other focusable parts inside; the page puts a table with the same numbers, and the
week links, next to it. The running week is not a complete week: its point is hollow,
the segment to it dashed, it has no band, and it is labelled "so far".
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from storyboard.dashboard.service import WeekNps
from storyboard.nps.math import signed_points

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 48
GRID = (-100, -50, 0, 50, 100)

# The stylesheet's tokens (see :root in static/css/storyboard.css).
BRAND = "#1f5f5b"  # --brand: the line and points
ACCENT = "#f6c26b"  # --accent: the margin band
ACCENT_INK = "#8a5a0f"  # --accent-ink: error bars and the "so far" label
LINE = "#e3e0d8"  # --line: grid lines
FIELD_LINE = "#8a877f"  # --field-line: the zero line
MUTED = "#5e6c72"  # --muted: axis numbers
INK_SOFT = "#4a5a60"  # --ink-soft: week labels
CARD = "#ffffff"  # --card: inside of the running week's hollow point


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
    text = _("Weekly NPS from -100 to 100; the shaded band is the margin of error "
             "(95 percent). The table below the chart has the same numbers.")
    if running and weeks:
        last = weeks[-1].total
        text += " " + _("The last week is still running: its point is hollow and its line "
                        "dashed.")
        if last.score is not None and last.margin is not None:
            text += " " + _("This week so far: NPS %(score)s ± %(margin)s (n = %(n)s).",
                            score=signed_points(last.score), margin=f"{last.margin:.0f}",
                            n=last.n)
    return text


def trend_chart(weeks: Sequence[WeekNps], title: str, running: bool = True) -> Markup:
    """SVG markup of the weekly NPS of ``weeks`` (oldest first); with ``running`` the
    last week is drawn as incomplete."""
    count = len(weeks)
    last = count - 1 if running else None
    parts: list[str] = [
        f'<svg class="nps-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        ' role="img" aria-labelledby="nps-chart-title nps-chart-desc">',
        f'<title id="nps-chart-title">{escape(title)}</title>',
        f'<desc id="nps-chart-desc">{escape(_description(weeks, running))}</desc>',
    ]
    for value in GRID:
        y = _y(value)
        grid_class = "nps-grid nps-grid-zero" if value == 0 else "nps-grid"
        parts.append(
            f'<line class="{grid_class}" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{y:.1f}" stroke="{FIELD_LINE if value == 0 else LINE}" stroke-width="1"/>'
            f'<text class="nps-axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="{MUTED}">{value}</text>'
        )
    complete = [w for i, w in enumerate(weeks) if i != last]
    for run in (run for run in _runs(complete) if len(run) > 1):
        upper = [(_x(i, count), _y(weeks[i].total.high or 0)) for i in run]
        lower = [(_x(i, count), _y(weeks[i].total.low or 0)) for i in reversed(run)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in upper + lower)
        parts.append(f'<polygon class="nps-band" points="{points}" fill="{ACCENT}" '
                     'fill-opacity="0.35" stroke="none"/>')
        line = " ".join(f"{_x(i, count):.1f},{_y(weeks[i].total.score or 0):.1f}" for i in run)
        parts.append(f'<polyline class="nps-line" points="{line}" fill="none" '
                     f'stroke="{BRAND}" stroke-width="2.5"/>')
    if last is not None and last > 0:
        before, now = weeks[last - 1].total, weeks[last].total
        if before.score is not None and now.score is not None:
            parts.append(
                f'<line class="nps-line-running" x1="{_x(last - 1, count):.1f}" '
                f'y1="{_y(before.score):.1f}" x2="{_x(last, count):.1f}" '
                f'y2="{_y(now.score):.1f}" stroke="{BRAND}" stroke-width="2" '
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
                f'x2="{x:.1f}" y2="{_y(result.low):.1f}" stroke="{ACCENT_INK}" '
                f'stroke-width="2"{dashes}/>'
            )
        if result.score is not None and result.margin is not None:
            label = _("%(week)s: NPS %(score)s ± %(margin)s (n = %(n)s)", week=str(week.week),
                      score=f"{result.score:.0f}", margin=f"{result.margin:.0f}", n=result.n)
            if is_running:
                label += " " + _("(running week, so far)")
                parts.append(
                    f'<circle class="nps-point nps-point-running" cx="{x:.1f}" '
                    f'cy="{_y(result.score):.1f}" r="5" fill="{CARD}" stroke="{BRAND}" '
                    f'stroke-width="2.5"><title>{escape(label)}</title></circle>'
                )
            else:
                parts.append(
                    f'<circle class="nps-point" cx="{x:.1f}" cy="{_y(result.score):.1f}" '
                    f'r="4" fill="{BRAND}"><title>{escape(label)}</title></circle>'
                )
        parts.append(
            f'<text class="nps-week" x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="middle" font-size="11" fill="{INK_SOFT}">'
            f"W{week.week.week:02d}</text>"
        )
        if is_running:
            so_far = escape(_("so far"))
            parts.append(
                f'<text class="nps-running-label" x="{min(x, WIDTH - RIGHT - 4):.1f}" '
                f'y="{HEIGHT - BOTTOM + 34}" text-anchor="end" font-size="11" '
                f'font-weight="600" fill="{ACCENT_INK}">{so_far}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
