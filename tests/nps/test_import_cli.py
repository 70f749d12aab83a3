"""``storyboard import-nps`` through Flask's CLI runner."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
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
    assert (
        "Read 4 rows (UTF-8): 2 imported, 0 already in the database, 0 duplicates within "
        "the file, 2 rejected."
    ) in result.output
    assert "line 4: score '11' is not a whole number from 0 to 10" in result.output
    assert "line 5: unknown team 'Mars'" in result.output
    assert count(app) == 2
    with app.app_context():
        assert set(db.session.scalars(select(SurveyAnswer.source))) == {"qualtrics"}

    again = runner.invoke(args=["import-nps", write(tmp_path, BAD), "--source", "qualtrics"])
    assert (
        "Read 4 rows (UTF-8): 0 imported, 2 already in the database, 0 duplicates within "
        "the file, 2 rejected."
    ) in again.output
    assert again.exit_code == 1  # rows read, none imported, some refused
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
    assert "Read 2 rows (UTF-8): 2 imported" in result.output and count(app) == 2


def test_every_row_refused_exits_nonzero_and_the_report_file_lists_them_all(
    app: Flask, runner: Any, tmp_path: Path
) -> None:
    rows = "".join(f'{i};2026-11-02;9;Mars;=HYPERLINK("x")\r\n' for i in range(120))
    path = write(tmp_path, "external_id;answered_at;score;team;comment\r\n" + rows)
    out = tmp_path / "refused.csv"
    result = runner.invoke(args=["import-nps", path, "--report", str(out)])
    assert result.exit_code == 1, result.output
    assert "Nothing imported: every new row was rejected." in result.output
    assert "… and 70 more (--report FILE lists them all)" in result.output
    text = out.read_text(encoding="utf-8-sig")
    listed = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(listed) == 121 and listed[1][0] == "2" and listed[-1][0] == "121"
    assert listed[1][3] == '0;2026-11-02;9;Mars;"=HYPERLINK(""x"")"'
    assert count(app) == 0


def test_nothing_new_is_not_a_failure(app: Flask, runner: Any, tmp_path: Path) -> None:
    add_team(app, "Retail")
    assert runner.invoke(args=["import-nps", write(tmp_path, GOOD)]).exit_code == 0
    again = runner.invoke(args=["import-nps", write(tmp_path, GOOD)])
    assert again.exit_code == 0 and "0 imported, 2 already in the database" in again.output


def test_another_source_is_refused_without_force(app: Flask, runner: Any, tmp_path: Path) -> None:
    add_team(app, "Retail")
    path = write(tmp_path, GOOD)
    assert runner.invoke(args=["import-nps", path, "--source", "survey-tool"]).exit_code == 0
    refused = runner.invoke(args=["import-nps", path])
    assert refused.exit_code == 1
    assert "2 answers in this file already exist under another source (survey-tool: 2)" in (
        refused.output
    )
    assert "--force" in refused.output and count(app) == 2
    forced = runner.invoke(args=["import-nps", path, "--force"])
    assert forced.exit_code == 0 and count(app) == 4


def test_dutch_headers_without_map_and_the_mapping_remembered(
    app: Flask, runner: Any, tmp_path: Path
) -> None:
    add_team(app, "Retail")
    dutch = "Respons-ID;Datum;Cijfer;Afdeling\r\n1;02-11-2026 10:00;9;Retail\r\n"
    result = runner.invoke(args=["import-nps", write(tmp_path, dutch.encode("cp1252").decode())])
    assert result.exit_code == 0, result.output
    assert "Columns: Respons-ID → external_id (recognised); Datum → answered_at" in result.output
    odd = "Nr;Wanneer;Hoe;Groep\r\n7;02-11-2026;8;Retail\r\n"
    first = runner.invoke(
        args=[
            "import-nps",
            write(tmp_path, odd),
            "--source",
            "kto",
            "--map",
            "Nr=external_id",
            "--map",
            "Wanneer=answered_at",
            "--map",
            "Hoe=score",
            "--map",
            "Groep=team",
        ]
    )
    assert first.exit_code == 0, first.output
    second = runner.invoke(
        args=["import-nps", write(tmp_path, odd.replace("7;", "8;")), "--source", "kto"]
    )
    assert second.exit_code == 0, second.output
    assert "Nr → external_id (remembered from the last import of this source)" in second.output
    assert count(app) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"external_id;answered_at;score;team\r\n", "header row but no answers"),
        (b"x" * (10 * 1024 * 1024), "no column for external_id"),
        (bytes(range(256)) * 40, "binary file"),
        (b"PK\x03\x04" + b"\x00" * 100, "spreadsheet or archive"),
    ],
    ids=["empty", "header-only", "10-mb-one-line", "binary", "zip"],
)
def test_bad_files_exit_1_with_a_message(
    app: Flask, runner: Any, tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    result = runner.invoke(args=["import-nps", str(path)])
    assert result.exit_code == 1 and message in result.output
    assert len(result.output) < 2_000  # a 10 MB line is not echoed back
    assert count(app) == 0
