"""The story editor form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, RadioField, SelectField
from wtforms.validators import InputRequired, ValidationError

from storyboard.channels import ChannelError, resolve_channel
from storyboard.forms import (
    MultiCheckboxField,
    enum_choice,
    optional_int,
    required_body,
    required_line,
)
from storyboard.labels import LANGUAGE_LABELS, channel_choices, reader_language
from storyboard.rendering import MAX_MARKDOWN_CHARS

TITLE_MAX = 200


class ChannelInUse:
    """A channel field's value must name a channel in use; the message says which are.
    The value becomes the channel's key (so an alias typed by a script works too). A
    form's ``keep_channel`` (an old story's channel) is accepted even when retired."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        keep = getattr(form, "keep_channel", None)
        try:
            field.data = resolve_channel(field.data or "", reader_language(), keep=keep)
        except ChannelError as error:
            raise ValidationError(str(error)) from error


class StoryForm(FlaskForm):
    """Title, Markdown body and where the story happened; themes are optional."""

    title = required_line(_l("Title"), _l("Give your story a title."), TITLE_MAX)
    body = required_body(_l("Story"), _l("Tell the story: the body is empty."), MAX_MARKDOWN_CHARS)
    # The organisation's channels; an unknown or retired one is named in the message.
    channel = SelectField(
        _l("Channel"),
        choices=channel_choices,
        validators=[InputRequired(), ChannelInUse()],
        validate_choice=False,
    )
    keep_channel: str | None = None  # set by the editor: the story's current channel
    team_id = SelectField(_l("Team"), coerce=optional_int, validate_choice=True)
    language = enum_choice(RadioField, _l("Language"), LANGUAGE_LABELS, default=reader_language)
    themes = MultiCheckboxField(_l("Themes"), coerce=int, validate_choice=True)
    submission_key = HiddenField()
