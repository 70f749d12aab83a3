"""The weekly digest's deliveries: which week went to whom, and what failed."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storyboard.db import Model, UTCDateTime, utcnow
from storyboard.models.people import User, enum_column


class DeliveryStatus(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"


class DigestDelivery(Model):
    """One week's digest for one user: sent, or failed (retried by the next run).
    Unique per user and week, so running ``send-digest`` twice sends nothing twice."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (
        UniqueConstraint("user_id", "week_key", name="uq_digest_deliveries_user_week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week_key: Mapped[int] = mapped_column(Integer)  # IsoWeek.key: 202647
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(String(500), default="")
    address: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
