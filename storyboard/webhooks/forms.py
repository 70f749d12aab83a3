"""The admin's webhook form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, URLField
from wtforms.validators import InputRequired, Length

from storyboard.forms import LineField, MultiCheckboxField
from storyboard.webhooks.events import FEATURED, PUBLISHED
from storyboard.webhooks.service import SECRET_MAX, URL_MAX

EVENT_LABELS = {PUBLISHED: _l("A story is published"), FEATURED: _l("A story is featured")}


class WebhookForm(FlaskForm):
    url = URLField(
        _l("Address"),
        validators=[InputRequired(), Length(max=URL_MAX)],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    secret = LineField(
        _l("Shared secret"),
        validators=[Length(max=SECRET_MAX)],
        description=_l(
            "Signs every delivery (HMAC-SHA256). Leave empty to keep the current one; a new "
            "webhook gets a random one, shown once."
        ),
    )
    events = MultiCheckboxField(
        _l("Send when"),
        choices=[SelectChoice(name, label) for name, label in EVENT_LABELS.items()],
        validate_choice=True,
    )
    active = BooleanField(_l("On"), default=True)
