"""Fast matched-document sets, facet counts and "newest first" for the Whoosh backend.

Whoosh counts facets by visiting every matching document in Python, scoring it and
asking a categorizer per facet: at 100,000 stories a common word costs seconds. Here
the set of matching documents is built from posting lists with Python's C-level set
operations (terms, AND, OR, NOT; anything else falls back to Whoosh's own matcher),
facet counts are intersections with per-segment sets of each facet value, and the
newest stories come from a per-segment list of publication times. Segments never change
once written (deletions are a separate list), so those sets are built once per segment
and kept until the segment disappears.

Documents are numbered per segment ("local"); a leaf's offset turns them into the
top searcher's numbers.
"""

from __future__ import annotations

import heapq
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import Searcher

from storyboard.search.analysis import WORD_LIST, WORD_LIST_FIELD
from storyboard.search.phrases import phrase_offsets

# Phrase candidates checked (~5 µs each), or postings scored, between looks at the clock.
CLOCK_EVERY = 2048


def _leaf_ids(matcher: Any) -> list[int]:
    """Every document id of a fresh posting matcher, read block by block when the
    matcher is Whoosh's own posting reader (fast), else one by one. Reading its blocks
    means using the reader's private members: Whoosh has no public bulk read."""
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        ids: list[int] = []
        while not matcher._atend and matcher._blocklength:
            if matcher._ids is None:
                matcher._read_ids()
            ids.extend(matcher._ids)
            matcher._next_block()
        return ids
    return list(matcher.all_ids())


class _Leaf:
    """One segment as seen through a searcher: its reader and (lazily) its caches."""

    def __init__(self, searcher: Searcher, offset: int, cache: dict[str, Any]) -> None:
        self.searcher = searcher
        self.offset = offset
        self.reader = searcher.reader()
        self.cache = cache

    def all_docs(self) -> set[int]:
        """Every story's document (deleted ones included, removed at the end); a
        rebuild's word-list documents are not stories."""
        docs = self.cache.get("all")
        if docs is None:
            docs = set(range(self.reader.doc_count_all()))
            docs -= self.term_docs(WORD_LIST_FIELD, WORD_LIST)
            self.cache["all"] = docs
        return docs

    def term_docs(self, fieldname: str, text: Any) -> set[int]:
        """Documents with this term, deleted ones included (removed at the end)."""
        reader = self.reader
        if fieldname not in reader.schema:
            return set()
        btext = reader.schema[fieldname].to_bytes(text)
        if (fieldname, btext) not in reader:
            return set()
        return set(_leaf_ids(self._postings(fieldname, btext)))

    def btext(self, fieldname: str, text: Any) -> bytes | None:
        """The term's bytes if the segment has the term, else None."""
        schema = self.reader.schema
        if fieldname not in schema:
            return None
        try:
            btext = schema[fieldname].to_bytes(text)
        except ValueError:
            return None
        return btext if (fieldname, btext) in self.reader else None

    def _postings(self, fieldname: str, btext: bytes) -> Any:
        """The raw posting matcher of a term, deleted documents included (a segment
        reader's own ``postings()`` wraps it in a slow per-document filter)."""
        terms = getattr(self.reader, "_terms", None)
        if terms is None:
            return self.reader.postings(fieldname, btext)
        return terms.matcher(fieldname, btext, self.reader.schema[fieldname].format)

    def facet_sets(self, fieldname: str) -> dict[str, set[int]]:
        """Per facet value, the documents that have it (cached for the segment)."""
        key = "facet:" + fieldname
        sets = self.cache.get(key)
        if sets is None:
            sets = {}
            if fieldname in self.reader.schema:
                field = self.reader.schema[fieldname]
                for btext in self.reader.lexicon(fieldname):
                    sets[field.from_bytes(btext)] = set(_leaf_ids(self._postings(fieldname, btext)))
            self.cache[key] = sets
        return sets

    def spelling_words(self) -> dict[tuple[str, int], list[tuple[int, str]]]:
        """The "did you mean" dictionary of the segment by first letter and length,
        each word with its ``letter_mask`` (cached for the segment). Words that start
        with a digit are left out: a typed word that gets a suggestion starts with a
        letter, and so does any suggestion for it."""
        words = self.cache.get("spelling")
        if words is None:
            words = {}
            if "spelling" in self.reader.schema:
                for btext in self.reader.lexicon("spelling"):
                    word = btext.decode("utf-8")
                    if word[:1].isalpha():
                        words.setdefault((word[0], len(word)), []).append((letter_mask(word), word))
            self.cache["spelling"] = words
        return words

    def column(self, fieldname: str) -> list[Any]:
        """The field's sortable column as a list indexed by local document number."""
        key = "column:" + fieldname
        values = self.cache.get(key)
        if values is None:
            values = self.cache[key] = list(self.reader.column_reader(fieldname, translate=False))
        return values


