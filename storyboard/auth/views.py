"""Sign in and out."""

from __future__ import annotations

import math

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from storyboard.access import is_safe_next_url, landing_endpoint, public
from storyboard.auth import accounts, devices, sessions, throttle
from storyboard.auth.forms import ForgotForm, LoginForm, NewPasswordForm
from storyboard.auth.service import SignInRefused, authenticate, find_user_by_email
from storyboard.db import db, unit_of_work
from storyboard.extensions import limiter

bp = Blueprint("auth", __name__, url_prefix="/auth")
# Addresses people type or bookmark for signing in, led to the sign-in page.
shortcuts_bp = Blueprint("auth_shortcuts", __name__)


@shortcuts_bp.get("/login")
@shortcuts_bp.get("/signin")
@public
def login_shortcut() -> Response:
    target = request.args.get("next")
    safe = target if is_safe_next_url(target) else None
    if current_user.is_authenticated:  # already in: where they were going, or home
        return redirect(safe or url_for(landing_endpoint(current_user.role)))
    return redirect(url_for("auth.login", next=safe))


def wait_message(seconds: int) -> str:
    """The real wait, in words: seconds below a minute, else whole minutes rounded up."""
    if seconds < 60:
        return ngettext(
            "Too many sign-in attempts. Try again in %(num)s second.",
            "Too many sign-in attempts. Try again in %(num)s seconds.",
            seconds,
        )
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many sign-in attempts. Try again in %(num)s minute.",
        "Too many sign-in attempts. Try again in %(num)s minutes.",
        minutes,
    )


def _throttling() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _device_for(email: str) -> str | None:
    """This browser's device id for the account, if it has signed in to it before."""
    user = find_user_by_email(email)
    if user is None:
        return None
    return devices.known_devices(request).get(throttle.account_key(user.email))


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response | tuple[str, int, dict[str, str]]:
    next_url = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(
            next_url if is_safe_next_url(next_url) else url_for(landing_endpoint(current_user.role))
        )
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    email, password = form.email.data or "", form.password.data or ""
    attempt = None
    if _throttling():
        try:
            attempt = throttle.begin_attempt(
                email,
                request.remote_addr or "unknown",
                _device_for(email),
                throttle.ThrottlePolicy.from_config(current_app.config),
            )
        except throttle.SignInThrottled as waiting:
            db.session.rollback()
            form.form_errors.append(wait_message(waiting.wait_seconds))
            return (
                render_template("auth/login.html", form=form),
                429,
                {"Retry-After": str(waiting.wait_seconds)},
            )
        db.session.commit()  # counted before the (slow) password check, for other workers
    try:
        user = authenticate(email, password)
    except SignInRefused as refused:
        if refused.message == "inactive":
            form.form_errors.append(
                _("This account has been deactivated. Ask an administrator to reactivate it.")
            )
        else:
            form.form_errors.append(_("That e-mail and password do not match an account."))
        return render_template("auth/login.html", form=form)
    if attempt is not None:
        throttle.succeeded(attempt)
    sessions.sign_in(user, remember=bool(form.remember.data))
    db.session.commit()
    flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
    response = redirect(
        next_url if is_safe_next_url(next_url) else url_for(landing_endpoint(user.role))
    )
    devices.remember_device(request, response, throttle.account_key(user.email))
    return response


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    if current_user.is_authenticated:
        sessions.end_session(current_user)
        db.session.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


# -- a forgotten password, and a new colleague's first one -----------------------------------
def _reset_limit() -> str:
    return str(current_app.config["RESET_RATE_LIMIT"])


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@public
def forgot() -> tuple[str, int]:
    """Ask for a reset link. The answer is the same whether the address has an account
    or not, and it does not wait for the mail server."""
    form = ForgotForm()
    if form.validate_on_submit():
        accounts.send_reset_link(form.email.data or "")
        return render_template("auth/forgot.html", form=None, sent_to=form.email.data), 200
    return render_template("auth/forgot.html", form=form), (400 if form.is_submitted() else 200)


def _choose_password(token: str, purpose: str, template: str) -> tuple[str, int] | Response:
    user = accounts.user_for_token(token, purpose)
    if user is None:
        return render_template(
            template, form=None, expired=accounts.link_expired_message(purpose)
        ), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                accounts.set_password_with_link(
                    token, purpose, form.new_password.data or "", form.repeated_password.data or ""
                )
        except accounts.AccountError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Your password is set. Sign in with it."), "success")
            return redirect(url_for("auth.login"))
    status = 400 if form.is_submitted() else 200
    return render_template(template, form=form, user=user), status


@bp.route("/reset/<string(maxlength=400):token>", methods=["GET", "POST"])
@public
def reset(token: str) -> tuple[str, int] | Response:
    return _choose_password(token, accounts.RESET, "auth/reset.html")


@bp.route("/welcome/<string(maxlength=400):token>", methods=["GET", "POST"])
@public
def welcome(token: str) -> tuple[str, int] | Response:
    """A new colleague's first password, through the link of their invitation."""
    return _choose_password(token, accounts.INVITATION, "auth/welcome.html")
