"""The CSV importer against the bad inputs of bad-inputs.md: each is reported clearly,
good rows survive bad ones, strict mode imports nothing, re-importing adds nothing."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from storyboard.db import db
from storyboard.models import Language, Role, SeededChannel, SurveyAnswer, Team
from storyboard.nps.importer import (
    BATCH_SIZE,
    COMMENT_MAX,
    ImportOptions,
    ImportReport,
    import_answers,
    parse_mapping,
)
from tests.factories import add_team, create_user

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
HEADER = "external_id,answered_at,score,team,agent_email,channel,language,comment\n"


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    create_user(app, Role.AGENT, email="ann@example.nl", team="Retail")
    add_team(app, "Web Care")
    with app.app_context():
        yield app


def run(data: bytes | str, **options: Any) -> ImportReport:
    """Import like the CLI does: commit when accepted, roll back otherwise."""
    raw = data.encode() if isinstance(data, str) else data
    report = import_answers(io.BytesIO(raw), ImportOptions(now=NOW, **options))
    if report.accepted:
        db.session.commit()
    else:
        db.session.rollback()
    return report


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyAnswer)) or 0


def reasons(report: ImportReport) -> dict[int, str]:
    return {problem.line: problem.reason for problem in report.rejected}


def test_a_good_file_imports_every_field(ctx: Flask) -> None:
    report = run(
        HEADER + "a1,2026-11-22T14:05,9,Retail,ANN@example.nl,phone,nl,Top!\n"
        "a2,22-11-2026,3,web-care,,E-mail,English,\n"
    )
    assert (report.read, report.imported, report.duplicates, report.rejected_count) == (2, 2, 0, 0)
    assert report.accepted and report.file_error is None
    first, second = db.session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.id))
    assert first.source == "import" and first.external_id == "a1" and first.score == 9
    assert first.team.name == "Retail" and first.agent and first.agent.email == "ann@example.nl"
    assert first.channel == SeededChannel.PHONE and first.language is Language.NL
    assert first.comment == "Top!"
    # Local Amsterdam time (CET, UTC+1) stored as UTC.
    assert first.answered_at == datetime(2026, 11, 22, 13, 5, tzinfo=UTC)
    assert second.team.slug == "web-care" and second.channel == SeededChannel.EMAIL
    assert second.language is Language.EN and second.agent is None
    # dd-mm-yyyy without a time: local midnight.
    assert second.answered_at == datetime(2026, 11, 21, 23, 0, tzinfo=UTC)


def test_bom_semicolons_crlf_and_quoted_fields_with_newlines_and_delimiters(ctx: Flask) -> None:
    data = (
        "\ufeffexternal_id;answered_at;score;team;comment\r\n"
        'b1;2026-11-22;10;Retail;"Fijn; echt\r\nfijn, ""top"""\r\n'
        'b2;2026-11-22;8;Retail;"a, b"\r\n'
    ).encode()
    report = run(data)
    assert report.delimiter == ";"
    assert (report.read, report.imported, report.rejected_count) == (2, 2, 0), report.rejected
    comments = db.session.scalars(select(SurveyAnswer.comment).order_by(SurveyAnswer.id)).all()
    assert comments == ['Fijn; echt\nfijn, "top"', "a, b"]


def test_excel_sep_line_is_honoured(ctx: Flask) -> None:
    report = run(
        "sep=;\r\nexternal_id;answered_at;score;team\r\nc1;2026-11-22;9;Retail\r\n"
        "c2;2026-11-22;99;Retail\r\n"
    )
    assert report.imported == 1
    assert reasons(report) == {4: "score '99' is not a whole number from 0 to 10"}


@pytest.mark.parametrize("score", ["11", "-1", "7.5", "zeven", "", " ", "1e1", "+7"])
def test_bad_scores_are_rejected_with_line_and_reason(ctx: Flask, score: str) -> None:
    report = run(HEADER + f"ok,2026-11-22,9,Retail,,,,\nbad,2026-11-22,{score},Retail,,,,\n")
    assert report.imported == 1 and report.rejected_count == 1
    [problem] = report.rejected
    assert problem.line == 3
    assert "score" in problem.reason
    assert ("empty" if not score.strip() else "whole number from 0 to 10") in problem.reason
    assert stored() == 1


