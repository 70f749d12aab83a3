"""The weekly digest as data: a pure function of the database and an ISO week (in the
configured time zone), shared by the web page, the e-mail and the Atom feed.

Rules worth knowing:

- Numbers: the week's NPS for the organisation (or the chosen team) and per team, each
  with n, margin and the change against the week before, labelled by
  ``storyboard.nps.math.compare_periods`` ("within noise", "too few to tell").
- Most appreciated: the week's published stories with the most kudos first, then the
  featured ones, then the newest; at most ``APPRECIATED_SHOWN``.
- Learning moments: those raised and those closed (changed or declined) in the week,
  as ``(lesson, "raised" | "closed")`` pairs.
- The one-sentence summary is made from the figures by plain rules (``summary_line``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from storyboard.curation.service import active_features
from storyboard.dashboard.service import DashboardFilters, channels_to_show, weekly_counts
from storyboard.db import db, utcnow
from storyboard.lessons.service import raised_or_closed_between
from storyboard.models import Feature, Story, StoryStatus, Team, Theme
from storyboard.models.nps import SurveyAnswer
from storyboard.nps.comments import SurveyComment, survey_comments
from storyboard.nps.math import (
    NO_DATA,
    ChangeKind,
    NpsChange,
    NpsResult,
    compare_periods,
)
from storyboard.weeks import IsoWeek, app_timezone

APPRECIATED_SHOWN = 5
QUOTES_SHOWN = 3
STORIES_PER_THEME_SHOWN = 3


@dataclass(frozen=True)
class TeamLine:
    team: Team
    nps: NpsResult
    change: NpsChange
    new_stories: int


@dataclass(frozen=True)
class ThemeGroup:
    theme: Theme | None  # None: stories without a theme
    count: int
    stories: tuple[Story, ...]


Quote = SurveyComment  # a promoter's or detractor's comment (storyboard.nps.comments)


@dataclass(frozen=True)
class WeeklyDigest:
    """Everything one week's digest shows."""

    week: IsoWeek
    team: Team | None
    complete: bool  # False while the week is still running
    nps: NpsResult
    previous_nps: NpsResult
    change: NpsChange
    teams: tuple[TeamLine, ...]
    channels: tuple[tuple[str, NpsResult], ...]  # channel key, its NPS
    featured: tuple[Feature, ...]
    appreciated: tuple[Story, ...]
    themes: tuple[ThemeGroup, ...]
    new_story_count: int
    promoter_quotes: tuple[Quote, ...]
    detractor_quotes: tuple[Quote, ...]
    learning_moments: tuple[object, ...] = field(default=())
    summary: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.nps.has_data or self.new_story_count or self.featured)


def _stories_of(week: IsoWeek, team: Team | None) -> list[Story]:
    zone = app_timezone()
    query = (
        select(Story)
        .where(
            Story.status == StoryStatus.PUBLISHED,
            Story.published_at >= week.start(zone),
            Story.published_at < week.end(zone),
        )
        .options(selectinload(Story.themes), selectinload(Story.team), selectinload(Story.author))
        .order_by(Story.published_at.desc(), Story.id.desc())
    )
    if team is not None:
        query = query.where(Story.team_id == team.id)
    return list(db.session.scalars(query))


def _theme_groups(stories: list[Story]) -> tuple[ThemeGroup, ...]:
    by_theme: dict[int, list[Story]] = {}
    themes: dict[int, Theme] = {}
    without: list[Story] = []
    for story in stories:
        if not story.themes:
            without.append(story)
        for theme in story.themes:
            themes[theme.id] = theme
            by_theme.setdefault(theme.id, []).append(story)
    groups = [
        ThemeGroup(themes[theme_id], len(items), tuple(items[:STORIES_PER_THEME_SHOWN]))
        for theme_id, items in by_theme.items()
    ]
    # By the slug within a count: the same order for readers of either language.
    groups.sort(key=lambda group: (-group.count, group.theme.slug if group.theme else ""))
    if without:
        groups.append(ThemeGroup(None, len(without), tuple(without[:STORIES_PER_THEME_SHOWN])))
    return tuple(groups)


def _quotes(week: IsoWeek, team: Team | None, promoters: bool) -> tuple[Quote, ...]:
    zone = app_timezone()
    # The strongest voices first: 10s before 9s, 0s before 6s; then the newest.
    return tuple(
        survey_comments(
            week.start(zone),
            week.end(zone),
            promoters=promoters,
            limit=QUOTES_SHOWN,
            team_id=team.id if team is not None else None,
            strongest_first=True,
        )
    )


def _featured(week: IsoWeek, team: Team | None) -> tuple[Feature, ...]:
    features = active_features(first=week, last=week)
    if team is not None:
        features = [f for f in features if f.team_id in (None, team.id)]
    # The organisation's feature first, then by team name.
    return tuple(
        sorted(features, key=lambda f: (f.team is not None, f.team.name if f.team else ""))
    )


def _learning_moments(week: IsoWeek, team: Team | None) -> tuple[tuple[object, str], ...]:
    zone = app_timezone()
    raised, closed = raised_or_closed_between(week.start(zone), week.end(zone), team)
    return tuple((lesson, "raised") for lesson in raised) + tuple(
        (lesson, "closed") for lesson in closed
    )


