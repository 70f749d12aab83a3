"""``storyboard import-nps`` through Flask's CLI runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from storyboard.db import db
from storyboard.models import SurveyAnswer
from tests.factories import add_team

GOOD = "external_id;answered_at;score;team\r\n1;2026-11-02;9;Retail\r\n2;02-11-2026;4;Retail\r\n"
BAD = GOOD + "3;2026-11-02;11;Retail\r\n4;2026-11-02;8;Mars\r\n"


def write(tmp_path: Path, text: str, name: str = "answers.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode())
    return str(path)


def count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SurveyAnswer)) or 0


def test_import_prints_the_report(app: Flask, runner: Any, tmp_path: Path) -> None:
    add_team(app, "Retail")
    result = runner.invoke(args=["import-nps", write(tmp_path, BAD), "--source", "qualtrics"])
    assert result.exit_code == 0, result.output
    assert "Read 4 rows: 2 imported, 0 duplicates, 2 rejected." in result.output
    assert "line 4: score '11' is not a whole number from 0 to 10" in result.output
    assert "line 5: unknown team 'Mars'" in result.output
    assert count(app) == 2
    with app.app_context():
        assert set(db.session.scalars(select(SurveyAnswer.source))) == {"qualtrics"}

    again = runner.invoke(args=["import-nps", write(tmp_path, BAD), "--source", "qualtrics"])
    assert "Read 4 rows: 0 imported, 2 duplicates, 2 rejected." in again.output
    assert count(app) == 2


def test_strict_rejects_the_file_with_a_nonzero_exit(
    app: Flask, runner: Any, tmp_path: Path
) -> None:
    add_team(app, "Retail")
    result = runner.invoke(args=["import-nps", write(tmp_path, BAD), "--strict"])
    assert result.exit_code == 1
    assert "Nothing imported: --strict and some rows were rejected." in result.output
    assert count(app) == 0


def test_map_and_create_teams(app: Flask, runner: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "id,datum,cijfer,team\n1,2026-11-02,10,Web Care\n")
    result = runner.invoke(
        args=[
            "import-nps",
            path,
            "--map",
            "id=external_id",
            "--map",
            "datum=answered_at",
            "--map",
            "Cijfer=score",
            "--create-teams",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "1 imported" in result.output and "Teams created: Web Care" in result.output
    assert count(app) == 1


def test_a_bad_mapping_is_a_usage_error(app: Flask, runner: Any, tmp_path: Path) -> None:
    result = runner.invoke(args=["import-nps", write(tmp_path, GOOD), "--map", "x=grade"])
    assert result.exit_code == 2
    assert "'grade' is not a field" in result.output


def test_an_unusable_file_fails_with_its_reason(app: Flask, runner: Any, tmp_path: Path) -> None:
    result = runner.invoke(args=["import-nps", write(tmp_path, "")])
    assert result.exit_code == 1
    assert "Nothing imported: The file is empty." in result.output
    missing = runner.invoke(args=["import-nps", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "No such file" in missing.output


def test_standard_input(app: Flask, runner: Any) -> None:
    add_team(app, "Retail")
    result = runner.invoke(args=["import-nps", "-"], input=GOOD.encode())
    assert result.exit_code == 0, result.output
    assert "Read 2 rows: 2 imported" in result.output and count(app) == 2
