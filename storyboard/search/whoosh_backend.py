"""The embedded search backend: a Whoosh index on local disk."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh.collectors import FilterCollector
from whoosh.index import FileIndex, LockError
from whoosh.reading import IndexReader, SegmentReader
from whoosh.searching import Hit, Results, Searcher
from whoosh.util.filelock import try_for

from storyboard.search import analysis
from storyboard.search import query as query_syntax
from storyboard.search.backend import (
    ChangeLoader,
    Changes,
    IndexBusy,
    Progress,
    SearchHit,
    SearchRequest,
    SearchResults,
    SearchWork,
    clamp_page,
)
from storyboard.search.documents import StoryDocument
from storyboard.search.snippets import QueryWords, make_snippet, query_words
from storyboard.search.spelling import SpellingCache, closest, max_edits, suggest_spelling
from storyboard.search.whoosh_docsets import (
    DocsetCache,
    Matched,
    ScoringCollector,
    SearchTimeLimit,
    combine,
    spelling_candidates,
)
from storyboard.search.whoosh_readers import KeptReaders
from storyboard.search.whoosh_rebuild import rebuild_writer
from storyboard.search.whoosh_scoring import Scorer
from storyboard.search.whoosh_store import (
    activate,
    current_generation,
    new_generation,
    open_current,
    writer_codec,
)

# A rebuild indexes in this many processes (Whoosh's MpWriter), each writing its own
# segment per batch: analysis is pure Python, so a second core nearly halves the time.
REBUILD_PROCS = max(1, min(4, os.cpu_count() or 1))
# Stories per rebuild batch and process: few enough that a process keeps its postings
# in memory (``writer_memory_mb``; spilling to disk and merging the runs costs ~35 %
# more time), many enough to keep the segments few (100,000 stories → 10 segments with
# 2 processes; every segment is ~12 open files per searcher).
REBUILD_DOCS_PER_PROC = 10_000
# Segments are written as separate files, not one compound file: Whoosh reads a
# compound segment by copying each of its parts into memory (BytesIO), so opening a
# searcher or a writer on a 100,000-story index copied ~650 MB, on every save.
COMPOUND_SEGMENTS = False
# Every save writes a segment of its own. Merging costs Whoosh ~45 ms per small segment
# (per-term overhead in Python), so saves merge nothing until MERGE_FANOUT segments of
# one size class (1-31 stories, 32-1023, …) have piled up, and then merge that class
# into one segment: one save in 32 pays ~1.5 s so that the other 31 stay fast, and the
# number of segments stays logarithmic. Segments above SMALL_SEGMENT_DOCS (those a
# rebuild writes) are never merged on a save: a full merge is minutes of Python, and
# Whoosh's default MERGE_SMALL does one as soon as an index has ~20 similar segments.
MERGE_FANOUT = 32
SMALL_SEGMENT_DOCS = 2 * MERGE_FANOUT**2
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


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge policy for saves (see MERGE_FANOUT): merge the first size class of small
    segments that has MERGE_FANOUT members, if any; leave every other segment alone."""
    classes: dict[int, list[Any]] = {}
    for segment in segments:
        count = segment.doc_count_all()
        if count <= SMALL_SEGMENT_DOCS:
            size_class = 0
            while count >= MERGE_FANOUT:
                count //= MERGE_FANOUT
                size_class += 1
            classes.setdefault(size_class, []).append(segment)
    for size_class in sorted(classes):
        merging = classes[size_class]
        if len(merging) >= MERGE_FANOUT:
            for segment in merging:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            return [segment for segment in segments if segment not in merging]
    return segments


def with_parts(text: str, words: list[str]) -> str:
    """``text`` (whose ``folded_words`` are ``words``) for a Dutch field: followed by
    its compounds' parts and its participles' verbs (``added_stems``), if it has any."""
    parts = analysis.added_stems(words)
    return f"{text}{analysis.PARTS_MARK}{' '.join(parts)}" if parts else text


def open_stored_fields(reader: IndexReader) -> None:
    """Open each segment's stored-fields file now, not when the first hit is read.
    Whoosh opens a segment's files on first use, and a writer in another process may
    merge the segment and delete them in between (the search then failed with a 500);
    a file opened before its deletion stays readable."""
    for segment, _offset in reader.leaf_readers():
        if segment.doc_count_all():
            segment.stored_fields(0)


