"""Migration 0023: one theme name becomes a Dutch and an English one, and back.

Run on SQLite and on PostgreSQL: the themes of a database as it was at 0022 (the seeded
ones, one an admin renamed, one an admin made) keep what people typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from storyboard.db import MIGRATIONS_DIR, db
from tests.conftest import make_app


def _names(app: Flask, columns: str) -> dict[str, tuple[str, ...]]:
    with app.app_context():
        rows = db.session.execute(text(f"SELECT slug, {columns} FROM themes")).all()
        db.session.remove()
    return {row[0]: tuple(row[1:]) for row in rows}


def check_theme_names_survive_up_and_down(app: Flask) -> None:
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="0022")
        db.session.execute(
            text(
                "INSERT INTO themes (name, slug, kind, description) "
                "VALUES ('Klantgevoel', 'klantgevoel', 'custom', 'Voelen wat de klant voelt')"
            )
        )
        db.session.execute(text("UPDATE themes SET name = 'Systems' WHERE slug = 'tools'"))
        db.session.commit()
        upgrade(directory=str(MIGRATIONS_DIR), revision="0023")
        db.session.remove()

    after = _names(app, "name_nl, name_en, description_nl, description_en")
    assert after["stand-up"] == (
        "Opkomen voor de klant",
        "Stand up",
        "Voor de klant tegen het proces in: nee, ik doe het anders.",
        "Go against the process for the customer: no, I'll do it differently.",
    )
    assert after["tone-of-voice"][:2] == ("Toon", "Tone of voice")
    # What an admin typed is kept in both languages, to be translated on the admin page.
    feeling = "Voelen wat de klant voelt"
    assert after["klantgevoel"] == ("Klantgevoel", "Klantgevoel", feeling, feeling)
    assert after["tools"][:2] == ("Systems", "Systems")

    with app.app_context():
        db.session.execute(
            text("UPDATE themes SET name_en = 'Customer feeling' WHERE slug = 'klantgevoel'")
        )
        # A Dutch name an admin gave that equals a seeded theme's English one.
        db.session.execute(text("UPDATE themes SET name_nl = 'Team support' WHERE slug = 'tools'"))
        db.session.commit()
        downgrade(directory=str(MIGRATIONS_DIR), revision="0022")
        db.session.remove()

    before = _names(app, "name, description")
    assert before["stand-up"] == (
        "Stand up",
        "Go against the process for the customer: no, I'll do it differently.",
    )
    assert before["tone-of-voice"][0] == "Tone of voice"
    assert before["klantgevoel"] == ("Klantgevoel", "Voelen wat de klant voelt")
    # Seeded: the English name; "Team support" stays the seeded theme's own.
    assert before["tools"][0] == "Systems"
    assert before["team-support"][0] == "Team support"
    assert len({name for name, _ in before.values()}) == len(before)


def check_a_clash_of_names_gets_a_number_on_downgrade(app: Flask) -> None:
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="0023")
        db.session.execute(
            text(
                "INSERT INTO themes (name_nl, name_en, slug, kind, description_nl, description_en)"
                " VALUES ('Team support', 'Colleagues', 'colleagues', 'custom', '', '')"
            )
        )
        db.session.commit()
        downgrade(directory=str(MIGRATIONS_DIR), revision="0022")
        db.session.remove()
    names = _names(app, "name")
    assert names["team-support"] == ("Team support",)
    assert names["colleagues"][0].startswith("Team support (")


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path / "instance")
    yield app
    with app.app_context():
        db.engine.dispose()


def test_sqlite_theme_names_split_and_join_again(sqlite_app: Flask) -> None:
    check_theme_names_survive_up_and_down(sqlite_app)


def test_sqlite_downgrade_keeps_names_unique(sqlite_app: Flask) -> None:
    check_a_clash_of_names_gets_a_number_on_downgrade(sqlite_app)


@pytest.mark.postgres
def test_postgres_theme_names_split_and_join_again(postgres_app: Flask) -> None:
    check_theme_names_survive_up_and_down(postgres_app)


@pytest.mark.postgres
def test_postgres_downgrade_keeps_names_unique(postgres_app: Flask) -> None:
    check_a_clash_of_names_gets_a_number_on_downgrade(postgres_app)
