"""Featuring rules without a request: what may be featured, what is featured, and whether
the featured stories together give stakeholders an honest picture.

Functions change the session but never commit; the view or command that calls them is
the unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from storyboard.audit import service as audit
from storyboard.db import db, utcnow
from storyboard.errors import UserError
from storyboard.i18n.formatting import week_label
from storyboard.models import (
    AuthorKind,
    Feature,
    FeatureKind,
    Story,
    StoryStatus,
    Team,
    User,
)
from storyboard.recognition.service import notify_author
from storyboard.text import clean_line
from storyboard.weeks import IsoWeek

NOTE_MAX = 200
BALANCE_WEEKS = 8
# How far from the current week a feature may be placed: late featuring of a past week
# is fine, planning far ahead is not what a weekly feature is for.
WEEKS_BACK = 52
WEEKS_AHEAD = 4
# Below this many features in the period there is no balance to judge yet.
MIN_FEATURES_FOR_WARNINGS = 3
DEFAULT_TIMEZONE = "Europe/Amsterdam"


class FeatureError(UserError):
    """A featuring change the user asked for that cannot be done; the message says why."""


class AlreadyFeatured(FeatureError):
    """The story already has an active feature for that team and week (a double submit,
    or two managers at once): nothing new is needed."""


def time_zone() -> str:
    """The configured zone in which ISO weeks are counted."""
    if has_app_context():
        return str(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_TIMEZONE)
    return DEFAULT_TIMEZONE


def current_week(now: datetime | None = None) -> IsoWeek:
    """The ISO week that ``now`` (default: this moment) falls in, in the configured zone;
    callers and tests pass ``now`` instead of patching the clock."""
    return IsoWeek.at(now or utcnow(), time_zone())


def _active() -> Select[Feature]:
    """Features that are not withdrawn and whose story is still published (an unpublished
    story keeps its features in the history but is shown nowhere)."""
    return (
        select(Feature)
        .join(Story, Feature.story_id == Story.id)
        .where(Feature.withdrawn_at.is_(None), Story.status == StoryStatus.PUBLISHED)
    )


def _shown_with(feature: Any) -> tuple[Any, ...]:
    """Loader options for what a feature card shows (the team, the story with its team
    and teller, who featured it): a fixed number of queries for any number of cards."""
    return (
        selectinload(feature.team),
        selectinload(feature.story).options(joinedload(Story.team), joinedload(Story.author)),
        selectinload(feature.featured_by),
    )


def _newest_first(query: Select[Feature]) -> Select[Feature]:
    return query.order_by(
        Feature.iso_year.desc(),
        Feature.iso_week.desc(),
        Feature.created_at.desc(),
        Feature.id.desc(),
    )


def _week_key() -> ColumnElement[int]:
    """``year * 100 + week`` in SQL, comparable with ``IsoWeek.key``."""
    return Feature.iso_year * 100 + Feature.iso_week


def find_active(story: Story, team: Team | None, week: IsoWeek) -> Feature | None:
    """The active feature of this story for this team (None: organisation) and week."""
    team_match = Feature.team_id.is_(None) if team is None else Feature.team_id == team.id
    return db.session.scalar(
        select(Feature).where(
            Feature.story_id == story.id,
            team_match,
            Feature.iso_year == week.year,
            Feature.iso_week == week.week,
            Feature.withdrawn_at.is_(None),
        )
    )


def clean_note(note: str) -> str:
    """One line, trimmed, 1 to ``NOTE_MAX`` characters; raises ``FeatureError``."""
    cleaned = clean_line(note)
    if not cleaned:
        raise FeatureError(_l("Say in one line why this story matters."))
    if len(cleaned) > NOTE_MAX:
        raise FeatureError(
            _l(
                "The note is too long: %(length)s characters, at most %(limit)s allowed.",
                length=len(cleaned),
                limit=NOTE_MAX,
            )
        )
    return cleaned


def check_week(week: IsoWeek, today: IsoWeek | None = None) -> None:
    """A feature's week lies from ``WEEKS_BACK`` weeks ago to ``WEEKS_AHEAD`` ahead."""
    today = today or current_week()
    if not today.plus(-WEEKS_BACK) <= week <= today.plus(WEEKS_AHEAD):
        raise FeatureError(
            _l(
                "Pick a week between %(first)s and %(last)s.",
                first=str(today.plus(-WEEKS_BACK)),
                last=str(today.plus(WEEKS_AHEAD)),
            )
        )


