"""The upload page: managers and admins send a CSV with CSRF and see the report."""

from __future__ import annotations

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
