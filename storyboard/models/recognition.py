"""Recognition: kudos colleagues give to stories, and the notifications that tell the
author."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storyboard.db import Model, UTCDateTime, utcnow
from storyboard.models.people import User
from storyboard.models.stories import Story


class Kudo(Model):
    """One colleague's kudos for one story: at most one each (the database makes sure,
    so two clicks at once still give one)."""

    __tablename__ = "kudos"
    __table_args__ = (UniqueConstraint("story_id", "user_id", name="uq_kudos_story_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    story: Mapped[Story] = relationship()


class Notification(Model):
    """Something that happened to one of your stories (``kind``: ``kudos`` for now)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When it went out by e-mail (``storyboard send-notifications``); None: not (yet).
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the kind needs besides the story, e.g. "2026-W48:3" for a week's reach.
    detail: Mapped[str | None] = mapped_column(String(100))

    story: Mapped[Story | None] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class Comment(Model):
    """A colleague's reaction in words to a published story; ``body_html`` is made by
    the same sanitizing renderer as stories."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()
    story_ref: Mapped[Story] = relationship()
