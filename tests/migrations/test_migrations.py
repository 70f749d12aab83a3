"""Migrations: the only way tables are made. They run from empty to head on SQLite and
PostgreSQL, seed the themes, match the models exactly, and run back down to base."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade
from sqlalchemy import inspect, select

from storyboard.db import MIGRATIONS_DIR, db, upgrade_database
from storyboard.models import Theme, ThemeKind
from storyboard.search import pg_schema
from tests.conftest import make_app

# (Dutch name, English name, kind): migration 0023 gave the seeded themes Dutch names.
SEEDED_THEMES = {
    ("Echt gesprek", "Real conversation", ThemeKind.HABIT),
    ("Opkomen voor de klant", "Stand up", ThemeKind.HABIT),
    ("Verhalen vertellen", "Storytelling", ThemeKind.HABIT),
    ("Geen grenzen", "No limits", ThemeKind.HABIT),
    ("Team", "Team", ThemeKind.SIX_T),
    ("Training", "Training", ThemeKind.SIX_T),
    ("Tools", "Tools", ThemeKind.SIX_T),
    ("Tijd & plek", "Time & place", ThemeKind.SIX_T),
    ("Toon", "Tone of voice", ThemeKind.SIX_T),
    ("Teamondersteuning", "Team support", ThemeKind.SIX_T),
}


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    heads = script.get_heads()
    assert len(heads) == 1, f"the migration history has split: heads {heads}"
    return heads[0]


def schema_differences(app: Flask) -> list[Any]:
    """What autogenerate would write for this database: empty when models and
    migrations agree. Uses the same comparison options as ``flask db migrate``."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_object": pg_schema.include_object,
            },
        )
        return compare_metadata(context, db.metadata)


def current_revisions(app: Flask) -> tuple[str, ...]:
    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_heads()


def table_names(app: Flask) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def seeded_themes(app: Flask) -> set[tuple[str, str, ThemeKind]]:
    with app.app_context():
        return {(t.name_nl, t.name_en, t.kind) for t in db.session.scalars(select(Theme))}


def check_upgrade_match_and_downgrade(app: Flask) -> None:
    """The whole life of a schema on one database."""
    assert table_names(app) == set(), "the test database is not empty"
    with app.app_context():
        upgrade_database()

    assert current_revisions(app) == (head_revision(),)
    assert table_names(app) >= {
        "alembic_version",
        "teams",
        "users",
        "themes",
        "stories",
        "story_themes",
    }
    assert table_names(app) - {"alembic_version"} - pg_schema.TABLES == set(db.metadata.tables)
    assert seeded_themes(app) == SEEDED_THEMES
    assert schema_differences(app) == []

    with app.app_context():
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        db.session.remove()
    assert table_names(app) <= {"alembic_version"}
    assert current_revisions(app) == ()


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path / "instance")
    yield app
    with app.app_context():
        db.engine.dispose()


def test_upgrade_creates_a_fresh_sqlite_file_at_head(sqlite_app: Flask, tmp_path: Path) -> None:
    database = tmp_path / "instance" / "storyboard.db"
    assert not database.exists()
    with sqlite_app.app_context():
        upgrade_database()
    assert database.exists()
    assert current_revisions(sqlite_app) == (head_revision(),)


def test_sqlite_upgrade_seeds_themes_matches_models_and_downgrades(sqlite_app: Flask) -> None:
    check_upgrade_match_and_downgrade(sqlite_app)


def test_upgrade_twice_changes_nothing_and_seeds_once(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        upgrade_database()
        upgrade_database()
    assert len(seeded_themes(sqlite_app)) == 10
    with sqlite_app.app_context():
        assert len(db.session.scalars(select(Theme)).all()) == 10


def test_upgrade_after_downgrade_gives_the_same_schema_again(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        upgrade_database()
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        upgrade_database()
    assert schema_differences(sqlite_app) == []
    assert seeded_themes(sqlite_app) == SEEDED_THEMES


def test_every_revision_downgrades_one_step_at_a_time(sqlite_app: Flask) -> None:
    revisions = [r.revision for r in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()]
    with sqlite_app.app_context():
        upgrade_database()
        for expected_after in [*revisions[1:], None]:
            downgrade(directory=str(MIGRATIONS_DIR), revision="-1")
            heads = current_revisions(sqlite_app)
            assert heads == ((expected_after,) if expected_after else ())


def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(sqlite_app: Flask) -> None:
    with sqlite_app.app_context(), db.engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA busy_timeout").scalar() >= 5000
        assert pragma("PRAGMA foreign_keys").scalar() == 1


# --- PostgreSQL -------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_upgrade_seeds_themes_matches_models_and_downgrades(
    postgres_app: Flask,
) -> None:
    with postgres_app.app_context():
        assert db.engine.dialect.name == "postgresql"
    check_upgrade_match_and_downgrade(postgres_app)


@pytest.mark.postgres
def test_the_app_writes_and_lists_stories_on_postgres(postgres_app: Flask) -> None:
    """Timestamps, enums, the theme link table and the list query on the real server."""
    from storyboard.models import Role, Story, StoryStatus
    from tests.conftest import Auth, create_user, post_form

    with postgres_app.app_context():
        upgrade_database()
        theme_id = db.session.scalar(select(Theme.id).where(Theme.slug == "stand-up"))
    create_user(postgres_app, Role.AGENT)
    client = postgres_app.test_client()
    Auth(client).login_as(Role.AGENT)
    response = post_form(
        client,
        "/stories/new",
        {
            "title": "Een cadeau voor vandaag",
            "body": "Vandaag **nog** geleverd.",
            "channel": "phone",
            "language": "nl",
            "team_id": "",
            "themes": [str(theme_id)],
            "action": "publish",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]

    listing = client.get("/stories/?theme=stand-up&channel=phone").get_data(as_text=True)
    assert "Een cadeau voor vandaag" in listing
    with postgres_app.app_context():
        story = db.session.scalar(select(Story))
        assert story.status is StoryStatus.PUBLISHED
        assert story.published_at.tzinfo is not None
        assert [t.slug for t in story.themes] == ["stand-up"]
