"""The search syntax, translated to PostgreSQL full-text conditions.

The query is parsed by the very parser the Whoosh backend uses (``search.query``), so
both backends read ``"exact phrase"``, ``OR``, ``-exclude``, ``NOT``, ``(groups)`` and
``field:value`` the same way; only the leaves differ. Here the text fields keep each
typed word or phrase whole and PostgreSQL does the rest: every leaf becomes
``storyboard_tsquery`` (``pg_schema``): ``phraseto_tsquery`` in the Dutch and the
English configuration (accents folded by ``unaccent``), so a word matches its
inflections in both languages, as in Whoosh.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from whoosh import query as wq
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import TEXT, Schema

from storyboard.search.analysis import FIELD_ALIASES, TEXT_FIELDS
from storyboard.search.pg_schema import FACETS_TABLE, LEXEME_LIMIT, PAIRS
from storyboard.search.query import NOTHING, Expander, QueryNotes, parse_query

# Facet and field names in a query → column of search_facets.
LABEL_COLUMNS = {
    "team": "team",
    "channel": "channel",
    "author_kind": "author_kind",
    "language": "language",
    "period": "period",
}


def _whole_text() -> Any:
    """Keeps what was typed in one piece (PostgreSQL splits and stems it); nothing
    when it has no word in it ("::", a lone quote), as Whoosh's analyzers do."""
    return RegexTokenizer(r"(?s).*\w.*") | LowercaseFilter()


def parsing_schema() -> Schema:
    """The Whoosh schema's field names, with text fields that leave words to PostgreSQL.
    Label fields (team, theme, …) are read as plain strings too."""
    names = set(TEXT_FIELDS) | set(FIELD_ALIASES.values()) | set(LABEL_COLUMNS) | {"themes"}
    return Schema(**{name: TEXT(analyzer=_whole_text()) for name in sorted(names)})


PARSING_SCHEMA = parsing_schema()


@dataclass
class Translation:
    """A SQL condition on ``search_facets`` (values only ever as bound parameters),
    and the words and phrases that rank and highlight the matches."""

    condition: str
    # ``condition`` as checked row by row (walking the date index newest first): phrases
    # on the vectors, never through the word-pair function (a story's pairs cost about
    # 0.5 ms to compute; the index holds them for the other plans).
    checked_condition: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    # Parameter name → typed word or phrase (its tsquery text is in ``params``).
    leaves: dict[str, Leaf] = field(default_factory=dict)
    rank_query: str | None = None
    malformed: bool = False
    # Whether PostgreSQL must check the condition's matches in their vectors (a phrase
    # the word-pair index cannot answer alone, a field restriction): reading each
    # match's vector then costs as much on every plan (``PostgresBackend._sparse``).
    rechecked: bool = False


def _name_for(named: dict[str, Any], prefix: str, value: Any) -> str:
    """The parameter name already bound to ``value`` in ``named``, or a new one."""
    for name, known in named.items():
        if known == value:
            return name
    name = f"{prefix}{len(named)}"
    named[name] = value
    return name


# Each text field's weight letter in ``search_facets.tsv``, where the English stems carry
# a mark of their own (``ENGLISH_MARK``), so a Dutch stem never meets an English copy and
# a word on all of title and body needs no weights: the GIN index answers it without
# reading a single vector (a weight or a phrase makes PostgreSQL recheck every match).
FIELD_WEIGHTS = {"title_nl": "A", "title_en": "B", "body_nl": "C", "body_en": "D"}
ALL_WEIGHTS = {"nl": "AC", "en": "BD"}
TITLE_WEIGHTS = {"A", "B"}


@dataclass(frozen=True)
class Leaf:
    """A typed word or phrase and the weights (fields) it may match, per language."""

    words: str
    nl: str
    en: str

    @property
    def column(self) -> str:
        """``title_tsv`` (small, kept in the row) for a title-only leaf, else ``tsv``."""
        return "title_tsv" if set(self.nl + self.en) <= TITLE_WEIGHTS else "tsv"

    def weights(self, lang: str) -> str:
        """The weights a stem in ``lang`` must carry in ``column`` ("" for any)."""
        letters = self.nl if lang == "nl" else self.en
        if self.column == "title_tsv" or letters == ALL_WEIGHTS[lang]:
            return ""
        return letters


@dataclass(frozen=True)
class Analysed:
    """A typed word or phrase as PostgreSQL reads it: its tsquery text on the leaf's
    column, and for a phrase of adjacent words the tsquery on the word-pair index
    (``pg_schema.create_pairs``), which matches a superset of it, or exactly its matches
    (``exact``: two words, on every field)."""

    tsquery: str
    pairs: str | None = None
    exact: bool = False


# Turns the typed words and phrases into tsquery text, in one round trip.
Analyser = Callable[[dict[str, "Leaf"]], Mapping[str, Analysed]]
_LEXEME = r"'(?:[^']|'')*'"
_CHAIN = re.compile(rf"{_LEXEME}(?: <-> {_LEXEME})+")
# A phrase operator (``<->``, ``<2>``) or a weight restriction (``'x':AC``) in tsquery
# text: the GIN index then finds candidates that PostgreSQL must check in their vectors.
_RECHECKED = re.compile(r"<\d*-?>|':[A-D]+")


