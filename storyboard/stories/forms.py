"""The story editor form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField
from wtforms.validators import InputRequired

from storyboard.forms import (
    BodyField,
    LineField,
    MaxChars,
    MultiCheckboxField,
    optional_int,
    page_language,
)
from storyboard.labels import CHANNEL_LABELS, LANGUAGE_LABELS
from storyboard.rendering import MAX_MARKDOWN_CHARS

TITLE_MAX = 200


class StoryForm(FlaskForm):
    """Title, Markdown body and where the story happened; themes are optional."""

    title = LineField(
        _l("Title"),
        validators=[InputRequired(_l("Give your story a title.")), MaxChars(TITLE_MAX)],
    )
    body = BodyField(
        _l("Story"),
        validators=[
            InputRequired(_l("Tell the story: the body is empty.")),
            MaxChars(MAX_MARKDOWN_CHARS),
        ],
    )
    channel = SelectField(
        _l("Channel"),
        choices=[SelectChoice(c.value, label) for c, label in CHANNEL_LABELS.items()],
        validators=[InputRequired()],
    )
    team_id = SelectField(_l("Team"), coerce=optional_int, validate_choice=True)
    language = RadioField(
        _l("Language"),
        choices=[SelectChoice(lang.value, label) for lang, label in LANGUAGE_LABELS.items()],
        default=page_language,
        validators=[InputRequired()],
    )
    themes = MultiCheckboxField(_l("Themes"), coerce=int, validate_choice=True)
    submission_key = HiddenField()
