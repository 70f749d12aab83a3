"""Choosing the language of a page or an e-mail.

Order: the person's own choice (their profile, set by the footer switch), then the
choice a signed-out visitor made with the switch (a cookie), then the browser's
``Accept-Language``, then the organisation's ``STORYBOARD_DEFAULT_LOCALE``.
"""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_translations
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


def current_translations() -> NullTranslations:
    """Flask-Babel's translations for the locale in force, looked up once per request
    and locale. Templates call ``_()`` a few hundred times a page, and Flask-Babel's
    own lookup walks the context and the locale each time (~15 µs a call, a few ms a
    page). ``force_locale`` (e-mails in the recipient's language) puts another locale
    object in force, so the remembered translations are not used for it."""
    if not g:
        return get_translations()
    namespace = g.get("_flask_babel")
    locale = getattr(namespace, "babel_locale", None)
    remembered = getattr(namespace, "storyboard_translations", None)
    if remembered is not None and locale is not None and remembered[0] is locale:
        return remembered[1]
    translations = get_translations()
    namespace = g.get("_flask_babel")
    if namespace is not None:
        namespace.storyboard_translations = (getattr(namespace, "babel_locale", None), translations)
    return translations


def install_template_gettext(app: Flask) -> None:
    """Templates' ``_``, ``ngettext``, ``pgettext`` through ``current_translations``
    (the same calls Flask-Babel installs, with the lookup done once)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )
