"""Reach: which stories reached which readers (the product's own success measure)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storyboard.db import Model, UTCDateTime, utcnow
from storyboard.models.people import Role, User, enum_column
from storyboard.models.stories import Story


class StoryRead(Model):
    """A signed-in person's first opening of a published story: one row per person and
    story, with their role at that moment. Personal data: authors and managers see counts
    only; rows are folded into ``StoryReadTally`` after the retention period, and a
    person who is deactivated or deleted is anonymised (``user_id`` None)."""

    __tablename__ = "story_reads"
    __table_args__ = (
        UniqueConstraint("story_id", "user_id"),
        # Covers the reach figures (stakeholders' reads in a week: who and what) so the
        # database counts from the index alone; measured in bench/dashboard_bench.py.
        Index("ix_story_reads_role_read_at", "role", "read_at", "user_id", "story_id"),
        Index("ix_story_reads_user_id_read_at", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # How the person came: "page", "digest" (a signed digest link) or "share".
    via: Mapped[str] = mapped_column(String(10), default="page")
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoryReadTally(Model):
    """Reads older than the retention period, folded into counts per story and role."""

    __tablename__ = "story_read_tallies"

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)
    reads: Mapped[int] = mapped_column(Integer, default=0)


class StoryShare(Model):
    """A story brought to a colleague with a one-line note ("Share with…"). One per
    story, sender and recipient: a double click or a second share sends nothing twice."""

    __tablename__ = "story_shares"
    __table_args__ = (
        UniqueConstraint("story_id", "sender_id", "recipient_id"),
        Index("ix_story_shares_recipient_id_created_at", "recipient_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set once the share's own e-mail was handed to the mail server (or not wanted).
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    story: Mapped[Story] = relationship()
    sender: Mapped[User | None] = relationship(foreign_keys=[sender_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
