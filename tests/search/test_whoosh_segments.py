"""A search that overlaps another process merging the index's segments (Whoosh).

Whoosh opens a segment's files on first use, and a writer that merges segments deletes
the old ones' files when it commits. Under load (bench/load_bench.py, saves beside
searches) a search could open its searcher, lose the segment files to another
process's merge, and fail with a 500."""

from __future__ import annotations

from storyboard.search.whoosh_backend import open_stored_fields
from storyboard.search.whoosh_store import open_current
from tests.search.conftest import Archive


def _merge_everything(archive: Archive) -> None:
    """What another process's save does when it merges segments: one segment left,
    the old segments' files deleted."""
    writer = open_current(archive.index_dir).writer()
    writer.commit(optimize=True)


def test_a_searcher_reads_its_hits_after_another_process_merged_the_segments(
    whoosh_archive: Archive,
) -> None:
    for number in range(3):  # each save commits a segment of its own
        whoosh_archive.add(f"Pakket {number} kwam op tijd")
    index = open_current(whoosh_archive.index_dir)
    with index.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) > 1, "the saves made several segments"
        open_stored_fields(searcher.reader())
        _merge_everything(whoosh_archive)
        stored = [searcher.stored_fields(n) for n in range(searcher.doc_count_all())]
    # A rebuild's word-list documents store nothing.
    titles = {fields["title"] for fields in stored if "title" in fields}
    assert titles == {f"Pakket {number} kwam op tijd" for number in range(3)}
