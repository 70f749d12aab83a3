"""Segment readers kept open between searches.

Opening a searcher opens a reader per segment, and each reads its term table's header
from disk: about 0.2 ms a segment, 2 ms for the dozen segments a live index has after a
rebuild and some saves, a seventh of a small archive's whole search. A segment never
changes once written except for its deleted documents, so a reader opened for it stays
right as long as its deletions are the same. ``KeptReaders`` keeps one reader per
(index folder, segment, deleted documents) and opens a reader only for a segment that is
new or whose deletions changed; readers of segments the table of contents no longer
lists (merged away, or a rebuild's old generation) are closed.

Whoosh's own ``reader(reuse=…)`` keys readers by segment alone, so a story deleted or
replaced after the reader was opened would come back: that is why the backend used to
open every searcher afresh.

Readers are kept per thread: a reader's files are read by seeking, which two threads
must not do at once. Under gunicorn's sync workers that is one set per process. When
the backend that keeps them goes away (an app of the tests, the end of the process),
every thread's readers are closed with it.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from whoosh.index import FileIndex
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

ReaderKey = tuple[str, str, frozenset[int]]


class _SharedSegments(MultiReader):
    """A MultiReader that leaves its kept segment readers open when a searcher closes it."""

    def close(self) -> None:
        self.is_closed = True


def _key(folder: str, segment: Any) -> ReaderKey:
    deleted = frozenset(segment.deleted_docs()) if segment.has_deletions() else frozenset()
    return (folder, segment.segment_id(), deleted)


def _close(readers: dict[ReaderKey, SegmentReader]) -> None:
    for reader in list(readers.values()):
        reader.close()
    readers.clear()


class _ThreadReaders:
    """One thread's kept readers, closed when the thread ends (its ``threading.local``
    drops this) or when the backend does, whichever comes first."""

    def __init__(self) -> None:
        self.readers: dict[ReaderKey, SegmentReader] = {}
        weakref.finalize(self, _close, self.readers)


def _close_every_thread(every_thread: weakref.WeakSet[_ThreadReaders]) -> None:
    for kept in list(every_thread):
        _close(kept.readers)


class KeptReaders:
    """Per thread, the open segment readers of the segments last searched."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._every_thread: weakref.WeakSet[_ThreadReaders] = weakref.WeakSet()
        self._lock = threading.Lock()
        weakref.finalize(self, _close_every_thread, self._every_thread)

    def _kept(self) -> dict[ReaderKey, SegmentReader]:
        kept: _ThreadReaders | None = getattr(self._local, "kept", None)
        if kept is None:
            kept = self._local.kept = _ThreadReaders()
            with self._lock:
                self._every_thread.add(kept)
        return kept.readers

    def searcher(self, index: FileIndex) -> Searcher:
        """A searcher over the index's current segments, with the readers of unchanged
        segments reused. Closing it leaves those readers open for the next search."""
        info = index._read_toc()  # noqa: SLF001 - the TOC that index.reader() reads
        if not info.segments:
            return Searcher(EmptyReader(info.schema), fromindex=index)
        folder = str(getattr(index.storage, "folder", id(index.storage)))
        kept = self._kept()
        readers, wanted = [], set()
        for segment in info.segments:
            key = _key(folder, segment)
            wanted.add(key)
            reader = kept.get(key)
            if reader is None or reader.is_closed:
                reader = SegmentReader(
                    index.storage, info.schema, segment, generation=info.generation
                )
                kept[key] = reader
            readers.append(reader)
        for key in [k for k in kept if k not in wanted]:
            kept.pop(key).close()
        return Searcher(_SharedSegments(readers, generation=info.generation), fromindex=index)

    def open_count(self) -> int:
        """Readers this thread keeps open."""
        return len(self._kept())
