"""Factories: real rows for the project's main objects, written through the models (or,
for ``write_story`` and ``make_token``, through the application's own services), one
committed transaction each. Every argument after the first few has a keyword default, so
a test names only what it is about:

    story_id = add_story(app, "The ferry rebooked at midnight", team="Retail")
    add_feature(app, story_id, team="Retail", week=IsoWeek(2026, 48))

Each factory opens its own app context and returns ids, never live rows, so it works
inside or outside a test's own ``with app.app_context()``. Teams are named by name or
slug ("Retail" or "retail") and made when missing; themes by slug (the migration seeds
them, see ``theme_slugs``); users by e-mail address. The ``users`` fixture in
tests/conftest.py makes one user per role with ``create_user``: agent@example.nl,
manager@example.nl, stakeholder@example.nl and admin@example.nl, all in team Retail.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Literal

from flask import Flask
from sqlalchemy import func, select, text

from storyboard.db import db, utcnow
from storyboard.models import (
    AuthorKind,
    Feature,
    FeatureKind,
    Language,
    Role,
    SeededChannel,
    Story,
    StoryStatus,
    Team,
    Theme,
    User,
)
from storyboard.models.nps import SurveyAnswer
from storyboard.weeks import IsoWeek

PASSWORD = "correct horse battery"
AGENT_EMAIL = "agent@example.nl"
TIME_ZONE = "Europe/Amsterdam"


# -- teams and users -------------------------------------------------------------------
def team_row(name: str) -> Team:
    """The team whose name or slug is ``name``, made (and flushed) when missing. Inside
    an app context; the caller commits."""
    row = db.session.scalar(select(Team).where(Team.name == name))
    if row is None:
        row = db.session.scalar(select(Team).where(Team.slug == name))
    if row is None:
        row = Team(name=name, slug=name.lower().replace(" ", "-"))
        db.session.add(row)
        db.session.flush()
    return row


def add_team(app: Flask, name: str) -> int:
    """The team called ``name`` (made when missing); returns its id."""
    with app.app_context():
        team = team_row(name)
        db.session.commit()
        return int(team.id)


def create_user(
    app: Flask,
    role: Role,
    email: str | None = None,
    team: str | None = "Retail",
    active: bool = True,
) -> int:
    """Make a user (and the team if needed); return its id. The password is ``PASSWORD``,
    the e-mail address ``<role>@example.nl`` unless given."""
    with app.app_context():
        team_row_ = None
        if team:
            team_row_ = db.session.scalar(db.select(Team).where(Team.name == team))
            if team_row_ is None:
                team_row_ = Team(name=team, slug=team.lower().replace(" ", "-"))
                db.session.add(team_row_)
        user = User(
            email=email or f"{role.value}@example.nl",
            display_name=f"{role.value.title()} Tester",
            role=role,
            team=team_row_,
            active=active,
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user.id


def create_users(app: Flask, roles: list[Role], team: str = "Retail") -> dict[Role, int]:
    """One user per role (as ``create_user`` makes them: ``<role>@example.nl``, password
    ``PASSWORD``) in one transaction: most tests start with these, so one commit, not
    one per person."""
    with app.app_context():
        team_row_ = team_row(team)
        users = {
            role: User(
                email=f"{role.value}@example.nl",
                display_name=f"{role.value.title()} Tester",
                role=role,
                team=team_row_,
            )
            for role in roles
        }
        for user in users.values():
            user.set_password(PASSWORD)
        db.session.add_all(users.values())
        db.session.commit()
        return {role: user.id for role, user in users.items()}


def make_token(app: Flask, user_id: int, scopes: list[str], days: int = 0) -> str:
    """An API token for the user, made by the token service; returns the secret."""
    from storyboard.api.tokens import create_token

    with app.app_context():
        user = db.session.get(User, user_id)
        _token, secret = create_token(user, "test tool", scopes, days)
        db.session.commit()
        return secret


# -- themes and stories ----------------------------------------------------------------
def theme_slugs(app: Flask) -> list[str]:
    """The themes the migration seeds, by slug, in id order."""
    with app.app_context():
        return list(db.session.scalars(select(Theme.slug).order_by(Theme.id)))


def add_story(
    app: Flask,
    title: str = "A present for today",
    *,
    body: str | None = None,
    author: str | None = AGENT_EMAIL,
    author_kind: AuthorKind = AuthorKind.AGENT,
    status: StoryStatus = StoryStatus.PUBLISHED,
    channel: SeededChannel = SeededChannel.PHONE,
    language: Language = Language.EN,
    team: str | None = None,
    themes: Iterable[str] = (),
    published_at: datetime | Literal["now"] | None = "now",
    index: bool = False,
) -> int:
    """A story straight into the database; returns its id.

    ``body`` defaults to the title and is stored as ``<p>body</p>`` (not rendered).
    ``author`` is an e-mail address; a customer's story has no author. ``team`` is a
    team's name or slug (made when missing), ``themes`` are theme slugs.
    ``published_at`` is now for a published story and None otherwise unless given.
    ``index=True`` applies the search outbox before returning, so the story is found
    by search straight away.
    """
    body = title if body is None else body
    if published_at == "now":
        published_at = utcnow() if status is StoryStatus.PUBLISHED else None
    with app.app_context():
        story = Story(
            title=title,
            body=body,
            body_html=f"<p>{body}</p>",
            channel=channel,
            language=language,
            author_kind=author_kind,
            status=status,
            author=None
            if author_kind is AuthorKind.CUSTOMER or author is None
            else db.session.scalar(select(User).where(User.email == author)),
            team=team_row(team) if team else None,
            themes=list(db.session.scalars(select(Theme).where(Theme.slug.in_(tuple(themes))))),
            published_at=published_at,
        )
        db.session.add(story)
        db.session.commit()
        if index:
            from storyboard.search.service import drain_pending

            drain_pending(timeout=5)
        return int(story.id)


def write_story(
    app: Flask,
    author_id: int,
    title: str = "A present for today",
    *,
    body: str = "The customer asked where his order was.",
    channel: SeededChannel = SeededChannel.PHONE,
    language: Language = Language.EN,
    themes: Iterable[str] = (),
    publish: bool = True,
    submission_key: str | None = None,
) -> int:
    """A story written by ``author_id`` through the stories service, as the story form
    saves one (Markdown rendered, the author's team, a draft unless ``publish``); returns
    its id."""
    from storyboard.stories import service

    with app.app_context():
        author = db.session.get(User, author_id)
        assert author is not None, f"no user {author_id}"
        theme_ids = tuple(
            db.session.scalars(
                select(Theme.id).where(Theme.slug.in_(tuple(themes))).order_by(Theme.id)
            )
        )
        story = service.create_story(
            author,
            service.StoryInput(
                title=title,
                body=body,
                channel=channel,
                language=language,
                team_id=author.team_id,
                theme_ids=theme_ids,
                publish=publish,
                submission_key=submission_key,
            ),
        )
        db.session.commit()
        return int(story.id)


# -- features --------------------------------------------------------------------------
def add_feature(
    app: Flask,
    story_id: int,
    *,
    team: str | None = None,
    week: IsoWeek | None = None,
    kind: FeatureKind = FeatureKind.PRAISE,
    note: str = "A note",
    featured_by: str | None = None,
) -> int:
    """The story featured for ``team`` (a name or slug; None: the whole organisation) in
    ``week`` (default: this week in Amsterdam), straight into the database, without the
    curation service's checks; ``featured_by`` is an e-mail address. Returns its id."""
    week = week or IsoWeek.current(TIME_ZONE)
    with app.app_context():
        feature = Feature(
            story_id=story_id,
            team=team_row(team) if team else None,
            iso_year=week.year,
            iso_week=week.week,
            kind=kind,
            note=note,
            featured_by=db.session.scalar(select(User).where(User.email == featured_by))
            if featured_by
            else None,
        )
        db.session.add(feature)
        db.session.commit()
        return int(feature.id)


# -- survey answers --------------------------------------------------------------------
_answer_ids = itertools.count(1)


def add_answers(app: Flask, rows: Iterable[tuple[datetime, int, str, str | None, str]]) -> None:
    """Insert survey answers, (answered_at, score, team name, channel, comment) each,
    with source "test", and commit. Teams are made when missing; a channel is its key."""
    with app.app_context():
        for answered_at, score, team_name, channel, comment in rows:
            db.session.add(
                SurveyAnswer(
                    source="test",
                    external_id=str(next(_answer_ids)),
                    answered_at=answered_at,
                    score=score,
                    team=team_row(team_name),
                    channel=channel,
                    comment=comment,
                )
            )
        db.session.commit()


@contextmanager
def inserts_refused(app: Flask, table: str, *, duplicate: bool = True) -> Iterator[None]:
    """While inside, the database refuses every new row of ``table`` as a unique index
    refuses the second of two racing requests (SQLite: ``RAISE(ABORT)`` with its
    message; PostgreSQL: ``unique_violation``): a race made real without touching the
    app's code. ``duplicate=False`` refuses it as a missing value (a bug, not a race)."""
    message = "UNIQUE constraint failed" if duplicate else "NOT NULL constraint failed"
    code = "unique_violation" if duplicate else "not_null_violation"
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            create = [
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message} (a racing request)'); END"
            ]
            drop = [f"DROP TRIGGER refuse_{table}"]
        else:
            create = [
                "CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"RAISE {code} USING MESSAGE = 'a racing request'; END $$",
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_insert()",
            ]
            drop = [f"DROP TRIGGER refuse_{table} ON {table}", "DROP FUNCTION refuse_insert()"]
        for statement in create:
            db.session.execute(text(statement))
        db.session.commit()
    try:
        yield
    finally:
        with app.app_context():
            for statement in drop:
                db.session.execute(text(statement))
            db.session.commit()


def count_rows(app: Flask, model: type) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)
