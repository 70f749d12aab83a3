"""The language switch in the footer: remembered in the profile when signed in, and
in a cookie in any case (so it also sticks on the sign-in page and the public form)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from storyboard.access import is_safe_next_url, public
from storyboard.db import db
from storyboard.i18n.locale import COOKIE_MAX_AGE, LOCALE_COOKIE, LOCALES

bp = Blueprint("i18n", __name__)


@bp.post("/language")
@public
def switch() -> Response:
    locale = request.form.get("locale", "")
    if locale not in LOCALES:
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    target = request.form.get("next", "")
    response = redirect(target if is_safe_next_url(target) else url_for("stories.home"))
    response.set_cookie(
        LOCALE_COOKIE,
        locale,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
