"""Cleaning of user-typed text before it is validated or stored."""

from __future__ import annotations

import re
import unicodedata

# NUL is refused by PostgreSQL; zero-width and BOM characters make "empty" look filled.
_INVISIBLE = re.compile("[\x00\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_line(value: str | None) -> str:
    """A one-line field: NFC-normalised, invisible and control characters removed,
    whitespace collapsed and trimmed. ``café`` typed as NFD compares equal to NFC."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", value)
    value = _CONTROL.sub("", _INVISIBLE.sub("", value))
    return " ".join(value.split())


def clean_body(value: str | None) -> str:
    """A multi-line field: like ``clean_line`` but keeping line breaks (as ``\\n``)."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", _INVISIBLE.sub("", value))
    return value.strip()


def slugify(value: str) -> str:
    """ASCII slug for URLs and filters: ``Time & place`` → ``time-place``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "item"
