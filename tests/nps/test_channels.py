"""Channels in the NPS import: matched by key, name or alias (no case or accents), made
when asked (``--create-channels``, the upload page's checkbox), refused by name
otherwise; renamed afterwards, the answers follow."""

from __future__ import annotations

import io
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from storyboard.channels import ChannelInput, save_channel
from storyboard.db import db, utcnow
from storyboard.models import Channel, Role, SurveyAnswer, User
from storyboard.nps.answer_stories import draft_story_from_answer
from storyboard.nps.importer import ImportOptions, import_answers
from tests.conftest import Auth, csrf_token
from tests.factories import add_answers, add_team

HEADER = "Respons-ID;Datum;Cijfer;Team;Kanaal\r\n"
COMMENTED = "Respons-ID;Datum;Cijfer;Team;Kanaal;Opmerking\r\n"
# The channels of issue 23's export, as Dutch Excel writes them, in every spelling.
EXPORT = HEADER + "".join(
    f"{i};{{day}};9;Retail;{value}\r\n"
    for i, value in enumerate(
        [
            "Telefoon",
            "TELEFOON",
            "Tel.",
            "E-mail",
            "e-mail",
            "Email",
            "Chat",
            "WhatsApp",
            "whatsapp",
            "Balie",
            "BALIE",
            "Winkel",
            "Télefoon",
            "Bálie",
            "phone",
        ]
    )
)
EXPECTED = Counter({"phone": 5, "email": 3, "chat": 3, "store": 4})


def day(days_ago: int = 1) -> str:
    return (utcnow() - timedelta(days=days_ago)).strftime("%d-%m-%Y")


def channels_stored(app: Flask) -> Counter[str | None]:
    with app.app_context():
        return Counter(db.session.scalars(select(SurveyAnswer.channel)))


def channel_keys(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Channel.key)))


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_the_exports_channels_are_read_by_alias(app: Flask, encoding: str) -> None:
    add_team(app, "Retail")
    with app.app_context():
        data = EXPORT.format(day=day()).encode(encoding)
        report = import_answers(io.BytesIO(data), ImportOptions())
        db.session.commit()
    assert (report.imported, report.rejected_count) == (15, 0), report.rejected
    assert channels_stored(app) == EXPECTED


def test_an_unknown_channel_is_refused_by_name_with_the_way_out(
    app: Flask, runner: Any, tmp_path: Path
) -> None:
    add_team(app, "Retail")
    text = HEADER + f"1;{day()};9;Retail;Videobellen\r\n2;{day()};7;Retail;Telefoon\r\n"
    result = runner.invoke(args=["import-nps", write(tmp_path, text)])
    assert result.exit_code == 0, result.output
    assert "line 2: unknown channel 'Videobellen' (use one of: " in result.output
    assert "or import with --create-channels)" in result.output
    assert channels_stored(app) == Counter({"phone": 1})
    assert "videobellen" not in channel_keys(app)


def test_create_channels_makes_each_missing_one_once(
    app: Flask, runner: Any, tmp_path: Path
) -> None:
    add_team(app, "Retail")
    text = HEADER + "".join(
        f"{i};{day()};9;Retail;{value}\r\n"
        for i, value in enumerate(["Videobellen", "VIDEOBELLEN", "Vidéobellen", "Balie"])
    )
    result = runner.invoke(args=["import-nps", write(tmp_path, text), "--create-channels"])
    assert result.exit_code == 0, result.output
    assert "Channels created: Videobellen" in result.output
    assert channels_stored(app) == Counter({"videobellen": 3, "store": 1})
    with app.app_context():
        made = db.session.scalar(select(Channel).where(Channel.key == "videobellen"))
        assert made is not None
        assert (made.name_nl, made.name_en, made.active) == ("Videobellen", "Videobellen", True)


def test_a_strict_import_that_fails_creates_no_channel(
    app: Flask, runner: Any, tmp_path: Path
) -> None:
    add_team(app, "Retail")
    text = HEADER + f"1;{day()};9;Retail;Videobellen\r\n2;{day()};11;Retail;Chat\r\n"
    result = runner.invoke(
        args=["import-nps", write(tmp_path, text), "--create-channels", "--strict"]
    )
    assert result.exit_code == 1
    assert "videobellen" not in channel_keys(app)


