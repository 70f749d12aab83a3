"""Segment readers kept between searches: reused while a segment is unchanged, opened
again when its deletions change, closed when the segment, the thread or the keeper goes."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from whoosh import fields, index
from whoosh.index import FileIndex
from whoosh.qparser import QueryParser

from storyboard.search.whoosh_readers import KeptReaders

SCHEMA = fields.Schema(key=fields.ID(stored=True, unique=True), text=fields.TEXT)


def _index(tmp_path: Path, segments: int = 3) -> FileIndex:
    ix = index.create_in(str(tmp_path), SCHEMA)
    for n in range(segments):  # one commit per segment, none merged
        writer = ix.writer()
        writer.add_document(key=f"s{n}", text=f"parcel number{n}")
        writer.commit(merge=False)
    return ix


def _found(kept: KeptReaders, ix: FileIndex, words: str) -> list[str]:
    with kept.searcher(ix) as searcher:
        query = QueryParser("text", SCHEMA).parse(words)
        return sorted(hit["key"] for hit in searcher.search(query, limit=None))


def _segment_readers(kept: KeptReaders, ix: FileIndex) -> list[object]:
    with kept.searcher(ix) as searcher:
        return [reader for reader, _offset in searcher.reader().leaf_readers()]


def test_readers_of_unchanged_segments_are_reused(tmp_path: Path) -> None:
    ix = _index(tmp_path)
    kept = KeptReaders()
    first = _segment_readers(kept, ix)
    assert len(first) == 3 and kept.open_count() == 3
    second = _segment_readers(kept, ix)
    assert [id(r) for r in second] == [id(r) for r in first]
    assert not any(r.is_closed for r in second)  # closing the searcher kept them open


def test_a_deleted_story_does_not_come_back_from_a_kept_reader(tmp_path: Path) -> None:
    ix = _index(tmp_path)
    kept = KeptReaders()
    assert _found(kept, ix, "parcel") == ["s0", "s1", "s2"]
    before = _segment_readers(kept, ix)
    writer = ix.writer()
    writer.delete_by_term("key", "s1")
    writer.commit(merge=False)
    assert _found(kept, ix, "parcel") == ["s0", "s2"]
    after = _segment_readers(kept, ix)
    changed = [r for r in before if all(r is not a for a in after)]
    assert len(changed) == 1 and changed[0].is_closed  # only that segment was reopened


def test_a_new_segment_is_searched_and_merged_segments_are_closed(tmp_path: Path) -> None:
    ix = _index(tmp_path)
    kept = KeptReaders()
    before = _segment_readers(kept, ix)
    writer = ix.writer()
    writer.add_document(key="s9", text="parcel late")
    writer.commit(merge=False)
    assert _found(kept, ix, "late") == ["s9"]
    assert kept.open_count() == 4
    writer = ix.writer()
    writer.commit(optimize=True)  # everything merged into one segment
    assert _found(kept, ix, "parcel") == ["s0", "s1", "s2", "s9"]
    assert kept.open_count() == 1
    assert all(r.is_closed for r in before)


def _collect(kept: KeptReaders, ix: FileIndex, into: list[object]) -> None:
    into.extend(_segment_readers(kept, ix))


def test_readers_close_when_their_thread_ends_or_the_keeper_goes(tmp_path: Path) -> None:
    ix = _index(tmp_path)
    kept = KeptReaders()
    seen: list[object] = []
    thread = threading.Thread(target=_collect, args=(kept, ix, seen))
    thread.start()
    thread.join()
    del thread
    gc.collect()
    assert len(seen) == 3 and all(r.is_closed for r in seen)

    mine = _segment_readers(kept, ix)
    assert not any(r.is_closed for r in mine)
    del kept
    gc.collect()
    assert all(r.is_closed for r in mine)
