"""Learning moments without a request.

The author of a story or a manager raises one (a proposal of what should change and an
owner); managers move it through ``ALLOWED`` transitions only — open → in progress →
changed, or declined (with a note) from open or in progress; in progress can go back
to open. Every step is a ``LessonEvent`` with who and when, and the story's author is
notified. Functions change the session but never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import QueryableAttribute, joinedload, selectinload

from storyboard.db import db, utcnow
from storyboard.errors import UserError
from storyboard.models import (
    Lesson,
    LessonEvent,
    LessonStatus,
    Role,
    Story,
    Team,
    User,
)
from storyboard.recognition.service import notify_author
from storyboard.text import clean_line

PROPOSAL_MAX = 500
NOTE_MAX = 500
ALLOWED: dict[LessonStatus, frozenset[LessonStatus]] = {
    LessonStatus.OPEN: frozenset({LessonStatus.IN_PROGRESS, LessonStatus.DECLINED}),
    LessonStatus.IN_PROGRESS: frozenset(
        {LessonStatus.CHANGED, LessonStatus.DECLINED, LessonStatus.OPEN}
    ),
    LessonStatus.CHANGED: frozenset(),
    LessonStatus.DECLINED: frozenset(),
}
CLOSED = frozenset({LessonStatus.CHANGED, LessonStatus.DECLINED})


class LessonError(UserError):
    """A step that is not allowed; the message says why."""


def can_raise(user: User, story: Story) -> bool:
    return story.is_published and (user.role is Role.MANAGER or story.author_id == user.id)


def _text(value: str, limit: int, empty_message: str) -> str:
    text = clean_line(value)
    if not text:
        raise LessonError(empty_message)
    if len(text) > limit:
        raise LessonError(_l("Keep it under %(max)s characters.", max=limit))
    return text


def raise_lesson(story: Story, by: User, proposal: str, owner: User | None) -> Lesson:
    if not can_raise(by, story):
        raise LessonError(
            _l(
                "Only the story's author or a manager can mark a published "
                "story as a learning moment."
            )
        )
    if db.session.scalar(select(Lesson.id).where(Lesson.story_id == story.id)) is not None:
        raise LessonError(_l("This story is already a learning moment."))
    lesson = Lesson(
        story=story,
        proposal=_text(proposal, PROPOSAL_MAX, str(_l("Say what should change."))),
        owner=owner,
        status=LessonStatus.OPEN,
        raised_by=by,
        raised_at=utcnow(),
    )
    lesson.events.append(LessonEvent(from_status=None, to_status=LessonStatus.OPEN, by=by))
    db.session.add(lesson)
    notify_author(story, by, "lesson")
    return lesson


def move(
    lesson: Lesson, to: LessonStatus, by: User, note: str = "", now: datetime | None = None
) -> None:
    """Move a lesson to ``to`` if that step is allowed; declining needs a note."""
    if by.role is not Role.MANAGER:
        raise LessonError(_l("Only managers move learning moments along."))
    if to not in ALLOWED[lesson.status]:
        raise LessonError(
            _l(
                "A learning moment cannot go from %(from)s to %(to)s.",
                **{"from": lesson.status.value, "to": to.value},
            )
        )
    note = clean_line(note)
    if to is LessonStatus.DECLINED and not note:
        raise LessonError(_l("Say why the change is declined."))
    if len(note) > NOTE_MAX:
        raise LessonError(_l("Keep it under %(max)s characters.", max=NOTE_MAX))
    now = now or utcnow()
    lesson.events.append(
        LessonEvent(from_status=lesson.status, to_status=to, by=by, at=now, note=note)
    )
    lesson.status = to
    lesson.closed_at = now if to in CLOSED else None
    notify_author(lesson.story, by, "lesson")


def lesson_for(story: Story) -> Lesson | None:
    return db.session.scalar(
        select(Lesson)
        .where(Lesson.story_id == story.id)
        .options(
            joinedload(Lesson.owner),
            joinedload(Lesson.raised_by),
            selectinload(Lesson.events).joinedload(LessonEvent.by),
        )
    )


@dataclass(frozen=True)
class LessonFilters:
    status: LessonStatus | None = None
    team: str | None = None


def list_lessons(filters: LessonFilters) -> list[Lesson]:
    query: Select[Lesson] = select(Lesson).options(
        selectinload(Lesson.story).selectinload(Story.team), selectinload(Lesson.owner)
    )
    if filters.status is not None:
        query = query.where(Lesson.status == filters.status)
    if filters.team:
        query = (
            query.join(Story, Lesson.story_id == Story.id)
            .join(Team, Story.team_id == Team.id)
            .where(Team.slug == filters.team)
        )
    return list(db.session.scalars(query.order_by(Lesson.raised_at.desc(), Lesson.id.desc())))


def raised_or_closed_between(
    start: datetime, end: datetime, team: Team | None = None
) -> tuple[list[Lesson], list[Lesson]]:
    """The lessons raised, and those closed, in [start, end): for the weekly digest."""

    def query(column: QueryableAttribute[datetime | None]) -> list[Lesson]:
        q = select(Lesson).where(column >= start, column < end).options(selectinload(Lesson.story))
        if team is not None:
            q = q.join(Story, Lesson.story_id == Story.id).where(Story.team_id == team.id)
        return list(db.session.scalars(q.order_by(Lesson.id)))

    return query(Lesson.raised_at), query(Lesson.closed_at)
