"""The public "share your story" form and the moderator's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Optional

from storyboard.forms import (
    LineField,
    MaxChars,
    enum_choice,
    optional_int,
    required_body,
    required_line,
)
from storyboard.labels import LANGUAGE_LABELS, channel_choices, reader_language
from storyboard.stories.forms import ChannelInUse

TITLE_MAX = 120
BODY_MAX = 10_000
NAME_MAX = 60
HELPED_BY_MAX = 120


class ShareForm(FlaskForm):
    title = required_line(_l("A short title"), _l("Give your story a short title."), TITLE_MAX)
    body = required_body(
        _l("Your story"), _l("Tell us what happened: the story is empty."), BODY_MAX
    )
    channel = SelectField(
        _l("How did you contact us?"),
        choices=lambda: [("", _l("Choose…")), *channel_choices()],
        validators=[InputRequired(_l("Choose how you contacted us.")), ChannelInUse()],
        validate_choice=False,
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
    language = enum_choice(
        RadioField, _l("Language of your story"), LANGUAGE_LABELS, default=reader_language
    )
    consent_share = BooleanField(
        _l("You may share my story inside the company."),
        # DataRequired, not InputRequired: "false" is sent, but it is no permission.
        validators=[DataRequired(_l("We can only accept your story with this permission."))],
    )
    consent_name = BooleanField(_l("You may show my first name with it."))
    # A honeypot: hidden from people by CSS and aria-hidden; bots fill in every field.
    website = StringField(_l("Leave this empty"))


class ModerationForm(FlaskForm):
    title = required_line(_l("Title"), _l("Give the story a title."), 200)
    body = required_body(_l("Story"), _l("The story is empty."), BODY_MAX * 2)
    channel = SelectField(
        _l("Channel"), validators=[InputRequired(), ChannelInUse()], validate_choice=False
    )
    keep_channel: str | None = None  # the pending story's channel, even if retired since
    language = enum_choice(SelectField, _l("Language"), LANGUAGE_LABELS)
    team_id = SelectField(_l("Team"), coerce=optional_int, validate_choice=True)


class RejectForm(FlaskForm):
    reason = LineField(
        _l("Why not (the customer reads this)"),
        validators=[InputRequired(_l("Give a reason: the customer will read it.")), MaxChars(500)],
    )


class LinkMailForm(FlaskForm):
    """ "E-mail me this link": one address, checked; nothing is stored."""

    email = LineField(
        _l("Your e-mail address"),
        validators=[
            InputRequired(_l("Fill in the address to send the link to.")),
            MaxChars(254),
            Email(
                message=_l("That does not look like an e-mail address."), check_deliverability=False
            ),
        ],
        description=_l("We send the link once and do not keep this address."),
    )


class WithdrawForm(FlaskForm):
    """Taking a story back asks for a tick first: it works without JavaScript, and
    nothing is erased by a slip of the finger."""

    confirm = BooleanField(
        _l("Yes, erase my story and my details for good."),
        validators=[DataRequired(_l("Tick the box to confirm that your story may be erased."))],
    )
