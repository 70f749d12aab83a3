"""``storyboard backup`` and ``storyboard restore`` on a real SQLite file (and a real
PostgreSQL server with pg_dump): what was saved comes back, the search index follows,
and files that are not backups are refused before anything is touched."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from storyboard.db import db, upgrade_database
from storyboard.models import Role, Story, StoryStatus
from storyboard.ops.backup import BackupError, backup_database, restore_database
from storyboard.search import service
from storyboard.search.backend import SearchRequest
from tests.conftest import (
    PostgresServer,
    app_on_new_database,
    copy_database,
    create_user,
    make_app,
    skip_or_fail,
)
from tests.factories import add_story


def titles(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Story.title)))


def found(app: Flask, words: str) -> set[str]:
    with app.app_context():
        results = service.search_stories(SearchRequest(text=words))
        return {hit.title for hit in results.hits}


def delete_story(app: Flask, title: str) -> None:
    with app.app_context():
        db.session.delete(db.session.scalars(select(Story).where(Story.title == title)).one())
        db.session.commit()


@pytest.fixture
def archive_app(app: Flask, users: dict[Role, int]) -> Flask:
    """On the suite's database: SQLite, or PostgreSQL under STORYBOARD_TEST_DATABASE_URL."""
    add_story(app, "Lighthouse keeper rebooked the ferry")
    add_story(app, "Marmalade delivered twice", status=StoryStatus.DRAFT)
    return app


@pytest.fixture
def sqlite_archive_app(tmp_path: Path, migrated_db: Path) -> Iterator[Flask]:
    """Always on SQLite: for what only SQLite backups do."""
    instance = tmp_path / "sqlite-instance"
    instance.mkdir()
    copy_database(migrated_db, instance / "storyboard.db")
    app = make_app(instance)
    for role in (Role.AGENT, Role.MANAGER):
        create_user(app, role)
    add_story(app, "Lighthouse keeper rebooked the ferry")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_backup_then_restore_brings_back_the_data_and_the_index(
    archive_app: Flask, tmp_path: Path
) -> None:
    runner = archive_app.test_cli_runner()
    target = tmp_path / "backups" / "monday.sqlite"
    target.parent.mkdir()
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "Backed up to" in result.output and target.is_file()

    add_story(archive_app, "Zeppelin story written after the backup")
    delete_story(archive_app, "Lighthouse keeper rebooked the ferry")
    assert found(archive_app, "zeppelin") == {"Zeppelin story written after the backup"}

    result = runner.invoke(args=["restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    assert "stories indexed" in result.output
    assert titles(archive_app) == {
        "Lighthouse keeper rebooked the ferry",
        "Marmalade delivered twice",
    }
    assert found(archive_app, "lighthouse") == {"Lighthouse keeper rebooked the ferry"}
    assert found(archive_app, "zeppelin") == set()
    assert found(archive_app, "marmalade") == set()  # a draft stays out of the index
    with archive_app.app_context():
        from storyboard.models import AuditEvent

        restore_events = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "database.restore")
        ).all()
    assert restore_events == ["from monday.sqlite"]


def test_restore_asks_before_replacing_everything(archive_app: Flask, tmp_path: Path) -> None:
    target = tmp_path / "b.sqlite"
    runner = archive_app.test_cli_runner()
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    add_story(archive_app, "Kept because the restore was cancelled")
    result = runner.invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code != 0
    assert "Kept because the restore was cancelled" in titles(archive_app)


def test_backup_never_overwrites_silently(sqlite_archive_app: Flask, tmp_path: Path) -> None:
    target = tmp_path / "exists.sqlite"
    target.write_text("precious")
    runner = sqlite_archive_app.test_cli_runner()
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert target.read_text() == "precious"
    assert runner.invoke(args=["backup", "--overwrite", str(target)]).exit_code == 0
    assert target.read_bytes().startswith(b"SQLite format 3")
    assert not list(tmp_path.glob("*.partial"))


def test_backup_into_a_missing_folder_says_so(archive_app: Flask, tmp_path: Path) -> None:
    result = archive_app.test_cli_runner().invoke(
        args=["backup", str(tmp_path / "nowhere" / "b.sqlite")]
    )
    assert result.exit_code == 1
    assert "does not exist" in result.output


@pytest.mark.parametrize(
    "content, message",
    [
        (b"title,body\nnot,a database\n", "is not a SQLite backup"),
        (b"\x00\xff" * 4096, "is not a SQLite backup"),
        (b"", "is not a SQLite backup"),
    ],
)
def test_restore_refuses_files_that_are_not_backups(
    sqlite_archive_app: Flask, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(content)
    result = sqlite_archive_app.test_cli_runner().invoke(args=["restore", "--yes", str(bad)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Lighthouse keeper rebooked the ferry" in titles(sqlite_archive_app)


def test_restore_refuses_another_programs_database_and_a_damaged_backup(
    sqlite_archive_app: Flask, tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.close()
    url = sqlite_archive_app.config["SQLALCHEMY_DATABASE_URI"]
    with pytest.raises(BackupError, match="not a Storyboard backup"):
        restore_database(url, other)

    good = tmp_path / "good.sqlite"
    backup_database(url, good)
    damaged = tmp_path / "damaged.sqlite"
    data = bytearray(good.read_bytes())
    damaged.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(BackupError, match="damaged"):
        restore_database(url, damaged)
    assert "Lighthouse keeper rebooked the ferry" in titles(sqlite_archive_app)


@pytest.fixture
def postgres_database(postgres: PostgresServer, tmp_path: Path) -> Iterator[Flask]:
    """An app on a throwaway database of its own (pg_dump works per database)."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        skip_or_fail("pg_dump/pg_restore not installed (Debian: postgresql-client)")
    with app_on_new_database(postgres, tmp_path / "instance") as app:
        yield app


@pytest.mark.postgres
def test_backup_and_restore_on_postgres(postgres_database: Flask, tmp_path: Path) -> None:
    app = postgres_database
    with app.app_context():
        upgrade_database()
    from tests.conftest import create_user

    create_user(app, Role.AGENT)
    add_story(app, "Lighthouse keeper rebooked the ferry")
    runner = app.test_cli_runner()
    target = tmp_path / "pg.dump"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"PGDMP")

    add_story(app, "Zeppelin story written after the backup")
    result = runner.invoke(args=["restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    assert titles(app) == {"Lighthouse keeper rebooked the ferry"}
    assert found(app, "zeppelin") == set()
    assert found(app, "lighthouse") == {"Lighthouse keeper rebooked the ferry"}

    sqlite_file = tmp_path / "b.sqlite"
    sqlite_file.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    result = runner.invoke(args=["restore", "--yes", str(sqlite_file)])
    assert result.exit_code == 1
    assert "not a pg_dump custom-format backup" in result.output