def test_the_cli_names_create_teams_for_an_unknown_team(
    app: Flask, runner: Any, tmp_path: Path
) -> None:
    text = HEADER + f"1;{day()};9;Mars;Telefoon\r\n"
    result = runner.invoke(args=["import-nps", write(tmp_path, text)])
    assert "unknown team 'Mars' (create it first, or import with --create-teams)" in result.output


def upload(client: FlaskClient, data: bytes, **fields: Any) -> Any:
    token = csrf_token(client, "/nps/import")
    payload = {"file": (io.BytesIO(data), "export.csv"), "csrf_token": token, **fields}
    return client.post("/nps/import", data=payload, content_type="multipart/form-data")


@pytest.mark.usefixtures("users")
def test_the_upload_page_creates_channels_when_ticked(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.login_as(Role.ADMIN)
    page = client.get("/nps/import").get_data(as_text=True)
    assert 'name="create_channels"' in page and "Create missing channels" in page
    data = (HEADER + f"1;{day()};9;Retail;Videobellen\r\n").encode("cp1252")

    refused = upload(client, data).get_data(as_text=True)
    assert "unknown channel &#39;Videobellen&#39;" in refused
    assert "tick “Create missing channels”" in refused
    assert "videobellen" not in channel_keys(app)

    made = upload(client, data, create_channels="y")
    assert made.status_code == 200
    html = made.get_data(as_text=True)
    assert "Channels created: Videobellen" in html and "/admin/channels" in html
    assert channels_stored(app) == Counter({"videobellen": 1})


def test_a_channel_no_longer_offered_is_refused_by_name(app: Flask, runner: Any, tmp_path):
    add_team(app, "Retail")
    with app.app_context():
        store = db.session.scalar(select(Channel).where(Channel.key == "store"))
        assert store is not None
        store.active = False
        db.session.commit()
    text = HEADER + f"1;{day()};9;Retail;Balie\r\n"
    result = runner.invoke(args=["import-nps", write(tmp_path, text), "--create-channels"])
    assert "channel 'Balie' is no longer in use" in result.output
    assert channels_stored(app) == Counter()


@pytest.mark.usefixtures("users")
def test_a_renamed_channel_renames_its_old_answers(
    app: Flask, client: FlaskClient, auth: Auth, runner: Any, tmp_path: Path
) -> None:
    text = COMMENTED + (
        f"1;{day(0)};9;Retail;Balie;Heel fijn\r\n2;{day(0)};3;Retail;Winkel;Te lang gewacht\r\n"
    )
    assert runner.invoke(args=["import-nps", write(tmp_path, text)]).exit_code == 0
    with app.app_context():
        store = db.session.scalar(select(Channel).where(Channel.key == "store"))
        assert store is not None
        save_channel(store, ChannelInput("Servicebalie", "Service desk", ("Balie", "Winkel")))
        db.session.commit()
    assert channels_stored(app) == Counter({"store": 2})

    auth.login_as(Role.MANAGER)
    english = client.get("/", headers={"Accept-Language": "en"}, follow_redirects=True)
    html = english.get_data(as_text=True)
    assert '<tr role="row" data-channel="store">' in html
    row = html.split('data-channel="store">', 1)[1].split("</tr>", 1)[0]
    assert "Service desk" in row
    assert ">Store<" not in html
    answers = client.get("/nps/answers?all=1", headers={"Accept-Language": "nl"}).get_data(
        as_text=True
    )
    assert "Servicebalie" in answers
    # The new name is a filter value too; the old name of the store still finds it.
    for name in ("store", "Service desk", "Balie"):
        filtered = client.get("/dashboard/", query_string={"channel": name}).get_data(as_text=True)
        assert 'data-channel="phone"' not in filtered and 'data-channel="store"' in filtered


@pytest.mark.usefixtures("users")
def test_a_draft_from_an_answer_whose_channel_is_retired_gets_one_in_use(app: Flask) -> None:
    add_answers(app, [(utcnow(), 10, "Retail", "social", "Via Instagram meteen geholpen")])
    with app.app_context():
        social = db.session.scalar(select(Channel).where(Channel.key == "social"))
        assert social is not None
        social.active = False
        db.session.commit()
        answer = db.session.scalar(select(SurveyAnswer))
        manager = db.session.scalar(select(User).where(User.role == Role.MANAGER))
        assert answer is not None and manager is not None
        result = draft_story_from_answer(answer, manager)
        assert result.created and result.story.channel == "phone"
        db.session.rollback()
