"""The embedded search backend: a Whoosh index on local disk."""

from __future__ import annotations

import fcntl
import html
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh import sorting
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.index import FileIndex, LockError
from whoosh.searching import Hit, Results, Searcher
from whoosh.support.charset import accent_map
from whoosh.util.filelock import try_for

from storyboard.search.backend import (
    ChangeLoader,
    Changes,
    IndexBusy,
    Progress,
    SearchHit,
    SearchRequest,
    SearchResults,
)
from storyboard.search.documents import StoryDocument
from storyboard.search.query import parse_query, plain_words
from storyboard.search.whoosh_store import (
    activate,
    current_generation,
    new_generation,
    open_current,
)

SNIPPET_CHARS = 240
REBUILD_LOCK_FILE = "REBUILD.lock"
# Facet name in the UI → field in the index.
FACET_FIELDS = {
    "team": "team",
    "channel": "channel",
    "theme": "themes",
    "author_kind": "author_kind",
    "language": "language",
    "period": "period",
}


def _fields(doc: StoryDocument) -> dict[str, Any]:
    published = doc.published_at.astimezone(UTC).replace(tzinfo=None)
    return {
        "story_id": str(doc.story_id),
        "title_nl": doc.title,
        "title_en": doc.title,
        "body_nl": doc.text,
        "body_en": doc.text,
        "spelling": f"{doc.title} {doc.text}",
        "title": doc.title,
        "text": doc.text,
        "team": doc.team or "",
        "team_name": doc.team_name,
        "channel": doc.channel,
        "themes": ",".join(doc.themes),
        "author_kind": doc.author_kind,
        "author_name": doc.author_name,
        "language": doc.language,
        "period": published.strftime("%Y-%m"),
        "published": published,
        "kudos": doc.kudos,
        "featured": doc.featured,
    }


