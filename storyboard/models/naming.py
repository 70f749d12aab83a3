"""Colleagues a customer named: a manager links a customer story to the agent the
customer meant ("Lotte dacht echt mee"), so the agent hears it and their page shows it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storyboard.db import Model, UTCDateTime, utcnow
from storyboard.models.people import User
from storyboard.models.stories import Story


class StoryNamedAgent(Model):
    """One colleague named in one story: at most one row each (the database makes sure,
    so a double click on "Link" links nothing twice). Erasing the story or the person
    removes the row."""

    __tablename__ = "story_named_agents"
    __table_args__ = (UniqueConstraint("story_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    story: Mapped[Story] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    linked_by: Mapped[User | None] = relationship(foreign_keys=[linked_by_id])
