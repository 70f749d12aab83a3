"""Putting the demo plan into the database, idempotently.

Every row has a natural key (team slug, user e-mail, story title); rows that already
exist are left alone, so a second run adds nothing and a half-edited demo is not
overwritten. Agent stories go through ``create_story``, the same path the editor uses,
so they are rendered and sanitized exactly like real ones. Nothing here commits: the
command that calls ``load_demo`` is the unit of work.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, scoped_session
from werkzeug.security import generate_password_hash

from storyboard.db import table_of, utcnow
from storyboard.demo.generator import DemoPlan, build_plan
from storyboard.demo.people import DEMO_PASSWORD
from storyboard.demo.spec import Moment, PersonSpec, StorySpec, TeamSpec
from storyboard.demo.survey import SOURCE, AnswerSpec
from storyboard.models import AuthorKind, Story, StoryStatus, SurveyAnswer, Team, Theme, User
from storyboard.rendering import render_markdown
from storyboard.stories.service import StoryInput, create_story
from storyboard.weeks import IsoWeek

ANSWER_BATCH = 2_000

Progress = Callable[[int], None]
# A plain session, or Flask-SQLAlchemy's ``db.session``.
AnySession = Session | scoped_session[Any]


@dataclass(frozen=True)
class DemoSummary:
    """What one run added, and how long it took."""

    teams: int
    users: int
    stories: int
    seconds: float
    answers: int = 0
    features: int = 0

    @property
    def added_anything(self) -> bool:
        return bool(self.teams or self.users or self.stories or self.answers or self.features)


def local_zone(name: str) -> tzinfo:
    """The zone whose office hours the stories fall in; UTC if the name is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def moment_to_datetime(moment: Moment, now: datetime, zone: tzinfo) -> datetime:
    """``moment`` as an aware UTC datetime, never later than ``now``."""
    day = now.astimezone(zone).date() - timedelta(days=moment.days_ago)
    value = datetime.combine(day, moment.at, tzinfo=zone)
    if value > now:  # "today at 17:00" while it is still morning
        value -= timedelta(days=1)
    return value.astimezone(UTC)


def load_demo(
    session: AnySession,
    progress: Progress | None = None,
    plan: DemoPlan | None = None,
    now: datetime | None = None,
    zone: tzinfo | None = None,
) -> DemoSummary:
    """Add whatever part of the demo organisation is missing. ``progress`` is called
    with 1 per planned row (a click progress bar's ``update`` fits)."""
    started = clock.perf_counter()
    step: Progress = progress or (lambda _n: None)
    plan = plan or build_plan()
    now = now or utcnow()
    zone = zone or local_zone("Europe/Amsterdam")

    teams, teams_added = _ensure_teams(session, plan.teams, step)
    users, users_added = _ensure_users(session, plan.people, teams, step)
    session.flush()  # ids for StoryInput
    themes = {theme.slug: theme.id for theme in session.scalars(select(Theme))}
    existing = set(session.scalars(select(Story.title)))
    stories_added = 0
    for spec in plan.stories:
        if spec.title not in existing:
            _add_story(session, spec, users, teams, themes, now, zone)
            stories_added += 1
        step(1)
    session.flush()
    return DemoSummary(teams_added, users_added, stories_added, clock.perf_counter() - started)


def _ensure_teams(
    session: AnySession, specs: tuple[TeamSpec, ...], step: Progress
) -> tuple[dict[str, Team], int]:
    teams: dict[str, Team] = {}
    added = 0
    for spec in specs:
        team = session.scalar(
            select(Team).where((Team.slug == spec.slug) | (Team.name == spec.name))
        )
        if team is None:
            team = Team(name=spec.name, slug=spec.slug, description=spec.description)
            session.add(team)
            added += 1
        teams[spec.slug] = team
        step(1)
    return teams, added


def _ensure_users(
    session: AnySession, specs: tuple[PersonSpec, ...], teams: dict[str, Team], step: Progress
) -> tuple[dict[str, User], int]:
    """Demo users share one password, hashed once: scrypt per user would make the demo
    (and its test) take seconds for nothing."""
    users: dict[str, User] = {}
    shared_hash: str | None = None
    added = 0
    for spec in specs:
        user = session.scalar(select(User).where(func.lower(User.email) == spec.email))
        if user is None:
            shared_hash = shared_hash or generate_password_hash(DEMO_PASSWORD)
            user = User(
                email=spec.email,
                display_name=spec.name,
                role=spec.role,
                team=teams[spec.team] if spec.team else None,
                password_hash=shared_hash,
                active=True,
            )
            session.add(user)
            added += 1
        users[spec.email] = user
        step(1)
    return users, added


