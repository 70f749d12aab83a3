"""Learning moments: a story that shows where the process failed the customer, with a
proposal for what should change, followed until it changed (or was declined)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storyboard.db import Model, UTCDateTime, utcnow
from storyboard.models.people import User, enum_column
from storyboard.models.stories import Story


class LessonStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CHANGED = "changed"
    DECLINED = "declined"


class Lesson(Model):
    """At most one per story; its history is in ``LessonEvent``."""

    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), unique=True)
    proposal: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[LessonStatus] = mapped_column(enum_column(LessonStatus), index=True)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    story: Mapped[Story] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    events: Mapped[list[LessonEvent]] = relationship(
        back_populates="lesson", order_by="LessonEvent.id", cascade="all, delete-orphan"
    )


class LessonEvent(Model):
    """One step of a lesson: raised, or moved from one status to another, by whom, when."""

    __tablename__ = "lesson_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[LessonStatus | None] = mapped_column(enum_column(LessonStatus))
    to_status: Mapped[LessonStatus] = mapped_column(enum_column(LessonStatus))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(500), default="")

    lesson: Mapped[Lesson] = relationship(back_populates="events")
    by: Mapped[User | None] = relationship()
