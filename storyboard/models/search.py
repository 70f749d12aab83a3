"""The index outbox: "this story must be (re)indexed", written in the story's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from storyboard.db import Model, UTCDateTime, utcnow


class IndexOutbox(Model):
    """One pending index instruction. ``story_id`` has no foreign key on purpose: the
    row must outlive a deleted story so the index learns about the deletion."""

    __tablename__ = "index_outbox"
    # Ids are never reused (SQLite's AUTOINCREMENT; PostgreSQL sequences never reuse):
    # a drain deletes the rows it applied by id after its index commit, and a reused id
    # would delete a newer row that another process wrote meanwhile, unapplied.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy reads it once

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