def feature_story(
    story: Story,
    team: Team | None,
    week: IsoWeek,
    note: str,
    kind: FeatureKind,
    by: User,
    today: IsoWeek | None = None,
) -> Feature:
    """Feature a published story for a team (None: the whole organisation) and a week.

    Raises ``FeatureError`` when the story is not published, the note is empty or too
    long, the week is out of range, or the story is already featured for that team and
    week. The database refuses a duplicate that races past the check (IntegrityError on
    flush); the caller turns that into the same message.
    """
    if story.status is not StoryStatus.PUBLISHED:
        raise FeatureError(_l("Only published stories can be featured."))
    if not isinstance(kind, FeatureKind):
        raise FeatureError(_l("Choose whether the story is praise or a lesson."))
    cleaned = clean_note(note)
    check_week(week, today)
    if find_active(story, team, week) is not None:
        raise AlreadyFeatured(already_featured_message(team, week))
    feature = Feature(
        story=story,
        team=team,
        iso_year=week.year,
        iso_week=week.week,
        kind=kind,
        note=cleaned,
        featured_by=by,
        created_at=utcnow(),
    )
    db.session.add(feature)
    notify_author(story, by, "feature")
    audit.record(
        by,
        "feature.create",
        "story",
        story.id,
        f"{team.name if team else 'whole organisation'}, {week}, {kind.value}",
    )
    return feature


def already_featured_message(team: Team | None, week: IsoWeek) -> str:
    if team is None:
        return str(
            _l(
                "This story is already featured for the whole organisation in %(week)s.",
                week=week_label(week.year, week.week),
            )
        )
    return str(
        _l(
            "This story is already featured for %(team)s in %(week)s.",
            team=team.name,
            week=week_label(week.year, week.week),
        )
    )


def withdraw_feature(feature: Feature, by: User) -> None:
    """Withdraw an active feature; it stays in the history, marked withdrawn."""
    # One conditional UPDATE: of two clicks that race, only one changes the row (and is
    # logged); the other finds it withdrawn.
    now = utcnow()
    changed = db.session.execute(
        update(Feature)
        .where(Feature.id == feature.id, Feature.withdrawn_at.is_(None))
        .values(withdrawn_at=now, withdrawn_by_id=by.id)
        .execution_options(synchronize_session=False)
    )
    if not changed.rowcount:  # type: ignore[attr-defined]
        raise FeatureError(_l("This feature was already withdrawn."))
    feature.withdrawn_at = now
    feature.withdrawn_by = by
    audit.record(
        by,
        "feature.withdraw",
        "story",
        feature.story_id,
        f"{feature.team.name if feature.team else 'whole organisation'}, "
        f"{feature.iso_year}-W{feature.iso_week:02d}",
    )


def active_features(
    *,
    story: Story | None = None,
    first: IsoWeek | None = None,
    last: IsoWeek | None = None,
    session: Session | None = None,
) -> list[Feature]:
    """Active features, newest week first; optionally of one story and within a range
    of weeks (both ends included). ``session``: another than the request's (see
    ``page_cache.loaded_apart``)."""
    query = _active().options(*_shown_with(Feature))
    if story is not None:
        query = query.where(Feature.story_id == story.id)
    if first is not None:
        query = query.where(_week_key() >= first.key)
    if last is not None:
        query = query.where(_week_key() <= last.key)
    return list((session or db.session).scalars(_newest_first(query)))


def features_of(story: Story) -> list[Feature]:
    """A published story's active features with their teams, newest week first: what
    its page's badges show. Lighter than ``active_features(story=…)``, which also loads
    each feature's story (already loaded here) and who featured it; every story page
    asks, most find none."""
    query = (
        select(Feature)
        .where(Feature.story_id == story.id, Feature.withdrawn_at.is_(None))
        .options(selectinload(Feature.team))
    )
    return list(db.session.scalars(_newest_first(query)))


def featured_for(team: Team | None, week: IsoWeek) -> Feature | None:
    """The story featured for a team (None: the whole organisation) in a week; when that
    week has none, the latest one featured for the team in an earlier week (callers
    compare ``feature.week`` with ``week`` to say "latest featured"). Features planned
    for later weeks are never shown early. None when the team never had one."""
    team_match = Feature.team_id.is_(None) if team is None else Feature.team_id == team.id
    query = _active().where(team_match, _week_key() <= week.key)
    return db.session.scalar(_newest_first(query).limit(1))