def needs_recheck(tsquery: str) -> bool:
    """Whether matches of ``tsquery`` (on a vector column) must be checked in the
    vectors: GIN knows which stories hold a lexeme, not where or in which field."""
    return bool(_RECHECKED.search(tsquery))


def word_pairs(phrases: list[str]) -> tuple[str | None, bool]:
    """The word-pair tsquery for ``phrases`` (tsquery texts without weights, one per
    language, OR'ed), and whether it is exact: ``'a' <-> 'b' <-> 'c'`` needs the pairs
    ``'a b' & 'b c'`` (exact for two words only). None when one of them is not a chain
    of adjacent words (one word, or ``<2>`` where a stop word was), or a pair is longer
    than a lexeme may be."""
    alternatives, exact = [], True
    for phrase in phrases:
        if not _CHAIN.fullmatch(phrase):
            return None, False
        lexemes = [match[1:-1] for match in re.findall(_LEXEME, phrase)]
        exact = exact and len(lexemes) == 2
        pairs = [f"{a} {b}" for a, b in pairwise(lexemes)]
        if any(len(pair.replace("''", "'").encode()) > LEXEME_LIMIT for pair in pairs):
            return None, False  # too long for the index, which leaves such pairs out
        pairs = [f"'{pair}'" for pair in pairs]
        alternatives.append(f"( {' & '.join(pairs)} )")
    if not alternatives:
        return None, False
    return " | ".join(alternatives), exact


def _leaf(words: str, fields: set[str]) -> Leaf:
    letters = {
        lang: "".join(sorted(FIELD_WEIGHTS[f] for f in fields if f.endswith(lang)))
        for lang in ("nl", "en")
    }
    return Leaf(words, letters["nl"], letters["en"])


@dataclass(frozen=True)
class _Text:
    """A condition that is one tsquery on one vector column: words, phrases and their
    AND, OR and NOT, so one GIN scan answers it (an exclusion too)."""

    column: str
    tsquery: str


@dataclass(frozen=True)
class _Sql:
    condition: str


_Condition = _Text | _Sql


def _sql(condition: _Condition) -> str:
    if isinstance(condition, _Sql):
        return condition.condition
    return f"({condition.column} @@ {condition.tsquery})"


def _combined(parts: list[_Condition], tsquery_op: str, sql_op: str) -> _Condition:
    """``parts`` joined by AND or OR: tsqueries on the same column become one."""
    by_column: dict[str, list[str]] = {}
    others: list[str] = []
    for part in parts:
        if isinstance(part, _Text):
            by_column.setdefault(part.column, []).append(part.tsquery)
        else:
            others.append(part.condition)
    texts = [
        _Text(column, queries[0] if len(queries) == 1 else f"({f' {tsquery_op} '.join(queries)})")
        for column, queries in by_column.items()
    ]
    if len(texts) == 1 and not others:
        return texts[0]
    return _Sql(f"({f' {sql_op} '.join([*(_sql(t) for t in texts), *others])})")


class _Builder:
    """Builds the condition; with ``analysed`` (the leaves' tsqueries by name) it can
    answer phrases from the word-pair index."""

    def __init__(self, analysed: Mapping[str, Analysed] | None = None, pairs: bool = True) -> None:
        self.params: dict[str, Any] = {}
        # The pair tsqueries, apart: ``params`` then names labels alike with or
        # without pairs (``translate`` builds the condition both ways).
        self.pair_params: dict[str, str] = {}
        self.leaves: dict[str, Leaf] = {}
        self.rank: list[Leaf] = []
        self.analysed = analysed or {}
        self.pairs = pairs
        self.rechecked = False

    def param(self, value: Any) -> str:
        return f":{_name_for(self.params, 'q', value)}"

    def tsquery(self, leaf: Leaf) -> str:
        """Matches the leaf's words as a phrase (one word is a phrase of one), stemmed
        in Dutch and English: a constant the planner can take to the GIN index."""
        return f"CAST(:{_name_for(self.leaves, 't', leaf)} AS tsquery)"

    def matches(self, fields: set[str], words: str, positive: bool) -> _Condition:
        """The leaf's condition. A phrase the word-pair index answers exactly is a
        condition on that index alone; one it narrows down (three words or more, a
        field restriction) is checked in the vectors of those candidates only.
        Exclusions keep the vector column: a negated pair condition alone would make
        PostgreSQL compute pairs story by story."""
        leaf = _leaf(words, fields)
        if positive:
            self.rank.append(leaf)
        condition = _Text(leaf.column, self.tsquery(leaf))
        analysed = self.analysed.get(_name_for(self.leaves, "t", leaf))
        if analysed is None:
            return condition
        if positive and analysed.pairs and self.pairs:
            name = _name_for(self.pair_params, "p", analysed.pairs)
            pairs = _Text(PAIRS, f"CAST(:{name} AS tsquery)")
            if analysed.exact:
                return pairs
            # The candidates apart (an array, computed once): in one bitmap scan with the
            # vector condition, PostgreSQL would recheck both on every candidate and
            # compute each one's pairs (8.9 s for 21,442 stories).
            self.rechecked = True
            candidates = f"SELECT story_id FROM {FACETS_TABLE} WHERE {_sql(pairs)}"
            return _Sql(f"(story_id = ANY(ARRAY({candidates})) AND {_sql(condition)})")
        self.rechecked = self.rechecked or needs_recheck(analysed.tsquery)
        return condition

    def rank_query(self) -> str | None:
        """Every positive word and phrase OR'ed: what ``ts_rank`` uses."""
        leaves = list(dict.fromkeys(self.rank))
        return " || ".join(self.tsquery(leaf) for leaf in leaves) if leaves else None


