"""Raising a learning moment on a story, and moving it to its next status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField


class RaiseForm(FlaskForm):
    proposal = StringField(_l("What should change?"))
    # Shown with every active manager as its options (``panel.raise_fields``).
    owner_id = SelectField(_l("Who takes it up?"), choices=[], validate_choice=False)


class MoveForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[], validate_choice=False)
    note = StringField(_l("Note (needed when declining)"))
