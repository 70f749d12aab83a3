"""``GET /nps``: the NPS of a run of ISO weeks for a team and channel, from the same
cached weekly counts as the dashboard."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from storyboard.api import serialize
from storyboard.dashboard.service import DashboardFilters, weekly_counts
from storyboard.models import Team
from storyboard.nps.math import NO_DATA, nps_from_counts
from storyboard.problems import ApiProblem
from storyboard.weeks import IsoWeek

WEEKS_MAX = 105


def weeks_between(first: IsoWeek, last: IsoWeek, zone: ZoneInfo) -> list[IsoWeek]:
    """``first`` to ``last`` (either order), at most ``WEEKS_MAX`` weeks; 422 beyond."""
    if first > last:
        first, last = last, first
    if last.start(zone) - first.start(zone) > timedelta(weeks=WEEKS_MAX - 1):
        raise ApiProblem(422, f"Ask for at most {WEEKS_MAX} weeks at a time.")
    weeks = [first]
    while weeks[-1] < last:
        weeks.append(weeks[-1].plus(1))
    return weeks


def nps_report(
    first: IsoWeek, last: IsoWeek, team: Team | None, channel: str | None, zone: ZoneInfo
) -> dict[str, Any]:
    weeks = weeks_between(first, last, zone)
    filters = DashboardFilters(team=team.slug if team else None, channel=channel)
    rows = weekly_counts(weeks, filters, team, zone)
    total = NO_DATA
    for row in rows:
        total = nps_from_counts(
            total.promoters + row.total.promoters,
            total.passives + row.total.passives,
            total.detractors + row.total.detractors,
        )
    return {
        "from": str(weeks[0]),
        "to": str(weeks[-1]),
        "team": team.slug if team else None,
        "channel": channel,
        **serialize.nps(total),
        "weeks": [{"week": str(row.week), **serialize.nps(row.total)} for row in rows],
    }