def translate(
    text_query: str,
    analyse: Analyser,
    expand: Expander | None = None,
    notes: QueryNotes | None = None,
) -> Translation:
    """The query as typed (already cleaned), as a condition on ``search_facets``: a
    first pass finds the words and phrases, ``analyse`` turns them into tsqueries, and
    the second pass builds the condition knowing which phrases the pair index answers."""
    parsed, malformed = parse_query(text_query, PARSING_SCHEMA, expand, notes)
    finder = _Builder()
    _condition(parsed, finder, positive=True)
    analysed = analyse(finder.leaves) if finder.leaves else {}
    builder = _Builder(analysed)
    condition = _sql(_condition(parsed, builder, positive=True))
    checker = _Builder(analysed, pairs=False)
    checked_condition = _sql(_condition(parsed, checker, positive=True))
    # Same leaves and labels in the same order: the same names in both conditions.
    assert checker.params == builder.params and checker.leaves == builder.leaves
    params = {
        **builder.params,
        **builder.pair_params,
        **{name: analysed[name].tsquery for name in builder.leaves},
    }
    return Translation(
        condition=condition,
        checked_condition=checked_condition,
        params=params,
        leaves=builder.leaves,
        rank_query=builder.rank_query(),
        malformed=malformed,
        rechecked=builder.rechecked,
    )


def _condition(query: wq.Query, builder: _Builder, positive: bool) -> _Condition:
    if isinstance(query, wq.Every):
        return _Sql("TRUE")
    if query is wq.NullQuery or isinstance(query, wq.NullQuery.__class__) or query == NOTHING:
        return _Sql("FALSE")
    if isinstance(query, wq.Not):
        inner = _condition(query.query, builder, not positive)
        if isinstance(inner, _Text):
            return _Text(inner.column, f"(!! {inner.tsquery})")
        return _Sql(f"(NOT {inner.condition})")
    if isinstance(query, wq.Or):
        parts: list[_Condition] = [
            builder.matches(fields, words, positive)
            for words, fields in _text_leaves_by_words(query.subqueries).items()
        ]
        parts += [
            _condition(sub, builder, positive)
            for sub in query.subqueries
            if _text_leaf(sub) is None
        ]
        return _combined(parts, "||", "OR") if parts else _Sql("FALSE")
    if isinstance(query, wq.And):
        parts = [_condition(sub, builder, positive) for sub in query.subqueries]
        return _combined(parts, "&&", "AND") if parts else _Sql("TRUE")
    leaf = _text_leaf(query)
    if leaf is not None:
        return builder.matches({leaf[0]}, leaf[1], positive)
    if isinstance(query, wq.Term):
        return _Sql(_label_condition(query.fieldname, str(query.text), builder))
    # Ranges, wildcards and other syntax the page does not offer match nothing.
    return _Sql("FALSE")


def _text_leaf(query: wq.Query) -> tuple[str, str] | None:
    """(field, words) of a word or phrase on a text field, else None."""
    if isinstance(query, wq.Term) and query.fieldname in TEXT_FIELDS:
        return query.fieldname, str(query.text)
    if isinstance(query, wq.Phrase) and query.fieldname in TEXT_FIELDS:
        return query.fieldname, " ".join(query.words)
    return None


def _text_leaves_by_words(subqueries: list[wq.Query]) -> dict[str, set[str]]:
    """An OR of one word over the four text fields (what a bare word parses to) becomes
    one condition on the combined column, so the GIN index serves it."""
    grouped: dict[str, set[str]] = {}
    for sub in subqueries:
        leaf = _text_leaf(sub)
        if leaf is not None:
            grouped.setdefault(leaf[1], set()).add(leaf[0])
    return grouped


def _label_condition(fieldname: str, value: str, builder: _Builder) -> str:
    value = value.strip().lower()
    if fieldname == "themes":
        return f"({builder.param(value)} = ANY(themes))"
    column = LABEL_COLUMNS.get(fieldname)
    if column is None:
        return "FALSE"
    return f"({column} = {builder.param(value)})"
