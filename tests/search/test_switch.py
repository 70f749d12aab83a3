"""``storyboard search use``: build the other backend's index from the database while
the portal keeps searching, then switch every process to it (and back).

On a real PostgreSQL database (the PostgreSQL backend needs one), with a real Whoosh
index in ``tmp_path`` and real other processes saving stories meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from storyboard.db import db
from storyboard.models import OpsState
from storyboard.search import service, switch
from storyboard.search.pg_backend import PostgresBackend
from tests.conftest import app_on_new_database
from tests.search.conftest import Archive, expect_line, finish, start_worker

QUERIES = ("ferry", "birthday present", '"late delivery"', "klant", "")


@pytest.fixture
def pg_whoosh_app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app on PostgreSQL that searches with Whoosh (the setting's default)."""
    with app_on_new_database(
        request.getfixturevalue("postgres"),
        tmp_path / "instance",
        template=request.getfixturevalue("pg_search_template"),
    ) as app:
        yield app


def fill(archive: Archive) -> None:
    archive.add("The ferry rebooked at midnight", "She found a later ferry for the family.")
    archive.add("A birthday present today", "The present for his daughter arrived in time.")
    archive.add("Late delivery, kind words", "A late delivery, an apology and a voucher.")
    archive.add("De klant belde terug", "De klant was blij met de oplossing.", language="nl")


def answers(archive: Archive) -> dict[str, list[int]]:
    """What each query finds, in order (relevance, then newest)."""
    return {query: [hit.story_id for hit in archive.search(query).hits] for query in QUERIES}


def use(app: Flask, backend: str) -> str:
    result = app.test_cli_runner().invoke(args=["search", "use", backend])
    assert result.exit_code == 0, result.output
    return str(result.output)


@pytest.mark.postgres
def test_switch_to_postgresql_and_back_answers_the_same(pg_whoosh_app: Flask) -> None:
    archive = Archive(pg_whoosh_app, "agent@example.nl")
    fill(archive)
    before = answers(archive)
    assert service.state_for(pg_whoosh_app).name == "whoosh"

    output = use(pg_whoosh_app, "postgresql")
    assert "Search now uses postgresql (was whoosh): 4 stories indexed" in output
    assert service.state_for(pg_whoosh_app).name == "postgresql"
    with pg_whoosh_app.app_context():
        assert PostgresBackend(db.engine).doc_count() == 4
        choice = service.current_choice(pg_whoosh_app)
    assert (choice.name, choice.source, choice.disagrees) == ("postgresql", "switch", True)
    assert {query: sorted(ids) for query, ids in answers(archive).items()} == {
        query: sorted(ids) for query, ids in before.items()
    }

    # A save after the switch goes to the new backend.
    new = archive.add("A ferry after the switch")
    assert new in archive.ids("ferry")
    with pg_whoosh_app.app_context():
        assert PostgresBackend(db.engine).doc_count() == 5

    output = use(pg_whoosh_app, "whoosh")
    assert "Search now uses whoosh (was postgresql): 5 stories indexed" in output
    assert service.state_for(pg_whoosh_app).name == "whoosh"
    assert new in archive.ids("ferry")
    assert archive.indexed_ids() == archive.published_ids()


@pytest.mark.postgres
def test_another_worker_follows_the_switch_at_its_next_save(pg_whoosh_app: Flask) -> None:
    archive = Archive(pg_whoosh_app, "agent@example.nl")
    fill(archive)
    other = archive.another_app()  # like another gunicorn worker, started before
    other_archive = Archive(other, "agent@example.nl")
    assert other_archive.ids("ferry")
    assert service.state_for(other).name == "whoosh"

    use(pg_whoosh_app, "postgresql")
    saved = other_archive.add("A ferry saved by the other worker")
    assert service.state_for(other).name == "postgresql", "its drain noticed the switch"
    assert saved in archive.ids("ferry")
    assert other_archive.indexed_ids() == other_archive.published_ids()
    with other.app_context():
        db.engine.dispose()


@pytest.mark.postgres
def test_no_story_saved_during_the_switch_is_missing_afterwards(pg_whoosh_app: Flask) -> None:
    archive = Archive(pg_whoosh_app, "agent@example.nl")
    fill(archive)
    saver = start_worker(
        "save-many",
        pg_whoosh_app.instance_path,
        "agent@example.nl",
        "Saved while switching",
        "40",
        env=archive.worker_env(),
    )
    expect_line(saver, "ready")
    assert saver.stdin is not None
    saver.stdin.write("go\n")
    saver.stdin.flush()
    use(pg_whoosh_app, "postgresql")
    saved = [int(line) for line in finish(saver).split()]
    assert len(saved) == 40

    archive.drain()  # what the saver's drains left (it may have been locked out)
    published = archive.published_ids()
    assert set(saved) <= published
    assert archive.indexed_ids() == published, "every story is in the new backend"
    with pg_whoosh_app.app_context():
        assert PostgresBackend(db.engine).doc_count() == len(published)


def test_postgresql_search_is_refused_on_another_database(whoosh_app: Flask) -> None:
    result = whoosh_app.test_cli_runner().invoke(args=["search", "use", "postgresql"])
    assert result.exit_code == 1
    assert "this database is not PostgreSQL" in result.output
    assert "Move the database to PostgreSQL first" in result.output
    with whoosh_app.app_context():
        assert db.session.get(OpsState, switch.BACKEND_KEY) is None
    assert service.state_for(whoosh_app).name == "whoosh"


def test_switching_to_the_backend_in_use_is_refused(whoosh_app: Flask) -> None:
    result = whoosh_app.test_cli_runner().invoke(args=["search", "use", "whoosh"])
    assert result.exit_code == 1
    assert "search already uses whoosh; `storyboard reindex` rebuilds its index" in result.output


def test_a_recorded_postgresql_switch_is_ignored_on_sqlite(whoosh_app: Flask) -> None:
    """A SQLite copy of a database that had switched (a restore) keeps working."""
    with whoosh_app.app_context():
        switch.record_backend(db.session, "postgresql")
        db.session.commit()
        choice = service.current_choice(whoosh_app)
    assert (choice.name, choice.source) == ("whoosh", "setting")
