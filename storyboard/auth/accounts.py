"""A person's own password: changing it, a forgotten one, and the first one of a new
colleague (an invitation).

A reset or invitation link carries a signed token with the account's id, the moment it
was made and the account's ``session_tag`` (a keyed fingerprint of the password hash).
Setting a password changes the hash, so a link works once; it expires after
``RESET_LINK_SECONDS`` (an invitation after ``INVITATION_SECONDS``); and changing the
password ends every other session (``storyboard.auth.sessions``).

The "forgot password" answer is the same whether or not the address has an account, and
the e-mail goes out in the background, so neither the words nor the time of the answer
tell a stranger who works here.

Functions change the session but never commit; the caller is the unit of work.
"""

from __future__ import annotations

import threading
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import Flask, current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.security import check_password_hash

from storyboard.auth.passwords import CONTROL_CHARACTER_MESSAGE, has_control_characters
from storyboard.auth.service import find_user_by_email
from storyboard.db import db
from storyboard.errors import UserError
from storyboard.i18n.locale import locale_for
from storyboard.mail import send_in_background
from storyboard.models import User

MIN_PASSWORD_LENGTH = 10
RESET_LINK_SECONDS = 60 * 60
INVITATION_SECONDS = 7 * 24 * 60 * 60
RESET, INVITATION = "password-reset", "invitation"
_LIFETIMES = {RESET: RESET_LINK_SECONDS, INVITATION: INVITATION_SECONDS}


class AccountError(UserError):
    """A password that cannot be used, or a link that no longer works."""


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be someone's new password, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(_l("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    if has_control_characters(password):
        return str(CONTROL_CHARACTER_MESSAGE)
    return None


def _set_new_password(user: User, new: str, repeated: str) -> None:
    if new != repeated:
        raise AccountError(_l("The two new passwords are not the same."))
    problem = password_problem(new)
    if problem:
        raise AccountError(problem)
    user.set_password(new)


def change_password(user: User, current: str, new: str, repeated: str) -> None:
    """The signed-in person's new password, once they have typed their current one.
    Every other session of theirs ends with the old password (the caller signs this
    browser in again)."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError(_l("That is not your current password."))
    if current == new:
        raise AccountError(_l("The new password is the same as the current one."))
    _set_new_password(user, new, repeated)


# -- links ---------------------------------------------------------------------------------
def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def link_token(user: User, purpose: str, now: float | None = None) -> str:
    """A signed token for a reset (or invitation) link of ``user``."""
    issued = int(time.time() if now is None else now)
    return str(_serializer(purpose).dumps([user.id, issued, user.session_tag()]))


def user_for_token(token: str, purpose: str, now: float | None = None) -> User | None:
    """The account a link was made for, while the link still works: signed by us, not
    expired, the password unchanged since, the account active."""
    try:
        user_id, issued, tag = _serializer(purpose).loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not isinstance(issued, int) or not isinstance(tag, str):
        return None
    age = (time.time() if now is None else now) - issued
    if not 0 <= age <= _LIFETIMES[purpose]:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_tag() != tag:
        return None
    return user


def set_password_with_link(
    token: str, purpose: str, new: str, repeated: str, now: float | None = None
) -> User:
    """The new password of the account the link was made for; the link stops working."""
    user = user_for_token(token, purpose, now)
    if user is None:
        raise AccountError(link_expired_message(purpose))
    _set_new_password(user, new, repeated)
    return user


def link_expired_message(purpose: str) -> str:
    if purpose == INVITATION:
        return str(
            _l("This invitation has expired or was used already. Ask an admin to send a new one.")
        )
    return str(
        _l(
            "This link has expired or was used already. Ask for a new one below; "
            "a link works once, for an hour."
        )
    )


# -- e-mail --------------------------------------------------------------------------------
def _link_mail(user: User, purpose: str, inviter: User | None = None) -> EmailMessage:
    """The e-mail for ``user`` in their language, its link on the configured address
    (``BASE_URL``), never on whatever host a request named."""
    path = url_for(
        "auth.reset" if purpose == RESET else "auth.welcome", token=link_token(user, purpose)
    )
    link = str(current_app.config["BASE_URL"]).rstrip("/") + path
    with force_locale(locale_for(user)):
        message = EmailMessage()
        if purpose == RESET:
            message["Subject"] = _("Storyboard: choose a new password")
            body = render_template("auth/reset_email.txt", user=user, link=link)
        else:
            message["Subject"] = _("You are invited to Storyboard")
            body = render_template("auth/invite_email.txt", user=user, link=link, inviter=inviter)
        message["From"] = current_app.config["SMTP_FROM"]
        message["To"] = user.email
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="storyboard")
        message.set_content(body)
    return message


def _send_in_background(app: Flask, message: EmailMessage) -> threading.Thread:
    """Send without making the request wait on the mail server; a failure is logged."""
    return send_in_background(app, message, "link-mail")


def send_reset_link(email: str) -> threading.Thread | None:
    """E-mail a reset link when ``email`` belongs to an active account; say nothing
    either way (the caller shows the same answer)."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return None
    return _send_in_background(current_app._get_current_object(), _link_mail(user, RESET))  # type: ignore[attr-defined]  # noqa: SLF001 - the thread needs the app itself


def send_invitation(user: User, inviter: User | None) -> threading.Thread:
    """E-mail a new colleague the link to choose their first password."""
    return _send_in_background(
        current_app._get_current_object(),  # type: ignore[attr-defined]  # noqa: SLF001 - the thread needs the app itself
        _link_mail(user, INVITATION, inviter),
    )
