"""A rebuild's writers pool postings directly and still spill to disk as Whoosh does:
the index is the same whether the pool stayed in memory or not, in one process or two."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from storyboard.search.backend import SearchRequest
from storyboard.search.documents import StoryDocument
from storyboard.search.whoosh_backend import WhooshBackend
from storyboard.search.whoosh_rebuild import pool_directly
from storyboard.search.whoosh_store import new_generation, open_current, writer_codec
from tests.search.conftest import generated_story

QUERIES = ["klant", '"klant werd snel geholpen"', "refund OR pakket", "kinder*", "-klant", ""]


def stories(count: int = 450) -> list[StoryDocument]:
    rng = random.Random(22)
    return [generated_story(rng, story_id) for story_id in range(1, count + 1)]


def postings(backend: WhooshBackend) -> dict[tuple[str, bytes], list[tuple[int, Any]]]:
    """Every posting of the index, by term: (story id, positions)."""
    found: dict[tuple[str, bytes], list[tuple[int, Any]]] = {}
    with open_current(backend.index_dir).searcher() as searcher:
        reader = searcher.reader()
        ids = {n: fields.get("story_id") for n, fields in enumerate(reader.all_stored_fields())}
        for fieldname, btext in reader.all_terms():
            if fieldname in ("story_id", "spelling", "word_list"):
                continue
            matcher = reader.postings(fieldname, btext)
            pairs = []
            while matcher.is_active():
                pairs.append((ids.get(matcher.id()), matcher.value()))
                matcher.next()
            found[(fieldname, btext)] = sorted(pairs, key=lambda pair: str(pair))
    return found


def answers(backend: WhooshBackend) -> list[tuple[int, set[int]]]:
    out = []
    for text in QUERIES:
        results = backend.search(SearchRequest(text=text, per_page=1000))
        out.append((results.total, {hit.story_id for hit in results.hits}))
    return out


@pytest.mark.parametrize("procs", [1, 2])
def test_a_rebuild_that_spills_its_pool_to_disk_writes_the_same_index(
    tmp_path: Path, procs: int
) -> None:
    in_memory = WhooshBackend(tmp_path / "memory", rebuild_procs=procs)
    spilled = WhooshBackend(tmp_path / "spilled", rebuild_procs=procs, writer_memory_mb=0)
    assert in_memory.rebuild(stories()) == spilled.rebuild(stories()) == 450
    assert postings(spilled) == postings(in_memory)
    assert answers(spilled) == answers(in_memory)
    assert answers(in_memory)[0][0] > 0 and answers(in_memory)[-1][0] == 450


def test_pooling_directly_spills_a_full_pool_and_appends_to_the_new_list(tmp_path: Path) -> None:
    _generation, index = new_generation(tmp_path)
    writer = index.writer(codec=writer_codec())
    try:
        pool_directly(writer, memory_mb=1)
        writer.add_document(story_id="1", body_en="klant " * 10)
        assert writer.pool.current and not writer.pool.runs  # appended, nothing spilled
        pool_directly(writer, memory_mb=1)
        assert not writer.pool.runs  # well under a megabyte: kept
        pool_directly(writer, memory_mb=0)
        assert len(writer.pool.runs) == 1 and not writer.pool.current  # spilled as a run
        writer.add_document(story_id="2", body_en="customer")
        assert len(writer.pool.current) == 2  # story_id and the word, in the new list
    finally:
        writer.cancel()
