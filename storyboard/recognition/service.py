"""Kudos and notifications without a request.

A kudo is one row per colleague and story (unique in the database), and
``Story.kudos_count`` is recounted from those rows in the same transaction, with the
story row locked on PostgreSQL (``FOR UPDATE``; SQLite has one writer at a time), so
the count always equals the rows even when two colleagues click at once. Changing the
count changes the story, so the search index hears of it through the outbox.

Functions change the session but never commit; the view is the unit of work.
"""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from storyboard.db import db, utcnow
from storyboard.errors import UserError
from storyboard.models import Kudo, Notification, Story, StoryStatus, User

KUDOS_NAMES_SHOWN = 5


class KudosError(UserError):
    """Kudos that cannot be given; the message says why."""


def _lock(story: Story) -> None:
    """Take the story row's write lock before anything else, so clicks on one story
    (from any worker or host) queue up: a no-op UPDATE. Locking after inserting the
    kudo deadlocks two clicks on PostgreSQL (each insert's foreign key share-locks the
    row the other then wants to lock); on SQLite it takes the database's write lock."""
    db.session.execute(
        update(Story)
        .where(Story.id == story.id)
        .values(kudos_count=Story.kudos_count, updated_at=Story.updated_at)
    )


def _recount(story: Story) -> None:
    db.session.flush()
    story.kudos_count = (
        db.session.scalar(select(func.count(Kudo.id)).where(Kudo.story_id == story.id)) or 0
    )


def notify_author(story: Story, actor: User, kind: str) -> None:
    """Tell the story's author what ``actor`` did (``kind``: kudos, comment, feature,
    lesson); nobody is told about their own actions."""
    if story.author_id is not None and story.author_id != actor.id:
        db.session.add(
            Notification(user_id=story.author_id, kind=kind, story_id=story.id, actor_id=actor.id)
        )


def has_given(story: Story, user: User) -> bool:
    return (
        db.session.scalar(select(Kudo.id).where(Kudo.story_id == story.id, Kudo.user_id == user.id))
        is not None
    )


def give_kudos(story: Story, giver: User) -> bool:
    """Give kudos; False when this colleague had already given them (nothing changes)."""
    if story.status is not StoryStatus.PUBLISHED:
        raise KudosError(_l("Kudos are for published stories."))
    if story.author_id == giver.id:
        raise KudosError(_l("Kudos are for colleagues' stories, not your own."))
    _lock(story)
    if has_given(story, giver):
        return False
    db.session.add(Kudo(story_id=story.id, user_id=giver.id))
    notify_author(story, giver, "kudos")
    _recount(story)
    return True


def take_back_kudos(story: Story, giver: User) -> bool:
    """Take kudos back (and the author's notification, if still unread)."""
    _lock(story)
    removed = db.session.execute(
        delete(Kudo).where(Kudo.story_id == story.id, Kudo.user_id == giver.id)
    ).rowcount  # type: ignore[attr-defined]
    if not removed:
        return False
    db.session.execute(
        delete(Notification).where(
            Notification.kind == "kudos",
            Notification.story_id == story.id,
            Notification.actor_id == giver.id,
            Notification.read_at.is_(None),
        )
    )
    _recount(story)
    return True


class Giver(NamedTuple):
    """Someone who gave kudos: what the story page shows of them."""

    id: int
    display_name: str


def givers(story: Story) -> list[Giver]:
    """Who gave kudos, earliest first: names, not whole accounts, because a story with
    hundreds of kudos would otherwise load hundreds of users to show five names."""
    rows = db.session.execute(
        select(User.id, User.display_name)
        .join(Kudo, Kudo.user_id == User.id)
        .where(Kudo.story_id == story.id)
        .order_by(Kudo.created_at, Kudo.id)
    )
    return [Giver(user_id, name) for user_id, name in rows]


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def notifications_for(user: User, limit: int = 100) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .options(selectinload(Notification.story), selectinload(Notification.actor))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user: User) -> int:
    notes = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).all()
    now = utcnow()
    for note in notes:
        note.read_at = now
    return len(notes)


def most_appreciated(
    start: object, end: object, team_id: int | None = None, limit: int = 5
) -> list[Story]:
    """Stories published in [start, end) with the most kudos (ties: newest first);
    only stories with at least one kudo."""
    query = (
        select(Story)
        .where(
            Story.status == StoryStatus.PUBLISHED,
            Story.published_at >= start,
            Story.published_at < end,
            Story.kudos_count > 0,
        )
        .order_by(Story.kudos_count.desc(), Story.published_at.desc(), Story.id.desc())
        .options(joinedload(Story.team), joinedload(Story.author))
        .limit(limit)
    )
    if team_id is not None:
        query = query.where(Story.team_id == team_id)
    return list(db.session.scalars(query))