@pytest.mark.parametrize("score", ["0", "6", "7", "8", "9", "10", "07", " 9 "])
def test_every_whole_score_from_0_to_10_is_accepted(ctx: Flask, score: str) -> None:
    assert run(HEADER + f"s,2026-11-22,{score},Retail,,,,\n").imported == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-22", datetime(2026, 11, 21, 23, 0, tzinfo=UTC)),
        ("22-11-2026", datetime(2026, 11, 21, 23, 0, tzinfo=UTC)),
        ("2-3-2026 9:30", datetime(2026, 3, 2, 8, 30, tzinfo=UTC)),
        ("22-11-2026 14:05:09", datetime(2026, 11, 22, 13, 5, 9, tzinfo=UTC)),
        ("2026-11-22 14:05", datetime(2026, 11, 22, 13, 5, tzinfo=UTC)),
        ("2026-07-01T14:05:00", datetime(2026, 7, 1, 12, 5, tzinfo=UTC)),  # CEST
        ("2026-11-22T14:05:00Z", datetime(2026, 11, 22, 14, 5, tzinfo=UTC)),
        ("2026-11-22T14:05:00+05:00", datetime(2026, 11, 22, 9, 5, tzinfo=UTC)),
    ],
)
def test_dates_iso_or_day_month_year_in_amsterdam_time(
    ctx: Flask, value: str, expected: datetime
) -> None:
    report = run(HEADER + f"d,{value},9,Retail,,,,\n")
    assert report.imported == 1, report.rejected
    assert db.session.scalar(select(SurveyAnswer.answered_at)) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("11/22/2026", "is not a date like 2026-11-22 or 22-11-2026"),
        ("22.11.2026", "is not a date like 2026-11-22 or 22-11-2026"),
        ("yesterday", "is not a date like 2026-11-22 or 22-11-2026"),
        ("31-02-2026", "is not a real date or time"),
        ("2026-02-31", "is not a real date or time"),
        ("2026-11-22T25:00", "is not a real date or time"),
        ("", "answered_at is empty"),
        ("2026-12-01", "lies in the future"),
        ("24-11-2026 13:30", "lies in the future"),  # 12:30 UTC, after NOW + 5 minutes
    ],
)
def test_bad_and_future_dates_are_rejected(ctx: Flask, value: str, reason: str) -> None:
    report = run(HEADER + f"d,{value},9,Retail,,,,\n", create_teams=False)
    assert report.imported == 0
    assert reason in reasons(report)[2]


def test_today_and_a_few_minutes_of_clock_skew_are_not_the_future(ctx: Flask) -> None:
    report = run(HEADER + "t1,2026-11-24,9,Retail,,,,\nt2,24-11-2026 13:04,9,Retail,,,,\n")
    assert report.imported == 2, report.rejected


def test_unknown_team_is_rejected_clearly(ctx: Flask) -> None:
    report = run(HEADER + "u1,2026-11-22,9,Webshop,,,,\nu2,2026-11-22,9,,,,,\n")
    assert reasons(report) == {
        2: "unknown team 'Webshop' (create it first, or import with “create teams”)",
        3: "team is empty",
    }
    assert db.session.scalar(select(Team).where(Team.name == "Webshop")) is None


def test_unknown_teams_can_be_created(ctx: Flask) -> None:
    report = run(
        HEADER + "u1,2026-11-22,9,Webshop,,,,\nu2,2026-11-22,2,webshop,,,,\n", create_teams=True
    )
    assert report.imported == 2 and report.teams_created == ["Webshop"]
    team = db.session.scalar(select(Team).where(Team.name == "Webshop"))
    assert team is not None and team.slug == "webshop"


def test_every_problem_of_a_row_is_named(ctx: Flask) -> None:
    report = run(HEADER + ",someday,eleven,Nowhere,,fax,fr,\n")
    reason = reasons(report)[2]
    for part in (
        "external_id is empty",
        "answered_at 'someday'",
        "score 'eleven'",
        "unknown team 'Nowhere'",
        "unknown channel 'fax'",
        "unknown language 'fr'",
    ):
        assert part in reason


def test_duplicates_within_the_file_are_named_by_line(ctx: Flask) -> None:
    report = run(
        HEADER + "x,2026-11-22,9,Retail,,,,first\n"
        "y,2026-11-22,7,Retail,,,,\n"
        "x,2026-11-20,1,Retail,,,,second\n"
        "y,2026-11-22,7,Retail,,,,\n"
    )
    assert (report.read, report.imported, report.duplicates) == (4, 2, 0)
    assert report.file_duplicates == 2 and report.file_duplicates_differing == 1
    assert {p.line: p.reason for p in report.skipped} == {
        4: "same response id as line 2, with another score (9 there, 1 here); "
        "the answer of line 2 is kept",
        5: "same response id as line 3",
    }
    assert (
        db.session.scalar(select(SurveyAnswer.comment).where(SurveyAnswer.external_id == "x"))
        == "first"
    )
    # Imported again: now they are in the database, counted apart from the file's own.
    again = run(HEADER + "x,2026-11-22,9,Retail,,,,\ny,2026-11-22,7,Retail,,,,\n")
    assert (again.duplicates, again.file_duplicates, again.imported) == (2, 0, 0)


