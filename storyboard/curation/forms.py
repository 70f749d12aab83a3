"""The featuring form on a story page, and the withdraw button's form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, ValidationError

from storyboard.curation.service import NOTE_MAX
from storyboard.forms import LineField, MaxChars, optional_int
from storyboard.models import FeatureKind
from storyboard.weeks import IsoWeek

KIND_LABELS = {
    FeatureKind.PRAISE: _l("Praise — a promoter, a good experience"),
    FeatureKind.LESSON: _l("Lesson — a detractor, something that went wrong"),
}
KIND_SHORT_LABELS = {FeatureKind.PRAISE: _l("Praise"), FeatureKind.LESSON: _l("Lesson")}


class WeekField(StringField):
    """An ISO week as ``<input type="week">`` sends it (``2026-W48``); browsers without
    a week picker show a text box that accepts the same text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"placeholder": "2026-W48", "pattern": r"\d{4}-W\d{2}"})
        super().__init__(*args, **kwargs)
        self.week: IsoWeek | None = None

    def _value(self) -> str:
        if isinstance(self.data, IsoWeek):
            return str(self.data)
        return str(self.data or "")

    def pre_validate(self, form: Any) -> None:
        self.week = None
        text = self.data if isinstance(self.data, str) else self._value()
        if not text.strip():
            return  # InputRequired says so
        try:
            self.week = IsoWeek.parse(text)
        except ValueError:
            raise ValidationError(
                _l("Give the week as year and week number, for example 2026-W48.")
            ) from None


class FeatureForm(FlaskForm):
    """Feature a story: for whom (a team or everyone), which week, praise or lesson, why."""

    team_id = SelectField(_l("For"), coerce=optional_int, validate_choice=True)
    week = WeekField(_l("Week"), validators=[InputRequired(_l("Choose a week."))])
    kind = RadioField(
        _l("This story is"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[InputRequired(_l("Choose praise or lesson."))],
    )
    note = LineField(
        _l("Why it matters"),
        description=_l("One line for stakeholders, at most %(limit)s characters.", limit=NOTE_MAX),
        validators=[
            InputRequired(_l("Say in one line why this story matters.")),
            MaxChars(NOTE_MAX),
        ],
    )
