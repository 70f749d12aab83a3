"""Sign-in state kept on the server: who is signed in where, and recent attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storyboard.db import Model, UTCDateTime, utcnow
from storyboard.models.people import User


class UserSession(Model):
    """One signed-in browser. Its secret travels in the session and remember-me
    cookies (only a SHA-256 digest is kept here); deleting the row signs that browser
    out for good, whatever copies of its cookies exist."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class SignInAttempt(Model):
    """A sign-in attempt, counted by every worker and host alike: per client address
    (a fixed limit) and per account (growing waits). ``failed`` is true from the
    start, so an attempt still being checked already counts; success clears it."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_account_created", "account", "created_at"),
        Index("ix_sign_in_attempts_address_created", "address", "created_at"),
        # Ids order the attempts (the later of two simultaneous ones waits): never reused.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the lower-cased e-mail typed: what was tried, without storing it.
    account: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    # The browser's device id when it had signed in to this account before, else None.
    device: Mapped[str | None] = mapped_column(String(64))
    failed: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