class _Postings:
    """A term's postings in one segment, deleted documents included."""

    def __init__(self, ids: list[int], weights: list[float], values: list[Any] | None) -> None:
        self.ids = ids
        self.weights = weights
        self.values = values


def read_postings(leaf: _Leaf, fieldname: str, btext: bytes, values: bool = False) -> _Postings:
    """Every posting of a term, read block by block (Whoosh's own posting reader:
    private members, as in ``whoosh_docsets._leaf_ids``), else one by one."""
    m = leaf._postings(fieldname, btext)
    ids: list[int] = []
    weights: list[float] = []
    vals: list[Any] | None = [] if values else None
    if hasattr(m, "_read_weights") and hasattr(m, "_next_block"):
        while not m._atend and m._blocklength:
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            ids.extend(m._ids)
            weights.extend(m._weights)
            if vals is not None:
                if m._values is None:
                    m._read_values()
                vals.extend(m._values)
            m._next_block()
        return _Postings(ids, weights, vals)
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if vals is not None:
            vals.append(m.value())
        m.next()
    return _Postings(ids, weights, vals)


# Bytes before a Positions value's pickled position deltas (its frequency, an int).
_VALUE_HEADER = 4


def in_a_row(
    candidates: set[int],
    postings: list[_Postings],
    tick: Callable[[int], None],
    offsets: list[int] | None = None,
) -> list[int]:
    """The candidates in which the words (``postings``, in phrase order) stand in a
    row: each at its offset from the first word (``offsets``, default 0, 1, 2 …; a
    stop word in the phrase leaves a gap, see ``phrases``). Whoosh's phrase rule
    (``SpanNear2``, ``slop=1``, ordered) with short lists of positions instead of span
    objects. ``tick`` is told every ``CLOCK_EVERY`` candidates (it raises when the
    time is up)."""
    by_word = []
    for p in postings:
        assert p.values is not None
        by_word.append({d: v for d, v in zip(p.ids, p.values, strict=True) if d in candidates})
    places = offsets if offsets is not None else list(range(len(by_word)))
    first, rest = list(by_word[0].items()), list(zip(places[1:], by_word[1:], strict=True))
    header = _VALUE_HEADER
    matched = []
    for chunk in range(0, len(first), CLOCK_EVERY):
        tick(CLOCK_EVERY)
        for doc, value in first[chunk : chunk + CLOCK_EVERY]:
            # A value is its word's frequency, then the pickled position deltas.
            starts = list(accumulate(loads(value[header:])))
            for offset, values in rest:
                following = list(accumulate(loads(values[doc][header:])))
                starts = [p for p in starts if p + offset in following]
                if not starts:
                    break
            else:
                matched.append(doc)
    return matched


def _phrase_docs(query: wq.Phrase, leaf: _Leaf) -> set[int]:
    btexts = [leaf.btext(query.fieldname, word) for word in query.words]
    if any(b is None for b in btexts):
        return set()
    postings = [read_postings(leaf, query.fieldname, b, values=True) for b in btexts]  # type: ignore[arg-type]
    candidates = set(postings[0].ids)
    for p in postings[1:]:
        candidates.intersection_update(p.ids)
    if not candidates:
        return set()
    return set(in_a_row(candidates, postings, _no_clock, phrase_offsets(query)))


def _no_clock(_n: int) -> None:
    """Set evaluation has no deadline of its own (as Whoosh's matcher had none)."""


def letter_mask(word: str) -> int:
    """One bit per distinct character (characters may share a bit)."""
    mask = 0
    for char in set(word):
        mask |= 1 << (ord(char) & 63)
    return mask