def test_reimporting_the_same_file_adds_nothing(ctx: Flask) -> None:
    data = HEADER + "".join(f"r{i},2026-11-22,{i % 11},Retail,,,,\n" for i in range(30))
    assert run(data).imported == 30
    again = run(data)
    assert (again.read, again.imported, again.duplicates, again.rejected_count) == (30, 0, 30, 0)
    assert stored() == 30


def test_the_same_id_from_another_source_needs_force(ctx: Flask) -> None:
    data = HEADER + "same,2026-11-22,9,Retail,,,,\nnew,2026-11-22,9,Retail,,,,\n"
    assert run(data, source="qualtrics").imported == 2
    refused = run(data, source="trustpilot")
    assert not refused.accepted and refused.needs_force and refused.imported == 0
    assert refused.elsewhere == {"qualtrics": 2} and stored() == 2
    forced = run(data, source="trustpilot", force=True)
    assert forced.accepted and forced.imported == 2 and stored() == 4
    report = run("external_id,answered_at,score,team,source\nsame,2026-11-22,9,Retail,qualtrics\n")
    assert report.duplicates == 1 and report.accepted and stored() == 4


def test_strict_mode_imports_nothing_when_a_row_is_bad_but_reports_every_bad_row(
    ctx: Flask,
) -> None:
    good = "".join(f"g{i},2026-11-22,9,Retail,,,,\n" for i in range(BATCH_SIZE + 10))
    data = (
        HEADER
        + good
        + "bad1,2026-11-22,11,Retail,,,,\n"
        + good.replace("g", "h")
        + "bad2,2026-11-22,7.5,Retail,,,,\n"
    )
    report = run(data, strict=True)
    assert not report.accepted and report.strict_rejected
    assert report.imported == 0 and report.rejected_count == 2
    assert sorted(reasons(report)) == [BATCH_SIZE + 12, 2 * BATCH_SIZE + 23]
    assert stored() == 0
    # The same file without --strict imports the good rows.
    assert run(data).imported == 2 * (BATCH_SIZE + 10)


def test_strict_mode_with_only_good_rows_imports(ctx: Flask) -> None:
    report = run(HEADER + "s1,2026-11-22,9,Retail,,,,\n", strict=True)
    assert report.accepted and report.imported == 1 and stored() == 1


def test_strict_mode_rolls_back_created_teams(ctx: Flask) -> None:
    report = run(
        HEADER + "n1,2026-11-22,9,Newteam,,,,\nn2,2026-11-22,x,Retail,,,,\n",
        strict=True,
        create_teams=True,
    )
    assert report.imported == 0
    assert db.session.scalar(select(Team).where(Team.name == "Newteam")) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\r\n\r\n  \n", "The file is empty."),
        (HEADER.encode(), "The file has a header row but no answers."),
        (HEADER.encode() + b"\r\n\r\n", "The file has a header row but no answers."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file, not CSV"),
        (b"\xff\xfe\r\x00\n\x00 \x00", "The file is empty."),
        (
            "external_id,answered_at,score,team\nq,2026-11-22,9,Café\n".encode("cp1252")
            + b"\x81\n",
            "byte 0x81 on line 3, column 1 cannot be read",
        ),
        (b"id,date,nps\n1,2026-11-22,9\n", "no column for team"),
        (
            b"iets,anders,nog\n1,2026-11-22,9\n",
            "no column for external_id, answered_at, score, team",
        ),
    ],
    ids=[
        "empty",
        "blank-lines",
        "headers-only",
        "headers-and-blank-lines",
        "binary",
        "utf-16-blank",
        "no-known-encoding",
        "no-team-column",
        "wrong-columns",
    ],
)
def test_files_that_cannot_be_imported_say_why(ctx: Flask, data: bytes, message: str) -> None:
    report = run(data)
    assert report.file_error is not None and message in report.file_error
    assert not report.accepted and report.imported == 0 and stored() == 0


def test_an_excel_workbook_renamed_to_csv(ctx: Flask) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    report = run(buffer.getvalue())
    assert report.file_error and "Save as › CSV UTF-8" in report.file_error


