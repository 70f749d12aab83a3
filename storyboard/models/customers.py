"""Stories customers share themselves through the public form, until a moderator decides
and for as long as the customer lets them stay."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storyboard.db import Model, UTCDateTime, utcnow
from storyboard.models.channels import CHANNEL_KEY_MAX
from storyboard.models.people import User, enum_column
from storyboard.models.stories import Language, Story


class SubmissionStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # by the customer, or erased on request: nothing left


class CustomerSubmission(Model):
    """What the customer sent, kept beside the story made from it.

    The story holds the *scrubbed* text (what moderators edit and everyone later reads);
    this row holds the original, which only moderators see, until ``purge_after``. The
    private status link's token is stored only as its SHA-256. Withdrawal empties every
    personal field and deletes the story; the row stays as a bare receipt ("withdrawn").
    """

    __tablename__ = "customer_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[SubmissionStatus] = mapped_column(enum_column(SubmissionStatus), index=True)
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), unique=True
    )
    # What the customer typed (None once purged or withdrawn).
    original_title: Mapped[str | None] = mapped_column(String(200))
    original_body: Mapped[str | None] = mapped_column(Text)
    helped_by: Mapped[str | None] = mapped_column(String(120))
    first_name: Mapped[str | None] = mapped_column(String(60))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    show_first_name: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(CHANNEL_KEY_MAX))  # a channel's key
    language: Mapped[Language] = mapped_column(enum_column(Language, length=5))
    # SHA-256 of the normalised text: the same story sent twice within a minute is one.
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    story: Mapped[Story | None] = relationship()
    decided_by: Mapped[User | None] = relationship()
