"""Signing in, and choosing a password (changed, forgotten, or the first one)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import InputRequired, Length

from storyboard.auth.passwords import NoControlCharacters
from storyboard.forms import LineField


class LoginForm(FlaskForm):
    email = LineField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[InputRequired(), Length(max=1024), NoControlCharacters()]
    )
    remember = BooleanField(_l("Remember me on this device"))


def _password(label: object) -> PasswordField:
    return PasswordField(
        label, validators=[InputRequired(), Length(max=1024), NoControlCharacters()]
    )


class ForgotForm(FlaskForm):
    email = LineField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    """A password chosen through a reset or invitation link."""

    new_password = _password(_l("New password"))
    repeated_password = _password(_l("The new password again"))


class ChangePasswordForm(NewPasswordForm):
    current_password = _password(_l("Current password"))