def latest_featured(week: IsoWeek, session: Session | None = None) -> dict[int | None, Feature]:
    """``featured_for`` of the organisation (key None) and of every team at once: one
    query ranking each team's features newest first, not one query per team."""
    rank = (
        func.row_number()
        .over(
            partition_by=Feature.team_id,
            order_by=(
                Feature.iso_year.desc(),
                Feature.iso_week.desc(),
                Feature.created_at.desc(),
                Feature.id.desc(),
            ),
        )
        .label("newest")
    )
    ranked = _active().add_columns(rank).where(_week_key() <= week.key).subquery()
    newest = select(ranked.c.id).where(ranked.c.newest == 1)
    query = select(Feature).where(Feature.id.in_(newest)).options(*_shown_with(Feature))
    return {feature.team_id: feature for feature in (session or db.session).scalars(query)}


@dataclass
class TeamBalance:
    """What was featured for one team (or, with ``team`` None, the whole organisation)."""

    team: Team | None
    praise: int = 0
    lessons: int = 0
    customer_written: int = 0
    agent_written: int = 0

    @property
    def total(self) -> int:
        return self.praise + self.lessons


@dataclass(frozen=True)
class BalanceWarning:
    code: str  # "team_dominates", "only_praise", "no_customer_stories"
    message: str


@dataclass
class Balance:
    first: IsoWeek
    last: IsoWeek
    teams: list[TeamBalance]
    total: TeamBalance
    warnings: list[BalanceWarning] = field(default_factory=list)

    @property
    def judged(self) -> bool:
        """False when too few features exist for the warnings to mean anything."""
        return self.total.total >= MIN_FEATURES_FOR_WARNINGS


def feature_balance(last: IsoWeek | None = None, weeks: int = BALANCE_WEEKS) -> Balance:
    """Per team, the active features of ``weeks`` ISO weeks ending with ``last`` (the
    current week by default): praise vs lessons and customer- vs agent-written stories.

    Warnings, only when the period holds at least ``MIN_FEATURES_FOR_WARNINGS`` features
    (fewer are no pattern):

    - ``team_dominates``: one team has more than half of all features, while the
      organisation has more than one team. Features for the whole organisation count in
      the total but belong to no team, so they cannot dominate.
    - ``only_praise``: no lessons at all — only good news was featured.
    - ``no_customer_stories``: none of the featured stories was written by a customer.
    """
    last = last or current_week()
    first = last.plus(-(weeks - 1))
    features = active_features(first=first, last=last)
    rows: dict[int | None, TeamBalance] = {}
    total = TeamBalance(team=None)
    for feature in features:
        row = rows.setdefault(feature.team_id, TeamBalance(team=feature.team))
        for counts in (row, total):
            if feature.kind is FeatureKind.PRAISE:
                counts.praise += 1
            else:
                counts.lessons += 1
            if feature.story.author_kind is AuthorKind.CUSTOMER:
                counts.customer_written += 1
            else:
                counts.agent_written += 1
    ordered = sorted(rows.values(), key=lambda r: (r.team is None, r.team.name if r.team else ""))
    balance = Balance(first=first, last=last, teams=ordered, total=total)
    balance.warnings = _warnings(balance)
    return balance


def _warnings(balance: Balance) -> list[BalanceWarning]:
    if not balance.judged:
        return []
    total = balance.total
    warnings = []
    team_count = db.session.scalar(select(func.count()).select_from(Team)) or 0
    for row in balance.teams:
        if row.team is not None and team_count > 1 and row.total * 2 > total.total:
            warnings.append(
                BalanceWarning(
                    "team_dominates",
                    str(
                        _l(
                            "%(team)s has %(count)s of the %(total)s features: stakeholders hear mostly "
                            "about one team.",
                            team=row.team.name,
                            count=row.total,
                            total=total.total,
                        )
                    ),
                )
            )
    if total.lessons == 0:
        warnings.append(
            BalanceWarning(
                "only_praise",
                str(
                    _l(
                        "Only praise was featured, no lessons: the picture looks better than the "
                        "numbers may be. Feature a story from a detractor too."
                    )
                ),
            )
        )
    if total.customer_written == 0:
        warnings.append(
            BalanceWarning(
                "no_customer_stories",
                str(
                    _l(
                        "None of the featured stories was written by a customer. Let customers speak "
                        "for themselves too."
                    )
                ),
            )
        )
    return warnings
