"""Turning what a person typed into a Whoosh query, calmly.

Supported: words, "exact phrases", OR (or ``or``), -exclude, NOT, (groups), ``word*``
and field:value for team, channel, theme, language, author, title and body. Anything
else is read as words; a malformed query gets a notice and best-effort results, never
an error. Both backends parse with this module (PostgreSQL with a schema that leaves
the words whole, see ``pg_query``), so the syntax and its meaning are the same.

Stop words: a word that is a stop word in Dutch or English (``de``, ``the``, ``het``)
never becomes a required word. Next to other words it is dropped; a query of stop words
only is searched per story language without each language's own stop words (``door``
finds English stories about a door; ``het is`` finds nothing).

Prefixes: ``bezorg*`` (at least ``MIN_PREFIX_CHARS`` letters) is expanded against the
index's own word list (``Expander``: the backend's "did you mean" dictionary) to at
most ``MAX_PREFIX_WORDS`` words, shortest first, searched as OR; when more words start
that way, the search says so (``QueryNotes.prefix_limited``). Inside a phrase
(``"pakket bezorg*"``) the phrase is searched once for each word the prefix expands to,
``MAX_PREFIX_WORDS`` phrases at most, so both backends match the same phrases.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.analysis import RegexTokenizer
from whoosh.fields import Schema
from whoosh.lang import stopwords_for_language
from whoosh.qparser import (
    AndGroup,
    CopyFieldPlugin,
    EveryPlugin,
    FieldAliasPlugin,
    MultifieldParser,
    OperatorsPlugin,
    PhrasePlugin,
    PlusMinusPlugin,
    QueryParser,
    WildcardPlugin,
    syntax,
)
from whoosh.qparser.plugins import Plugin

from storyboard.search.analysis import FIELD_ALIASES, TEXT_FIELDS, fold
from storyboard.search.phrases import GapsPlugin
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
_ANY_WORD = re.compile(r"[^\W_]")
# Each language's stop words (Snowball's lists, the same in Whoosh and PostgreSQL).
STOP_WORDS = {lang: frozenset(stopwords_for_language(lang)) for lang in ("nl", "en")}
ANY_STOP_WORD = STOP_WORDS["nl"] | STOP_WORDS["en"]
LANGUAGE_FIELDS = {
    lang: {name for name in TEXT_FIELDS if name.endswith(f"_{lang}")} for lang in STOP_WORDS
}
# ``or`` in any case is OR too (people type it so; it is a stop word anyway).
_OR = r"(?<=\s)(?i:or)(?=\s)"
MIN_PREFIX_CHARS = 3
MAX_PREFIX_WORDS = 40
# Known words a prefix looks at, in alphabetical order, before picking the shortest.
PREFIX_SCAN = 2000
_PREFIX = re.compile(r"^([^\W_][\w'-]*?)\*+$")
# ``word*`` inside a phrase's text.
_PHRASE_PREFIX = re.compile(r"(?<![\w*])([^\W_][\w'-]*?)\*+(?![\w'-])")
# A word whose expansion is empty: a term no story has (a story id is never empty).
NOTHING = wq.Term("story_id", "")

# (folded prefix) → (known words starting with it, shortest first; whether cut)
Expander = Callable[[str], tuple[list[str], bool]]


def shortest_first(words: list[str]) -> tuple[list[str], bool]:
    """The first ``MAX_PREFIX_WORDS`` of ``words`` (up to ``PREFIX_SCAN`` + 1 words in
    alphabetical order, as a backend read them) by length then alphabet, and whether
    any were left out. Both backends pick a prefix's words this way."""
    cut = len(words) > PREFIX_SCAN
    chosen = sorted(words[:PREFIX_SCAN], key=lambda word: (len(word), word))
    return chosen[:MAX_PREFIX_WORDS], cut or len(chosen) > MAX_PREFIX_WORDS


@dataclass
class QueryNotes:
    """What parsing noticed besides the query, for the notices a person sees."""

    malformed: bool = False
    prefix_limited: bool = False
    prefix_too_short: bool = False

    @property
    def notice(self) -> str | None:
        """The one notice code a search reports (see ``SearchResults.notice``)."""
        if self.malformed:
            return "malformed"
        if self.prefix_limited:
            return "prefix_limited"
        if self.prefix_too_short:
            return "prefix_too_short"
        return None


