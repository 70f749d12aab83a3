"""What the running deployment records about itself, shared by every host: which search
backend `storyboard search use` chose, and when a `storyboard worker` last did a round."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storyboard.db import Model, UTCDateTime, utcnow


class OpsState(Model):
    """One named fact about the deployment (``key`` such as ``search.backend``), kept in
    the database because every app host and worker must read the same value."""

    __tablename__ = "ops_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
