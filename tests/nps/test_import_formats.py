"""The exports people really have: Dutch Excel in its three encodings, Dutch and English
headers without a mapping, a remembered mapping, Qualtrics, Google Forms and Microsoft
Forms (sample files in tests/nps/data written from each tool's documented layout), and
every refused or skipped row named."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from storyboard.db import db
from storyboard.models import Language, SeededChannel, SurveyAnswer, Team
from storyboard.nps import mappings
from storyboard.nps.importer import ImportOptions, ImportReport, import_answers
from storyboard.nps.problem_csv import safe_cell
from tests.factories import add_team

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DATA = Path(__file__).parent / "data"

# As Dutch Excel writes it: ';', CRLF, dd-mm-jjjj uu:mm, quoted multi-line comments,
# characters that exist in Windows-1252 (é, €, “ ”, –).
DUTCH_ROWS = [
    ["Respons-ID", "Datum", "Cijfer", "Afdeling", "Kanaal", "Opmerking"],
    ["A-1", "02-11-2026 09:15", "9", "Retail", "Telefoon", "Snel geholpen; “top”"],
    [
        "A-2",
        "02-11-2026 17:40",
        "3",
        "Web Care",
        "E-mail",
        "Twee keer € 4,95 betaald –\nnog geen reactie",
    ],
    ["A-3", "29-03-2026 02:30", "7", "Retail", "Chat", "Café bleek dicht"],
    ["A-4", "25-10-2026 02:30", "10", "Retail", "", '=HYPERLINK("http://x.example";"klik")'],
]


def excel_text(rows: list[list[str]], delimiter: str = ";") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    add_team(app, "Retail")
    add_team(app, "Web Care")
    with app.app_context():
        yield app


def run(data: bytes, **options: Any) -> ImportReport:
    report = import_answers(io.BytesIO(data), ImportOptions(now=NOW, **options))
    if report.accepted:
        db.session.commit()
    else:
        db.session.rollback()
    return report


def answers() -> list[tuple[Any, ...]]:
    return [
        (a.external_id, a.answered_at, a.score, a.team.name, a.channel, a.comment)
        for a in db.session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.external_id))
    ]


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyAnswer)) or 0


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (lambda text: text.encode("utf-8-sig"), "UTF-8 (BOM)"),
        (lambda text: text.encode("utf-8"), "UTF-8"),
        (lambda text: text.encode("cp1252"), "Windows-1252"),
        # Excel's "Unicode text": UTF-16 little-endian with BOM, tab separated.
        (lambda text: text.replace(";", "\t").encode("utf-16"), "UTF-16"),
        (lambda text: text.replace(";", "\t").encode("utf-16-le"), "UTF-16"),
    ],
    ids=["utf8-bom", "utf8", "windows-1252", "utf16-bom", "utf16-le-no-bom"],
)
def test_dutch_excel_in_every_encoding_gives_the_same_answers(
    ctx: Flask, encoded: Any, label: str
) -> None:
    rows = [[cell.replace(";", ",") for cell in row] for row in DUTCH_ROWS]
    report = run(encoded(excel_text(rows)))
    assert report.file_error is None, report.file_error
    assert report.encoding == label
    assert (report.read, report.imported, report.rejected_count) == (4, 4, 0), report.rejected
    assert {use.field: (use.column, use.how) for use in report.columns} == {
        "external_id": ("Respons-ID", "recognised"),
        "answered_at": ("Datum", "recognised"),
        "score": ("Cijfer", "recognised"),
        "team": ("Afdeling", "recognised"),
        "channel": ("Kanaal", "recognised"),
        "comment": ("Opmerking", "recognised"),
    }
    assert answers() == [
        (
            "A-1",
            datetime(2026, 11, 2, 8, 15, tzinfo=UTC),
            9,
            "Retail",
            SeededChannel.PHONE,
            "Snel geholpen, “top”",
        ),
        (
            "A-2",
            datetime(2026, 11, 2, 16, 40, tzinfo=UTC),
            3,
            "Web Care",
            SeededChannel.EMAIL,
            "Twee keer € 4,95 betaald –\nnog geen reactie",
        ),
        # 02:30 on the spring DST night does not exist; read as CET (fold=0) → 01:30 UTC.
        (
            "A-3",
            datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
            7,
            "Retail",
            SeededChannel.CHAT,
            "Café bleek dicht",
        ),
        # 02:30 on the autumn night happens twice: the first (CEST) one.
        (
            "A-4",
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
            10,
            "Retail",
            None,
            '=HYPERLINK("http://x.example","klik")',
        ),
    ]
    # The formula is kept as text, and a second import adds nothing.
    again = run(encoded(excel_text(rows)))
    assert (again.imported, again.duplicates) == (0, 4) and stored() == 4


def test_a_byte_in_no_known_encoding_names_its_line_and_column(ctx: Flask) -> None:
    data = excel_text(DUTCH_ROWS[:2]).encode("cp1252") + b"A-9;02-11-2026;9;Re\x9dtail;;\r\n"
    report = run(data)
    assert report.file_error is not None
    assert "byte 0x9D on line 3, column 20 cannot be read" in report.file_error
    assert stored() == 0


def test_a_damaged_utf16_file_names_its_line(ctx: Flask) -> None:
    text = excel_text(DUTCH_ROWS[:2], "\t")
    data = (
        text.encode("utf-16") + "A-9\t02-11-2026\t9\tRetail\t\t".encode("utf-16-le") + b"\x00\xdc"
    )
    report = run(data)
    assert report.file_error is not None
    assert "UTF-16 text with a damaged byte" in report.file_error
    assert "on line 3" in report.file_error and stored() == 0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Response ID,Date,Rating,Team,Channel,Comment", "external_id"),
        ("ID;Tijdstip;NPS;Team;Kanaal;Toelichting", "external_id"),
        ("respons_id;DATUM;score;TEAM;kanaal;opmerking", "external_id"),
        ("Antwoord-ID;Datum;Cijfer;Afdeling;Contactkanaal;Opmerkingen", "external_id"),
    ],
)
def test_common_headers_need_no_mapping(ctx: Flask, header: str, expected: str) -> None:
    delimiter = ";" if ";" in header else ","
    row = delimiter.join(["h1", "02-11-2026 10:00", "8", "Retail", "chat", "ok"])
    report = run(f"{header}\r\n{row}\r\n".encode())
    assert report.imported == 1, report.file_error or report.rejected
    assert report.ignored_columns == []
    assert {use.field for use in report.columns} >= {"external_id", "channel", "comment"}


def test_the_exact_field_name_wins_over_an_alias(ctx: Flask) -> None:
    report = run(b"id,external_id,answered_at,score,team\n1,x-1,2026-11-02,9,Retail\n")
    assert report.imported == 1 and report.ignored_columns == ["id"]
    assert db.session.scalar(select(SurveyAnswer.external_id)) == "x-1"


def test_the_last_mapping_per_source_is_remembered(ctx: Flask) -> None:
    data = b"Nummer;Wanneer;Hoe;Groep\r\nm1;02-11-2026;9;Retail\r\n"
    mapping = {"nummer": "external_id", "wanneer": "answered_at", "hoe": "score", "groep": "team"}
    first = run(data, source="kto", mapping=mapping)
    assert first.imported == 1
    mappings.remember("kto", mapping)
    db.session.commit()
    more = b"Nummer;Wanneer;Hoe;Groep\r\nm2;03-11-2026;7;Retail\r\n"
    second = run(more, source="kto", remembered=mappings.remembered("kto"))
    assert second.imported == 1, second.file_error
    assert {use.how for use in second.columns} == {"remembered"}
    # Another source remembers nothing.
    other = run(more, source="other", remembered=mappings.remembered("other"))
    assert other.file_error and "no column for external_id" in other.file_error


def test_qualtrics_export(ctx: Flask) -> None:
    report = run((DATA / "qualtrics.csv").read_bytes(), source="qualtrics")
    assert report.layout == "Qualtrics" and report.file_error is None
    assert (report.read, report.imported, report.rejected_count) == (3, 3, 0), report.rejected
    assert {use.field: use.column for use in report.columns} == {
        "answered_at": "RecordedDate",
        "external_id": "ResponseId",
        "language": "UserLanguage",
        "score": "Q1",
        "comment": "Q2",
        "team": "Team",
    }
    first, second, third = db.session.scalars(
        select(SurveyAnswer).order_by(SurveyAnswer.answered_at)
    )
    assert first.external_id == "R_1a2B3c4D5e6F7g8" and first.score == 9
    assert first.answered_at == datetime(2026, 11, 20, 7, 3, 11, tzinfo=UTC)  # Amsterdam
    assert first.language is Language.NL and first.comment == "Snel geholpen, echt top"
    assert second.comment == "Waited 40 minutes\non hold" and second.language is Language.EN
    assert third.team.name == "Web Care" and third.score == 7


def test_google_forms_export_gets_ids_from_its_rows(ctx: Flask) -> None:
    data = (DATA / "google_forms.csv").read_bytes()
    report = run(data, source="google-forms")
    assert report.layout == "Google Forms" and report.file_error is None
    assert report.imported == 3, report.rejected
    how = {use.field: use.how for use in report.columns}
    assert how["external_id"] == "made" and how["score"] == "recognised"
    first = db.session.scalar(select(SurveyAnswer).order_by(SurveyAnswer.answered_at))
    assert first is not None and first.score == 10 and first.comment == "Heel vriendelijk"
    assert first.answered_at == datetime(2026, 11, 20, 8, 1, 2, tzinfo=UTC)
    assert first.external_id.startswith("row-")
    assert run(data, source="google-forms").duplicates == 3 and stored() == 3


def test_microsoft_forms_saved_by_dutch_excel(ctx: Flask) -> None:
    report = run((DATA / "microsoft_forms.csv").read_bytes(), source="forms")
    assert report.layout == "Microsoft Forms" and report.encoding == "Windows-1252"
    assert report.imported == 2, report.file_error or report.rejected
    assert {use.field: use.column for use in report.columns}["answered_at"] == "Tijd van voltooien"
    comment = db.session.scalar(select(SurveyAnswer.comment).where(SurveyAnswer.score == 9))
    assert comment == "Café-medewerker was top – “echt”"


def test_in_file_and_database_duplicates_and_refused_rows_in_the_full_report(
    ctx: Flask,
) -> None:
    header = "Respons-ID;Datum;Cijfer;Team;Opmerking\r\n"
    rows = "".join(f"r{i};02-11-2026;{i % 11};Retail;\r\n" for i in range(5))
    bad = "".join(f"b{i};02-11-2026;11;Retail;=1+{i}\r\n" for i in range(1_200))
    dupes = "r1;02-11-2026;1;Retail;\r\nr2;02-11-2026;5;Retail;@SUM(A1)\r\n"
    db.session.add(
        SurveyAnswer(
            source="import",
            external_id="r0",
            answered_at=datetime(2026, 11, 1, tzinfo=UTC),
            score=9,
            team_id=db.session.scalar(select(Team.id).where(Team.name == "Retail")),
        )
    )
    db.session.commit()
    out = io.StringIO()
    report = run((header + rows + bad + dupes).encode(), problems_out=out)
    assert (report.read, report.imported, report.duplicates) == (1_207, 4, 1)
    assert report.file_duplicates == 2 and report.file_duplicates_differing == 1
    assert report.rejected_count == 1_200 and len(report.rejected) == 1_000
    assert [(p.line, p.reason) for p in report.skipped] == [
        (1_207, "same response id as line 3"),
        (
            1_208,
            "same response id as line 4, with another score (2 there, 5 here); the "
            "answer of line 4 is kept",
        ),
    ]
    listed = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert listed[0] == ["line", "what", "reason", "row in the file"]
    assert len(listed) == 1 + 1_200 + 2  # every refused row, not only the first 1,000
    assert listed[1] == [
        "7",
        "refused",
        "score '11' is not a whole number from 0 to 10",
        "b0;02-11-2026;11;Retail;=1+0",
    ]
    assert listed[1_200][0] == "1206"
    assert listed[-1] == [
        "1208",
        "skipped",
        listed[-1][2],
        "r2;02-11-2026;5;Retail;@SUM(A1)",
    ]
    # Nothing a spreadsheet would run: every cell starting with = + - @ is quoted away.
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in listed for cell in row)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+31 6 1234", "'+31 6 1234"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("gewoon", "gewoon"),
        ("", ""),
    ],
)
def test_formulas_are_neutralised(value: str, expected: str) -> None:
    assert safe_cell(value) == expected


def test_sources_conflict_refused_without_force(ctx: Flask) -> None:
    data = excel_text(DUTCH_ROWS).encode("cp1252")
    assert run(data, source="survey-tool").imported == 4
    report = run(data)  # default source "import": the same answers again
    assert report.needs_force and not report.accepted
    assert report.elsewhere == {"survey-tool": 4} and stored() == 4
    db.session.execute(delete(SurveyAnswer))
    db.session.commit()


@pytest.mark.parametrize(
    ("value", "channel"),
    [
        ("Telefoon", SeededChannel.PHONE),
        ("Tel.", SeededChannel.PHONE),
        ("PHONE", SeededChannel.PHONE),
        ("E-mail", SeededChannel.EMAIL),
        ("e mail", SeededChannel.EMAIL),
        ("Chat", SeededChannel.CHAT),
        ("WhatsApp", SeededChannel.CHAT),
        ("Balie", SeededChannel.STORE),
        ("Winkel", SeededChannel.STORE),
        ("Sociale media", SeededChannel.SOCIAL),
        ("Télefoon", SeededChannel.PHONE),
    ],
)
def test_channel_names_as_exports_write_them(
    ctx: Flask, value: str, channel: SeededChannel
) -> None:
    report = run(
        f"Respons-ID;Datum;Cijfer;Team;Kanaal\r\nk;02-11-2026;9;Retail;{value}\r\n".encode()
    )
    assert report.imported == 1, report.rejected
    assert db.session.scalar(select(SurveyAnswer.channel)) == channel


def test_an_unknown_channel_is_still_refused_by_name(ctx: Flask) -> None:
    report = run(b"Respons-ID;Datum;Cijfer;Team;Kanaal\r\nk;02-11-2026;9;Retail;Postduif\r\n")
    assert report.imported == 0
    assert "unknown channel 'Postduif'" in report.rejected[0].reason


def test_a_separate_time_column_and_excel_decimals(ctx: Flask) -> None:
    report = run(
        b"Respons-ID;Datum;Tijd;Cijfer;Team\r\n"
        b"t1;02-11-2026;14:05;9,0;Retail\r\n"
        b"t2;02-11-2026 08:00;14:05;7;Retail\r\n"
        b"t3;02-11-2026;;8.0;Retail\r\n"
        b"t4;02-11-2026;;7,5;Retail\r\n"
    )
    assert report.imported == 3 and report.rejected[0].line == 5
    assert ("Tijd", "answered_at", "recognised") in [
        (u.column, u.field, u.how) for u in report.columns
    ]
    assert report.ignored_columns == []
    moments = dict(
        db.session.execute(select(SurveyAnswer.external_id, SurveyAnswer.answered_at)).all()
    )
    assert moments["t1"] == datetime(2026, 11, 2, 13, 5, tzinfo=UTC)  # date and time joined
    assert moments["t2"] == datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # the date had a time
    assert moments["t3"] == datetime(2026, 11, 1, 23, 0, tzinfo=UTC)
    scores = dict(db.session.execute(select(SurveyAnswer.external_id, SurveyAnswer.score)).all())
    assert scores == {"t1": 9, "t2": 7, "t3": 8}
