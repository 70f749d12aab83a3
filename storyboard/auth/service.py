"""Checking who someone is, without a request."""

from __future__ import annotations

import secrets
from functools import cache

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from storyboard.db import db
from storyboard.models import User
from storyboard.models.people import password_hash_method


@cache
def _dummy_hash(method: str) -> str:
    """Checked against when the e-mail is unknown, so a wrong e-mail takes as long as a
    wrong password and the timing gives no hint whether an account exists."""
    return generate_password_hash(secrets.token_hex(16), method=method)


class SignInRefused(Exception):
    """Sign-in failed; ``message`` is safe to show and reveals nothing extra."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def find_user_by_email(email: str) -> User | None:
    """Case-insensitive look-up; e-mail addresses are stored as typed."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def authenticate(email: str, password: str) -> User:
    """The user with this e-mail and password, or ``SignInRefused``.

    A wrong e-mail and a wrong password get the same message. A deactivated account
    is only named as such when the password was right.
    """
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(password_hash_method()), password)
        raise SignInRefused("wrong")
    if not user.check_password(password):
        raise SignInRefused("wrong")
    if not user.active:
        raise SignInRefused("inactive")
    return user
