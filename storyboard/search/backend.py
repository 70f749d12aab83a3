"""The search backend interface. Views and services speak only these types, so the
embedded Whoosh backend can be swapped for a PostgreSQL full-text one on multi-host
deployments without touching them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from storyboard.search.documents import StoryDocument

FACETS = ("team", "channel", "theme", "author_kind", "language", "period")
# Seconds a search may take before it stops and returns what it has (with a notice);
# the app passes STORYBOARD_SEARCH_TIME_BUDGET.
DEFAULT_TIME_BUDGET = 3.0
SORTS = ("relevance", "newest")
# What an index written by this code looks like: bump it whenever analysis, the fields or
# the document text change. An index stamped with another format (or none, as before
# issue 22) counts as unusable, so it is rebuilt from the database on first use, as a
# missing one is, instead of answering with half-matching results.
# 3: participles add their verbs, 4: past tenses, 5: 4-letter last compound parts,
# 6: fewer false ones of both (issue 22), 7: Whoosh keeps a stop word's place, 8: no
# compound split after a verb's prefix in -ing nouns (verzekering) or before a joint "s".
INDEX_FORMAT = "8"

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Changes:
    """What one outbox batch asks of the index; ``outbox_ids`` are done once applied."""

    upserts: list[StoryDocument]
    removals: list[int]
    outbox_ids: list[int]


ChangeLoader = Callable[[], Changes]


class InvalidQuery(ValueError):
    """The query could not be understood as written; results are a best effort."""


class IndexBusy(RuntimeError):
    """Another process holds the index writer; pending work stays in the outbox."""


@dataclass(frozen=True)
class SearchRequest:
    """A search as the user asked for it, already cleaned (see ``search.query``)."""

    text: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    time_budget: float = DEFAULT_TIME_BUDGET

    def deadline(self) -> float:
        """When this search must stop, on ``time.monotonic()``'s clock."""
        return time.monotonic() + self.time_budget


@dataclass
class SearchWork:
    """What a search cost in units that do not depend on the machine: query terms
    searched and spelling look-ups made (the expensive part), so the bounds on a
    hostile query are tested as work, not as time."""

    terms: int = 0
    spelling_lookups: int = 0
    spelling_cache_hits: int = 0
    timed_out: bool = False


@dataclass(frozen=True)
class SearchHit:
    story_id: int
    title: str
    snippet_html: str
    team: str | None
    team_name: str | None
    channel: str
    language: str
    themes: tuple[str, ...]
    author_kind: str
    author_name: str | None
    published_at: datetime
    kudos: int
    featured: bool


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None
    notice: str | None = None
    work: SearchWork = field(default_factory=SearchWork)

    @property
    def timed_out(self) -> bool:
        """The time budget ran out: hits and counts are what was found until then."""
        return self.work.timed_out

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def clamp_page(page: int, total: int, per_page: int) -> int:
    """``page`` within 1 .. the last page ``total`` results fill (at least 1)."""
    return min(max(page, 1), max(1, -(-total // per_page)))


class SearchBackend(Protocol):
    """What every search engine behind Storyboard must do."""

    def apply(self, load_changes: ChangeLoader, timeout: float) -> Changes:
        """Take the write lock, then call ``load_changes`` and apply its result in one
        commit; raise ``IndexBusy`` if the lock stays taken for ``timeout`` seconds."""

    def search(self, request: SearchRequest) -> SearchResults:
        """Run a search; never raises for user input."""

    def rebuild(self, documents: Iterable[StoryDocument], progress: Progress | None) -> int:
        """Build a fresh index from ``documents`` and swap it in; returns the count."""

    def is_healthy(self) -> bool:
        """False when the index is missing or cannot be opened."""

    def upgrade(self) -> bool:
        """Bring an index of an earlier layout up to date in place, where that needs
        no story read again; True when it did (the index is then healthy)."""

    def hold_writes(self, timeout: float = 60.0) -> AbstractContextManager[None]:
        """A context manager that blocks other writers (used while rebuilding); raises
        ``IndexBusy`` when it cannot take their lock within ``timeout`` seconds."""

    def doc_count(self) -> int:
        """Stories the index holds (for ``storyboard doctor``)."""
