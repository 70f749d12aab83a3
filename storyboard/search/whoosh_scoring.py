"""Relevance for the Whoosh backend, computed a posting list at a time.

Whoosh scores a match by walking a tree of matcher objects document by document, about
10 µs of Python per field and match; when a common word ("klant") is in 70 % of
100,000 stories that is seconds, and a phrase of common words checks the positions of
every candidate through span objects (issue 24: 7.8 s for 36,000 matches). Here the
same scores are computed per term from whole posting blocks — BM25F exactly as
``whoosh.scoring.BM25F`` computes it (same idf, average field length, encoded field
length, query and field boosts), summed as Whoosh's union and intersection matchers
sum them — and a phrase's positions are checked with set operations on the decoded
position lists of its candidates only. Ordering is Whoosh's: score, then document
number. Query shapes this does not know return ``None`` and are scored by Whoosh.
"""

from __future__ import annotations

import heapq
import time
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from storyboard.search.phrases import phrase_offsets
from storyboard.search.whoosh_docsets import (
    CLOCK_EVERY,
    Matched,
    SearchTimeLimit,
    _docs,
    _Leaf,
    _Postings,
    in_a_row,
    read_postings,
)

Scores = dict[int, float]


class Scorer:
    """Scores queries per segment with the searcher's collection statistics."""

    def __init__(self, searcher: Searcher, deadline: float) -> None:
        self.searcher = searcher
        self.deadline = deadline
        weighting = searcher.weighting
        self.supported = type(weighting) is BM25F and not weighting._field_B  # noqa: SLF001 - per-field B is not supported here
        self.B = getattr(weighting, "B", 0.75)
        self.K1 = getattr(weighting, "K1", 1.2)
        self._until_clock = 0  # the first postings read the clock too

    def _tick(self, n: int = 1) -> None:
        self._until_clock -= n
        if self._until_clock <= 0:
            self._until_clock = CLOCK_EVERY
            if time.monotonic() > self.deadline:
                raise SearchTimeLimit()

    # -- per query kind ------------------------------------------------------------------
    def scores(self, query: wq.Query, leaf: _Leaf) -> Scores | None:
        """Score per local document matching ``query`` (deleted ones may remain)."""
        if isinstance(query, wq.Term):
            return self._term(query, leaf)
        if isinstance(query, wq.Phrase):
            return self._phrase(query, leaf)
        if isinstance(query, wq.Or) and not query.minmatch and not query.scale:
            result: Scores = {}
            for sub in query.subqueries:
                part = self.scores(sub, leaf)
                if part is None:
                    return None
                if not result:
                    result = dict(part)
                    continue
                get = result.get
                for doc, score in part.items():
                    result[doc] = get(doc, 0.0) + score
            return _boosted(result, query.boost)
        if isinstance(query, wq.And):
            positives = [q for q in query.subqueries if not isinstance(q, wq.Not)]
            negatives = [q.query for q in query.subqueries if isinstance(q, wq.Not)]
            if not positives:
                return None
            parts = []
            for sub in positives:
                part = self.scores(sub, leaf)
                if part is None:
                    return None
                if not part:
                    return {}
                parts.append(part)
            parts.sort(key=len)
            docs = set(parts[0])
            for part in parts[1:]:
                docs.intersection_update(part.keys())
            for negative in negatives:
                if docs:
                    docs -= _docs(negative, leaf)
            # Whoosh intersects with an inverse matcher per ``Not``, which adds its boost.
            extra = sum(float(q.boost) for q in query.subqueries if isinstance(q, wq.Not))
            if len(parts) == 2:
                a, b = parts
                result = {doc: a[doc] + b[doc] + extra for doc in docs}
            else:
                result = {doc: sum(part[doc] for part in parts) + extra for doc in docs}
            return _boosted(result, query.boost)
        if isinstance(query, wq.AndNot):
            part = self.scores(query.a, leaf)
            if part is None:
                return None
            excluded = _docs(query.b, leaf)
            return _boosted({d: s for d, s in part.items() if d not in excluded}, query.boost)
        if isinstance(query, wq.Every) and not query.fieldname:
            return dict.fromkeys(leaf.all_docs(), float(query.boost))
        if query is wq.NullQuery or isinstance(query, wq.NullQuery.__class__):
            return {}
        return None

    def _term_scores(
        self, leaf: _Leaf, fieldname: str, text: Any, postings: _Postings
    ) -> list[float]:
        """Whoosh's per-posting score of a term (without the query's boost)."""
        searcher = self.searcher
        field = searcher.schema[fieldname]
        if not field.scorable:
            return [float(w) for w in postings.weights]
        idf = searcher.idf(fieldname, text)
        avgfl = searcher.avg_field_length(fieldname) or 1
        B, K1 = self.B, self.K1
        lengths = field_lengths(leaf, fieldname)
        return [
            idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths[doc] / avgfl)))
            for doc, tf in zip(postings.ids, postings.weights, strict=True)
        ]

    def _term(self, query: wq.Term, leaf: _Leaf) -> Scores:
        btext = leaf.btext(query.fieldname, query.text)
        if btext is None:
            return {}
        postings = read_postings(leaf, query.fieldname, btext)
        self._tick(len(postings.ids))
        scores = self._term_scores(leaf, query.fieldname, btext, postings)
        return _boosted(dict(zip(postings.ids, scores, strict=True)), query.boost)

    def _phrase(self, query: wq.Phrase, leaf: _Leaf) -> Scores | None:
        """A phrase's score is the sum of its words' scores in the documents where
        they stand in a row (Whoosh's SpanNear2 with ``slop=1``, ordered; with a stop
        word's gap where the phrase has one, ``phrases``)."""
        if query.slop != 1 or not query.words:
            return None
        fieldname = query.fieldname
        btexts = [leaf.btext(fieldname, word) for word in query.words]
        if any(b is None for b in btexts):
            return {}
        postings = [read_postings(leaf, fieldname, b, values=True) for b in btexts]  # type: ignore[arg-type]
        self._tick(sum(len(p.ids) for p in postings))
        candidates = set(postings[0].ids)
        for p in postings[1:]:
            candidates.intersection_update(p.ids)
        if not candidates:
            return {}
        matched = in_a_row(candidates, postings, self._tick, phrase_offsets(query))
        result: Scores = dict.fromkeys(matched, 0.0)
        for btext, p in zip(btexts, postings, strict=True):
            scores = self._term_scores(leaf, fieldname, btext, p)
            for doc, score in zip(p.ids, scores, strict=True):
                if doc in result:
                    result[doc] += score
        return _boosted(result, query.boost)

    # -- top level ---------------------------------------------------------------------
    def top(
        self, leaves: list[_Leaf], query: wq.Query, allowed: Matched | None, limit: int
    ) -> tuple[list[tuple[float, int]], Matched, bool] | None:
        """The best ``limit`` (score, global docnum), Whoosh's order; every match; and
        whether the deadline cut the work short. None: a query shape Whoosh must score."""
        if not self.supported:
            return None
        parts: list[tuple[_Leaf, set[int]]] = []
        best: list[tuple[float, int]] = []
        timed_out = False
        for index, leaf in enumerate(leaves):
            try:
                scores = self.scores(query, leaf)
            except SearchTimeLimit:
                timed_out = True
                parts.extend((other, set()) for other in leaves[index:])
                break
            if scores is None:
                return None
            if scores and leaf.reader.has_deletions():
                for doc in leaf.reader.deleted_docs_set & scores.keys():
                    del scores[doc]
            if allowed is not None:
                keep = allowed.parts[index][1]
                scores = {d: s for d, s in scores.items() if d in keep}
            parts.append((leaf, set(scores)))
            offset = leaf.offset
            best = heapq.nsmallest(
                limit,
                [*best, *((-s, d + offset) for d, s in scores.items())],
            )
        return [(-negative, doc) for negative, doc in best], Matched(parts), timed_out


def _boosted(scores: Scores, boost: float) -> Scores:
    if boost != 1.0:
        for doc in scores:
            scores[doc] *= boost
    return scores


def field_lengths(leaf: _Leaf, fieldname: str) -> list[int]:
    """Per local document, the encoded length of the field as Whoosh's scorer sees it
    (``doc_field_length`` with default 1), cached for the segment."""
    cache_key = "lengths:" + fieldname
    lengths = leaf.cache.get(cache_key)
    if lengths is None:
        reader = leaf.reader
        column = None
        if hasattr(reader, "_cached_reader"):
            column = reader._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)  # noqa: SLF001 - no public bulk read
        if column is None:
            lengths = [
                reader.doc_field_length(d, fieldname, 1) for d in range(reader.doc_count_all())
            ]
        else:
            lengths = [byte_to_length(b) if b else 1 for b in column]
        leaf.cache[cache_key] = lengths
    return lengths
