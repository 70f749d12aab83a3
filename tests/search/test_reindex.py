"""``storyboard reindex`` rebuilds the index from the database, gives the same answers
as the incrementally kept index, and a missing or damaged index rebuilds itself."""

from __future__ import annotations

import gc
import logging
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text as sql

from storyboard.db import db
from storyboard.models import StoryStatus
from storyboard.search import service
from storyboard.search.analysis import WORD_LIST, WORD_LIST_FIELD
from storyboard.search.backend import SearchRequest, SearchResults
from storyboard.search.pg_schema import DOCUMENTS
from storyboard.search.whoosh_store import (
    FORMAT_FILE,
    POINTER,
    current_generation,
    open_current,
)
from tests.conftest import make_app
from tests.search.conftest import Archive

QUERIES: list[tuple[str, dict[str, str]]] = [
    ("", {}),
    ("", {"sort": "newest"}),
    ("bestelling", {}),
    ("verjaardag cadeau", {}),
    ('"stood up"', {}),
    ("delivery OR bestelling", {}),
    ("klant -cadeau", {}),
    ("team:retail", {}),
    ("", {"channel": "chat"}),
    ("klant", {"theme": "stand-up", "language": "nl"}),
    ("title:story", {"sort": "newest"}),
    ("nosuchword", {}),
    # What a rebuild's word-list documents must not change: queries that match every
    # story but some, prefixes and "did you mean" (both read the word list).
    ("-cadeau", {}),
    ("", {"team": "retail"}),
    ("bestel*", {}),
    ("verjaar* delivery", {}),
    ("bestelingen", {}),
    ("deliverys", {}),
]


def build_history(archive: Archive) -> None:
    """Stories saved, edited, unpublished and deleted one commit at a time, so the
    incremental index holds several segments and deleted documents."""
    bodies = [
        ("nl", "chat", "Retail", ("stand-up",), "De klant kreeg zijn bestelling op tijd."),
        ("nl", "phone", "Webshop", ("storytelling",), "Een cadeau voor de verjaardag, klant."),
        ("en", "chat", "Retail", ("tools",), "She stood up for the customer: a delivery today."),
        ("en", "email", None, (), "Deliveries were late; the klant got an apology."),
        ("nl", "store", "Stores", ("stand-up", "team"), "Verjaardagen, bestellingen, klant blij."),
    ]
    ids = []
    for number in range(12):
        language, channel, team, themes, body = bodies[number % len(bodies)]
        ids.append(
            archive.add(
                f"Story {number}",
                f"{body} ({number})",
                language=language,
                channel=channel,
                team=team,
                themes=themes,
            )
        )
    for story_id in ids[::4]:
        archive.edit(story_id, title="Story edited, with a cadeau")
    archive.set_status(ids[1], StoryStatus.WITHDRAWN)
    archive.set_status(ids[2], StoryStatus.DRAFT)
    archive.delete(ids[3])
    archive.add("Draft story", "Een klant in concept.", status=StoryStatus.DRAFT)


Answer = tuple[list[int] | set[int], int, dict[str, Any], str | None]


def answers(archive: Archive) -> list[Answer]:
    """What each query returns: ids (in order for "newest"), total, facets and the
    "did you mean" suggestion."""
    out: list[Answer] = []
    for text, options in QUERIES:
        results = archive.search(text, **options)
        ids = [hit.story_id for hit in results.hits]
        ordered = ids if options.get("sort") == "newest" else set(ids)
        out.append((ordered, results.total, results.facets, results.suggestion))
    return out


def test_reindex_prints_a_summary_and_gives_the_same_answers(archive: Archive, runner: Any) -> None:
    build_history(archive)
    incremental = answers(archive)
    whoosh = archive.backend_name == "whoosh"
    generation = current_generation(archive.index_dir) if whoosh else None

    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    published = len(archive.published_ids())
    match = re.search(r"Indexed ([\d,]+) stories in [\d.]+ s \(([\d,]+) stories/s\)", result.output)
    assert match, result.output
    assert int(match.group(1)) == published
    assert "Indexing stories" in result.output  # the progress bar's label

    if whoosh:
        assert current_generation(archive.index_dir) != generation  # a fresh directory
        assert not generation or not generation.exists()  # the old one is cleaned away
    assert answers(archive) == incremental
    assert archive.indexed_ids() == archive.published_ids()


def test_reindex_from_an_empty_index_directory(whoosh_archive: Archive) -> None:
    archive = whoosh_archive
    build_history(archive)
    incremental = answers(archive)
    shutil.rmtree(archive.index_dir)
    result = archive.app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert answers(archive) == incremental


