"""Turning what a person typed into a Whoosh query, calmly.

Supported: words, "exact phrases", OR, -exclude, NOT, (groups) and field:value for
team, channel, theme, language, author, title and body. Anything else is read as
words; a malformed query gets a notice and best-effort results, never an error.
"""

from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    MultifieldParser,
    PlusMinusPlugin,
    WildcardPlugin,
)
from whoosh.fields import Schema

from storyboard.search.analysis import FIELD_ALIASES, TEXT_FIELDS
from storyboard.text import clean_line

MAX_QUERY_CHARS = 500
_WORD = re.compile(r"(?<![\w:])([^\W\d_][\w'-]*)(?![\w:])")


def _parser(schema: Schema) -> MultifieldParser:
    parser = MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=TEXT_FIELDS, group=AndGroup)
    # Leading wildcards expand to every term in the index: not worth their cost here.
    parser.remove_plugin_class(WildcardPlugin)
    parser.add_plugin(PlusMinusPlugin())
    aliases: dict[str, list[str]] = {}
    for alias, target in FIELD_ALIASES.items():
        aliases.setdefault(target, []).append(alias)
    parser.add_plugin(FieldAliasPlugin(aliases))
    return parser


def _looks_malformed(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return True
    return depth != 0 or text.count('"') % 2 == 1


def clean_query_text(raw: str | None) -> tuple[str, bool]:
    """The query as it will be searched, and whether it had to be shortened."""
    text = clean_line(raw)
    if len(text) > MAX_QUERY_CHARS:
        return text[:MAX_QUERY_CHARS], True
    return text, False


def parse_query(text: str, schema: Schema) -> tuple[wq.Query, bool]:
    """A Whoosh query for ``text`` (already cleaned), and whether it was malformed."""
    if not text:
        return wq.Every(), False
    malformed = _looks_malformed(text)
    try:
        parsed = _parser(schema).parse(text)
    except Exception:  # noqa: BLE001 - whatever the parser trips on, fall back to words
        parsed, malformed = None, True
    if parsed is None or parsed is wq.NullQuery or isinstance(parsed, wq.NullQuery.__class__):
        words = " ".join(_WORD.findall(text))
        if not words:  # nothing searchable ("?", "(((", "-"): show the newest stories
            return wq.Every(), True
        parsed = _parser(schema).parse(words)
    return parsed, malformed


def plain_words(text: str) -> list[str]:
    """The free words of a query (no field:value, no operators): spelling candidates."""
    return [w for w in _WORD.findall(text) if w not in {"AND", "OR", "NOT"}]
