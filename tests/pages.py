"""The people and objects the access matrix speaks of, and the pages each of them reads.

``tests/web/test_access.py`` checks every route × role against its MATRIX on a world made
by ``seed_world``; ``tests/browser/test_walk.py`` opens, for every role, the pages that
the MATRIX lets it read, on the same world. Both read this module, so a page added to
the MATRIX is walked in the browser too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from werkzeug.security import generate_password_hash

from storyboard.db import db, utcnow
from storyboard.models import (
    AuthorKind,
    Channel,
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
from tests.conftest import PASSWORD

# Who asks. "author" is the agent who wrote the world's stories; "agent" is a colleague.
ANON, AUTHOR, AGENT, MANAGER, STAKEHOLDER, ADMIN = (
    "anonymous",
    "author",
    "agent",
    "manager",
    "stakeholder",
    "admin",
)
WHO = (ANON, AUTHOR, AGENT, MANAGER, STAKEHOLDER, ADMIN)
ROLE_OF = {
    AUTHOR: Role.AGENT,
    AGENT: Role.AGENT,
    MANAGER: Role.MANAGER,
    STAKEHOLDER: Role.STAKEHOLDER,
    ADMIN: Role.ADMIN,
}
EMAIL_OF = {
    AUTHOR: "author@example.nl",
    AGENT: "agent@example.nl",
    MANAGER: "manager@example.nl",
    STAKEHOLDER: "stakeholder@example.nl",
    ADMIN: "admin@example.nl",
}

# A MATRIX row: method, path (with {placeholders}), form data, one answer per WHO.
MatrixRow = tuple[str, str, dict[str, str] | None, tuple[object, ...]]

# Paths that are not pages a person reads: files, probes, the API, feeds and downloads.
NOT_PAGES = (
    "/static/",
    "/brand/",
    "/healthz",
    "/api/",
    "/digest/feed/",
    ".atom",
    ".csv",
    ".json",
    ".xml",
    ".txt",
)


def seed_world() -> dict[str, int]:
    """Users (one per WHO but anonymous), team Retail, a published story and a draft by
    the author, the published one featured for Retail this week, and one survey answer.
    Call inside an app context; commits. Returns the ids the MATRIX's paths name:
    ``{story}``, ``{draft}``, ``{user}`` (the stakeholder), ``{team}``, ``{theme}`` (the
    first seeded theme), ``{feature}``, ``{answer}`` and ``{channel}`` (the store).

    Passwords use a cheap hash: the matrix signs in ~150 times and is about access, not
    hashing (``test_auth.py`` checks that real accounts are hashed with scrypt).
    """
    cheap_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    team = Team(name="Retail", slug="retail")
    people = {
        who: User(
            email=EMAIL_OF[who],
            display_name=who.title(),
            role=ROLE_OF[who],
            team=team,
            password_hash=cheap_hash,
        )
        for who in ROLE_OF
    }
    db.session.add_all(people.values())

    def story(status: StoryStatus) -> Story:
        return Story(
            title=f"A {status.value} story",
            body="Body",
            body_html="<p>Body</p>",
            channel=SeededChannel.PHONE,
            language=Language.EN,
            team=team,
            author=people[AUTHOR],
            author_kind=AuthorKind.AGENT,
            status=status,
            published_at=utcnow() if status is StoryStatus.PUBLISHED else None,
        )

    published, draft = story(StoryStatus.PUBLISHED), story(StoryStatus.DRAFT)
    week = IsoWeek.current("Europe/Amsterdam")
    feature = Feature(
        story=published,
        team=team,
        iso_year=week.year,
        iso_week=week.week,
        kind=FeatureKind.PRAISE,
        note="Why",
        featured_by=people[MANAGER],
    )
    answer = SurveyAnswer(
        source="survey",
        external_id="1",
        answered_at=utcnow(),
        score=9,
        team=team,
        channel=SeededChannel.PHONE,
        comment="Quick and kind",
    )
    db.session.add_all([published, draft, feature, answer])
    db.session.commit()
    theme = db.session.scalar(db.select(Theme).order_by(Theme.id))
    assert theme is not None, "the migrations seed the themes"
    store = db.session.scalar(db.select(Channel).where(Channel.key == SeededChannel.STORE))
    assert store is not None, "the migrations make the five channels"
    return {
        "story": published.id,
        "draft": draft.id,
        "user": people[STAKEHOLDER].id,
        "team": team.id,
        "theme": theme.id,
        "feature": feature.id,
        "answer": answer.id,
        "channel": store.id,
    }


@dataclass(frozen=True)
class Page:
    """A page one visitor reads: its path (placeholders filled) and the MATRIX path."""

    path: str
    row: str


def pages_of(matrix: Iterable[MatrixRow], who: str, ids: dict[str, int]) -> list[Page]:
    """Every page the MATRIX lets ``who`` read: GET rows that answer 200, minus
    NOT_PAGES, with the world's ids filled in."""
    column = WHO.index(who)
    return [
        Page(path.format(**ids), path)
        for method, path, _data, expected in matrix
        if method == "GET"
        and expected[column] == 200
        and not any(part in path for part in NOT_PAGES)
    ]
