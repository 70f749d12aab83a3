"""Sign-in form."""

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