def summary_line(digest: WeeklyDigest) -> str:
    """One plain sentence from the figures, e.g. "NPS +32 (n = 412), up 6 points; 14
    new stories, 2 featured." No AI: rules only, so it never says more than the data."""
    parts = []
    nps, change = digest.nps, digest.change
    if nps.score is None:
        parts.append(_("No survey answers"))
    else:
        line = _("NPS %(score)s (n = %(n)s)", score=f"{nps.score:+.0f}", n=format_decimal(nps.n))
        if change.kind is ChangeKind.UP:
            line += ", " + _(
                "up %(delta)s points, more than the noise", delta=f"{change.delta:.0f}"
            )
        elif change.kind is ChangeKind.DOWN:
            line += ", " + _(
                "down %(delta)s points, more than the noise",
                delta=f"{-change.delta:.0f}" if change.delta is not None else "",
            )
        elif change.kind is ChangeKind.WITHIN_NOISE:
            line += ", " + _("about the same as last week")
        elif change.kind is ChangeKind.TOO_FEW:
            line += ", " + _("too few answers to compare")
        parts.append(line)
    parts.append(ngettext("%(num)s new story", "%(num)s new stories", digest.new_story_count))
    if digest.featured:
        parts.append(ngettext("%(num)s featured", "%(num)s featured", len(digest.featured)))
    best = [line for line in digest.teams if line.change.kind is ChangeKind.UP]
    if best and digest.team is None:
        top = max(best, key=lambda line: line.change.delta or 0)
        parts.append(_("%(team)s improved most", team=top.team.name))
    return "; ".join(parts) + "."


def build_digest(
    week: IsoWeek, team: Team | None = None, *, now: datetime | None = None
) -> WeeklyDigest:
    """The digest of ``week`` for the organisation, or for one team."""
    now = now or utcnow()
    # The dashboard's weekly numbers (cached counts), for this week and the one before.
    last_week, this_week = weekly_counts(
        [week.previous(), week], DashboardFilters(), team, app_timezone()
    )
    this_teams, this_channels = this_week.by_team, this_week.by_channel
    last_teams = last_week.by_team
    nps, previous = this_week.total, last_week.total
    stories = _stories_of(week, team)
    per_team = Counter(story.team_id for story in stories)
    all_teams = (
        [team] if team is not None else list(db.session.scalars(select(Team).order_by(Team.name)))
    )
    lines = tuple(
        TeamLine(
            t,
            this_teams.get(t.id, NO_DATA),
            compare_periods(last_teams.get(t.id, NO_DATA), this_teams.get(t.id, NO_DATA)),
            per_team.get(t.id, 0),
        )
        for t in all_teams
    )
    featured = _featured(week, team)
    featured_ids = {feature.story_id for feature in featured}
    # Stable sort: among equals the newest (the query's order) stays first.
    appreciated = sorted(stories, key=lambda s: (-(s.kudos_count or 0), s.id not in featured_ids))[
        :APPRECIATED_SHOWN
    ]
    digest = WeeklyDigest(
        week=week,
        team=team,
        complete=week.end(app_timezone()) <= now,
        nps=nps,
        previous_nps=previous,
        change=compare_periods(previous, nps),
        teams=lines,
        channels=tuple(
            (channel, this_channels.get(channel, NO_DATA))
            for channel in channels_to_show(this_channels)
        ),
        featured=featured,
        appreciated=tuple(appreciated),
        themes=_theme_groups(stories),
        new_story_count=len(stories),
        promoter_quotes=_quotes(week, team, promoters=True),
        detractor_quotes=_quotes(week, team, promoters=False),
        learning_moments=_learning_moments(week, team),
    )
    return _with_summary(digest)


def _with_summary(digest: WeeklyDigest) -> WeeklyDigest:
    from dataclasses import replace

    return replace(digest, summary=summary_line(digest))


ARCHIVE_WEEKS_SHOWN = 520  # ten years; older weeks stay reachable by address


def archive_weeks(first: IsoWeek | None, running: IsoWeek) -> dict[int, list[IsoWeek]]:
    """The archive's weeks by ISO year, newest first: the running week, then back to
    ``first`` (the week of the oldest data; None when there is none yet)."""
    oldest = first if first is not None and first.key < running.key else running
    years: dict[int, list[IsoWeek]] = {}
    week = running
    for shown in range(1, ARCHIVE_WEEKS_SHOWN + 1):
        years.setdefault(week.year, []).append(week)
        if week.key <= oldest.key or shown == ARCHIVE_WEEKS_SHOWN:
            break
        week = week.previous()
    return years


def first_week_with_data() -> IsoWeek | None:
    """The week of the oldest answer or published story (the archive starts there)."""
    zone = app_timezone()
    oldest = [
        moment
        for moment in (
            db.session.scalar(select(func.min(SurveyAnswer.answered_at))),
            db.session.scalar(
                select(func.min(Story.published_at)).where(Story.status == StoryStatus.PUBLISHED)
            ),
        )
        if moment is not None
    ]
    return IsoWeek.at(min(oldest), zone) if oldest else None