def test_invalid_utf8_late_in_the_file_rejects_the_file_naming_line_and_column(
    ctx: Flask,
) -> None:
    rows = "".join(f"l{i},2026-11-22,9,Retail,,,,café padding\n" for i in range(3000))
    data = (HEADER + rows).encode() + b"z,2026-11-22,9,Retail,,,,caf\xe9\n"
    report = run(data)
    assert report.file_error == (
        "The file is UTF-8 text with a damaged byte: 0xE9 on line 3002, column 29. Fix that "
        "line (or save the file again as CSV UTF-8) and try again."
    )
    assert stored() == 0


def test_a_10_mb_comment_is_cut_with_a_warning(ctx: Flask) -> None:
    huge = "x" * (10 * 1024 * 1024)
    report = run(HEADER + f'big,2026-11-22,9,Retail,,,,"{huge}"\nsmall,2026-11-22,9,Retail,,,,ok\n')
    assert report.imported == 2 and report.rejected_count == 0
    assert report.warnings[0].line == 2
    assert report.warnings[0].reason == "comment of 10,485,760 characters cut to 5,000"
    lengths = db.session.scalars(select(func.length(SurveyAnswer.comment))).all()
    assert sorted(lengths) == [2, COMMENT_MAX]


def test_rows_with_too_few_or_too_many_fields(ctx: Flask) -> None:
    report = run(
        "external_id,answered_at,score,team\n"
        "f1,2026-11-22,9\n"
        "f2,2026-11-22,9,Retail,extra\n"
        "f3,2026-11-22,9,Retail,,\n"
    )  # trailing empty cells (Excel) are fine
    assert report.imported == 1
    assert "3 fields where the header has 4" in reasons(report)[2]
    assert "5 fields where the header has 4" in reasons(report)[3]


def test_column_mapping(ctx: Flask) -> None:
    data = "Respondent;Datum;Cijfer;Team;Opmerking;Extra\nm1;22-11-2026;9;Retail;Goed;x\n"
    mapping = parse_mapping(
        ["Respondent=external_id", "datum=answered_at", "Cijfer=score", "Opmerking = comment"]
    )
    report = run(data, mapping=mapping)
    assert report.imported == 1, report.file_error
    assert report.ignored_columns == ["Extra"]
    assert db.session.scalar(select(SurveyAnswer.comment)) == "Goed"


def test_mapping_mistakes_are_clear(ctx: Flask) -> None:
    with pytest.raises(ValueError, match="not a field"):
        parse_mapping(["Cijfer=grade"])
    with pytest.raises(ValueError, match="column=field"):
        parse_mapping(["Cijfer"])
    report = run(HEADER + "k,2026-11-22,9,Retail,,,,\n", mapping={"cijfer": "score"})
    assert report.file_error and "does not have: 'cijfer'" in report.file_error
    report = run("score,cijfer,external_id,answered_at,team\n", mapping={"cijfer": "score"})
    assert report.file_error and "Two columns hold score" in report.file_error


def test_unknown_agents_are_kept_with_a_warning(ctx: Flask) -> None:
    report = run(HEADER + "w1,2026-11-22,9,Retail,nobody@example.nl,telefoon,nl-NL,\n")
    assert report.imported == 1
    assert report.warnings[0].reason == (
        "agent 'nobody@example.nl' is not a user; saved without agent"
    )
    answer = db.session.scalar(select(SurveyAnswer))
    assert answer is not None and answer.agent_id is None
    assert answer.channel == SeededChannel.PHONE and answer.language is Language.NL


def test_large_files_go_in_batches_with_progress(ctx: Flask) -> None:
    rows = 2 * BATCH_SIZE + 123
    data = (
        HEADER
        + "".join(f"p{i},2026-11-{1 + i % 20:02d},{i % 11},Retail,,chat,en,\n" for i in range(rows))
    ).encode()
    steps: list[int] = []
    report = import_answers(io.BytesIO(data), ImportOptions(now=NOW), progress=steps.append)
    db.session.commit()
    assert report.imported == rows and stored() == rows
    assert len(steps) >= 3 and sum(steps) == len(data)


class _Pipe(io.RawIOBase):
    """A stream that cannot seek, like standard input."""

    def __init__(self, data: bytes) -> None:
        self.source = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.source.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_stream_that_cannot_seek(ctx: Flask) -> None:
    pipe = _Pipe((HEADER + "pipe,2026-11-22,9,Retail,,,,\n").encode())
    assert not pipe.seekable()
    report = import_answers(pipe, ImportOptions(now=NOW))  # type: ignore[arg-type]
    db.session.commit()
    assert report.imported == 1 and stored() == 1
