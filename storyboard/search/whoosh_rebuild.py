"""The writers a Whoosh rebuild indexes with: Whoosh's own, with postings pooled directly.

Whoosh's ``SegmentWriter`` hands every posting (a rebuild of 100,000 stories writes
about 30 million) to its pool's ``add``, a Python method that estimates the posting's
size in bytes, so as to spill sorted runs to disk before the pool outgrows
``limitmb``. A rebuild adds a bounded batch of stories per writer, so here the pool's
``add`` is its list's own ``append`` and the size is checked between batches of
documents instead (``pool_directly``), spilling a run as Whoosh would; everything else
(sorting, runs, the segment files) is Whoosh's. In a rebuild over several processes
(Whoosh's ``MpWriter``) each process's writer is set up so before each batch of
documents it reads (``_RebuildTask``).
"""

from __future__ import annotations

from typing import Any

from whoosh.index import FileIndex
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from storyboard.search.whoosh_store import writer_codec

# What one pooled posting costs in memory, about: a 5-tuple with the field name
# (shared), the term's bytes, a document number, a weight and the encoded positions.
POSTING_BYTES = 220
# Documents added between two checks of a pool's size (in several processes: the
# documents of one job file).
DOCS_PER_CHECK = 200


def pool_directly(writer: SegmentWriter, memory_mb: int) -> None:
    """Make the writer's pool take postings with its list's ``append``, after spilling
    a sorted run to disk when the pool holds more than ``memory_mb`` of postings."""
    pool = writer.pool
    if len(pool.current) * POSTING_BYTES > memory_mb * 1024 * 1024:
        pool.save()  # Whoosh's own spill: sorts the list into a run, starts a new list
    pool.add = pool.current.append
    # What Whoosh's ``add`` would have recorded posting by posting.
    pool.fieldnames.update(writer.schema.names())


class _RebuildTask(SubWriterTask):
    """One rebuild process: Whoosh's task, pooling directly before each job file."""

    def __init__(self, *args: Any, memory_mb: int) -> None:
        super().__init__(*args)
        self.memory_mb = memory_mb

    def _process_file(self, filename: str, doc_count: int) -> None:
        pool_directly(self.writer, self.memory_mb)
        super()._process_file(filename, doc_count)


class _RebuildMpWriter(MpWriter):
    """Whoosh's multiprocess writer, whose processes are ``_RebuildTask``s."""

    def __init__(self, index: FileIndex, memory_mb: int, **options: Any) -> None:
        super().__init__(index, **options)
        self.memory_mb = memory_mb

    def _new_task(self) -> _RebuildTask:
        task = _RebuildTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
            memory_mb=self.memory_mb,
        )
        self.tasks.append(task)
        task.start()
        return task


class _RebuildSegmentWriter(SegmentWriter):
    """Whoosh's one-process writer, pooling directly every ``DOCS_PER_CHECK`` documents."""

    def __init__(self, index: FileIndex, memory_mb: int, **options: Any) -> None:
        super().__init__(index, **options)
        self.memory_mb = memory_mb
        self.added_docs = 0

    def add_document(self, **fields: Any) -> None:
        if self.added_docs % DOCS_PER_CHECK == 0:
            pool_directly(self, self.memory_mb)
        self.added_docs += 1
        super().add_document(**fields)


def rebuild_writer(index: FileIndex, procs: int, memory_mb: int, compound: bool) -> Any:
    """A writer for ``procs`` processes that commits the stories added as one new
    segment per process (with ``commit(merge=False)``: merging is a full rewrite in
    Python)."""
    options: dict[str, Any] = {"limitmb": memory_mb, "compound": compound, "codec": writer_codec()}
    if procs > 1:
        return _RebuildMpWriter(
            index, memory_mb, procs=procs, batchsize=DOCS_PER_CHECK, multisegment=True, **options
        )
    return _RebuildSegmentWriter(index, memory_mb, **options)
