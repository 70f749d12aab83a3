"""Managing people, teams and themes. No request, no commit: callers commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TypeVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from storyboard.audit import service as audit
from storyboard.auth.passwords import CONTROL_CHARACTER_MESSAGE, has_control_characters
from storyboard.db import db
from storyboard.errors import UserError
from storyboard.models import Role, Team, Theme, ThemeKind, User
from storyboard.reach.service import anonymise_reads
from storyboard.text import slugify

MIN_PASSWORD_LENGTH = 10


class AdminError(UserError):
    """An admin change that cannot be made; the message says why."""


@dataclass(frozen=True)
class UserInput:
    email: str
    display_name: str
    role: Role
    team_id: int | None
    active: bool = True
    password: str | None = None  # None keeps the current password on edit


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AdminError(_l("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    if has_control_characters(password):  # the admin form and storyboard create-user
        raise AdminError(CONTROL_CHARACTER_MESSAGE)


def _email_taken(email: str, except_id: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.email) == email.lower())
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


def _team_or_error(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = db.session.get(Team, team_id)
    if team is None:
        raise AdminError(_l("That team does not exist."))
    return team


def create_user(data: UserInput, actor: User | None = None) -> User:
    """A new account; ``actor`` is the admin (None: ``storyboard create-user``)."""
    if _email_taken(data.email):
        raise AdminError(_l("Someone already has that e-mail address."))
    if not data.password and not current_app.config.get("SMTP_HOST"):
        raise AdminError(
            _l("No mail server is configured to send an invitation. A new user needs a password.")
        )
    if data.password:
        check_password_strength(data.password)
    user = User(
        email=data.email,
        display_name=data.display_name,
        role=data.role,
        team=_team_or_error(data.team_id),
        active=data.active,
    )
    # Without a password the new colleague chooses one through their invitation
    # (``storyboard.auth.accounts.send_invitation``); until then nobody can guess it.
    user.set_password(data.password or secrets.token_urlsafe(32))
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "user.create",
        "user",
        user.id,
        f"{user.email} as {user.role.value}" + ("" if user.active else ", inactive"),
    )
    return user


def update_user(user: User, data: UserInput, acting_admin: User) -> User:
    """Edit a user. An admin cannot lock themselves out (demote or deactivate)."""
    if _email_taken(data.email, except_id=user.id):
        raise AdminError(_l("Someone already has that e-mail address."))
    if user.id == acting_admin.id and (data.role is not Role.ADMIN or not data.active):
        raise AdminError(_l("You cannot remove your own admin role or deactivate yourself."))
    before = _audited_fields(user)
    user.email = data.email
    user.display_name = data.display_name
    user.role = data.role
    user.team = _team_or_error(data.team_id)
    if user.active and not data.active:
        anonymise_reads(user)  # reads are personal data; the counts stay
    user.active = data.active
    if data.password:
        check_password_strength(data.password)
        user.set_password(data.password)
    detail = audit.changes(before, _audited_fields(user))
    if data.password:
        detail = "; ".join(filter(None, [detail, "password changed"]))
    if detail:
        audit.record(acting_admin, "user.update", "user", user.id, detail)
    return user


def _audited_fields(user: User) -> dict[str, object]:
    return {
        "email": user.email,
        "name": user.display_name,
        "role": user.role.value,
        "team": user.team.name if user.team else "-",
        "active": user.active,
    }


def _unique_slug(model: type[Team] | type[Theme], name: str, except_id: int | None) -> str:
    slug = slugify(name)
    query = select(model.id).where(model.slug == slug)
    if except_id is not None:
        query = query.where(model.id != except_id)
    if db.session.scalar(query) is not None:
        raise AdminError(_l("That name is already taken (or too close to an existing one)."))
    return slug


def save_team(team: Team | None, name: str, description: str, actor: User | None = None) -> Team:
    """Create (``team=None``) or rename a team; names and slugs stay unique."""
    return _save_named(team or Team(), "team", name, description, actor)


def save_theme(
    theme: Theme | None, name: str, description: str, actor: User | None = None
) -> Theme:
    """Create or rename a theme; admins add themes beyond the seeded ones."""
    return _save_named(theme or Theme(kind=ThemeKind.CUSTOM), "theme", name, description, actor)


NamedItem = TypeVar("NamedItem", Team, Theme)


def _save_named(
    item: NamedItem, kind: str, name: str, description: str, actor: User | None
) -> NamedItem:
    """Name a new or existing team or theme (unique name and slug), audited as
    ``<kind>.create`` or ``<kind>.update`` with the old name when it changed."""
    new = item.id is None
    old_name = "" if new else item.name
    item.slug = _unique_slug(type(item), name, item.id)
    item.name, item.description = name, description
    if new:
        db.session.add(item)
    db.session.flush()
    audit.record(
        actor,
        f"{kind}.create" if new else f"{kind}.update",
        kind,
        item.id,
        f"{old_name} → {name}" if old_name and old_name != name else name,
    )
    return item
