"""The comment box under a story (kudos need no fields: ``storyboard.forms.CsrfOnlyForm``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"))
