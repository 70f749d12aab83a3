"""Admin forms for users, teams, themes and channels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from storyboard.auth.passwords import NoControlCharacters
from storyboard.forms import BodyField, LineField, MaxChars, optional_int
from storyboard.labels import ROLE_LABELS


class UserForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            InputRequired(),
            Length(max=254),
            Email(check_deliverability=False, message=_l("Not a valid e-mail address.")),
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    display_name = LineField(_l("Name"), validators=[InputRequired(), MaxChars(120)])
    role = SelectField(
        _l("Role"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    team_id = SelectField(_l("Team"), coerce=optional_int)
    active = BooleanField(_l("Active (can sign in)"), default=True)
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(max=1024), NoControlCharacters()],
        description=_l(
            "At least 10 characters. For a new colleague, leave it empty to e-mail them an "
            "invitation to choose their own; for an existing one, to keep their password."
        ),
    )


class NamedItemForm(FlaskForm):
    """Teams and themes: a name and a short description."""

    name = LineField(_l("Name"), validators=[InputRequired(), MaxChars(80)])
    description = LineField(_l("Description"), validators=[Optional(), MaxChars(500)])


class ThemeForm(FlaskForm):
    """A theme's name and description in both interface languages: a Dutch page shows
    the Dutch ones, an English page the English ones."""

    name_nl = LineField(
        _l("Name in Dutch"),
        validators=[InputRequired(_l("Give the theme a name in Dutch.")), MaxChars(80)],
    )
    name_en = LineField(
        _l("Name in English"),
        validators=[InputRequired(_l("Give the theme a name in English.")), MaxChars(80)],
    )
    description_nl = LineField(_l("Description in Dutch"), validators=[Optional(), MaxChars(500)])
    description_en = LineField(_l("Description in English"), validators=[Optional(), MaxChars(500)])


class ChannelForm(FlaskForm):
    """A channel's name per interface language and the other names exports use for it
    (matched without case or accents by the NPS import and the API)."""

    name_nl = LineField(
        _l("Name in Dutch"),
        validators=[InputRequired(_l("Give the channel a name in Dutch.")), MaxChars(80)],
    )
    name_en = LineField(
        _l("Name in English"),
        validators=[InputRequired(_l("Give the channel a name in English.")), MaxChars(80)],
    )
    aliases = BodyField(
        _l("Other names"),
        validators=[Optional(), MaxChars(4000)],
        description=_l(
            "One per line (or separated by commas): what survey exports and other systems "
            "call this channel, such as Tel. or WhatsApp. Case and accents do not matter."
        ),
    )
    position = IntegerField(
        _l("Position in lists"),
        validators=[Optional(), NumberRange(min=0, max=9999)],
        description=_l("Lower numbers come first. Empty: after the others."),
    )