def spelling_candidates(leaves: list[_Leaf], folded: str, edits: int) -> set[str]:
    """Known words that may be at most ``edits`` edits (Damerau-Levenshtein) from
    ``folded`` and share its first letter: the same length give or take ``edits``, and
    at most ``edits`` characters that one word has and the other lacks (an edit adds or
    removes at most one character), so the exact distance (``spelling.closest``) is
    computed for a few words instead of every word with that first letter. Whoosh's
    own ``terms_within`` built a Levenshtein automaton in Python per look-up: ~2.5 s
    for a long word on a large archive (issue 24)."""
    mask = letter_mask(folded)
    first, length = folded[:1], len(folded)
    found: set[str] = set()
    for leaf in leaves:
        words = leaf.spelling_words()
        for size in range(max(1, length - edits), length + edits + 1):
            found.update(
                word
                for other, word in words.get((first, size), ())
                if (mask & ~other).bit_count() <= edits and (other & ~mask).bit_count() <= edits
            )
    return found


def _docs(query: wq.Query, leaf: _Leaf) -> set[int]:
    """Local documents matching ``query`` in one segment (deleted ones may remain)."""
    if isinstance(query, wq.Term):
        return leaf.term_docs(query.fieldname, query.text)
    if isinstance(query, wq.Every) and not query.fieldname:
        return leaf.all_docs()
    if isinstance(query, wq.And):
        positives = [q for q in query.subqueries if not isinstance(q, wq.Not)]
        negatives = [q.query for q in query.subqueries if isinstance(q, wq.Not)]
        if not positives:
            result = set(leaf.all_docs())
        else:
            sets = sorted((_docs(q, leaf) for q in positives), key=len)
            result = set(sets[0])
            for other in sets[1:]:
                if not result:
                    break
                result &= other
        for q in negatives:
            if not result:
                break
            result -= _docs(q, leaf)
        return result
    if isinstance(query, wq.Or) and not query.minmatch:
        result = set()
        for q in query.subqueries:
            result |= _docs(q, leaf)
        return result
    if isinstance(query, wq.Not):
        return leaf.all_docs() - _docs(query.query, leaf)
    if isinstance(query, wq.AndNot):
        return _docs(query.a, leaf) - _docs(query.b, leaf)
    if query is wq.NullQuery or isinstance(query, wq.NullQuery.__class__):
        return set()
    if isinstance(query, wq.Phrase) and query.slop == 1 and query.words:
        return _phrase_docs(query, leaf)
    if isinstance(query, wq.NumericRange) and leaf.reader.has_column(query.fieldname):
        return _range_docs(query, leaf)
    # Phrases, ranges, wildcards…: Whoosh's matcher (it already skips deleted ones).
    return set(query.matcher(leaf.searcher, leaf.searcher.boolean_context()).all_ids())


def _range_docs(query: wq.NumericRange, leaf: _Leaf) -> set[int]:
    """A numeric or date range from the field's column (one pass over a list) instead
    of the many range terms Whoosh would expand it to."""
    field = leaf.reader.schema[query.fieldname]
    low = field.prepare_number(query.start) if query.start is not None else None
    high = field.prepare_number(query.end) if query.end is not None else None
    values = leaf.column(query.fieldname)
    if low is None:
        if high is None:
            return leaf.all_docs()
        high_ok = high.__gt__ if query.endexcl else high.__ge__
        return {d for d, v in enumerate(values) if high_ok(v)}
    low_ok = low.__lt__ if query.startexcl else low.__le__
    if high is None:
        return {d for d, v in enumerate(values) if low_ok(v)}
    high_ok = high.__gt__ if query.endexcl else high.__ge__
    return {d for d, v in enumerate(values) if low_ok(v) and high_ok(v)}


def _segment_key(searcher: Searcher) -> str:
    segment = searcher.reader().segment()
    return segment.segment_id() if segment is not None else f"reader-{id(searcher.reader())}"


class DocsetCache:
    """Per-segment caches, shared by all threads (entries are only ever added whole;
    a segment that is gone is dropped on the next ``leaves`` call)."""

    def __init__(self) -> None:
        self._segments: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def leaves(self, searcher: Searcher) -> list[_Leaf]:
        pairs = searcher.leaf_searchers()
        # An index without segments reads through an EmptyReader (no segment): its
        # cache is thrown away with the searcher.
        ids = [_segment_key(sub) for sub, _ in pairs]
        with self._lock:
            for stale in set(self._segments) - set(ids):
                del self._segments[stale]
            caches = [self._segments.setdefault(i, {}) for i in ids]
        return [
            _Leaf(sub, offset, cache) for (sub, offset), cache in zip(pairs, caches, strict=True)
        ]