def _delete_index(archive: Archive) -> None:
    shutil.rmtree(archive.index_dir)


def _dangling_pointer(archive: Archive) -> None:
    (archive.index_dir / POINTER).write_text("gen-12345", encoding="ascii")


def _garbage_pointer(archive: Archive) -> None:
    (archive.index_dir / POINTER).write_bytes(b"\xff\xfe\x00 not a generation")


def _damaged_segment(archive: Archive) -> None:
    generation = current_generation(archive.index_dir)
    assert generation is not None
    # A segment is one compound ".seg" file, or (as the backend writes them) separate
    # term, posting and column files.
    segments = [
        path for path in generation.iterdir() if path.suffix in {".seg", ".trm", ".pst", ".col"}
    ]
    assert segments, list(generation.iterdir())
    for segment in segments:
        segment.write_bytes(b"\x00" * 64)


def _damaged_toc(archive: Archive) -> None:
    generation = current_generation(archive.index_dir)
    assert generation is not None
    for toc in generation.glob("*.toc"):
        toc.write_bytes(b"garbage")


# Whoosh leaves a file open when it cannot parse a damaged file (it raises before its
# close); the warning about that handle is Whoosh's, not ours.
_WHOOSH_LEAKS = pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)
DAMAGE = [
    pytest.param(_delete_index, id="deleted directory"),
    pytest.param(_dangling_pointer, id="pointer to a missing generation"),
    pytest.param(_garbage_pointer, id="garbage in the pointer"),
    pytest.param(_damaged_segment, id="damaged segment file", marks=_WHOOSH_LEAKS),
    pytest.param(_damaged_toc, id="damaged table of contents", marks=_WHOOSH_LEAKS),
]


@pytest.fixture(autouse=True)
def _collect_leaked_files() -> Iterator[None]:
    """Collect garbage before the test ends, so a leaked handle is reported (and
    ignored, where marked) in the test that leaked it."""
    yield
    gc.collect()


def _rebuilt_with_a_warning(caplog: pytest.LogCaptureFixture) -> bool:
    found = any(
        record.levelno == logging.WARNING
        and "rebuilding it from the database" in record.getMessage()
        for record in caplog.records
    )
    caplog.clear()
    return found


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_broken_index_is_detected_and_rebuilt(
    whoosh_archive: Archive, damage: Callable[[Archive], None], caplog: pytest.LogCaptureFixture
) -> None:
    """Whoosh's files on a host's disk can be lost or damaged; PostgreSQL's tables are
    the database's own (its backups and recovery)."""
    archive = whoosh_archive
    caplog.set_level(logging.WARNING, logger="storyboard")
    stories = {
        archive.add("Rebuilt one", "A pelican at the desk."),
        archive.add("Rebuilt two", "Another pelican, by chat.", channel="chat"),
    }
    archive.add("Never indexed", "A pelican in a draft.", status=StoryStatus.DRAFT)
    caplog.clear()

    # At start-up: a new app process finds the damage on first use.
    damage(archive)
    restarted = Archive(make_app(Path(archive.app.instance_path)), archive.author_email)
    try:
        assert restarted.ids("pelican") == stories
    finally:
        with restarted.app.app_context():
            db.engine.dispose()
    assert _rebuilt_with_a_warning(caplog)

    # While running: this app passed its start-up check long ago; the next search repairs.
    damage(archive)
    assert archive.ids("pelican") == stories
    assert _rebuilt_with_a_warning(caplog)

    # A save that meets a broken index repairs it instead of failing after its commit.
    damage(archive)
    stories.add(archive.add("Saved after the damage", "A pelican, saved later."))
    assert _rebuilt_with_a_warning(caplog)
    assert archive.ids("pelican") == stories
    assert archive.pending() == 0


def test_searches_keep_working_while_a_rebuild_runs(archive: Archive) -> None:
    build_history(archive)
    expected = answers(archive)
    during: list[list[tuple[list[int] | set[int], int, dict[str, Any]]]] = []
    saved_during: list[int] = []
    errors: list[BaseException] = []

    def in_another_thread(work: Callable[[], None]) -> None:
        def run() -> None:
            try:
                with archive.app.app_context():
                    work()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=30)

    def progress(step: int) -> None:
        if not during:  # half-way through the rebuild: search, and save a story
            in_another_thread(lambda: during.append(answers(archive)))
            in_another_thread(
                lambda: saved_during.append(
                    archive.add("Saved mid-rebuild", "A flamingo arrives during the rebuild.")
                )
            )

    with archive.app.app_context():
        summary = service.rebuild_index(service.backend(), progress=progress)

    assert not errors, errors
    assert during == [expected]  # the old generation answered, completely
    # The rebuild may or may not have read the story saved meanwhile (it reads the
    # database in chunks); either way the drain after the swap makes it searchable.
    assert summary.stories in (len(archive.published_ids()) - 1, len(archive.published_ids()))
    # Saved while the rebuild held the writer: applied by the drain after the swap.
    assert archive.ids("flamingo") == set(saved_during)
    assert archive.indexed_ids() == archive.published_ids()
    assert archive.pending() == 0


