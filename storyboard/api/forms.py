"""The profile's "new API token" form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField
from wtforms.validators import InputRequired

from storyboard.api.tokens import EXPIRY_CHOICES, NAME_MAX, scopes_for
from storyboard.forms import LineField, MaxChars, MultiCheckboxField
from storyboard.models import Role


class TokenForm(FlaskForm):
    name = LineField(
        _l("Name"),
        validators=[
            InputRequired(_l("Give the token a name, such as the tool that will use it.")),
            MaxChars(NAME_MAX),
        ],
    )
    scopes = MultiCheckboxField(_l("Permissions"), validate_choice=True)
    expires = SelectField(_l("Valid for"), coerce=int, default=90)

    def for_role(self, role: Role) -> TokenForm:
        self.scopes.choices = [
            SelectChoice(scope.name, str(scope.label)) for scope in scopes_for(role)
        ]
        labels = {30: _l("30 days"), 90: _l("90 days"), 365: _l("1 year"), 0: _l("Until revoked")}
        self.expires.choices = [SelectChoice(days, str(labels[days])) for days in EXPIRY_CHOICES]
        return self
