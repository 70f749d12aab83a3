"""Where the Whoosh index lives on disk, in swappable generations.

``INDEX_DIR/CURRENT`` names the live generation folder (``gen-<n>``). A rebuild writes a
new generation next to it and replaces ``CURRENT`` atomically (``os.replace``), so
searches keep running on the old generation until the new one is complete.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from whoosh import index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import FileIndex

from storyboard.search.analysis import build_schema
from storyboard.search.backend import INDEX_FORMAT

POINTER = "CURRENT"
# In each generation folder: the INDEX_FORMAT its documents were written in.
FORMAT_FILE = "FORMAT"


def writer_codec() -> W3Codec:
    """Whoosh's codec, without each posting's copy of its field's length.

    Whoosh writes a document's field length into every posting block (for its
    block-quality shortcut) by reading it back from the lengths column, one posting
    at a time: a third of the time a segment takes to write. Our scoring reads the
    lengths column itself and turns that shortcut off (``whoosh_docsets``), so every
    writer (rebuild, saves, merges) leaves the copy out.
    """
    codec = W3Codec()
    codec.length_stats = False
    return codec


class IndexMissing(RuntimeError):
    """No usable index generation exists yet (none, or one of another format)."""


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / POINTER
    try:
        name = pointer.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    path = index_dir / name
    return path if path.is_dir() else None


def new_generation(index_dir: Path) -> tuple[Path, FileIndex]:
    """An empty index in a fresh generation folder (not live until ``activate``)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / f"gen-{time.time_ns()}"
    path.mkdir()
    (path / FORMAT_FILE).write_text(INDEX_FORMAT, encoding="ascii")
    return path, index.create_in(str(path), build_schema())


def activate(index_dir: Path, generation: Path) -> None:
    """Make ``generation`` live, atomically, and remove older generations.

    Readers that still hold files of an old generation keep reading them: on POSIX an
    unlinked file stays readable while it is open.
    """
    tmp = index_dir / f"{POINTER}.{os.getpid()}.tmp"
    tmp.write_text(generation.name, encoding="ascii")
    os.replace(tmp, index_dir / POINTER)
    for old in index_dir.glob("gen-*"):
        if old != generation and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def open_current(index_dir: Path) -> FileIndex:
    generation = current_generation(index_dir)
    if generation is None or not index.exists_in(str(generation)):
        raise IndexMissing(f"no search index in {index_dir}")
    if index_format(generation) != INDEX_FORMAT:
        raise IndexMissing(
            f"the search index in {index_dir} has format {index_format(generation)!r}, "
            f"this version writes {INDEX_FORMAT!r}"
        )
    return index.open_dir(str(generation))


def index_format(generation: Path) -> str | None:
    """The format a generation was written in; None for one written before formats."""
    try:
        return (generation / FORMAT_FILE).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
