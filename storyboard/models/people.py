"""People: users, their roles, and the teams they work in."""

from __future__ import annotations

import enum
import hmac
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from storyboard.db import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from storyboard.models.stories import Story


DEFAULT_PASSWORD_HASH_METHOD = "scrypt"


def password_hash_method() -> str:
    """The app's ``PASSWORD_HASH_METHOD`` (werkzeug's scrypt by default).

    The test suite sets a cheap method so that thousands of sign-ins stay fast; one
    test checks that a default app stores scrypt hashes.
    """
    if has_app_context():
        return str(current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_PASSWORD_HASH_METHOD))
    return DEFAULT_PASSWORD_HASH_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=password_hash_method())


class Role(enum.StrEnum):
    """What a person may do; see the roles table in docs/features.md."""

    AGENT = "agent"
    MANAGER = "manager"
    STAKEHOLDER = "stakeholder"
    ADMIN = "admin"


def enum_column(enum_type: type[enum.Enum], length: int = 20) -> Enum:
    """Store an enum by its value as a plain string, so migrations stay portable."""
    return Enum(
        enum_type,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Team(Model):
    """A team of agents; stories and NPS responses are counted per team."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="team")

    def __repr__(self) -> str:
        return f"<Team {self.slug}>"


class User(UserMixin, Model):
    """Someone who signs in. Customers do not have accounts."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The weekly digest by e-mail: None follows the role's default (managers get it).
    digest_subscribed: Mapped[bool | None] = mapped_column(Boolean)
    # sha256 of the secret in the user's Atom feed address; None: no feed.
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Notification kinds this person does not want by e-mail, comma-separated.
    email_off: Mapped[str | None] = mapped_column(String(100))
    # "nl" or "en", chosen with the footer switch; None follows the browser and default.
    locale: Mapped[str | None] = mapped_column(String(5))

    team: Mapped[Team | None] = relationship(back_populates="members")
    stories: Mapped[list[Story]] = relationship(back_populates="author")

    # The secret of the server-side session this object was signed in or loaded with
    # (see ``storyboard.auth.sessions``); not a column.
    session_secret = ""

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        """Store a salted hash (scrypt unless configured otherwise), never the password."""
        self.password_hash = hash_password(password)

    def session_tag(self) -> str:
        """A fingerprint of the password hash, keyed by the secret key. It is part of the
        id in the session and the remember-me cookie, so a password change signs out
        every session and cookie made before it (as Django's session auth hash does)."""
        key = str(current_app.config["SECRET_KEY"]).encode()
        return hmac.new(key, self.password_hash.encode(), "sha256").hexdigest()[:32]

    def get_id(self) -> str:
        """User id, password tag and session secret: what the cookies carry."""
        return f"{self.id}.{self.session_tag()}.{self.session_secret}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def wants_email(self, kind: str) -> bool:
        return kind not in {k for k in (self.email_off or "").split(",") if k}

    @property
    def gets_digest(self) -> bool:
        """Subscribed to the weekly digest e-mail: managers unless they opted out,
        stakeholders and admins when they opted in."""
        if self.digest_subscribed is None:
            return self.role is Role.MANAGER
        return self.digest_subscribed

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