def _add_story(
    session: AnySession,
    spec: StorySpec,
    users: dict[str, User],
    teams: dict[str, Team],
    themes: dict[str, int],
    now: datetime,
    zone: tzinfo,
) -> None:
    theme_ids = tuple(themes[slug] for slug in spec.themes if slug in themes)
    published = spec.status is StoryStatus.PUBLISHED
    if spec.author is not None:
        story = create_story(
            users[spec.author],
            StoryInput(
                title=spec.title,
                body=spec.body,
                channel=spec.channel,
                language=spec.language,
                team_id=teams[spec.team].id,
                theme_ids=theme_ids,
                publish=published,
            ),
        )
    else:
        # Customer stories arrive through moderation, which has no service yet; they
        # are built here with the same renderer.
        story = Story(
            title=spec.title,
            body=spec.body,
            body_html=render_markdown(spec.body),
            channel=spec.channel,
            language=spec.language,
            team=teams[spec.team],
            author=None,
            author_kind=AuthorKind.CUSTOMER,
            status=spec.status,
            themes=list(session.scalars(select(Theme).where(Theme.id.in_(theme_ids)))),
        )
        session.add(story)
    # Set before the next flush so the INSERT carries the demo dates (an UPDATE later
    # would stamp updated_at with the real time).
    moment = moment_to_datetime(spec.age, now, zone)
    story.created_at = moment - timedelta(minutes=spec.writing_minutes) if published else moment
    story.updated_at = moment
    story.published_at = moment if published else None


def answer_to_datetime(spec: AnswerSpec, now: datetime, zone: tzinfo) -> datetime:
    """When ``spec`` was answered, as an aware UTC datetime (possibly after ``now``:
    the caller leaves those out)."""
    this_week = IsoWeek.of(now.astimezone(zone).date())
    day = this_week.plus(-spec.weeks_ago).monday + timedelta(days=spec.weekday)
    return datetime.combine(day, spec.at, tzinfo=zone).astimezone(UTC)


def load_answers(
    session: AnySession,
    answers: tuple[AnswerSpec, ...],
    progress: Progress | None = None,
    now: datetime | None = None,
    zone: tzinfo | None = None,
) -> int:
    """Insert the demo survey answers, in batches; returns how many were added.

    Answers are placed relative to the day of loading, so the demo's answers are loaded
    once: when any answer from the demo source exists, nothing is added (a later run
    would otherwise add a second, shifted season). Answers still in the future are left
    out. ``progress`` is called with the number of answers handled."""
    step: Progress = progress or (lambda _n: None)
    exists = session.scalar(select(SurveyAnswer.id).where(SurveyAnswer.source == SOURCE).limit(1))
    if exists is not None:
        step(len(answers))
        return 0
    now = now or utcnow()
    zone = zone or local_zone("Europe/Amsterdam")
    session.flush()  # team and user ids
    teams = {slug: team_id for slug, team_id in session.execute(select(Team.slug, Team.id))}
    agents = {
        email: user_id
        for email, user_id in session.execute(select(func.lower(User.email), User.id))
    }
    added = reported = 0
    batch: list[dict[str, Any]] = []
    for position, spec in enumerate(answers, 1):
        answered_at = answer_to_datetime(spec, now, zone)
        team_id = teams.get(spec.team)
        if answered_at <= now and team_id is not None:
            batch.append(
                {
                    "source": SOURCE,
                    "external_id": spec.external_id,
                    "answered_at": answered_at,
                    "score": spec.score,
                    "team_id": team_id,
                    "agent_id": agents.get(spec.agent) if spec.agent else None,
                    "channel": spec.channel,
                    "language": spec.language,
                    "comment": spec.comment,
                    "imported_at": now,
                }
            )
        if len(batch) >= ANSWER_BATCH or position == len(answers):
            if batch:
                session.execute(insert(table_of(SurveyAnswer)), batch)
                added += len(batch)
            step(position - reported)
            reported = position
            batch = []
    return added
