"""The Whoosh backend's own scoring (``whoosh_scoring``) and "did you mean" candidates
(``whoosh_docsets.spelling_candidates``) against Whoosh's: same matches, same scores,
same order, same suggestions — on a real index in ``tmp_path`` with several segments
and deleted stories, where common words are in most stories (issue 24)."""

from __future__ import annotations

import math
import random
from collections import Counter
from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh.searching import Searcher

from storyboard.search.analysis import WORD_LIST, WORD_LIST_FIELD
from storyboard.search.backend import Changes
from storyboard.search.query import QueryNotes, parse_query
from storyboard.search.spelling import closest, max_edits
from storyboard.search.whoosh_backend import WhooshBackend
from storyboard.search.whoosh_docsets import DocsetCache, Matched, spelling_candidates
from storyboard.search.whoosh_scoring import Scorer
from tests.search.conftest import generated_story

# Whoosh's own search, the reference here, would return a rebuild's word-list documents.
WORD_LISTS = wq.Term(WORD_LIST_FIELD, WORD_LIST)
QUERIES = [
    "klant",
    "customer",
    "klant geholpen",
    "klant vraag snel",
    '"klant werd snel geholpen"',
    '"the customer was helped"',
    '"klant werd"',
    "klant -vraag",
    "klant OR refund",
    "(pakket OR invoice) klant",
    "title:klant",
    "team:retail klant",
    "refund",
    "kinder*",
    "-klant",
    "het is",
    "nothingmatchesthis",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> WhooshBackend:
    """400 stories in a rebuild (one process, two segments), then saves that add
    segments, replace stories and delete some."""
    rng = random.Random(24)
    backend = WhooshBackend(Path(tmp_path_factory.mktemp("scoring")) / "index", rebuild_procs=1)
    backend.rebuild(generated_story(rng, i) for i in range(1, 401))
    for batch in range(3):
        upserts = [generated_story(rng, 400 + batch * 10 + i) for i in range(1, 11)]
        upserts += [generated_story(rng, rng.randint(1, 400)) for _ in range(5)]
        removals = [rng.randint(1, 400) for _ in range(5)]
        backend.apply(lambda: Changes(upserts, removals, []), timeout=5)  # noqa: B023
    return backend


def _parsed(backend: WhooshBackend, searcher: Searcher, text: str) -> wq.Query:
    reader = searcher.reader()

    def expand(prefix: str) -> tuple[list[str], bool]:
        words = [b.decode() for b in reader.expand_prefix("spelling", prefix)]
        return words[:40], False

    return parse_query(text, backend._open().schema, expand, QueryNotes())[0]


@pytest.mark.parametrize("text", QUERIES)
def test_scores_and_order_are_whooshs_own(index: WhooshBackend, text: str) -> None:
    with index._open().searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 2, "the index should have several segments"
        parsed = _parsed(index, searcher, text)
        leaves = DocsetCache().leaves(searcher)
        fast = Scorer(searcher, math.inf).top(leaves, parsed, None, 10_000)
        assert fast is not None, f"{parsed!r} should be scored a posting list at a time"
        top, matched, timed_out = fast
        expected = searcher.search(parsed, limit=None, mask=WORD_LISTS)
        assert not timed_out
        assert len(matched) == len(expected) == len(top)
        assert [doc for _, doc in top] == [hit.docnum for hit in expected]
        for (score, _), hit in zip(top, expected, strict=True):
            assert score == pytest.approx(hit.score, rel=1e-9)
        assert matched.global_docs() == {hit.docnum for hit in expected}
        # The set evaluation behind "newest first" (phrases checked the same way).
        assert Matched.evaluate(leaves, parsed).global_docs() == matched.global_docs()


def test_a_filter_keeps_only_allowed_matches(index: WhooshBackend) -> None:
    with index._open().searcher() as searcher:
        parsed = _parsed(index, searcher, "klant")
        leaves = DocsetCache().leaves(searcher)
        team = wq.Term("team", "retail")
        allowed = Matched.evaluate(leaves, team)
        fast = Scorer(searcher, math.inf).top(leaves, parsed, allowed, 10_000)
        assert fast is not None
        expected = searcher.search(parsed, limit=None, filter=team)
        assert [doc for _, doc in fast[0]] == [hit.docnum for hit in expected]


def test_past_the_deadline_scoring_stops_and_says_so(index: WhooshBackend) -> None:
    with index._open().searcher() as searcher:
        parsed = _parsed(index, searcher, '"klant werd snel geholpen"')
        leaves = DocsetCache().leaves(searcher)
        fast = Scorer(searcher, deadline=0.0).top(leaves, parsed, None, 20)
        assert fast is not None
        top, matched, timed_out = fast
        assert timed_out and len(top) <= 20 and len(matched) <= len(top)


def test_spelling_candidates_lose_no_word_within_reach(index: WhooshBackend) -> None:
    """The cheap conditions never drop a word ``closest`` would pick: for typos of
    every kind, the answer equals the one over every word with that first letter."""
    rng = random.Random(7)
    with index._open().searcher() as searcher:
        words = [b.decode() for b in searcher.reader().lexicon("spelling") if b[:1].isalpha()]
        leaves = DocsetCache().leaves(searcher)
        typos = ["klnat", "custmer", "geholpn", "vraagg", "servcie", "xylofoon", "snle"]
        for word in rng.sample(words, min(len(words), 60)):
            i = rng.randrange(1, len(word))
            typos += [
                word[:i] + word[i + 1 :],
                word[:i] + "e" + word[i:],
                word[:i] + "q" + word[i + 1 :],
                word[: i - 1] + word[i : i + 1] + word[i - 1 : i] + word[i + 1 :],
            ]
        for typo in typos:
            if len(typo) < 3:
                continue
            same_letter = [w for w in words if w[:1] == typo[:1]]
            candidates = spelling_candidates(leaves, typo, max_edits(typo))
            assert candidates <= set(same_letter)
            assert closest(typo, candidates) == closest(typo, same_letter), typo


@pytest.mark.parametrize("text", ["klant", "klant OR customer", "refund", "-klant"])
def test_facet_counts_equal_the_stored_values_of_the_matches(
    index: WhooshBackend, text: str
) -> None:
    """Counted from either side (the matches, or the rest when most stories match)."""
    with index._open().searcher() as searcher:
        parsed = _parsed(index, searcher, text)
        leaves = DocsetCache().leaves(searcher)
        matched = Matched.evaluate(leaves, parsed)
        hits = searcher.search(parsed, limit=None, mask=WORD_LISTS)
        for field in ("team", "channel", "author_kind", "language"):
            expected = Counter(hit[field] for hit in hits)
            assert matched.facet_counts(field) == expected, field
