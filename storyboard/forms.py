"""Form pieces shared by every area: cleaned fields, a multi-checkbox, a select's option."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, ValidationError

from storyboard.text import clean_body, clean_line


def optional_int(value: object) -> int | None:
    """Coerce a select's value to an id; the empty choice means "none"."""
    if value in (None, "", "None"):
        return None
    return int(str(value))


def _count_cleaned_away_as_missing(field: StringField) -> None:
    """``InputRequired`` looks at the raw input: text of only spaces, zero-width
    characters or NUL bytes must fail it like an empty field, not save as ``""``."""
    if field.raw_data and not field.data:
        field.raw_data = [""]


class LineField(StringField):
    """A one-line text field whose value is cleaned (NFC, no invisible characters)."""

    data: str | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        self.data = clean_line(self.data)
        _count_cleaned_away_as_missing(self)


class BodyField(TextAreaField):
    """A multi-line text field, cleaned but keeping line breaks."""

    data: str | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        self.data = clean_body(self.data)
        _count_cleaned_away_as_missing(self)


def select_option(value: str, label: str, selected: bool = False) -> Markup:
    """One ``<option>`` as WTForms' select writes it (attributes in name order), by one
    format string: WTForms builds each option's attributes through ``html_params``,
    ~13 µs an option, and the lesson form lists every active manager (500 in a large
    organisation: 7 ms of a story page)."""
    chosen = "selected " if selected else ""
    return Markup(f'<option {chosen}value="{escape(value)}">{escape(label or value)}</option>')


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; readable without JavaScript, unlike a multi-select."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class MaxChars:
    """Length check with a message that tells how far over the limit the text is."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form: Any, field: Any) -> None:
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(
                _l(
                    "Too long: %(length)s characters, at most %(limit)s allowed.",
                    length=format_decimal(length),
                    limit=format_decimal(self.limit),
                )
            )


def required_line(label: Any, message: Any, limit: int) -> LineField:
    """A one-line field that must be filled in, at most ``limit`` characters."""
    return LineField(label, validators=[InputRequired(message), MaxChars(limit)])


def required_body(label: Any, message: Any, limit: int) -> BodyField:
    """A text box that must be filled in, at most ``limit`` characters."""
    return BodyField(label, validators=[InputRequired(message), MaxChars(limit)])


def enum_choice(
    kind: type[SelectField],
    label: Any,
    labels: Mapping[Any, Any],
    message: Any = None,
    placeholder: Any = None,
    **extra: Any,
) -> Any:
    """A select or radio field offering an enum's values with their labels in the
    reader's language (``storyboard.labels``). With a ``placeholder`` nothing is
    preselected: the person must choose."""
    choices = [SelectChoice(value.value, text) for value, text in labels.items()]
    if placeholder is not None:
        choices.insert(0, SelectChoice("", placeholder))
    return kind(label, choices=choices, validators=[InputRequired(message)], **extra)


class CsrfOnlyForm(FlaskForm):
    """A button that needs nothing but its CSRF token (the object is in the address):
    confirm, erase, give kudos, revoke, send again."""
