"""The app's request class: query strings and form fields never carry NUL characters.

A NUL is never meaningful in anything a person types here, SQLite stores it silently
and PostgreSQL refuses it in text (a ``DataError``, so a 500 for ``?theme=%00``). Rather
than guard every field and filter, the characters are dropped where Werkzeug builds
``request.args`` and ``request.form`` (both use ``parameter_storage_class``).

One exception: a field whose name contains "password" keeps its NULs. Dropping them
would let "abc\x00def" sign in as "abcdef"; kept, the password rule
(``storyboard.auth.passwords``) refuses it with a message. A password is stored only as
a hash, so no NUL reaches the database this way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

KEEPS_NUL = "password"  # any field whose name contains this, e.g. new_password


def _clean(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


def _clean_value(key: Any, value: Any) -> Any:
    if isinstance(key, str) and KEEPS_NUL in key.lower():
        return value
    return _clean(value)


def _pairs(mapping: Any) -> Iterable[tuple[Any, Any]]:
    if isinstance(mapping, MultiDict):
        return mapping.items(multi=True)
    if isinstance(mapping, Mapping):
        return (
            (key, item)
            for key, value in mapping.items()
            for item in (value if isinstance(value, (list, tuple)) else [value])
        )
    return mapping


class WithoutNul(ImmutableMultiDict):
    """An immutable multi-dict whose keys and string values have no NUL characters
    (except the values of password fields)."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
        else:
            super().__init__(
                [(_clean(key), _clean_value(_clean(key), value)) for key, value in _pairs(mapping)]
            )


class StoryboardRequest(Request):
    parameter_storage_class = WithoutNul
