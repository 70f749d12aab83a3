"""The survey-answer upload form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, TextAreaField

from storyboard.forms import LineField, MaxChars
from storyboard.models.nps import SOURCE_MAX
from storyboard.nps.importer import DEFAULT_SOURCE


class ImportForm(FlaskForm):
    """A CSV file and the same options as ``storyboard import-nps``. The file is
    required unless ``pending`` names an upload kept for confirmation (the view checks:
    "Import anyway" sends the options again, not the file)."""

    file = FileField(_l("CSV file"))
    source = LineField(
        _l("Source"),
        default=DEFAULT_SOURCE,
        validators=[MaxChars(SOURCE_MAX)],
        description=_l(
            "The survey system the answers come from. With the answer's id it "
            "makes each answer unique, so importing a file twice adds nothing."
        ),
    )
    mapping = TextAreaField(
        _l("Column names"),
        validators=[MaxChars(2000)],
        description=_l(
            "Only when your file uses other column names: one column=field per "
            "line, for example Cijfer=score."
        ),
    )
    strict = BooleanField(_l("Import nothing if any row is bad"))
    create_teams = BooleanField(_l("Create teams that do not exist yet"))
    create_channels = BooleanField(_l("Create missing channels"))
    pending = HiddenField(validators=[MaxChars(64)])
    force = BooleanField(_l("Import anyway"))


class LinkAnswerForm(FlaskForm):
    """Link a story to the survey answer behind it, by the answer's number."""

    answer = LineField(
        _l("Survey answer number"),
        validators=[MaxChars(20)],
        description=_l("The number shown on the survey answers page, e.g. 1234."),
    )
