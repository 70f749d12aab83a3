"""Cleaning of user-typed text before it is validated or stored."""

from __future__ import annotations

import re
import unicodedata

# NUL is refused by PostgreSQL; zero-width and BOM characters make "empty" look filled.
_INVISIBLE = re.compile("[\x00\u200b\u2060\ufeff]")
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Zero-width (non-)joiners build emoji sequences (👨‍👩‍👧) and Persian words, so they stay
# between two visible characters; at the edge of a word they only hide emptiness.
_LOOSE_JOINERS = re.compile("(?<!\\S)[\u200c\u200d]++|[\u200c\u200d]++(?!\\S)")
# A lone surrogate (from a JSON "\\ud800" escape) cannot be stored or encoded as UTF-8.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def _visible_nfc(value: str) -> str:
    """Invisible and control characters removed, then NFC (so that a removed character
    between a letter and its accent cannot leave the pair decomposed)."""
    value = _LONE_SURROGATE.sub("\ufffd", value)
    value = _LOOSE_JOINERS.sub("", _CONTROL.sub("", _INVISIBLE.sub("", value)))
    return unicodedata.normalize("NFC", value)


def clean_line(value: str | None) -> str:
    """A one-line field: NFC-normalised, invisible and control characters removed,
    whitespace collapsed and trimmed. ``café`` typed as NFD compares equal to NFC."""
    if value is None:
        return ""
    return " ".join(_visible_nfc(value).split())


def clean_body(value: str | None) -> str:
    """A multi-line field: like ``clean_line`` but keeping line breaks (as ``\\n``) and
    the indentation of the first line (an indented code block may open a story)."""
    if value is None:
        return ""
    value = _visible_nfc(value.replace("\r\n", "\n").replace("\r", "\n"))
    return _LEADING_BLANK_LINES.sub("", value).rstrip()


def slugify(value: str) -> str:
    """ASCII slug for URLs and filters: ``Time & place`` → ``time-place``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "item"
