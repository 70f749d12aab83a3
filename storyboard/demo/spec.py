"""Plain descriptions of demo data, free of the database.

The content loader and the generator build these; only ``loader`` turns them into
rows. Keeping them frozen and database-free makes the content testable as data and
guarantees the same demo on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from storyboard.models import AuthorKind, Language, Role, SeededChannel, StoryStatus


@dataclass(frozen=True)
class TeamSpec:
    """A demo team; ``slug`` is its natural key."""

    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class PersonSpec:
    """A demo user; ``email`` is its natural key, ``team`` a team slug."""

    email: str
    name: str
    role: Role
    team: str | None


@dataclass(frozen=True)
class Moment:
    """A local clock time ``days_ago`` days before the load: stories appear during
    office hours, whatever time of day the demo is loaded."""

    days_ago: int
    at: time


@dataclass(frozen=True)
class StorySpec:
    """One story. ``author`` is an e-mail address, or ``None`` for a story a customer
    told; ``age`` says when it was published (or drafted) relative to the day of the
    load, so the demo always covers the most recent weeks; ``writing_minutes`` is how
    long before that it was started."""

    title: str
    body: str
    language: Language
    channel: SeededChannel
    team: str
    author: str | None
    themes: tuple[str, ...]
    age: Moment
    status: StoryStatus = StoryStatus.PUBLISHED
    writing_minutes: int = 30

    @property
    def author_kind(self) -> AuthorKind:
        return AuthorKind.AGENT if self.author else AuthorKind.CUSTOMER


def ago(days: int, clock: str = "10:00") -> Moment:
    """Readable moments for hand-written stories: ``ago(9, "11:20")``."""
    return Moment(days, time.fromisoformat(clock))
