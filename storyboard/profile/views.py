"""The profile page: who you are, the digest e-mail on or off, your feed address, your
API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField

from storyboard.access import is_safe_next_url, signed_in
from storyboard.api import tokens
from storyboard.api.forms import TokenForm
from storyboard.auth import accounts, sessions
from storyboard.auth.forms import ChangePasswordForm
from storyboard.db import db, unit_of_work
from storyboard.digest import feeds
from storyboard.digest.sending import READER_ROLES
from storyboard.forms import CsrfOnlyForm
from storyboard.models import ApiToken, Role, User
from storyboard.stories.naming import named_in

bp = Blueprint("profile", __name__, url_prefix="/profile")


class DigestForm(FlaskForm):
    subscribed = BooleanField(_l("Send me the weekly digest by e-mail every Monday"))


class EmailForm(FlaskForm):
    kudos = BooleanField(_l("Kudos on my stories"))
    comment = BooleanField(_l("Comments on my stories"))
    feature = BooleanField(_l("My story is featured"))
    lesson = BooleanField(_l("Changes to my stories' learning moments"))
    share = BooleanField(_l("A colleague shares a story with me"))
    reach = BooleanField(_l("Stakeholders read my stories (once a week)"))
    named = BooleanField(_l("A customer names me in a story"))


EMAIL_KINDS = ("kudos", "comment", "feature", "lesson", "share", "reach", "named")


def _render(
    new_feed_url: str | None = None,
    status: int = 200,
    *,
    token_form: TokenForm | None = None,
    new_token: str | None = None,
) -> tuple[str, int]:
    form = DigestForm(subscribed=current_user.gets_digest)
    email_form = EmailForm(data={kind: current_user.wants_email(kind) for kind in EMAIL_KINDS})
    return render_template(
        "profile/index.html",
        form=form,
        action_form=CsrfOnlyForm(),
        email_form=email_form,
        email_kinds=EMAIL_KINDS,
        reads_digest=current_user.role in READER_ROLES,
        new_feed_url=new_feed_url,
        token_form=token_form or TokenForm(formdata=None).for_role(current_user.role),
        api_tokens=tokens.tokens_of(current_user),
        new_token=new_token,
        session_count=sessions.session_count(current_user),
        named_in=named_in(current_user, limit=20),
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
    flash(
        _("You will get the weekly digest by e-mail.")
        if form.subscribed.data
        else _("You will not get the weekly digest by e-mail."),
        "success",
    )
    return redirect(url_for("profile.index"))


@bp.post("/feed")
@signed_in
def new_feed() -> tuple[str, int]:
    """A new feed address, shown once on the page this answers with (it is not stored:
    reloading the page must not show it again)."""
    _digest_reader_only()
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    token = feeds.new_feed_token(current_user)
    db.session.commit()
    return _render(new_feed_url=feeds.feed_url(token))


@bp.post("/feed/revoke")
@signed_in
def revoke_feed() -> Response:
    _digest_reader_only()
    if not CsrfOnlyForm().validate_on_submit():
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
    current_user.email_off = (
        ",".join(kind for kind in EMAIL_KINDS if not getattr(form, kind).data) or None
    )
    db.session.commit()
    flash(_("Your e-mail choices are saved."), "success")
    return redirect(url_for("profile.index"))


@bp.post("/tokens")
@signed_in
def new_token() -> tuple[str, int]:
    """A new API token; its secret is on the page this answers with, and nowhere else."""
    form = TokenForm().for_role(current_user.role)
    if not form.validate_on_submit():
        return _render(status=400, token_form=form)
    try:
        with unit_of_work():
            _token, secret = tokens.create_token(
                current_user, form.name.data or "", list(form.scopes.data or ()), form.expires.data
            )
    except tokens.TokenError as error:
        form.form_errors.append(str(error))
        return _render(status=400, token_form=form)
    return _render(new_token=secret)


@bp.post("/tokens/<int(max=2147483647):token_id>/revoke")
@signed_in
def revoke_token(token_id: int) -> Response:
    """Revoke one of your tokens (an admin may revoke anyone's, from the admin list)."""
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != current_user.id and current_user.role is not Role.ADMIN):
        abort(404)
    try:
        with unit_of_work():
            tokens.revoke_token(token, current_user)
    except tokens.TokenError as error:
        flash(str(error), "info")
    else:
        flash(_("The token “%(name)s” no longer works.", name=token.name), "success")
    target = request.form.get("next")
    return redirect(target if is_safe_next_url(target) else url_for("profile.index") + "#tokens")


@bp.post("/sessions/end")
@signed_in
def end_sessions() -> Response:
    """Sign out on every browser and device, this one included (a lost phone)."""
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    ended = sessions.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(
        ngettext(
            "You are signed out on %(num)s browser or device.",
            "You are signed out on %(num)s browsers or devices.",
            ended,
        ),
        "info",
    )
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def password() -> tuple[str, int] | Response:
    """Change your own password; every other browser signed in as you is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        me = db.session.get(User, current_user.id)
        assert me is not None
        try:
            with unit_of_work():
                accounts.change_password(
                    me,
                    form.current_password.data or "",
                    form.new_password.data or "",
                    form.repeated_password.data or "",
                )
                sessions.end_all_sessions(me)
                sessions.sign_in(me)  # this browser stays signed in
        except accounts.AccountError as error:
            form.form_errors.append(str(error))
        else:
            flash(
                _("Your password is changed. Other browsers signed in as you are signed out."),
                "success",
            )
            return redirect(url_for("profile.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("profile/password.html", form=form), status
