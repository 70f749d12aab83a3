"""SQLite's query planner statistics are taken when missing and again when a watched
table has grown or shrunk enough; small databases and PostgreSQL are left alone."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, insert

from storyboard import planner_statistics
from storyboard.db import db
from storyboard.models import Team
from tests.conftest import copy_database, make_app


@pytest.fixture
def app(tmp_path: Path, migrated_db: Path, empty_index: Path) -> Iterator[Flask]:
    """A SQLite instance whatever database the suite runs on: only SQLite keeps no
    statistics of its own (the PostgreSQL pass has nothing to check here)."""
    instance = tmp_path / "instance"
    instance.mkdir()
    copy_database(migrated_db, instance / "storyboard.db")
    app = make_app(
        instance, DATABASE_URL=f"sqlite:///{instance / 'storyboard.db'}", SEARCH_BACKEND="whoosh"
    )
    shutil.copytree(empty_index, app.config["INDEX_DIR"])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def watching_teams(monkeypatch: pytest.MonkeyPatch) -> None:
    """The teams table stands in for the big ones: watched, and "large" from 5 rows."""
    monkeypatch.setattr(planner_statistics, "WATCHED", ("teams",))
    monkeypatch.setattr(planner_statistics, "SMALL_TABLE_ROWS", 5)


def add_teams(app: Flask, first: int, count: int) -> None:
    with app.app_context():
        db.session.execute(
            insert(Team),
            [{"name": f"Team {n}", "slug": f"team-{n}"} for n in range(first, first + count)],
        )
        db.session.commit()


def analysed_teams(app: Flask) -> int | None:
    with app.app_context(), db.engine.connect() as connection:
        return planner_statistics._analysed_rows(connection).get("teams")


def refresh(app: Flask) -> planner_statistics.Staleness:
    with app.app_context():
        return planner_statistics.refresh(db.engine)


@pytest.mark.usefixtures("watching_teams")
def test_missing_statistics_are_taken_once(app: Flask) -> None:
    add_teams(app, 0, 20)
    stale = refresh(app)
    assert stale.tables == (("teams", None, 20),)
    assert analysed_teams(app) == 20
    assert not refresh(app)  # current now: nothing to do


@pytest.mark.usefixtures("watching_teams")
def test_statistics_are_taken_again_when_a_table_doubles(app: Flask) -> None:
    add_teams(app, 0, 10)
    refresh(app)
    before = analysed_teams(app)
    assert before is not None
    add_teams(app, 100, before // 2)  # grown by half: the plans still hold
    assert not refresh(app)
    add_teams(app, 200, before)  # now more than twice the analysed size
    stale = refresh(app)
    assert stale.tables == (("teams", before, before + before // 2 + before),)
    assert analysed_teams(app) == before + before // 2 + before


def test_a_small_database_is_left_alone(app: Flask) -> None:
    assert not refresh(app)
    assert analysed_teams(app) is None


def test_postgresql_is_left_to_autovacuum() -> None:
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert not planner_statistics.refresh(engine)  # and it never connected


@pytest.mark.usefixtures("watching_teams")
def test_the_worker_brings_missing_statistics_up_to_date(app: Flask) -> None:
    add_teams(app, 0, 12)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert analysed_teams(app) == 12


@pytest.mark.usefixtures("watching_teams")
def test_the_doctor_warns_about_missing_statistics_until_they_are_taken(app: Flask) -> None:
    add_teams(app, 0, 8)
    result = app.test_cli_runner().invoke(args=["doctor", "--workers", "1"])
    line = next(x for x in result.output.splitlines() if "planner statistics:" in x)
    assert line.startswith("[warning]") and "teams (8 rows, never analysed)" in line
    refresh(app)
    result = app.test_cli_runner().invoke(args=["doctor", "--workers", "1"])
    line = next(x for x in result.output.splitlines() if "planner statistics:" in x)
    assert line.startswith("[ok]"), line
