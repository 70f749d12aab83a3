"""Managing people, teams, themes and channels. No request, no commit: callers commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from storyboard import channels
from storyboard.audit import service as audit
from storyboard.auth.passwords import CONTROL_CHARACTER_MESSAGE, has_control_characters
from storyboard.db import db
from storyboard.errors import UserError
from storyboard.models import Channel, Role, Team, Theme, ThemeKind, User
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


@dataclass(frozen=True)
class ThemeInput:
    """A theme's words in both interface languages."""

    name_nl: str
    name_en: str
    description_nl: str = ""
    description_en: str = ""


THEME_NAME_MAX = 80
THEME_DESCRIPTION_MAX = 500


def save_theme(theme: Theme | None, data: ThemeInput, actor: User | None = None) -> Theme:
    """Create (``theme=None``) or rename a theme; admins add themes beyond the seeded
    ones. Each language's names stay unique (compared as slugs, so "Stand up" and
    "stand-up" count as the same); the slug follows the English name."""
    names = {"nl": data.name_nl.strip(), "en": data.name_en.strip()}
    for language, name in names.items():
        _check_theme_name(name, language, theme.id if theme else None)
    for description in (data.description_nl, data.description_en):
        if len(description) > THEME_DESCRIPTION_MAX:
            raise AdminError(
                _l("A description has at most %(n)s characters.", n=THEME_DESCRIPTION_MAX)
            )
    item = theme or Theme(kind=ThemeKind.CUSTOM)
    new = item.id is None
    old = "" if new else f"{item.name_nl} / {item.name_en}"
    item.slug = _unique_slug(Theme, names["en"], item.id)
    item.name_nl, item.name_en = names["nl"], names["en"]
    item.description_nl = data.description_nl.strip()
    item.description_en = data.description_en.strip()
    if new:
        db.session.add(item)
    db.session.flush()
    now = f"{item.name_nl} / {item.name_en}"
    _audit_named(actor, "theme", item.id, old, now)
    return item


def _check_theme_name(name: str, language: str, except_id: int | None) -> None:
    """Refuse an empty, overlong or already used name, saying which language."""
    if not name:
        raise AdminError(
            _l("Give the theme a name in Dutch.")
            if language == "nl"
            else _l("Give the theme a name in English.")
        )
    if len(name) > THEME_NAME_MAX:
        raise AdminError(_l("A theme's name has at most %(n)s characters.", n=THEME_NAME_MAX))
    column = Theme.name_nl if language == "nl" else Theme.name_en
    query = select(Theme.id, column)
    if except_id is not None:
        query = query.where(Theme.id != except_id)
    wanted = slugify(name)
    for _id, other in db.session.execute(query):
        if slugify(other) == wanted:
            raise AdminError(
                _l("Another theme is already called “%(name)s” in Dutch.", name=other)
                if language == "nl"
                else _l("Another theme is already called “%(name)s” in English.", name=other)
            )


def _audit_named(actor: User | None, kind: str, item_id: int, old: str, now: str) -> None:
    """Audit a created (no ``old`` name) or updated team, theme or channel, with the
    old name beside the new one when it changed."""
    audit.record(
        actor,
        f"{kind}.update" if old else f"{kind}.create",
        kind,
        item_id,
        f"{old} → {now}" if old and old != now else now,
    )


def _save_named(item: Team, kind: str, name: str, description: str, actor: User | None) -> Team:
    """Name a new or existing team or theme (unique name and slug), audited as
    ``<kind>.create`` or ``<kind>.update`` with the old name when it changed."""
    new = item.id is None
    old_name = "" if new else item.name
    item.slug = _unique_slug(type(item), name, item.id)
    item.name, item.description = name, description
    if new:
        db.session.add(item)
    db.session.flush()
    _audit_named(actor, kind, item.id, old_name, name)
    return item


def save_channel(
    channel: Channel | None, data: channels.ChannelInput, actor: User | None = None
) -> Channel:
    """Create (``channel=None``) or rename a channel, or change its other names; its key
    stays, so stories and answers follow a rename. Audited with the old names."""
    old = "" if channel is None else _channel_words(channel)
    try:
        saved = channels.save_channel(channel, data)
    except channels.ChannelError as error:
        raise AdminError(str(error)) from error
    now = _channel_words(saved)
    _audit_named(actor, "channel", saved.id, old, now)
    return saved


def set_channel_active(channel: Channel, active: bool, actor: User | None = None) -> None:
    """Deactivate a channel (kept by old stories and answers, offered nowhere new) or
    bring it back."""
    try:
        channels.set_channel_active(channel, active)
    except channels.ChannelError as error:
        raise AdminError(str(error)) from error
    audit.record(
        actor,
        "channel.activate" if active else "channel.deactivate",
        "channel",
        channel.id,
        channel.key,
    )


def _channel_words(channel: Channel) -> str:
    aliases = ", ".join(channel.alias_list)
    return f"{channel.key}: {channel.name_nl} / {channel.name_en}" + (
        f" ({aliases})" if aliases else ""
    )
