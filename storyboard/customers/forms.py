"""The public "share your story" form and the moderator's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import Email, InputRequired, Optional

from storyboard.forms import BodyField, LineField, MaxChars, optional_int, page_language
from storyboard.labels import CHANNEL_LABELS, LANGUAGE_LABELS

TITLE_MAX = 120
BODY_MAX = 10_000
NAME_MAX = 60
HELPED_BY_MAX = 120


class ShareForm(FlaskForm):
    title = LineField(
        _l("A short title"),
        validators=[InputRequired(_l("Give your story a short title.")), MaxChars(TITLE_MAX)],
    )
    body = BodyField(
        _l("Your story"),
        validators=[
            InputRequired(_l("Tell us what happened: the story is empty.")),
            MaxChars(BODY_MAX),
        ],
    )
    channel = SelectField(
        _l("How did you contact us?"),
        choices=[SelectChoice(c.value, label) for c, label in CHANNEL_LABELS.items()],
        validators=[InputRequired(_l("Choose how you contacted us."))],
    )
    helped_by = LineField(_l("Who helped you? (optional)"), validators=[MaxChars(HELPED_BY_MAX)])
    first_name = LineField(_l("Your first name (optional)"), validators=[MaxChars(NAME_MAX)])
    email = LineField(
        _l("Your e-mail address (optional)"),
        validators=[
            Optional(),
            MaxChars(254),
            Email(
                message=_l("That does not look like an e-mail address."), check_deliverability=False
            ),
        ],
        description=_l("Only if you would like a reply. We never publish it."),
    )
    language = RadioField(
        _l("Language of your story"),
        choices=[SelectChoice(lang.value, label) for lang, label in LANGUAGE_LABELS.items()],
        default=page_language,
        validators=[InputRequired()],
    )
    consent_share = BooleanField(
        _l("You may share my story inside the company."),
        validators=[InputRequired(_l("We can only accept your story with this permission."))],
    )
    consent_name = BooleanField(_l("You may show my first name with it."))
    # A honeypot: hidden from people by CSS and aria-hidden; bots fill in every field.
    website = StringField(_l("Leave this empty"))


class ModerationForm(FlaskForm):
    title = LineField(
        _l("Title"), validators=[InputRequired(_l("Give the story a title.")), MaxChars(200)]
    )
    body = BodyField(
        _l("Story"), validators=[InputRequired(_l("The story is empty.")), MaxChars(BODY_MAX * 2)]
    )
    channel = SelectField(
        _l("Channel"),
        choices=[SelectChoice(c.value, label) for c, label in CHANNEL_LABELS.items()],
        validators=[InputRequired()],
    )
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice(lang.value, label) for lang, label in LANGUAGE_LABELS.items()],
        validators=[InputRequired()],
    )
    team_id = SelectField(_l("Team"), coerce=optional_int, validate_choice=True)


class RejectForm(FlaskForm):
    reason = LineField(
        _l("Why not (the customer reads this)"),
        validators=[InputRequired(_l("Give a reason: the customer will read it.")), MaxChars(500)],
    )