def test_search_results_are_plain_data(archive: Archive) -> None:
    """What the backend returns is the interface's type (the page only formats it)."""
    archive.add("Typed", "A plain result.")
    with archive.app.app_context():
        results = service.search_stories(SearchRequest(text="plain"))
    assert isinstance(results, SearchResults)
    assert results.hits[0].title == "Typed"


def test_two_processes_finding_no_index_rebuild_it_once(whoosh_archive: Archive) -> None:
    """The second process to find the index missing waits for the first one's rebuild
    and then uses it, instead of swapping in a rebuild of its own over it."""
    archive = whoosh_archive
    from storyboard.search.whoosh_backend import WhooshBackend

    story = archive.add("Only once", "An albatross rebuilt once.")
    index_dir = Path(archive.app.config["INDEX_DIR"])
    shutil.rmtree(index_dir)
    first, second = WhooshBackend(index_dir), WhooshBackend(index_dir)
    outcome: list[object] = []

    with archive.app.app_context():
        with first.hold_writes():  # the first process is rebuilding...

            def second_process() -> None:
                with archive.app.app_context():
                    outcome.append(service.rebuild_index(second, only_if_broken=True))

            waiting = threading.Thread(target=second_process)
            waiting.start()
            waiting.join(timeout=0.5)
            assert waiting.is_alive(), "the second rebuild did not wait for the first"
            with service.new_session() as session:
                first.rebuild(service.published_documents(session), None)
        waiting.join(timeout=30)
    assert outcome == [None]  # healthy once it got the lock: nothing rebuilt twice
    assert archive.ids("albatross") == {story}


def _stamp_away(archive: Archive) -> None:
    """Make the index look written by a version before INDEX_FORMAT: no FORMAT file in
    the Whoosh generation, no stamp on PostgreSQL's documents table."""
    if archive.backend_name == "whoosh":
        generation = current_generation(archive.index_dir)
        assert generation is not None
        (generation / FORMAT_FILE).unlink()
        return
    with archive.app.app_context(), db.engine.begin() as connection:
        connection.execute(sql(f"COMMENT ON TABLE {DOCUMENTS} IS NULL"))


def test_an_index_of_an_older_format_is_rebuilt_on_first_use(
    archive: Archive, caplog: pytest.LogCaptureFixture
) -> None:
    """After an upgrade that changes what the index holds, the first use rebuilds it from
    the database (nobody has to remember `storyboard reindex`): on both backends."""
    stories = {archive.add("Format one", "A heron at the desk.")}
    stories.add(archive.add("Format two", "Another heron, by chat.", channel="chat"))
    _stamp_away(archive)
    caplog.set_level(logging.WARNING, logger="storyboard")
    caplog.clear()

    upgraded = Archive(archive.another_app(), archive.author_email)
    try:
        assert upgraded.ids("heron") == stories
        assert _rebuilt_with_a_warning(caplog)
        # Stamped again: the next process does not rebuild.
        again = Archive(archive.another_app(), archive.author_email)
        try:
            assert again.ids("heron") == stories
            assert not _rebuilt_with_a_warning(caplog)
        finally:
            with again.app.app_context():
                db.engine.dispose()
    finally:
        with upgraded.app.app_context():
            db.engine.dispose()


def test_a_rebuild_keeps_its_words_in_word_lists_no_search_returns(
    whoosh_archive: Archive,
) -> None:
    """A rebuild writes each batch's "did you mean" words once, in a word-list
    document: never a hit, never counted as a story, yet every word is known."""
    archive = whoosh_archive
    build_history(archive)
    assert archive.app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    published = archive.published_ids()
    with archive.app.app_context():
        engine = service.backend()
        assert engine.doc_count() == len(published)
        with open_current(archive.index_dir).searcher() as searcher:
            assert searcher.doc_frequency(WORD_LIST_FIELD, WORD_LIST) == 1
            assert searcher.doc_count() == len(published) + 1
            assert searcher.reader().frequency("spelling", "bestellingen") > 0
    assert archive.ids("") == archive.ids("-nosuchword") == published
    assert archive.ids("bestel*")
    assert archive.search("bestelingen").suggestion == "bestellingen"
