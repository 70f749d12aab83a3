"""The "Share with…" form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from storyboard.forms import LineField


class ShareForm(FlaskForm):
    # Checked by ``sharing.resolve_recipients`` and ``sharing.clean_note``, which say
    # what is wrong in words; the fields only bound the size of what is posted.
    recipients = StringField(_l("Colleagues (e-mail addresses, separated by commas)"))
    note = LineField(_l("One line on why it matters to them"))
