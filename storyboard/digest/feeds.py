"""A personal Atom feed of the weekly digests, for feed readers and Teams/Slack RSS
connectors, which cannot sign in: the address carries a secret token. Only its SHA-256
is stored (the secret has 256 bits, so a fast hash is enough: nobody can guess it back),
and the user can revoke or replace it on their profile page."""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import select

from storyboard.db import db
from storyboard.digest.builder import build_digest
from storyboard.digest.sending import READER_ROLES
from storyboard.i18n.locale import locale_for
from storyboard.models import User
from storyboard.weeks import app_timezone, last_complete_week

FEED_WEEKS = 8
TOKEN_BYTES = 32
_TOKEN_SHAPE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(user: User) -> str:
    """Give the user a new feed address (the old one stops working); returns the
    secret, which is shown once and never stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user.feed_token_hash = _hash(token)
    return token


def revoke_feed_token(user: User) -> None:
    user.feed_token_hash = None


def user_for_feed_token(token: str) -> User | None:
    """The active digest reader whose feed this is, or None (unknown, revoked, odd)."""
    if not token or len(token) > 100 or not set(token) <= _TOKEN_SHAPE:
        return None
    user = db.session.scalar(select(User).where(User.feed_token_hash == _hash(token)))
    if user is None or not user.active or user.role not in READER_ROLES:
        return None
    return user


def feed_url(token: str) -> str:
    return current_app.config["BASE_URL"] + url_for("digest.feed", token=token)


def render_feed(user: User, self_url: str) -> str:
    """The last ``FEED_WEEKS`` complete weeks as Atom entries, newest first, with
    absolute links (feed readers show them out of the portal's context)."""
    last = last_complete_week()
    weeks = [last.plus(-offset) for offset in range(FEED_WEEKS)]
    zone = app_timezone()
    base = current_app.config["BASE_URL"]
    # The reader's language: a feed reader sends no useful Accept-Language of its own.
    with current_app.test_request_context(base_url=base), force_locale(locale_for(user)):
        digests = [build_digest(week) for week in weeks]
        return render_template(
            "digest/feed.xml",
            user=user,
            digests=digests,
            zone=zone,
            host=base.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0],
            feed_self=self_url,
            base=base,
            week_url=lambda week: url_for("digest.week", week=str(week), _external=True),
            story_url=lambda story: url_for("stories.show", story_id=story.id, _external=True),
        )
