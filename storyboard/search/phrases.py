"""Exact phrases that keep their stop words' places (Whoosh).

The index leaves a gap where it drops a stop word ("late for the deliveries": ``late``
at 0, ``deliveries`` at 3), so a phrase must say how far apart its words stand:
``"late deliveries"`` is words 0 and 1 and does not match there, ``"late for the
deliveries"`` is words 0 and 3 and does. Whoosh's own ``Phrase`` only knows words in a
row, so the parser makes a ``GappedPhrase`` (a ``Phrase`` with the offsets) wherever
the field's analyzer dropped a word inside the phrase (``GapsPlugin``). PostgreSQL keeps
the gaps in its own phrase search and parses with whole words, so it never sees one.
"""

from __future__ import annotations

from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.qparser import PhrasePlugin, QueryParser, syntax
from whoosh.qparser.common import attach
from whoosh.qparser.plugins import Plugin
from whoosh.query import SpanNear2

from storyboard.search.analysis import FoldedStemAnalyzer


class GappedPhrase(wq.Phrase):
    """A phrase whose ``words`` stand at ``offsets`` from its first word."""

    def __init__(
        self,
        fieldname: str,
        words: list[str],
        offsets: list[int],
        slop: int = 1,
        boost: float = 1.0,
        char_ranges: list[tuple[int, int]] | None = None,
    ) -> None:
        super().__init__(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
        self.offsets = list(offsets)

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.offsets == getattr(other, "offsets", None)

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(tuple(self.offsets))

    def __repr__(self) -> str:
        return f"GappedPhrase({self.fieldname!r}, {self.words!r}, {self.offsets!r})"

    def normalize(self) -> wq.Query:
        return self if len(self.words) > 1 else super().normalize()

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """Whoosh's own matching (used where ``whoosh_scoring`` cannot score a query's
        shape): its phrase of terms in a row, with each word's exact distance from the
        one before it, as nested ``SpanNear2``s."""
        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[self.fieldname]
        reader = searcher.reader()
        terms = []
        for word in self.words:
            btext = field.to_bytes(word)
            if (self.fieldname, btext) not in reader:
                return matching.NullMatcher()
            terms.append(wq.Term(self.fieldname, btext))
        spans: wq.Query = terms[0]
        for before, offset, term in zip(self.offsets, self.offsets[1:], terms[1:], strict=False):
            gap = offset - before
            spans = SpanNear2([spans, term], slop=gap, ordered=True, mindist=gap)
        found = spans.matcher(searcher, context)
        return matching.WrappingMatcher(found, boost=self.boost) if self.boost != 1.0 else found


def phrase_offsets(phrase: wq.Phrase) -> list[int]:
    """Where each of the phrase's words stands, counted from its first word."""
    offsets = getattr(phrase, "offsets", None)
    return list(offsets) if offsets is not None else list(range(len(phrase.words)))


class GappedPhraseNode(PhrasePlugin.PhraseNode):
    """A phrase in the parsed text that becomes a ``GappedPhrase`` when the field's
    analyzer leaves a gap inside it."""

    def query(self, parser: QueryParser) -> wq.Query:
        phrase = super().query(parser)
        fieldname = self.fieldname or parser.fieldname
        field = parser.schema[fieldname] if parser.schema and fieldname in parser.schema else None
        if (
            not isinstance(phrase, wq.Phrase)
            or field is None
            or not isinstance(field.analyzer, FoldedStemAnalyzer)
            or self.slop != 1
        ):
            return phrase
        places = [token.pos for token in field.tokenize(self.text, mode="query", positions=True)]
        if len(places) != len(phrase.words) or len(places) < 2:
            return phrase
        offsets = [place - places[0] for place in places]
        if offsets == list(range(len(offsets))):
            return phrase  # no gap: Whoosh's own phrase
        gapped = GappedPhrase(
            phrase.fieldname,
            phrase.words,
            offsets,
            slop=phrase.slop,
            boost=phrase.boost,
            char_ranges=phrase.char_ranges,
        )
        return attach(gapped, self)


class GapsPlugin(Plugin):
    """Makes every phrase of the parsed text a ``GappedPhraseNode`` (last of the
    filters, so the phrases the other plugins made are included)."""

    def filters(self, parser: QueryParser) -> list[tuple[Any, int]]:
        return [(self.gapped, 1000)]

    def gapped(self, parser: QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        for node in group:
            if isinstance(node, syntax.GroupNode):
                self.gapped(parser, node)
            elif type(node) is PhrasePlugin.PhraseNode:
                node.__class__ = GappedPhraseNode  # the same node, with its own query()
        return group
