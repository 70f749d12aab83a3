"""SQLite's query planner statistics are taken when missing and again when a watched
table has grown or shrunk enough; small databases and PostgreSQL are left alone."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import create_engine, insert

from storyboard import planner_statistics
from storyboard.db import db
from storyboard.models import Team


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


def sqlite_only(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL analyses its tables itself (autovacuum)")


@pytest.mark.usefixtures("watching_teams")
def test_missing_statistics_are_taken_once(app: Flask) -> None:
    sqlite_only(app)
    add_teams(app, 0, 20)
    stale = refresh(app)
    assert stale.tables == (("teams", None, 20),)
    assert analysed_teams(app) == 20
    assert not refresh(app)  # current now: nothing to do


@pytest.mark.usefixtures("watching_teams")
def test_statistics_are_taken_again_when_a_table_doubles(app: Flask) -> None:
    sqlite_only(app)
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
    sqlite_only(app)
    assert not refresh(app)
    assert analysed_teams(app) is None


def test_postgresql_is_left_to_autovacuum() -> None:
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert not planner_statistics.refresh(engine)  # and it never connected


@pytest.mark.usefixtures("watching_teams")
def test_the_worker_brings_missing_statistics_up_to_date(app: Flask) -> None:
    sqlite_only(app)
    add_teams(app, 0, 12)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert analysed_teams(app) == 12


@pytest.mark.usefixtures("watching_teams")
def test_the_doctor_warns_about_missing_statistics_until_they_are_taken(app: Flask) -> None:
    sqlite_only(app)
    add_teams(app, 0, 8)
    result = app.test_cli_runner().invoke(args=["doctor", "--workers", "1"])
    line = next(x for x in result.output.splitlines() if "planner statistics:" in x)
    assert line.startswith("[warning]") and "teams (8 rows, never analysed)" in line
    refresh(app)
    result = app.test_cli_runner().invoke(args=["doctor", "--workers", "1"])
    line = next(x for x in result.output.splitlines() if "planner statistics:" in x)
    assert line.startswith("[ok]"), line
