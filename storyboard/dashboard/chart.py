"""The weekly NPS trend as server-rendered SVG: a line with the 95 % margin as a band.

No scripts and no ``style`` attributes (the CSP forbids inline styles); every text in the
markup is escaped. The page puts an accessible table with the same numbers next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from storyboard.dashboard.service import WeekNps

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
GRID = (-100, -50, 0, 50, 100)


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


def trend_chart(weeks: Sequence[WeekNps], week_url: Callable[[WeekNps], str],
                title: str) -> Markup:
    """SVG markup of the weekly NPS of ``weeks`` (oldest first); each week label links
    to ``week_url(week)``."""
    count = len(weeks)
    parts: list[str] = [
        f'<svg class="nps-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        ' role="img" aria-labelledby="nps-chart-title nps-chart-desc">',
        f'<title id="nps-chart-title">{escape(title)}</title>',
        '<desc id="nps-chart-desc">{}</desc>'.format(escape(_(
            "Weekly NPS from -100 to 100; the shaded band is the margin of error (95 percent). "
            "The table below the chart has the same numbers."
        ))),
    ]
    for value in GRID:
        y = _y(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{"#8a8580" if value == 0 else "#e4ded6"}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#6b6560">{value}</text>'
        )
    for run in (run for run in _runs(weeks) if len(run) > 1):
        upper = [(_x(i, count), _y(weeks[i].total.high or 0)) for i in run]
        lower = [(_x(i, count), _y(weeks[i].total.low or 0)) for i in reversed(run)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in upper + lower)
        parts.append(f'<polygon class="nps-band" points="{points}" fill="#f2c46d" '
                     'fill-opacity="0.35" stroke="none"/>')
        line = " ".join(f"{_x(i, count):.1f},{_y(weeks[i].total.score or 0):.1f}" for i in run)
        parts.append(f'<polyline class="nps-line" points="{line}" fill="none" '
                     'stroke="#b4541c" stroke-width="2.5"/>')
    for index, week in enumerate(weeks):
        x = _x(index, count)
        result = week.total
        if result.score is not None and result.low is not None and result.high is not None:
            # An error bar too, so a week without neighbours still shows its margin.
            parts.append(
                f'<line class="nps-error" x1="{x:.1f}" y1="{_y(result.high):.1f}" '
                f'x2="{x:.1f}" y2="{_y(result.low):.1f}" stroke="#d9a441" stroke-width="2"/>'
            )
        if result.score is not None and result.margin is not None:
            label = _("%(week)s: NPS %(score)s ± %(margin)s (n = %(n)s)", week=str(week.week),
                      score=f"{result.score:.0f}", margin=f"{result.margin:.0f}", n=result.n)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{_y(result.score):.1f}" r="4" fill="#b4541c">'
                f"<title>{escape(label)}</title></circle>"
            )
        parts.append(
            f'<a href="{escape(week_url(week))}"><text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="middle" font-size="11" fill="#3d3935">'
            f"W{week.week.week:02d}</text></a>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
