"""Sign in and out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from storyboard.access import is_safe_next_url, landing_endpoint, public
from storyboard.auth.forms import LoginForm
from storyboard.auth.service import SignInRefused, authenticate
from storyboard.extensions import limiter

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _account_limit() -> str:
    return str(current_app.config["ACCOUNT_LOGIN_RATE_LIMIT"])


def _account_key() -> str:
    """The account being signed in to, so guesses spread over many addresses still
    count against one account."""
    return "login-account:" + (request.form.get("email") or "").strip().lower()[:254]


def _sign_in_failed(response: Response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"],
               deduct_when=_sign_in_failed)
@public
def login() -> str | Response:
    next_url = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(next_url if is_safe_next_url(next_url)
                        else url_for(landing_endpoint(current_user.role)))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data or "", form.password.data or "")
        except SignInRefused as refused:
            if refused.message == "inactive":
                form.form_errors.append(
                    _("This account has been deactivated. Ask an administrator to reactivate it.")
                )
            else:
                form.form_errors.append(_("That e-mail and password do not match an account."))
        else:
            login_user(user, remember=bool(form.remember.data))
            flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
            return redirect(next_url if is_safe_next_url(next_url)
                            else url_for(landing_endpoint(user.role)))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