def _fields(doc: StoryDocument, batch_words: set[str] | None = None) -> dict[str, Any]:
    """The story's document. With ``batch_words`` (a rebuild) its words are added there,
    for the batch's word list (``_add_word_list``), instead of to its own ``spelling``."""
    published = doc.published_at.astimezone(UTC).replace(tzinfo=None)
    title_words = analysis.folded_words(doc.title)
    text_words = analysis.folded_words(doc.text)
    if batch_words is None:
        spelling = analysis.dictionary_words(title_words + text_words)
    else:
        batch_words.update(title_words, text_words)
        spelling = None
    return {
        "story_id": str(doc.story_id),
        "title_nl": with_parts(doc.title, title_words),
        "title_en": doc.title,
        "body_nl": with_parts(doc.text, text_words),
        "body_en": doc.text,
        "spelling": spelling,
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


def _add_word_list(writer: Any, words: set[str]) -> None:
    """One document with the "did you mean" words of a rebuild's batch of stories
    (``analysis.WORD_LIST_FIELD``); searches never return it (``whoosh_docsets``)."""
    if words:
        writer.add_document(
            **{
                analysis.WORD_LIST_FIELD: analysis.WORD_LIST,
                "spelling": analysis.dictionary_words(sorted(words)),
            }
        )


class WhooshBackend:
    """Search over a Whoosh index in ``index_dir`` (see ``whoosh_store`` for layout)."""

    def __init__(
        self,
        index_dir: str | Path,
        writer_memory_mb: int = 1024,
        rebuild_procs: int = REBUILD_PROCS,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.writer_memory_mb = writer_memory_mb
        self.rebuild_procs = rebuild_procs
        self._lock = threading.Lock()
        self._index: FileIndex | None = None
        self._generation: Path | None = None
        # Per-segment facet and column caches for all threads (see whoosh_docsets).
        self._docsets = DocsetCache()
        self._spelling = SpellingCache()
        # Segment readers reused between searches (see whoosh_readers).
        self._readers = KeptReaders()

    # -- opening -----------------------------------------------------------------
    def _open(self) -> FileIndex:
        """The live index; reopened when a rebuild has swapped in a new generation."""
        generation = current_generation(self.index_dir)
        with self._lock:
            if self._index is None or generation != self._generation:
                self._index = open_current(self.index_dir)
                self._generation = generation
                self._spelling.clear()
            return self._index

    def is_healthy(self) -> bool:
        try:
            with self._open().searcher() as searcher:
                searcher.doc_count()
        except Exception:  # noqa: BLE001 - any failure to open means "rebuild me"
            return False
        return True

    def upgrade(self) -> bool:
        """Whoosh's segments cannot gain a field in place: a new layout is a rebuild."""
        return False

    def doc_count(self) -> int:
        """Stories in the index (word-list documents are not stories)."""
        with self._open().searcher() as searcher:
            word_lists = searcher.doc_frequency(analysis.WORD_LIST_FIELD, analysis.WORD_LIST)
            return int(searcher.doc_count() - word_lists)

    # -- writing -----------------------------------------------------------------
    def apply(self, load_changes: ChangeLoader, timeout: float) -> Changes:
        """Open the writer first, then load what to write: whatever the loader reads is
        at least as new as any change another process indexed before us."""
        index = self._open()
        try:
            writer = index.writer(timeout=timeout, compound=COMPOUND_SEGMENTS, codec=writer_codec())
        except LockError as error:
            raise IndexBusy(str(error)) from error
        if Path(index.storage.folder) != current_generation(self.index_dir):
            # A rebuild swapped in a new generation while we waited for this one's lock:
            # writing here would index the changes into a folder being deleted, and the
            # outbox rows would go with them. Leave them for the next drain.
            self._cancel(writer)
            raise IndexBusy("the index was rebuilt meanwhile; changes wait for the next drain")
        try:
            changes = load_changes()
            for story_id in changes.removals:
                writer.delete_by_term("story_id", str(story_id))
            for doc in changes.upserts:
                writer.update_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_small_segments)
        return changes

    @staticmethod
    def _cancel(writer: Any) -> None:
        try:
            writer.cancel()
        except OSError:  # its folder is already (partly) gone: only the lock matters
            writer.writelock.release()

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
        """Write a fresh generation in batches: each batch is committed as one segment
        per process, without merging (merging is a full rewrite in Python); then swap."""
        generation, index = new_generation(self.index_dir)
        batch = REBUILD_DOCS_PER_PROC * self.rebuild_procs
        writer = None
        count = 0
        words: set[str] = set()
        try:
            for doc in documents:
                if writer is None:
                    writer = self._rebuild_writer(index)
                writer.add_document(**_fields(doc, words))
                count += 1
                if progress is not None:
                    progress(1)
                if count % batch == 0:
                    _add_word_list(writer, words)
                    writer.commit(merge=False)
                    writer, words = None, set()
        except BaseException:
            if writer is not None:
                writer.cancel()
            raise
        if writer is not None:
            _add_word_list(writer, words)
            writer.commit(merge=False)
        activate(self.index_dir, generation)
        return count

    def _rebuild_writer(self, index: FileIndex) -> Any:
        return rebuild_writer(index, self.rebuild_procs, self.writer_memory_mb, COMPOUND_SEGMENTS)

    # -- searching ---------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResults:
        try:
            return self._search_once(request)
        except FileNotFoundError:
            # Another process's writer merged a segment away (and deleted its files)
            # between this searcher's opening and its first read of one of them; a new
            # searcher sees the merged segments. Seen under load with saves running.
            return self._search_once(request)

    def _search_once(self, request: SearchRequest) -> SearchResults:
        deadline = request.deadline()
        text, _shortened = query_syntax.bounded_query_text(request.text)
        request = replace(request, text=text)
        work = SearchWork(terms=query_syntax.query_terms(text))
        index = self._open()
        notes = query_syntax.QueryNotes()
        # A searcher per search, over the segments of this moment, reusing the readers
        # of segments whose deleted documents have not changed (whoosh_readers).
        with self._readers.searcher(index) as searcher:
            reader = searcher.reader()
            open_stored_fields(reader)

            def expand(prefix: str) -> tuple[list[str], bool]:
                words = []
                for btext in reader.expand_prefix("spelling", prefix):
                    words.append(btext.decode("utf-8"))
                    if len(words) > query_syntax.PREFIX_SCAN:
                        break
                return query_syntax.shortest_first(words)

            # The searcher's schema: ``index.schema`` reads the newest table of contents,
            # whose file a concurrent commit may already have replaced.
            parsed, _malformed = query_syntax.parse_query(text, searcher.schema, expand, notes)
            return self._search(searcher, parsed, notes, request, work, deadline)

    def _search(
        self,
        searcher: Searcher,
        parsed: wq.Query,
        notes: query_syntax.QueryNotes,
        request: SearchRequest,
        work: SearchWork,
        deadline: float,
    ) -> SearchResults:
        leaves = self._docsets.leaves(searcher)
        flt = self._filter(request)
        per_page = request.per_page
        # Clamped to the last page the whole index could fill until the total is known.
        page = clamp_page(request.page, searcher.doc_count(), per_page)
        if request.sort == "newest" or not request.text:
            # No scores needed: match with set operations, take the newest from a column.
            matched = Matched.evaluate(leaves, combine(parsed, flt))
            page = clamp_page(page, len(matched), per_page)
            newest = matched.newest("published", page * per_page)
            results = Results(searcher, parsed, [(0, docnum) for docnum in newest])
        else:
            results, matched = self._scored(
                searcher, leaves, parsed, flt, page * per_page, work, deadline
            )
            page = clamp_page(page, len(matched), per_page)
        total = len(matched)
        start = (page - 1) * per_page
        words = query_words(request.text)
        hits = [self._hit(hit, words) for hit in results[start : start + per_page]]
        facets = {
            name: sorted(
                (
                    (str(key), int(count))
                    for key, count in matched.facet_counts(field).items()
                    if key not in (None, "")
                ),
                key=lambda pair: (-pair[1], pair[0]),
            )
            for name, field in FACET_FIELDS.items()
        }
        suggestion = (
            self._suggest(searcher, request.text, work, deadline)
            if total == 0 and request.text and not work.timed_out
            else None
        )
        return SearchResults(
            hits=hits,
            total=total,
            page=page,
            per_page=per_page,
            facets=facets,
            suggestion=suggestion,
            notice=notes.notice,
            work=work,
        )

    @staticmethod
    def _scored(
        searcher: Searcher,
        leaves: list[Any],
        parsed: wq.Query,
        flt: wq.Query | None,
        limit: int,
        work: SearchWork,
        deadline: float,
    ) -> tuple[Results, Matched]:
        """Relevance: every match is scored (the top ``limit`` are kept) and the matches
        are recorded for the facet counts, a posting list at a time where the query's
        shape allows (``whoosh_scoring``), else by Whoosh's collector. Past
        ``deadline`` the scoring stops: what it has so far is the answer
        (``work.timed_out``)."""
        allowed = Matched.evaluate(leaves, flt) if flt is not None else None
        fast = Scorer(searcher, deadline).top(leaves, parsed, allowed, limit)
        if fast is not None:
            top, matched, timed_out = fast
            work.timed_out = work.timed_out or timed_out
            return Results(searcher, parsed, top), matched
        collector = ScoringCollector(limit, deadline)
        try:
            if flt is None:
                searcher.search_with_collector(parsed, collector)
            else:
                assert allowed is not None
                allow = allowed.global_docs()
                if not allow:  # an empty allow-set would mean "no filter" to Whoosh
                    return (
                        Results(searcher, parsed, []),
                        Matched([(leaf, set()) for leaf in leaves]),
                    )
                searcher.search_with_collector(parsed, FilterCollector(collector, allow=allow))
        except SearchTimeLimit:
            work.timed_out = True
        return collector.results(), collector.matched_in(leaves)

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
    def _hit(hit: Hit, words: QueryWords) -> SearchHit:
        snippet = make_snippet(hit["text"], words)
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

    def _suggest(
        self, searcher: Searcher, text: str, work: SearchWork, deadline: float
    ) -> str | None:
        """ "Did you mean", within the bounds of ``search.spelling``."""
        reader = searcher.reader()
        leaves = self._docsets.leaves(searcher)

        def nearest(folded: str) -> str | None:
            # Candidates share the first letter (typos rarely hit it) and pass cheap
            # necessary conditions (``spelling_candidates``); the rule itself is
            # ``spelling.closest``'s, as on PostgreSQL.
            return closest(folded, spelling_candidates(leaves, folded, max_edits(folded)))

        return suggest_spelling(
            text,
            fold=analysis.fold,
            is_known=lambda folded: reader.frequency("spelling", folded) > 0,
            nearest=nearest,
            cache=self._spelling,
            work=work,
            deadline=deadline,
        )
