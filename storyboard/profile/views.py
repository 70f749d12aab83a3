"""The profile page: who you are, the digest e-mail on or off, your feed address."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField

from storyboard.access import signed_in
from storyboard.db import db
from storyboard.digest import feeds
from storyboard.digest.sending import READER_ROLES

bp = Blueprint("profile", __name__, url_prefix="/profile")


class DigestForm(FlaskForm):
    subscribed = BooleanField(_l("Send me the weekly digest by e-mail every Monday"))


class EmailForm(FlaskForm):
    kudos = BooleanField(_l("Kudos on my stories"))
    comment = BooleanField(_l("Comments on my stories"))
    feature = BooleanField(_l("My story is featured"))
    lesson = BooleanField(_l("Changes to my stories' learning moments"))


EMAIL_KINDS = ("kudos", "comment", "feature", "lesson")


class ActionForm(FlaskForm):
    """A button that only needs its CSRF token."""


def _render(new_feed_url: str | None = None, status: int = 200) -> tuple[str, int]:
    form = DigestForm(subscribed=current_user.gets_digest)
    email_form = EmailForm(data={kind: current_user.wants_email(kind) for kind in EMAIL_KINDS})
    return render_template(
        "profile/index.html", form=form, action_form=ActionForm(), email_form=email_form,
        reads_digest=current_user.role in READER_ROLES, new_feed_url=new_feed_url,
    ), status


@bp.get("/")
@signed_in
def index() -> tuple[str, int]:
    return _render()


def _digest_reader_only() -> None:
    if current_user.role not in READER_ROLES:
        abort(403)


@bp.post("/digest")
@signed_in
def digest() -> Response:
    _digest_reader_only()
    form = DigestForm()
    if not form.validate_on_submit():
        abort(400)
    current_user.digest_subscribed = bool(form.subscribed.data)
    db.session.commit()
    flash(_("You will get the weekly digest by e-mail.") if form.subscribed.data
          else _("You will not get the weekly digest by e-mail."), "success")
    return redirect(url_for("profile.index"))


@bp.post("/feed")
@signed_in
def new_feed() -> tuple[str, int]:
    """A new feed address, shown once on the page this answers with (it is not stored:
    reloading the page must not show it again)."""
    _digest_reader_only()
    if not ActionForm().validate_on_submit():
        abort(400)
    token = feeds.new_feed_token(current_user)
    db.session.commit()
    return _render(new_feed_url=feeds.feed_url(token))


@bp.post("/feed/revoke")
@signed_in
def revoke_feed() -> Response:
    _digest_reader_only()
    if not ActionForm().validate_on_submit():
        abort(400)
    feeds.revoke_feed_token(current_user)
    db.session.commit()
    flash(_("Your feed address no longer works."), "success")
    return redirect(url_for("profile.index"))


@bp.post("/emails")
@signed_in
def emails() -> Response:
    """Which notifications also come by e-mail (all of them unless switched off)."""
    form = EmailForm()
    if not form.validate_on_submit():
        abort(400)
    current_user.email_off = ",".join(
        kind for kind in EMAIL_KINDS if not getattr(form, kind).data) or None
    db.session.commit()
    flash(_("Your e-mail choices are saved."), "success")
    return redirect(url_for("profile.index"))
