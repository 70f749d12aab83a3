"""Dashboard numbers without a request: weekly NPS for the organisation, per team and per
channel, the featured story per team, and a few recent comments.

Weekly numbers come from ``storyboard/nps/rollup.py``: counts per ISO week (in the
configured zone), team and channel, counted from the answers once per change of the
survey data and cached, so any filter reads a few hundred small rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select

from storyboard.curation.service import featured_for
from storyboard.db import db
from storyboard.models import Channel, Feature, Story, Team
from storyboard.models.nps import SurveyAnswer
from storyboard.nps import rollup
from storyboard.recognition.service import most_appreciated
from storyboard.nps.math import (
    DETRACTOR_MAX,
    NO_DATA,
    PROMOTER_MIN,
    NpsChange,
    NpsResult,
    compare_periods,
    nps_from_counts,
)
from storyboard.weeks import IsoWeek, app_timezone, last_weeks

PERIODS = (4, 8, 12, 26)
DEFAULT_PERIOD = 12
COMMENTS_SHOWN = 3


@dataclass(frozen=True)
class DashboardFilters:
    """What the stakeholder narrowed the dashboard to; ``period`` is the number of past
    weeks shown before this week."""

    team: str | None = None
    channel: Channel | None = None
    period: int = DEFAULT_PERIOD

    @classmethod
    def from_args(cls, args: Mapping[str, str], team_slugs: set[str]) -> DashboardFilters:
        """Filters from URL arguments; an unknown team, channel or period is ignored."""
        team = (args.get("team") or "").strip() or None
        if team not in team_slugs:
            team = None
        try:
            channel: Channel | None = Channel((args.get("channel") or "").strip())
        except ValueError:
            channel = None
        try:
            period = int((args.get("period") or "").strip())
        except ValueError:
            period = DEFAULT_PERIOD
        if period not in PERIODS:
            period = DEFAULT_PERIOD
        return cls(team=team, channel=channel, period=period)

    @property
    def active(self) -> bool:
        return bool(self.team or self.channel or self.period != DEFAULT_PERIOD)


@dataclass
class WeekNps:
    """One ISO week's NPS for the organisation (as filtered), per team and per channel."""

    week: IsoWeek
    total: NpsResult = NO_DATA
    by_team: dict[int, NpsResult] = field(default_factory=dict)
    by_channel: dict[Channel, NpsResult] = field(default_factory=dict)

    @property
    def monday(self) -> date:
        return self.week.monday

    @property
    def sunday(self) -> date:
        return self.week.monday + timedelta(days=6)


@dataclass(frozen=True)
class TeamRow:
    team: Team
    nps: NpsResult
    feature: Feature | None


@dataclass(frozen=True)
class Comment:
    answer_id: int
    answered_at: datetime
    score: int
    team: str
    channel: Channel | None
    text: str


@dataclass
class Dashboard:
    filters: DashboardFilters
    weeks: list[WeekNps]  # oldest first; the last one is this week
    teams: list[TeamRow]
    channels: list[tuple[Channel, NpsResult]]
    organisation_feature: Feature | None
    promoter_comments: list[Comment]
    detractor_comments: list[Comment]
    appreciated: list[Story] = field(default_factory=list)

    @property
    def current(self) -> WeekNps:
        return self.weeks[-1]

    @property
    def previous(self) -> WeekNps:
        return self.weeks[-2]

    @property
    def change(self) -> NpsChange:
        return compare_periods(self.previous.total, self.current.total)


def _conditions(filters: DashboardFilters, team: Team | None, start: datetime,
                end: datetime) -> list[ColumnElement[bool]]:
    conditions = [SurveyAnswer.answered_at >= start, SurveyAnswer.answered_at < end]
    if team is not None:
        conditions.append(SurveyAnswer.team_id == team.id)
    if filters.channel is not None:
        conditions.append(SurveyAnswer.channel == filters.channel)
    return conditions


def weekly_counts(weeks: list[IsoWeek], filters: DashboardFilters, team: Team | None,
                  zone: ZoneInfo) -> list[WeekNps]:
    """Per week, team and channel the NPS, from the weekly counts (cached: see
    ``storyboard/nps/rollup.py``)."""
    rows = rollup.week_counts(weeks, zone, team.id if team is not None else None,
                              filters.channel)
    result = {week.key: WeekNps(week) for week in weeks}
    for row in rows:
        counts = (row.promoters, row.passives, row.detractors)
        bucket = result[row.week.key]
        bucket.total = _add(bucket.total, counts)
        bucket.by_team[row.team_id] = _add(bucket.by_team.get(row.team_id, NO_DATA), counts)
        if row.channel is not None:
            bucket.by_channel[row.channel] = _add(
                bucket.by_channel.get(row.channel, NO_DATA), counts)
    return [result[week.key] for week in weeks]


def _add(result: NpsResult, counts: tuple[int, int, int]) -> NpsResult:
    return nps_from_counts(result.promoters + counts[0], result.passives + counts[1],
                           result.detractors + counts[2])


def recent_comments(filters: DashboardFilters, team: Team | None, start: datetime,
                    end: datetime, promoters: bool, limit: int = COMMENTS_SHOWN) -> list[Comment]:
    """The latest non-empty comments of promoters (9–10) or detractors (0–6)."""
    score = (SurveyAnswer.score >= PROMOTER_MIN if promoters
             else SurveyAnswer.score <= DETRACTOR_MAX)
    rows = db.session.execute(
        select(SurveyAnswer.id, SurveyAnswer.answered_at, SurveyAnswer.score, Team.name,
               SurveyAnswer.channel, SurveyAnswer.comment)
        .join(Team, SurveyAnswer.team_id == Team.id)
        .where(score, SurveyAnswer.comment != "", *_conditions(filters, team, start, end))
        .order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.id.desc())
        .limit(limit)
    ).all()
    return [Comment(answer_id, at, value, name, Channel(channel) if channel else None, text)
            for answer_id, at, value, name, channel, text in rows]


def dashboard_data(filters: DashboardFilters, now: datetime,
                   zone: ZoneInfo | None = None) -> Dashboard:
    """Everything the dashboard shows for ``filters``, as of ``now`` (timezone-aware)."""
    zone = zone or app_timezone()
    weeks = last_weeks(filters.period + 1, now, zone)
    all_teams = list(db.session.scalars(select(Team).order_by(Team.name)))
    team = next((t for t in all_teams if t.slug == filters.team), None)
    shown_teams = [team] if team is not None else all_teams

    weekly = weekly_counts(weeks, filters, team, zone)
    current = weekly[-1]
    start, end = weeks[0].start(zone), weeks[-1].end(zone)

    channel_rows = [(channel, current.by_channel.get(channel, NO_DATA)) for channel in Channel
                    if filters.channel in (None, channel)]
    return Dashboard(
        filters=filters,
        weeks=weekly,
        teams=[TeamRow(t, current.by_team.get(t.id, NO_DATA), featured_for(t, current.week))
               for t in shown_teams],
        channels=channel_rows,
        organisation_feature=featured_for(None, current.week),
        promoter_comments=recent_comments(filters, team, start, end, promoters=True),
        detractor_comments=recent_comments(filters, team, start, end, promoters=False),
        appreciated=most_appreciated(current.week.start(zone), current.week.end(zone),
                                     team.id if team else None, limit=3),
    )
