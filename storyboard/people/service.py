"""What a colleague's or a team's page shows, without a request.

Only published stories count, so a page never shows more than its viewer may read. There
is deliberately no ranking of people: the pages recognise, they do not compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import selectinload

from storyboard.db import db, utcnow
from storyboard.models import Feature, Story, StoryStatus, Team, User
from storyboard.stories import naming
from storyboard.weeks import IsoWeek, app_timezone, last_weeks

TREND_WEEKS = 8
STORIES_SHOWN = 50


@dataclass(frozen=True)
class Recognition:
    stories: list[Story]
    story_count: int
    kudos: int
    features: list[Feature]
    weekly: list[tuple[IsoWeek, int]]  # stories published per week, oldest first


def _recognition(condition: ColumnElement[bool], now: datetime | None) -> Recognition:
    """Counts by SQL, so a team with thousands of stories does not load them all: the
    newest ``STORIES_SHOWN`` stories, totals, active features, and stories per week."""
    published = and_(Story.status == StoryStatus.PUBLISHED, condition)
    count, kudos = db.session.execute(
        select(func.count(Story.id), func.coalesce(func.sum(Story.kudos_count), 0)).where(published)
    ).one()
    stories = list(
        db.session.scalars(
            select(Story)
            .where(published)
            .options(selectinload(Story.team), selectinload(Story.themes))
            .order_by(Story.published_at.desc(), Story.id.desc())
            .limit(STORIES_SHOWN)
        )
    )
    features = list(
        db.session.scalars(
            select(Feature)
            .join(Story, Feature.story_id == Story.id)
            .where(published, Feature.withdrawn_at.is_(None))
            .options(selectinload(Feature.story), selectinload(Feature.team))
            .order_by(Feature.iso_year.desc(), Feature.iso_week.desc())
        )
    )
    zone = app_timezone()
    weeks = last_weeks(TREND_WEEKS, now or utcnow(), zone)
    per_week = {week.key: 0 for week in weeks}
    recent = db.session.scalars(
        select(Story.published_at).where(published, Story.published_at >= weeks[0].start(zone))
    )
    for moment in recent:
        assert moment is not None  # the query's >= leaves out stories never published
        key = IsoWeek.at(moment, zone).key
        if key in per_week:
            per_week[key] += 1
    return Recognition(
        stories=stories,
        story_count=int(count),
        kudos=int(kudos),
        features=features,
        weekly=[(w, per_week[w.key]) for w in weeks],
    )


def person_page(person: User, now: datetime | None = None) -> Recognition:
    return _recognition(Story.author_id == person.id, now)


def named_in(person: User) -> list[Story]:
    """The newest ``STORIES_SHOWN`` published stories in which a customer named them."""
    return naming.named_in(person, limit=STORIES_SHOWN)


def team_page(team: Team, now: datetime | None = None) -> Recognition:
    return _recognition(Story.team_id == team.id, now)


def team_members(team: Team) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.team_id == team.id, User.active.is_(True))
            .order_by(User.display_name)
        )
    )


def story_counts(user_ids: list[int]) -> dict[int, int]:
    """Published stories per person (shown beside names, never sorted by it)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Story.author_id, func.count(Story.id))
        .where(Story.status == StoryStatus.PUBLISHED, Story.author_id.in_(user_ids))
        .group_by(Story.author_id)
    )
    # in_() already leaves out customers' stories (no author); the test narrows the type.
    return {author_id: count for author_id, count in rows if author_id is not None}
