"""What a password may contain: anything a person can type, but no control characters.

NUL, tab, line breaks and the other control characters (Unicode category Cc) are refused
with a message, never silently dropped: ``storyboard.request`` removes NUL from every
other form field, but keeps it in fields named like "password" so that this rule sees
it. A password is only ever stored as a hash, so a refused character never reaches the
database either way.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

CONTROL_CHARACTER_MESSAGE = _l(
    "A password cannot contain invisible control characters (such as NUL, a tab or a "
    "line break). Type it again without them."
)


def has_control_characters(password: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in password)


class NoControlCharacters:
    """A WTForms validator for every password field, the sign-in form's included."""

    def __call__(self, form: Any, field: Any) -> None:
        if isinstance(field.data, str) and has_control_characters(field.data):
            raise ValidationError(CONTROL_CHARACTER_MESSAGE)
