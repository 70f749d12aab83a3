"""Personal API tokens: created and revoked by their user (admins see and revoke all).

The secret (``sbt_`` + 43 random URL-safe characters, 256 bits) is shown once; only its
SHA-256 digest is stored. A slow password hash is not needed for a random 256-bit secret,
and a fast digest lets every API request find its token by an indexed lookup. A token
acts as its user: the user's current role limits what any scope allows.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from storyboard.access import EDITORS, READERS
from storyboard.audit import service as audit
from storyboard.db import db, utcnow
from storyboard.errors import UserError
from storyboard.models import ApiToken, Role, User

SECRET_PREFIX = "sbt_"
NAME_MAX = 80
TOKENS_PER_USER_MAX = 20
# Writing last_used_at on every call would make each read a write; once a minute is
# precise enough to see which tokens are in use.
LAST_USED_PRECISION = timedelta(minutes=1)

READ = "read"
WRITE_STORIES = "stories:write"
WRITE_NPS = "nps:write"

NPS_WRITERS = (Role.MANAGER, Role.ADMIN)


@dataclass(frozen=True)
class Scope:
    name: str
    label: object  # a lazy string
    roles: tuple[Role, ...]


SCOPES = {
    READ: Scope(READ, _l("Read stories, NPS and digests"), READERS),
    WRITE_STORIES: Scope(WRITE_STORIES, _l("Write stories"), EDITORS),
    WRITE_NPS: Scope(WRITE_NPS, _l("Push NPS survey answers"), NPS_WRITERS),
}
EXPIRY_CHOICES = (30, 90, 365, 0)  # days; 0: never


class TokenError(UserError):
    """A token that cannot be created or revoked; the message says why."""


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def scopes_for(role: Role) -> list[Scope]:
    """The scopes a user with ``role`` can use (a token never does more than its user)."""
    return [scope for scope in SCOPES.values() if role in scope.roles]


def create_token(
    user: User, name: str, scopes: list[str], expires_in_days: int, now: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once). Does not commit."""
    now = now or utcnow()
    name = " ".join(name.split())
    if not name:
        raise TokenError(_l("Give the token a name, such as the tool that will use it."))
    if len(name) > NAME_MAX:
        raise TokenError(_l("Keep the name under %(max)s characters.", max=NAME_MAX))
    allowed = {scope.name for scope in scopes_for(user.role)}
    chosen = sorted(set(scopes))
    if not chosen:
        raise TokenError(_l("Choose at least one permission."))
    if any(scope not in allowed for scope in chosen):
        raise TokenError(_l("Your role cannot give a token that permission."))
    if expires_in_days not in EXPIRY_CHOICES:
        raise TokenError(_l("Choose how long the token stays valid."))
    active = db.session.scalar(
        select(db.func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    if (active or 0) >= TOKENS_PER_USER_MAX:
        raise TokenError(
            _l(
                "You have %(max)s tokens already; revoke one you no longer use.",
                max=TOKENS_PER_USER_MAX,
            )
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[:12],
        digest=digest_of(secret),
        scopes=" ".join(chosen),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(token)
    audit.record(user, "token.create", "user", user.id, f"{name} ({', '.join(chosen)})")
    return token, secret


def revoke_token(token: ApiToken, by: User, now: datetime | None = None) -> None:
    """Revoke a token: it fails from the next request on. Does not commit."""
    # One conditional UPDATE: of two clicks that race, only one revokes (and is logged).
    now = now or utcnow()
    changed = db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    if not changed.rowcount:  # type: ignore[attr-defined]
        raise TokenError(_l("This token was already revoked."))
    token.revoked_at = now
    audit.record(by, "token.revoke", "user", token.user_id, token.name)


def usable_token(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The active token with this secret, of an active user; None for anything else."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == digest_of(secret)))
    now = now or utcnow()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    return token


def mark_used(token: ApiToken, now: datetime | None = None) -> None:
    """Record the use (at most once a minute per token), in its own small commit."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    db.session.commit()


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def all_tokens() -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )
