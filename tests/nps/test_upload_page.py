"""The upload page: managers and admins send a CSV with CSRF and see the report."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from storyboard.db import db
from storyboard.models import Role, SurveyAnswer
from tests.conftest import Auth, csrf_token

CSV = (
    b"\xef\xbb\xbfexternal_id;answered_at;score;team;comment\r\n"
    b'1;2026-11-02;9;Retail;"Snel; en <b>vriendelijk</b>"\r\n'
    b"2;2026-11-02;zeven;Retail;\r\n"
)


def upload(client: FlaskClient, data: bytes, name: str = "answers.csv", **fields: Any) -> Any:
    token = csrf_token(client, "/nps/import")
    payload = {"file": (io.BytesIO(data), name), "csrf_token": token, "source": "survey", **fields}
    return client.post("/nps/import", data=payload, content_type="multipart/form-data")


def count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SurveyAnswer)) or 0


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_upload_shows_the_report(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int], role: Role
) -> None:
    auth.login_as(role)
    page = client.get("/nps/import")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and "Survey answers" in html

    response = upload(client, CSV)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # A row was refused: no green "finished", but what happened, in one line.
    assert "Import report" in html and "Import finished." not in html
    assert (
        "1 row was rejected and is listed below; new answers imported from the other rows: 1."
    ) in html
    assert "flash-success" not in html.split('data-testid="import-outcome"')[0][-200:]
    assert "score &#39;zeven&#39; is not a whole number from 0 to 10" in html
    assert "<b>vriendelijk" not in html  # nothing from the file is echoed unescaped
    assert count(app) == 1

    again = upload(client, CSV).get_data(as_text=True)
    assert "Duplicates" in again and count(app) == 1


def test_strict_upload_imports_nothing(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.MANAGER)
    response = upload(client, CSV, strict="y")
    assert response.status_code == 422
    assert "Nothing was imported: some rows were rejected" in response.get_data(as_text=True)
    assert count(app) == 0


def test_a_binary_file_gets_a_clear_message(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.MANAGER)
    response = upload(client, b"\x00\x01\x02garbage" * 50, name="photo.csv")
    assert response.status_code == 422
    assert "This is a binary file, not CSV text." in response.get_data(as_text=True)


def test_column_mapping_from_the_form(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.ADMIN)
    data = b"id,datum,cijfer,team\n7,2026-11-02,10,Kassa\n"
    response = upload(
        client, data, mapping="id=external_id\r\ndatum=answered_at, cijfer=score", create_teams="y"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Teams created: Kassa" in html and count(app) == 1

    bad = upload(client, data, mapping="cijfer=grade")
    assert bad.status_code == 400
    assert "is not a field" in bad.get_data(as_text=True)


def test_missing_file_and_missing_csrf(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.MANAGER)
    token = csrf_token(client, "/nps/import")
    response = client.post("/nps/import", data={"csrf_token": token})
    assert response.status_code == 400
    assert "Choose a CSV file to import." in response.get_data(as_text=True)
    no_token = client.post(
        "/nps/import", data={"file": (io.BytesIO(CSV), "a.csv")}, content_type="multipart/form-data"
    )
    assert no_token.status_code == 400 and count(app) == 0


def test_a_file_over_the_upload_limit_points_to_the_cli(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.MANAGER)
    big = (
        b'external_id,answered_at,score,team,comment\n1,2026-11-02,9,Retail,"'
        + b"x" * (10 * 1024 * 1024)
        + b'"\n'
    )
    # Encoded in memory: the test client would spool 10 MB to a temporary file that
    # nobody closes when the request is refused before its body is read.
    boundary, body = encode_multipart(
        {
            "file": FileStorage(io.BytesIO(big), "big.csv"),
            "csrf_token": csrf_token(client, "/nps/import"),
        }
    )
    response = client.post(
        "/nps/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "larger than 2 MB" in html and "storyboard import-nps" in html
    assert count(app) == 0


@pytest.mark.parametrize("role", [Role.AGENT, Role.STAKEHOLDER])
def test_other_roles_do_not_see_the_link(
    client: FlaskClient, auth: Auth, users: dict[Role, int], role: Role
) -> None:
    auth.login_as(role)
    assert "Survey answers" not in client.get("/stories/").get_data(as_text=True)
    assert client.get("/nps/import").status_code == 403


DUTCH = (
    "Respons-ID;Datum;Cijfer;Afdeling;Opmerking\r\n"
    "1;02-11-2026 09:15;9;Retail;Café “top”\r\n"
    '2;02-11-2026 09:20;11;Retail;=HYPERLINK("http://evil.example")\r\n'
    "1;02-11-2026 09:25;4;Retail;\r\n"
)


def test_windows_1252_with_dutch_headers_and_the_refused_rows_as_csv(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.MANAGER)
    response = upload(client, DUTCH.encode("cp1252"), create_teams="y")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Read as Windows-1252, separated by semicolons." in html
    assert "Respons-ID" in html and "recognised" in html
    assert "same response id as line 2, with another score (9 there, 4 here)" in html
    assert "Duplicates within the file (skipped)" in html
    link = html.split('data-testid="problems-csv"')[0].rsplit('href="', 1)[1].split('"')[0]
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    listed = list(csv.reader(io.StringIO(download.get_data().decode("utf-8-sig")), delimiter=";"))
    assert listed[1][:3] == ["3", "refused", "score '11' is not a whole number from 0 to 10"]
    assert listed[1][3] == '2;02-11-2026 09:20;11;Retail;"=HYPERLINK(""http://evil.example"")"'
    assert listed[2][:2] == ["4", "skipped"] and "same response id as line 2" in listed[2][2]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in listed for cell in row)
    assert count(app) == 1

    # The list is the uploader's own: a colleague gets a 404.
    auth.logout()
    auth.login_as(Role.ADMIN)
    assert client.get(link).status_code == 404


def test_every_row_refused_says_nothing_was_imported(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.MANAGER)
    response = upload(client, b"external_id;answered_at;score;team\r\n1;2026-11-02;9;Mars\r\n")
    html = response.get_data(as_text=True)
    assert "Nothing was imported: every new row was rejected." in html
    assert "Import finished." not in html and count(app) == 0


def test_another_source_asks_for_confirmation(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.MANAGER)
    data = (
        b"external_id;answered_at;score;team\r\n1;2026-11-02;9;Retail\r\n2;2026-11-02;7;Retail\r\n"
    )
    assert upload(client, data, source="survey-tool", create_teams="y").status_code == 200
    assert count(app) == 2
    warned = upload(client, data, source="import")
    html = warned.get_data(as_text=True)
    assert warned.status_code == 422 and count(app) == 2
    assert "2 answers in this file already exist under another source (survey-tool)" in html
    token = html.split('name="pending" value="')[1].split('"')[0]
    assert token
    confirmed = client.post(
        "/nps/import",
        data={
            "csrf_token": csrf_token(client, "/nps/import"),
            "pending": token,
            "source": "import",
            "mapping": "",
            "force": "y",
        },
    )
    assert confirmed.status_code == 200, confirmed.get_data(as_text=True)
    assert "Import finished." in confirmed.get_data(as_text=True) and count(app) == 4
    # The kept upload is gone once imported; a colleague cannot use someone's token.
    again = client.post(
        "/nps/import",
        data={"csrf_token": csrf_token(client, "/nps/import"), "pending": token, "force": "y"},
    )
    assert again.status_code == 400
    assert "That upload is no longer kept" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"external_id,answered_at,score,team\n", "The file has a header row but no answers."),
        (b"PK\x03\x04\x14\x00" + b"\x00" * 200, "spreadsheet or archive"),
        ("Respons-ID;Datum;Cijfer;Afdeling\r\n".encode("utf-16"), "header row but no answers"),
    ],
    ids=["empty", "header-only", "zip", "utf16-header-only"],
)
def test_unusable_files_import_nothing(
    app: Flask,
    client: FlaskClient,
    auth: Auth,
    users: dict[Role, int],
    data: bytes,
    message: str,
) -> None:
    auth.login_as(Role.MANAGER)
    response = upload(client, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True) and count(app) == 0