class _NothingNode(syntax.SyntaxNode):
    """A prefix no known word starts with: matches no story."""

    def r(self) -> str:
        return "NOTHING"

    def query(self, parser: QueryParser) -> wq.Query:
        return NOTHING


class _StopWordsNode(syntax.SyntaxNode):
    """A group of stop words only (``het is``): searched per story language."""

    def __init__(self, words: list[tuple[str | None, str]], start: int, end: int) -> None:
        self.words = words
        self.startchar, self.endchar = start, end

    def r(self) -> str:
        return f"STOPWORDS {self.words!r}"

    def query(self, parser: QueryParser) -> wq.Query:
        return _per_language(self.words, parser.schema)


class WordsPlugin(Plugin):
    """Stop words and prefixes, on the flat groups the parser makes before it splits
    words over fields (priority 105: after field names, before the multifield copy)."""

    def __init__(self, expand: Expander | None, notes: QueryNotes) -> None:
        self.expand = expand
        self.notes = notes

    def filters(self, parser: QueryParser) -> list[tuple[object, int]]:
        return [(self.do_words, 105)]

    def do_words(self, parser: QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        return self._group(group)

    def _group(self, group: syntax.GroupNode) -> syntax.GroupNode:
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self._group(node)
            elif isinstance(node, syntax.WordNode):
                group[i] = self._prefix(node)
            elif isinstance(node, PhrasePlugin.PhraseNode):
                group[i] = self._phrase_prefixes(node)
        if not isinstance(group, syntax.AndGroup):
            return group
        units = _units(group)
        if units is None:
            return group
        kept: list[list[syntax.SyntaxNode]] = []
        for unit in units:
            kept_unit = _without_stop_alternatives(unit)
            if kept_unit is not None:
                kept.append(kept_unit)
        if not kept:  # stop words only (or nothing at all)
            stops = [unit[-1] for unit in units if not _is_negative(unit)]
            rebuilt = group.empty_copy()
            if stops:
                words = [(node.fieldname, node.text) for node in stops]
                rebuilt.append(_StopWordsNode(words, stops[0].startchar, stops[-1].endchar))
            elif units:  # only excluded stop words ("-the"): they exclude nothing
                rebuilt.append(EveryPlugin.EveryNode().set_range(0, 0))
            else:
                return group
            return rebuilt
        rebuilt = group.empty_copy()
        for index, unit in enumerate(kept):
            if index:
                rebuilt.append(syntax.Whitespace())
            rebuilt.extend(unit)
        return rebuilt

    def _prefix(self, node: syntax.WordNode) -> syntax.SyntaxNode:
        match = _PREFIX.match(node.text)
        if match is None:
            return node
        stem = fold(match.group(1))
        if len(stem) < MIN_PREFIX_CHARS or self.expand is None:
            self.notes.prefix_too_short = self.notes.prefix_too_short or self.expand is not None
            return _word_like(node, match.group(1))
        words, cut = self.expand(stem)
        self.notes.prefix_limited = self.notes.prefix_limited or cut
        if not words:
            return _word_like(node, "", _NothingNode())
        return syntax.OrGroup([_word_like(node, word) for word in words])

    def _phrase_prefixes(self, node: PhrasePlugin.PhraseNode) -> syntax.SyntaxNode:
        """A phrase with ``word*`` in it: the phrase once for each known word the
        prefix expands to, searched as OR: ``MAX_PREFIX_WORDS`` phrases at most, shared
        evenly by its prefixes (the shortest words of each); more, and the search says so."""
        prefixes = list(_PHRASE_PREFIX.finditer(node.text))
        if not prefixes:
            return node
        # Each prefix's share of the phrases: 40 for one, 6 each for two, 3 for three.
        share = max(1, int(MAX_PREFIX_WORDS ** (1 / len(prefixes)) + 1e-9))
        variants, done = [""], 0
        for match in prefixes:
            before, done = node.text[done : match.start()], match.end()
            stem = fold(match.group(1))
            if len(stem) < MIN_PREFIX_CHARS or self.expand is None:
                self.notes.prefix_too_short |= self.expand is not None
                words = [match.group(1)]
            else:
                words, cut = self.expand(stem)
                self.notes.prefix_limited |= cut or len(words) > share
                if not words:
                    return _word_like(node, "", _NothingNode())
                words = words[:share]
            variants = [variant + before + word for variant in variants for word in words]
        phrases = [
            _word_like(
                node,
                "",
                PhrasePlugin.PhraseNode(text + node.text[done:], node.textstartchar, node.slop),
            )
            for text in variants
        ]
        return phrases[0] if len(phrases) == 1 else syntax.OrGroup(phrases)


def _word_like(
    node: syntax.SyntaxNode, text: str, new: syntax.SyntaxNode | None = None
) -> syntax.SyntaxNode:
    """A word node (or ``new``) in the place of ``node``: same field, same position."""
    word = new if new is not None else syntax.WordNode(text)
    word.set_fieldname(node.fieldname)
    word.startchar, word.endchar = node.startchar, node.endchar
    return word


def _units(group: syntax.GroupNode) -> list[list[syntax.SyntaxNode]] | None:
    """The operands of a flat AND group: each a list of nodes, optional prefix
    operators (``-``, ``NOT``, ``+``) first and OR chains kept together; None when
    the group holds something this does not understand (it is then left alone)."""
    units: list[list[syntax.SyntaxNode]] = []
    pending: list[syntax.SyntaxNode] = []
    joining = False
    for node in group:
        if node.is_ws():
            continue
        if isinstance(node, syntax.Operator):
            if node.text.upper() == "OR":
                if not units or pending:
                    continue  # a dangling OR: nothing to join
                units[-1].append(node)
                joining = True
                continue
            if node.text == "AND":
                continue
            if isinstance(node, syntax.PrefixOperator):
                pending.append(node)
                continue
            return None
        if isinstance(node, PlusMinusPlugin.Plus | PlusMinusPlugin.Minus):
            pending.append(node)
            continue
        if joining:
            units[-1].extend([syntax.Whitespace(), *pending, node] if pending else [node])
            joining = False
        else:
            units.append([*pending, node])
        pending = []
    if joining and units:  # "factuur OR": the OR joins nothing
        units[-1].pop()
    return units


def _stop_word(node: syntax.SyntaxNode) -> bool:
    """A word, or a phrase of words only (``"het is"``), that are stop words."""
    fieldname = getattr(node, "fieldname", None)  # groups have none
    if fieldname is not None and fieldname not in TEXT_FIELDS:
        return False
    if isinstance(node, syntax.WordNode):
        return fold(node.text) in ANY_STOP_WORD
    if isinstance(node, PhrasePlugin.PhraseNode):
        words = [fold(token.text) for token in _PLAIN_TOKENS(node.text)]
        return bool(words) and all(word in ANY_STOP_WORD for word in words)
    return False


def _is_negative(unit: list[syntax.SyntaxNode]) -> bool:
    first = unit[0]
    return isinstance(first, PlusMinusPlugin.Minus) or (
        isinstance(first, syntax.PrefixOperator) and first.text == "NOT"
    )


def _without_stop_alternatives(unit: list[syntax.SyntaxNode]) -> list[syntax.SyntaxNode] | None:
    """The unit without its stop words (an OR chain keeps its other alternatives), or
    None when nothing else is left."""
    operands: list[list[syntax.SyntaxNode]] = [[]]
    for node in unit:
        if isinstance(node, syntax.Operator) and node.text.upper() == "OR":
            operands.append([])
        elif not node.is_ws():
            operands[-1].append(node)
    kept = [operand for operand in operands if operand and not _stop_word(operand[-1])]
    if not kept:
        return None
    if len(kept) == len(operands):
        return unit
    rebuilt: list[syntax.SyntaxNode] = []
    for index, operand in enumerate(kept):
        if index:
            rebuilt += [syntax.Whitespace(), _or_operator(), syntax.Whitespace()]
        rebuilt += operand
    return rebuilt


def _or_operator() -> syntax.Operator:
    return syntax.InfixOperator("OR", syntax.OrGroup)


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
    """Keeps an "exact phrase" exact: the phrase is searched in the fields whose stop
    list keeps the most of its words (English drops "up" from "stood up", leaving just
    "stood"; for "late in the day" Dutch keeps "the"), in all of them when they keep as
    many: PostgreSQL's rule (``pg_schema``'s query function)."""

    def filters(self, parser: QueryParser) -> list[tuple[object, int]]:
        # After field names (100), copied fields (109) and the multifield split (110).
        return [(self.do_exact_phrases, 111)]

    def do_exact_phrases(self, parser: QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_exact_phrases(parser, node)
        phrases = [node for node in group if isinstance(node, PhrasePlugin.PhraseNode)]
        # The same phrase in each field (the multifield split), compared by its text.
        kept_words = {id(node): _kept_words(parser.schema, node) for node in phrases}
        most: dict[str, int] = {}
        for node in phrases:
            most[node.text] = max(most.get(node.text, 0), kept_words[id(node)])
        dropped = [node for node in phrases if kept_words[id(node)] < most[node.text]]
        if not dropped:
            return group
        kept = group.empty_copy()
        for node in group:
            if not any(node is other for other in dropped):
                kept.append(node)
        return kept


def _kept_words(schema: Schema, node: syntax.SyntaxNode) -> int:
    """How many of the phrase's words the field's analyzer keeps."""
    if node.fieldname not in schema:
        return sum(1 for _ in _PLAIN_TOKENS(node.text))
    return sum(1 for _ in schema[node.fieldname].tokenize(node.text, mode="query"))


def _parser(schema: Schema, words: WordsPlugin | None = None) -> MultifieldParser:
    parser = MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=TEXT_FIELDS, group=AndGroup)
    parser.replace_plugin(OperatorsPlugin(Or=_OR))
    # Leading wildcards expand to every term in the index: not worth their cost here.
    parser.remove_plugin_class(WildcardPlugin)
    parser.add_plugin(WordStartPlusMinusPlugin())
    aliases: dict[str, list[str]] = {}
    for alias, target in FIELD_ALIASES.items():
        aliases.setdefault(target, []).append(alias)
    parser.add_plugin(FieldAliasPlugin(aliases))
    parser.add_plugin(CopyFieldPlugin(dict(_OTHER_LANGUAGE)))
    parser.add_plugin(ExactPhrasePlugin())
    if words is not None:
        parser.add_plugin(words)
    parser.add_plugin(GapsPlugin())
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


def parse_query(
    text: str, schema: Schema, expand: Expander | None = None, notes: QueryNotes | None = None
) -> tuple[wq.Query, bool]:
    """A Whoosh query for ``text`` (already cleaned), and whether it was malformed.
    ``expand`` turns ``word*`` into known words; ``notes`` collects what to tell."""
    notes = notes if notes is not None else QueryNotes()
    if not text:
        return wq.Every(), False
    notes.malformed = _looks_malformed(text)
    if text.count('"') % 2:  # a lone quote: read what follows it as plain words
        head, _, tail = text.rpartition('"')
        text = f"{head} {tail}"
    if not _ANY_WORD.search(text):  # "*", "::", "((": nothing to search for
        notes.malformed = True
        return wq.Every(), True
    words = WordsPlugin(expand, notes)
    try:
        parsed = _parser(schema, words).parse(text)
    except Exception:  # noqa: BLE001 - whatever the parser trips on, fall back to words
        parsed, notes.malformed = None, True
    if parsed is None or parsed is wq.NullQuery or isinstance(parsed, wq.NullQuery.__class__):
        plain = " ".join(_WORD.findall(text))
        if not plain:  # nothing searchable ("?", "(((", "-"): show the newest stories
            notes.malformed = True
            return wq.Every(), True
        words = WordsPlugin(expand, notes)
        parsed = _parser(schema, words).parse(plain)
    return _without_and_not(parsed), notes.malformed


def _per_language(stop_words: list[tuple[str | None, str]], schema: Schema) -> wq.Query:
    """A query of stop words only: per story language, the words that are not stop
    words in that language must all be in the story (stemmed for that language); a
    language for which every word is a stop word matches nothing."""
    sides: list[wq.Query] = []
    for lang, stops in STOP_WORDS.items():
        words = [(field, word) for field, word in stop_words if fold(word) not in stops]
        if not words:
            continue
        required: list[wq.Query] = [wq.Term("language", lang)]
        for field, word in words:
            fields = sorted(
                name
                for name in LANGUAGE_FIELDS[lang]
                if field is None or name.split("_")[0] == field.split("_")[0]
            )
            terms = [
                wq.Term(name, token.text)
                for name in fields
                for token in schema[name].tokenize(word, mode="query")
            ]
            required.append(wq.Or(terms) if terms else NOTHING)
        sides.append(wq.And(required))
    return wq.Or(sides) if sides else NOTHING


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
    """The free words of a query (no field:value, no operators, no stop words, no
    ``word*``): spelling candidates."""
    return [
        w
        for w in _WORD.findall(_PREFIXES.sub(" ", text))
        if w not in {"AND", "OR", "NOT"} and fold(w) not in ANY_STOP_WORD
    ]


_PREFIXES = re.compile(r"[\w'-]*\*+")