class WhooshBackend:
    """Search over a Whoosh index in ``index_dir`` (see ``whoosh_store`` for layout)."""

    def __init__(self, index_dir: str | Path, writer_memory_mb: int = 256) -> None:
        self.index_dir = Path(index_dir)
        self.writer_memory_mb = writer_memory_mb
        self._lock = threading.Lock()
        self._index: FileIndex | None = None
        self._generation: Path | None = None

    # -- opening -----------------------------------------------------------------
    def _open(self) -> FileIndex:
        """The live index; reopened when a rebuild has swapped in a new generation."""
        generation = current_generation(self.index_dir)
        with self._lock:
            if self._index is None or generation != self._generation:
                self._index = open_current(self.index_dir)
                self._generation = generation
            return self._index

    def is_healthy(self) -> bool:
        try:
            with self._open().searcher() as searcher:
                searcher.doc_count()
        except Exception:  # noqa: BLE001 - any failure to open means "rebuild me"
            return False
        return True

    def doc_count(self) -> int:
        with self._open().searcher() as searcher:
            return int(searcher.doc_count())

    # -- writing -----------------------------------------------------------------
    def apply(self, load_changes: ChangeLoader, timeout: float) -> Changes:
        """Open the writer first, then load what to write: whatever the loader reads is
        at least as new as any change another process indexed before us."""
        try:
            writer = self._open().writer(timeout=timeout)
        except LockError as error:
            raise IndexBusy(str(error)) from error
        try:
            changes = load_changes()
            for story_id in changes.removals:
                writer.delete_by_term("story_id", str(story_id))
            for doc in changes.upserts:
                writer.update_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return changes

    @contextmanager
    def hold_writes(self, timeout: float = 60.0) -> Iterator[None]:
        """Hold the live index's writer lock, so incremental updates wait in the outbox
        while a rebuild reads the database; released (nothing written) on exit.

        Only the lock is held, not a writer: the rebuild removes the old generation's
        folder before this exits, and a writer's half-made segment files in it would
        make the cancel fail. A missing or unreadable live index has no writers to hold
        back (they fail to open it too)."""
        with self._rebuild_lock(timeout):
            if not self.is_healthy():
                yield
                return
            lock = self._open().lock("WRITELOCK")
            if not try_for(lock.acquire, timeout=timeout, delay=0.05):
                raise IndexBusy(f"the index writer lock stayed taken for {timeout} s")
            try:
                yield
            finally:
                lock.release()

    @contextmanager
    def _rebuild_lock(self, timeout: float) -> Iterator[None]:
        """One rebuild at a time across processes: two processes that both find the
        index missing must not both rebuild, or the later swap could drop stories the
        earlier one had already taken from the outbox."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with open(self.index_dir / REBUILD_LOCK_FILE, "a+b") as handle:

            def try_lock() -> bool:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return False
                return True

            if not try_for(try_lock, timeout=timeout, delay=0.05):
                raise IndexBusy(f"another process kept rebuilding the index for {timeout} s")
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def rebuild(self, documents: Iterable[StoryDocument], progress: Progress | None = None) -> int:
        generation, index = new_generation(self.index_dir)
        writer = index.writer(limitmb=self.writer_memory_mb)
        count = 0
        try:
            for doc in documents:
                writer.add_document(**_fields(doc))
                count += 1
                if progress is not None:
                    progress(1)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        activate(self.index_dir, generation)
        return count

    # -- searching ---------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResults:
        index = self._open()
        parsed, malformed = parse_query(request.text, index.schema)
        with index.searcher() as searcher:
            total_docs = searcher.doc_count()
            pages = max(1, -(-total_docs // request.per_page))
            page = min(max(request.page, 1), pages)
            results = self._run(searcher, parsed, request, page)
            total = len(results)
            last = max(1, -(-total // request.per_page))
            if page > last:
                page = last
                results = self._run(searcher, parsed, request, page)
            start = (page - 1) * request.per_page
            hits = [self._hit(hit) for hit in results[start : start + request.per_page]]
            facets = {
                name: sorted(
                    ((str(key), int(count)) for key, count in results.groups(name).items()
                     if key not in (None, "")),
                    key=lambda pair: (-pair[1], pair[0]),
                )
                for name in FACET_FIELDS
            }
            suggestion = self._suggest(searcher, request.text) if total == 0 else None
        return SearchResults(
            hits=hits,
            total=total,
            page=page,
            per_page=request.per_page,
            facets=facets,
            suggestion=suggestion,
            notice="malformed" if malformed else None,
        )

    def _run(
        self, searcher: Searcher, parsed: wq.Query, request: SearchRequest, page: int
    ) -> Results:
        newest = request.sort == "newest" or not request.text
        facets = {
            name: sorting.FieldFacet(field, allow_overlap=(field == "themes"))
            for name, field in FACET_FIELDS.items()
        }
        results = searcher.search(
            parsed,
            limit=page * request.per_page,
            filter=self._filter(request),
            sortedby=sorting.FieldFacet("published", reverse=True) if newest else None,
            groupedby=facets,
            maptype=sorting.Count,
            terms=True,
        )
        results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70)
        results.formatter = HtmlFormatter(tagname="mark", between=" … ")
        return results

    @staticmethod
    def _filter(request: SearchRequest) -> wq.Query | None:
        clauses: list[wq.Query] = []
        for name, value in request.filters.items():
            if name in FACET_FIELDS and value:
                clauses.append(wq.Term(FACET_FIELDS[name], value.lower()))
        if request.date_from or request.date_to:
            start = datetime.combine(request.date_from, time.min) if request.date_from else None
            # The whole last day; time.max, not "next day minus 1 µs": 9999-12-31 has no next day.
            end = datetime.combine(request.date_to, time.max) if request.date_to else None
            clauses.append(wq.DateRange("published", start, end))
        return wq.And(clauses) if clauses else None

    @staticmethod
    def _hit(hit: Hit) -> SearchHit:
        text = hit["text"]
        field = f"body_{hit['language']}"
        other = "body_en" if field == "body_nl" else "body_nl"
        snippet = hit.highlights(field, text=text, top=2) or hit.highlights(other, text=text, top=2)
        if not snippet:
            cut = text[:SNIPPET_CHARS]
            snippet = html.escape(cut.rsplit(" ", 1)[0] + "…" if len(text) > SNIPPET_CHARS else cut)
        return SearchHit(
            story_id=int(hit["story_id"]),
            title=hit["title"],
            snippet_html=snippet,
            team=hit.get("team") or None,
            team_name=hit.get("team_name"),
            channel=hit["channel"],
            language=hit["language"],
            themes=tuple(t for t in hit.get("themes", "").split(",") if t),
            author_kind=hit["author_kind"],
            author_name=hit.get("author_name"),
            published_at=hit["published"].replace(tzinfo=UTC),
            kudos=int(hit.get("kudos", 0)),
            featured=bool(hit.get("featured", False)),
        )

    @staticmethod
    def _suggest(searcher: Searcher, text: str) -> str | None:
        """ "Did you mean": replace each word the index does not know by its nearest."""
        corrector = searcher.corrector("spelling")
        reader = searcher.reader()
        suggestion = text
        changed = False
        for word in plain_words(text):
            folded = word.lower().translate(accent_map)
            if len(folded) < 3 or reader.frequency("spelling", folded) > 0:
                continue
            # Two edits turn any short word into another ("foo" → "op"): one for those.
            options = corrector.suggest(folded, limit=1, maxdist=1 if len(folded) <= 4 else 2)
            if options:
                suggestion = suggestion.replace(word, options[0], 1)
                changed = True
        return suggestion if changed else None