class Matched:
    """The documents a query matched, per segment (local numbers, deletions removed)."""

    def __init__(self, parts: list[tuple[_Leaf, set[int]]]) -> None:
        self.parts = parts
        self._rest: dict[int, set[int]] = {}

    @classmethod
    def evaluate(cls, leaves: list[_Leaf], query: wq.Query) -> Matched:
        parts = []
        for leaf in leaves:
            docs = _docs(query, leaf)
            if docs and leaf.reader.has_deletions():
                docs = docs - leaf.reader.deleted_docs_set
            parts.append((leaf, docs))
        return cls(parts)

    def __len__(self) -> int:
        return sum(len(docs) for _, docs in self.parts)

    def global_docs(self) -> set[int]:
        result: set[int] = set()
        for leaf, docs in self.parts:
            result.update(docs if not leaf.offset else (d + leaf.offset for d in docs))
        return result

    def facet_counts(self, fieldname: str) -> Counter[str]:
        """Per facet value, the matches that have it: one C-level set intersection per
        value and segment (Python's ``&`` walks the smaller set). When a query matches
        most of a segment (a common word), the value's members that did *not* match
        are counted instead, which walks the smaller remainder."""
        counts: Counter[str] = Counter()
        for index, (leaf, docs) in enumerate(self.parts):
            if not docs:
                continue
            rest = self._unmatched(index) if 2 * len(docs) > len(leaf.all_docs()) else None
            for value, members in leaf.facet_sets(fieldname).items():
                n = len(docs & members) if rest is None else len(members) - len(rest & members)
                if n:
                    counts[value] += n
        return counts

    def _unmatched(self, index: int) -> set[int]:
        """The segment's documents (deleted ones included) that did not match."""
        rest = self._rest.get(index)
        if rest is None:
            leaf, docs = self.parts[index]
            rest = self._rest[index] = leaf.all_docs() - docs
        return rest

    def newest(self, fieldname: str, n: int) -> list[int]:
        """Top ``n`` global document numbers by the field's column, highest first."""
        best: list[tuple[Any, int]] = []
        for leaf, docs in self.parts:
            if not docs:
                continue
            values = leaf.column(fieldname)
            top = heapq.nlargest(n, docs, key=values.__getitem__)
            best.extend((values[d], d + leaf.offset) for d in top)
        best.sort(key=lambda pair: (pair[0], -pair[1]), reverse=True)
        return [docnum for _, docnum in best[:n]]


# Scoring a match costs ~10 µs; the clock is read once per this many (~1 ms).
COLLECTOR_CLOCK_EVERY = 128


class SearchTimeLimit(Exception):
    """The search's time budget ran out while scoring; the collector keeps what it has."""


class ScoringCollector(collectors.TopCollector):
    """Whoosh's top-N collector that scores every match and remembers which documents
    matched, so the facets need no second pass over the postings.

    Whoosh's shortcuts (block-quality skipping and matcher replacement) are off: on an
    index with several segments they drop the best documents of later segments
    (whoosh-reloaded 2.7.5), and the facet counts need every match anyway."""

    def __init__(self, limit: int, deadline: float = math.inf) -> None:
        super().__init__(limit=limit, usequality=False, replace=0)
        self.matched: dict[int, set[int]] = {}
        self._current: set[int] = set()
        self.deadline = deadline
        self._until_clock = 1  # the first match reads the clock too

    def set_subsearcher(self, subsearcher: Searcher, offset: int) -> None:
        super().set_subsearcher(subsearcher, offset)
        self._current = self.matched.setdefault(offset, set())

    def collect(self, sub_docnum: int) -> Any:
        self._until_clock -= 1
        if not self._until_clock:
            self._until_clock = COLLECTOR_CLOCK_EVERY
            if time.monotonic() > self.deadline:
                raise SearchTimeLimit()
        self._current.add(sub_docnum)
        return super().collect(sub_docnum)

    def matched_in(self, leaves: list[_Leaf]) -> Matched:
        return Matched([(leaf, self.matched.get(leaf.offset, set())) for leaf in leaves])


def combine(parsed: wq.Query, flt: wq.Query | None) -> wq.Query:
    """The query restricted by the filter, for set evaluation."""
    return parsed if flt is None else wq.And([parsed, flt])
