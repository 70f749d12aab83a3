"""Choosing the language of a page or an e-mail.

Order: the person's own choice (their profile, set by the footer switch), then the
choice a signed-out visitor made with the switch (a cookie), then the browser's
``Accept-Language``, then the organisation's ``STORYBOARD_DEFAULT_LOCALE``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request
from flask_login import current_user

LOCALES = ("nl", "en")
LOCALE_NAMES = {"nl": "Nederlands", "en": "English"}
LOCALE_COOKIE = "storyboard_locale"
COOKIE_MAX_AGE = 365 * 24 * 3600


def default_locale() -> str:
    return str(current_app.config.get("BABEL_DEFAULT_LOCALE", "nl"))


def locale_for(user: Any) -> str:
    """The language to write to ``user`` in (e-mails): theirs, else the default."""
    chosen = getattr(user, "locale", None)
    return chosen if chosen in LOCALES else default_locale()


def select_locale() -> str:
    """Flask-Babel's locale selector (see the module docstring for the order)."""
    if not has_request_context():
        return default_locale()
    user = current_user
    if user is not None and getattr(user, "is_authenticated", False):
        chosen = getattr(user, "locale", None)
        if chosen in LOCALES:
            return str(chosen)
    cookie = request.cookies.get(LOCALE_COOKIE)
    if cookie in LOCALES:
        return str(cookie)
    best = request.accept_languages.best_match(LOCALES)
    return str(best) if best else default_locale()
