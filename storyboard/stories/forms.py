"""The story editor form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField

from storyboard.forms import (
    MultiCheckboxField,
    enum_choice,
    optional_int,
    required_body,
    required_line,
)
from storyboard.labels import CHANNEL_LABELS, LANGUAGE_LABELS, reader_language
from storyboard.rendering import MAX_MARKDOWN_CHARS

TITLE_MAX = 200


class StoryForm(FlaskForm):
    """Title, Markdown body and where the story happened; themes are optional."""

    title = required_line(_l("Title"), _l("Give your story a title."), TITLE_MAX)
    body = required_body(_l("Story"), _l("Tell the story: the body is empty."), MAX_MARKDOWN_CHARS)
    channel = enum_choice(SelectField, _l("Channel"), CHANNEL_LABELS)
    team_id = SelectField(_l("Team"), coerce=optional_int, validate_choice=True)
    language = enum_choice(RadioField, _l("Language"), LANGUAGE_LABELS, default=reader_language)
    themes = MultiCheckboxField(_l("Themes"), coerce=int, validate_choice=True)
    submission_key = HiddenField()
