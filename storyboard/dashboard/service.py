"""Dashboard numbers without a request: weekly NPS for the organisation, per team and per
channel, the week's featured stories, and a few recent comments.

Weekly numbers come from ``storyboard/nps/rollup.py``: counts per ISO week (in the
configured zone), team and channel, counted from the answers once per change of the
survey data and cached, so any filter reads a few hundred small rows.

The current week is always running: it is compared like for like, with the same days of
last week (Monday 00:00 up to the same weekday and time of day, local time), never with
last week's full seven days, and not at all when either side has too few answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, select

from storyboard import page_cache
from storyboard.channels import ChannelList, channel_list
from storyboard.curation.service import active_features, latest_featured
from storyboard.db import db
from storyboard.models import Feature, Story, Team
from storyboard.models.nps import SurveyAnswer
from storyboard.nps import rollup
from storyboard.nps.comments import SurveyComment, survey_comments
from storyboard.nps.figure_html import percentages
from storyboard.nps.math import (
    DETRACTOR_MAX,
    NO_DATA,
    PROMOTER_MIN,
    ChangeKind,
    NpsChange,
    NpsResult,
    compare_periods,
    nps_from_counts,
)
from storyboard.recognition.service import most_appreciated
from storyboard.weeks import IsoWeek, app_timezone, last_weeks

PERIODS = (4, 8, 12, 26)
DEFAULT_PERIOD = 12
COMMENTS_SHOWN = 3


def channels_to_show(with_data: Mapping[str, NpsResult]) -> list[str]:
    """The keys of the channels in use, in the admins' order, and of any deactivated
    one that still has answers in the week shown."""
    return [
        key
        for key, info in channel_list().by_key.items()
        if info.active or with_data.get(key, NO_DATA).has_data
    ]


@dataclass(frozen=True)
class DashboardFilters:
    """What the stakeholder narrowed the dashboard to; ``period`` is the number of past
    weeks shown before this week."""

    team: str | None = None
    channel: str | None = None  # a channel key
    period: int = DEFAULT_PERIOD

    @classmethod
    def from_args(
        cls, args: Mapping[str, str], team_slugs: set[str], channels: ChannelList
    ) -> DashboardFilters:
        """Filters from URL arguments; an unknown team, channel or period is ignored. A
        channel may be named by its key or any of its names."""
        team = (args.get("team") or "").strip() or None
        if team not in team_slugs:
            team = None
        found = channels.find((args.get("channel") or "")[:80])
        channel = found.key if found else None
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
    by_channel: dict[str, NpsResult] = field(default_factory=dict)

    @property
    def monday(self) -> date:
        return self.week.monday

    @property
    def sunday(self) -> date:
        return self.week.monday + timedelta(days=6)


@dataclass(frozen=True)
class Split:
    """Promoters, passives and detractors as whole percentages of the answers, rounded
    so that the page's sum adds up (``storyboard.nps.figure_html.percentages``); the
    three may add up to 99 or 101."""

    promoters: int
    passives: int
    detractors: int

    @classmethod
    def of(cls, result: NpsResult) -> Split | None:
        """None when there are no answers: no percentages of nothing."""
        shares = percentages(result)
        return None if shares is None else cls(*shares)


@dataclass(frozen=True)
class RunningWeek:
    """The current week so far and the stretch of last week it is compared with: from
    last week's Monday 00:00 up to the same weekday and time of day (local time, so a
    DST change in between does not shift it by an hour)."""

    week: IsoWeek
    until: datetime  # "now", timezone-aware
    base_from: datetime  # last week's Monday 00:00 local time, as UTC
    base_until: datetime  # last week's same weekday and time of day, as UTC (exclusive)
    base: NpsResult  # last week's answers in [base_from, base_until)


@dataclass(frozen=True)
class TeamRow:
    team: Team
    nps: NpsResult
    feature: Feature | None


Comment = SurveyComment  # a promoter's or detractor's comment (storyboard.nps.comments)


@dataclass
class Dashboard:
    filters: DashboardFilters
    weeks: list[WeekNps]  # oldest first; the last one is this (running) week
    teams: list[TeamRow]
    channels: list[tuple[str, NpsResult]]
    organisation_feature: Feature | None  # None too when a team filter hides it
    promoter_comments: list[Comment]
    detractor_comments: list[Comment]
    appreciated: list[Story] = field(default_factory=list)
    running: RunningWeek | None = None
    # The week's featured stories as the page shows them: for a team filter that team's
    # first, otherwise the organisation's first, then per team (by name).
    features: list[Feature] = field(default_factory=list)

    @property
    def current(self) -> WeekNps:
        return self.weeks[-1]

    @property
    def previous(self) -> WeekNps:
        return self.weeks[-2]

    @property
    def split(self) -> Split | None:
        return Split.of(self.current.total)

    @property
    def change(self) -> NpsChange:
        """This week so far against the same days of last week (never against last
        week's full seven days)."""
        base = self.running.base if self.running is not None else self.previous.total
        return compare_periods(base, self.current.total)

    @property
    def comparable(self) -> bool:
        """Whether the change says anything: both sides have enough answers."""
        return self.change.kind in (ChangeKind.UP, ChangeKind.DOWN, ChangeKind.WITHIN_NOISE)


def _conditions(
    filters: DashboardFilters, team: Team | None, start: datetime, end: datetime
) -> list[ColumnElement[bool]]:
    conditions = [SurveyAnswer.answered_at >= start, SurveyAnswer.answered_at < end]
    if team is not None:
        conditions.append(SurveyAnswer.team_id == team.id)
    if filters.channel is not None:
        conditions.append(SurveyAnswer.channel == filters.channel)
    return conditions


def weekly_counts(
    weeks: list[IsoWeek], filters: DashboardFilters, team: Team | None, zone: ZoneInfo
) -> list[WeekNps]:
    """Per week, team and channel the NPS, from the weekly counts (cached: see
    ``storyboard/nps/rollup.py``)."""
    rows = rollup.week_counts(weeks, zone, team.id if team is not None else None, filters.channel)
    result = {week.key: WeekNps(week) for week in weeks}
    for row in rows:
        counts = (row.promoters, row.passives, row.detractors)
        bucket = result[row.week.key]
        bucket.total = _add(bucket.total, counts)
        bucket.by_team[row.team_id] = _add(bucket.by_team.get(row.team_id, NO_DATA), counts)
        if row.channel is not None:
            bucket.by_channel[row.channel] = _add(
                bucket.by_channel.get(row.channel, NO_DATA), counts
            )
    return [result[week.key] for week in weeks]


def _add(result: NpsResult, counts: tuple[int, int, int]) -> NpsResult:
    return nps_from_counts(
        result.promoters + counts[0], result.passives + counts[1], result.detractors + counts[2]
    )


def recent_comments(
    filters: DashboardFilters,
    team: Team | None,
    start: datetime,
    end: datetime,
    promoters: bool,
    limit: int = COMMENTS_SHOWN,
) -> list[Comment]:
    """The latest non-empty comments of promoters (9–10) or detractors (0–6)."""
    return survey_comments(
        start,
        end,
        promoters=promoters,
        limit=limit,
        team_id=team.id if team is not None else None,
        channel=filters.channel,
    )


def same_days_last_week(
    filters: DashboardFilters, team: Team | None, now: datetime, zone: ZoneInfo
) -> RunningWeek:
    """The running week as of ``now`` and last week's answers from Monday 00:00 up to
    the same weekday and time of day, counted straight from the answers (one indexed
    range of at most a week; the weekly cache only knows whole weeks)."""
    week = IsoWeek.at(now, zone)
    base_from = week.previous().start(zone)
    # Wall-clock arithmetic: Wednesday 15:00 local is compared with Wednesday 15:00
    # local a week earlier, also across a DST change.
    local_now = now.astimezone(zone)
    base_until = datetime.combine(
        local_now.date() - timedelta(days=7), local_now.timetz()
    ).astimezone(UTC)
    promoters = func.coalesce(func.sum(case((SurveyAnswer.score >= PROMOTER_MIN, 1), else_=0)), 0)
    passives = func.coalesce(
        func.sum(
            case(
                (and_(SurveyAnswer.score > DETRACTOR_MAX, SurveyAnswer.score < PROMOTER_MIN), 1),
                else_=0,
            )
        ),
        0,
    )
    detractors = func.coalesce(func.sum(case((SurveyAnswer.score <= DETRACTOR_MAX, 1), else_=0)), 0)
    row = db.session.execute(
        select(promoters, passives, detractors).where(
            *_conditions(filters, team, base_from, base_until)
        )
    ).one()
    return RunningWeek(
        week=week,
        until=now,
        base_from=base_from,
        base_until=base_until,
        base=nps_from_counts(int(row[0]), int(row[1]), int(row[2])),
    )


# What a week's feature cards are read from: the features, their stories (title, excerpt,
# kudos), the tellers' names and the teams.
FEATURE_TABLES = frozenset({"features", "stories", "users", "teams"})


def shared_week_features(week: IsoWeek) -> tuple[list[Feature], dict[int | None, Feature]]:
    """``week``'s active features and the latest feature of the organisation (key None)
    and of every team up to ``week``: the same for every reader, so kept for a short
    time, loaded apart from the request's session with what the cards show."""
    return page_cache.shared(
        f"dashboard_features:{week.key}",
        FEATURE_TABLES,
        lambda: page_cache.loaded_apart(
            lambda session: (
                active_features(first=week, last=week, session=session),
                latest_featured(week, session),
            )
        ),
    )


def week_features(
    teams: list[Team], week: IsoWeek, team: Team | None
) -> tuple[list[Feature], Feature | None]:
    """The featured stories of ``week`` and the organisation's headline feature.

    For the organisation and every team without a feature this week, the latest one
    from an earlier week stands in (the page says so). With a team filter, that team's
    features come first (the organisation's feature among them when its story is that
    team's) and the organisation's headline feature is left out when it is not theirs.
    """
    current, latest = shared_week_features(week)
    organisation = [f for f in current if f.team_id is None]
    fallback_org = None if organisation else latest.get(None)
    if fallback_org is not None:
        organisation = [fallback_org]
    by_team: dict[int, list[Feature]] = {}
    for feature in current:
        if feature.team_id is not None:
            by_team.setdefault(feature.team_id, []).append(feature)
    for row in teams:
        if row.id not in by_team and row.id in latest:
            by_team[row.id] = [latest[row.id]]
    for features in by_team.values():
        features.sort(key=lambda f: (f.created_at, f.id))
    organisation.sort(key=lambda f: (f.created_at, f.id))
    in_team_order = [f for row in teams for f in by_team.get(row.id, [])]
    headline = organisation[0] if organisation else None
    if team is None:
        return organisation + in_team_order, headline
    theirs = [f for f in organisation if f.story.team_id == team.id]
    mine = theirs + by_team.get(team.id, [])
    others = [f for f in in_team_order if f.team_id != team.id]
    return mine + others, headline if headline in theirs else None


# What the dashboard's numbers are counted from (the version changes with every import).
NUMBER_TABLES = frozenset({"survey_answers", "survey_data_version", "teams"})


def dashboard_data(
    filters: DashboardFilters, now: datetime, zone: ZoneInfo | None = None
) -> Dashboard:
    """Everything the dashboard shows for ``filters``, as of ``now`` (timezone-aware)."""
    zone = zone or app_timezone()
    weeks = last_weeks(filters.period + 1, now, zone)
    all_teams = page_cache.teams()
    team = next((t for t in all_teams if t.slug == filters.team), None)
    shown_teams = [team] if team is not None else all_teams

    # The numbers are the same for everyone with these filters: kept for a short time
    # (storyboard.page_cache), dropped when this process changes answers or teams.
    key = f"{zone.key}:{filters.team}:{filters.channel}:{filters.period}"
    weekly = page_cache.shared(
        f"dashboard_weeks:{key}:{weeks[-1].key}",
        NUMBER_TABLES,
        lambda: weekly_counts(weeks, filters, team, zone),
    )
    current = weekly[-1]
    start, end = weeks[0].start(zone), weeks[-1].end(zone)

    channel_rows = [
        (channel, current.by_channel.get(channel, NO_DATA))
        for channel in channels_to_show(current.by_channel)
        if filters.channel in (None, channel)
    ]
    features, headline = week_features(all_teams, current.week, team)
    first_of_team: dict[int, Feature] = {}
    for feature in features:
        if feature.team_id is not None:
            first_of_team.setdefault(feature.team_id, feature)
    return Dashboard(
        filters=filters,
        weeks=weekly,
        teams=[
            TeamRow(t, current.by_team.get(t.id, NO_DATA), first_of_team.get(t.id))
            for t in shown_teams
        ],
        channels=channel_rows,
        organisation_feature=headline,
        features=features,
        running=page_cache.shared(
            f"dashboard_running:{key}:{now:%Y%m%d%H%M}",
            NUMBER_TABLES,
            lambda: same_days_last_week(filters, team, now, zone),
        ),
        promoter_comments=recent_comments(filters, team, start, end, promoters=True),
        detractor_comments=recent_comments(filters, team, start, end, promoters=False),
        appreciated=most_appreciated(
            current.week.start(zone), current.week.end(zone), team.id if team else None, limit=3
        ),
    )
