"""Turning what a person typed into a Whoosh query, calmly.

Supported: words, "exact phrases", OR, -exclude, NOT, (groups) and field:value for
team, channel, theme, language, author, title and body. Anything else is read as
words; a malformed query gets a notice and best-effort results, never an error.
"""

from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.analysis import RegexTokenizer
from whoosh.fields import Schema
from whoosh.qparser import (
    AndGroup,
    CopyFieldPlugin,
    EveryPlugin,
    FieldAliasPlugin,
    MultifieldParser,
    PhrasePlugin,
    PlusMinusPlugin,
    QueryParser,
    WildcardPlugin,
    syntax,
)
from whoosh.qparser.plugins import Plugin

from storyboard.search.analysis import FIELD_ALIASES, TEXT_FIELDS
from storyboard.text import clean_line

MAX_QUERY_CHARS = 500
# Words (and operators) searched at most: every word is four field look-ups, parsing
# and a spelling check. A real search is a few words; a pasted paragraph keeps its
# beginning, with the notice that the rest was not used.
MAX_QUERY_TERMS = 24
_WORD = re.compile(r"(?<![\w:])([^\W\d_][\w'-]*)(?![\w:])")
# A typed field name searches the same words in both language copies of that field.
_OTHER_LANGUAGE = {"title_en": "title_nl", "body_en": "body_nl"}
# + and - are operators only at the start of a word: "stand-up" and "e-mail" are words,
# not "stand AND NOT up".
_PLUS = r"(?<![^\s(])\+"
_MINUS = r"(?<![^\s(])-"
_PLAIN_TOKENS = RegexTokenizer()


class WordStartPlusMinusPlugin(PlusMinusPlugin):
    """``+word`` and ``-word`` at the start of a word only; a query of exclusions alone
    (``-late``) means every story except those, not no story (or, worse, ``late``)."""

    def __init__(self) -> None:
        super().__init__(plusexpr=_PLUS, minusexpr=_MINUS)

    def do_plusminus(self, parser: QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        group = super().do_plusminus(parser, group)
        if isinstance(group, syntax.AndNotGroup) and not group[0]:
            group[0] = EveryPlugin.EveryNode().set_range(0, 0)
        return group


class ExactPhrasePlugin(Plugin):
    """Keeps an "exact phrase" exact: a field whose stop list drops one of its words
    (English drops "up" from "stood up", leaving just "stood") is searched for the phrase
    only when no other field keeps every word."""

    def filters(self, parser: QueryParser) -> list[tuple[object, int]]:
        # After field names (100), copied fields (109) and the multifield split (110).
        return [(self.do_exact_phrases, 111)]

    def do_exact_phrases(self, parser: QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_exact_phrases(parser, node)
        phrases = [node for node in group if isinstance(node, PhrasePlugin.PhraseNode)]
        whole = [node for node in phrases if _keeps_every_word(parser.schema, node)]
        if whole and len(whole) < len(phrases):
            kept = group.empty_copy()
            for node in group:
                if not isinstance(node, PhrasePlugin.PhraseNode) or node in whole:
                    kept.append(node)
            return kept
        return group


def _keeps_every_word(schema: Schema, node: syntax.SyntaxNode) -> bool:
    if node.fieldname not in schema:
        return True
    analyzed = sum(1 for _ in schema[node.fieldname].tokenize(node.text, mode="query"))
    return analyzed == sum(1 for _ in _PLAIN_TOKENS(node.text))


def _parser(schema: Schema) -> MultifieldParser:
    parser = MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=TEXT_FIELDS, group=AndGroup)
    # Leading wildcards expand to every term in the index: not worth their cost here.
    parser.remove_plugin_class(WildcardPlugin)
    parser.add_plugin(WordStartPlusMinusPlugin())
    aliases: dict[str, list[str]] = {}
    for alias, target in FIELD_ALIASES.items():
        aliases.setdefault(target, []).append(alias)
    parser.add_plugin(FieldAliasPlugin(aliases))
    parser.add_plugin(CopyFieldPlugin(dict(_OTHER_LANGUAGE)))
    parser.add_plugin(ExactPhrasePlugin())
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
    return bounded_query_text(clean_line(raw))


def bounded_query_text(text: str) -> tuple[str, bool]:
    """``text`` cut to ``MAX_QUERY_CHARS`` characters and ``MAX_QUERY_TERMS`` terms,
    and whether it was cut. Backends apply it too, whoever calls them."""
    shortened = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    terms = text.split()
    if len(terms) > MAX_QUERY_TERMS:
        return " ".join(terms[:MAX_QUERY_TERMS]), True
    return text, shortened


def query_terms(text: str) -> int:
    """How many terms ``text`` has, as ``bounded_query_text`` counts them."""
    return len(text.split())


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
    return _without_and_not(parsed), malformed


def _without_and_not(query: wq.Query) -> wq.Query:
    """``a -b`` as ``a AND NOT b``. Whoosh's ``AndNot`` matcher lets through the first
    match of ``a`` when ``b``'s first match comes before it (``AndNotMatcher._find_first``
    only looks for an exclusion when both start on the same document), so
    ``birthday -team:retail`` could return a Retail story; ``And`` with ``Not`` does not."""
    if isinstance(query, wq.AndNot):
        return wq.And([_without_and_not(query.a), wq.Not(_without_and_not(query.b))])
    if query.is_leaf():
        return query
    return query.apply(_without_and_not)


def plain_words(text: str) -> list[str]:
    """The free words of a query (no field:value, no operators): spelling candidates."""
    return [w for w in _WORD.findall(text) if w not in {"AND", "OR", "NOT"}]
