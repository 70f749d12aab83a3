""" "Did you mean", with its cost bounded: the same rules on every backend.

Looking up the nearest known word is the most expensive thing a search does (Whoosh
compares the word with every word in the dictionary: ~65 ms a word at 3,000 stories,
more on larger archives), so it is the part an attacker would multiply. Three bounds
keep a search's spelling work small whatever is typed:

- only a query with at most ``MAX_SUGGESTED_WORDS`` unknown words gets a suggestion
  (a typo is one or two words; twenty unknown words are not a typo, and correcting a
  few of them would still find nothing);
- words longer than ``MAX_SUGGESTED_WORD_CHARS`` are never looked up (the edit distance
  costs length × length per dictionary word);
- answers are cached per backend (``SpellingCache``), so a repeated query costs the
  known-word checks only; and the search's deadline stops the look-ups.

Every look-up and cache hit is counted in ``SearchWork``, so tests can check the bound
as work done rather than as elapsed time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from whoosh.support.levenshtein import distance

from storyboard.search.backend import SearchWork
from storyboard.search.query import plain_words

MAX_SUGGESTED_WORDS = 3
MIN_SUGGESTED_WORD_CHARS = 3
MAX_SUGGESTED_WORD_CHARS = 24
# Enough for every distinct typo of a busy day; entries expire so that words from new
# stories are offered within minutes without invalidating on every save.
CACHE_ENTRIES = 4096
CACHE_SECONDS = 600.0

_MISSING = object()


class SpellingCache:
    """Nearest known word per folded word (``None``: nothing close), thread-safe,
    bounded in size and age."""

    def __init__(self, entries: int = CACHE_ENTRIES, seconds: float = CACHE_SECONDS) -> None:
        self.entries = entries
        self.seconds = seconds
        self._items: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, word: str) -> object:
        """The cached answer, or ``_MISSING``."""
        with self._lock:
            item = self._items.get(word)
            if item is None:
                return _MISSING
            stored, nearest = item
            if time.monotonic() - stored > self.seconds:
                del self._items[word]
                return _MISSING
            self._items.move_to_end(word)
            return nearest

    def put(self, word: str, nearest: str | None) -> None:
        with self._lock:
            self._items[word] = (time.monotonic(), nearest)
            self._items.move_to_end(word)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def max_edits(folded: str) -> int:
    """Edits a suggestion may be away: two edits turn any short word into another
    ("foo" → "op"), so one for words of up to four letters."""
    return 1 if len(folded) <= 4 else 2


def closest(folded: str, candidates: Iterable[str]) -> str | None:
    """The rule both backends use: among ``candidates`` that share the first letter
    and are at most ``max_edits`` edits (Damerau-Levenshtein) away, the nearest one,
    ties by the alphabet; None when none qualifies."""
    limit = max_edits(folded)
    best: tuple[int, str] | None = None
    for word in candidates:
        if word == folded or word[:1] != folded[:1]:
            continue
        edits = distance(folded, word, limit=limit + 1)
        if edits <= limit and (best is None or (edits, word) < best):
            best = (edits, word)
    return best[1] if best else None


def suggest_spelling(
    text: str,
    *,
    fold: Callable[[str], str],
    is_known: Callable[[str], bool],
    nearest: Callable[[str], str | None],
    cache: SpellingCache,
    work: SearchWork,
    deadline: float,
) -> str | None:
    """``text`` with each unknown word replaced by the nearest known one, or None.

    ``fold`` turns a typed word into the dictionary's form, ``is_known`` is a cheap
    exact look-up, ``nearest`` the expensive search (only called within the bounds in
    the module docstring). Past ``deadline`` (``time.monotonic()``) no more look-ups
    are made and no suggestion is offered.
    """
    unknown: list[tuple[str, str]] = []
    for word in plain_words(text):
        folded = fold(word)
        if not MIN_SUGGESTED_WORD_CHARS <= len(folded) <= MAX_SUGGESTED_WORD_CHARS:
            continue
        if " " in folded or is_known(folded):
            continue
        unknown.append((word, folded))
        if len(unknown) > MAX_SUGGESTED_WORDS:
            return None
    suggestion, changed = text, False
    for word, folded in unknown:
        best = cache.get(folded)
        if best is _MISSING:
            if time.monotonic() > deadline:
                work.timed_out = True
                return None
            work.spelling_lookups += 1
            best = nearest(folded)
            cache.put(folded, best)
        else:
            work.spelling_cache_hits += 1
        if isinstance(best, str):
            suggestion = suggestion.replace(word, best, 1)
            changed = True
    return suggestion if changed else None
