"""Dutch and English: a complete Dutch catalog, the language chosen in the right order,
the footer switch that sticks, and dates and numbers written the local way."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import force_locale, format_date, format_decimal
from sqlalchemy import select

from storyboard.db import db
from storyboard.i18n.formatting import week_range
from storyboard.i18n.locale import LOCALE_COOKIE
from storyboard.models import Role, User
from tests.conftest import PASSWORD, create_user, csrf_token

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "storyboard" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def source_messages() -> set[str | tuple[str, ...]]:
    """Every translatable string in the code and templates, as ``pybabel extract``
    finds it with the project's babel.cfg."""
    method_map = [
        ("storyboard/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
        ("templates/**.xml", "jinja2"),
    ]
    keywords = {
        "_": None,
        "gettext": None,
        "ngettext": (1, 2),
        "_l": None,
        "lazy_gettext": None,
        "lazy_ngettext": (1, 2),
    }
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalog(locale: str) -> dict[object, object]:
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        po = read_po(handle)
    assert not po.fuzzy, f"the {locale} catalog is marked fuzzy"
    entries = {}
    for message in po:
        if message.id:
            assert not message.fuzzy, f"fuzzy {locale} entry: {message.id!r}"
            entries[message.id if isinstance(message.id, str) else tuple(message.id)] = (
                message.string if isinstance(message.string, str) else tuple(message.string)
            )
    return entries


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_string_in_the_code_has_a_translation(locale: str) -> None:
    entries = catalog(locale)
    missing = [m for m in source_messages() if m not in entries]
    assert not missing, f"not in the {locale} catalog (run the README's upkeep commands): {missing}"
    empty = [
        m for m, text in entries.items() if not text or (isinstance(text, tuple) and not all(text))
    ]
    assert not empty, f"untranslated {locale} entries: {empty}"


def test_dutch_translations_keep_every_placeholder() -> None:
    for message, text in catalog("nl").items():
        ids = message if isinstance(message, tuple) else (message,)
        texts = text if isinstance(text, tuple) else (text,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for translated in texts:
            assert set(PLACEHOLDER.findall(translated)) <= wanted, message
            if len(ids) == 1:
                assert set(PLACEHOLDER.findall(translated)) == wanted, message


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_the_compiled_catalog_matches_its_source(locale: str) -> None:
    folder = TRANSLATIONS / locale / "LC_MESSAGES"
    with open(folder / "messages.mo", "rb") as handle:
        compiled = {
            m.id if isinstance(m.id, str) else tuple(m.id): m.string
            if isinstance(m.string, str)
            else tuple(m.string)
            for m in read_mo(io.BytesIO(handle.read()))
            if m.id
        }
    assert compiled == catalog(locale), "messages.mo is stale: run pybabel compile"


# -- choosing the language ---------------------------------------------------------------
@pytest.fixture
def dutch_default(tmp_path: Path, app: Flask) -> Flask:
    """The suite's app (on its database) with the organisation's default: Dutch."""
    app.config["BABEL_DEFAULT_LOCALE"] = "nl"
    return app


def heading(client: object, path: str = "/auth/login", **headers: str) -> str:
    page = client.get(path, headers=headers).get_data(as_text=True)  # type: ignore[attr-defined]
    return (
        "nl"
        if 'lang="nl"' in page and "Inloggen" in page
        else "en"
        if 'lang="en"' in page and "Sign in" in page
        else page[:300]
    )


def test_without_any_choice_the_organisation_default_is_used(dutch_default: Flask) -> None:
    assert heading(dutch_default.test_client()) == "nl"


def test_the_browser_language_comes_before_the_default(dutch_default: Flask) -> None:
    client = dutch_default.test_client()
    assert heading(client, **{"Accept-Language": "en-GB,en;q=0.8"}) == "en"
    assert heading(client, **{"Accept-Language": "de-DE,nl;q=0.5,en;q=0.4"}) == "nl"
    assert heading(client, **{"Accept-Language": "fr-FR"}) == "nl"


def test_the_switch_comes_before_the_browser_and_sticks(dutch_default: Flask) -> None:
    client = dutch_default.test_client()
    response = client.post(
        "/language", data={"locale": "en", "next": "/auth/login", "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302 and response.location.endswith("/auth/login")
    cookie = client.get_cookie(LOCALE_COOKIE)
    assert cookie is not None and cookie.value == "en" and cookie.max_age
    assert heading(client, **{"Accept-Language": "nl"}) == "en"


def test_a_signed_in_persons_choice_is_kept_in_their_profile(dutch_default: Flask) -> None:
    create_user(dutch_default, Role.AGENT)
    client = dutch_default.test_client()
    client.post(
        "/auth/login",
        data={"email": "agent@example.nl", "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    client.post(
        "/language",
        data={"locale": "en", "next": "/stories/", "csrf_token": csrf_token(client, "/stories/")},
    )
    with dutch_default.app_context():
        user = db.session.scalar(select(User).where(User.email == "agent@example.nl"))
        assert user is not None and user.locale == "en"
    # Another device: no cookie, a Dutch browser; the profile wins once signed in.
    other = dutch_default.test_client()
    assert heading(other, **{"Accept-Language": "nl"}) == "nl"
    other.post(
        "/auth/login",
        data={"email": "agent@example.nl", "password": PASSWORD, "csrf_token": csrf_token(other)},
    )
    page = other.get("/stories/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert 'lang="en"' in page and "Service stories" in page


@pytest.mark.parametrize("form", [{"locale": "fr"}, {"locale": ""}, {}])
def test_an_unknown_language_is_refused_calmly(dutch_default: Flask, form: dict[str, str]) -> None:
    client = dutch_default.test_client()
    response = client.post("/language", data={**form, "csrf_token": csrf_token(client)})
    assert response.status_code == 400
    assert client.get_cookie(LOCALE_COOKIE) is None


def test_the_switch_never_sends_anyone_off_site(dutch_default: Flask) -> None:
    client = dutch_default.test_client()
    response = client.post(
        "/language",
        data={"locale": "nl", "next": "//evil.example/", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    assert "evil" not in response.location


def test_the_dutch_pages_speak_dutch(dutch_default: Flask) -> None:
    create_user(dutch_default, Role.MANAGER)
    client = dutch_default.test_client()
    client.post(
        "/auth/login",
        data={
            "email": "manager@example.nl",
            "password": PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    for path, words in [
        ("/stories/", ["Serviceverhalen", "Schrijf een verhaal", "Uitloggen"]),
        ("/search", ["Zoek in het archief", "Zoektips"]),
        ("/stories/new", ["Concept opslaan", "Wat deed jij?"]),
        ("/dashboard/", ["Deze week: week "]),
    ]:
        page = client.get(path).get_data(as_text=True)
        for word in words:
            assert word in page, (path, word)


# -- formatting ---------------------------------------------------------------------------
def test_dates_and_numbers_follow_the_locale(app: Flask) -> None:
    with app.test_request_context():
        with force_locale("nl"):
            assert format_date(date(2026, 11, 16), "long") == "16 november 2026"
            assert format_decimal(1234.5) == "1.234,5"
        with force_locale("en"):
            assert format_date(date(2026, 11, 16), "long") == "November 16, 2026"
            assert format_decimal(1234.5) == "1,234.5"


@pytest.mark.parametrize(
    ("locale", "week", "expected"),
    [
        ("nl", date(2026, 11, 16), "week 47, 16–22 november 2026"),
        ("en", date(2026, 11, 16), "week 47, 16–22 November 2026"),
        ("nl", date(2026, 11, 30), "week 49, 30 november – 6 december 2026"),
        ("en", date(2026, 11, 30), "week 49, 30 November – 6 December 2026"),
        ("nl", date(2026, 12, 28), "week 53, 28 december 2026 – 3 januari 2027"),
    ],
)
def test_week_ranges_are_written_the_local_way(
    app: Flask, locale: str, week: date, expected: str
) -> None:
    with app.test_request_context(), force_locale(locale):
        assert week_range(week) == expected


def test_week_ranges_use_the_translated_word_for_week(app: Flask) -> None:
    with app.test_request_context(), force_locale("nl"):
        assert week_range(date(2026, 11, 16)).startswith("week 47, ")


# -- e-mails --------------------------------------------------------------------------------
def test_each_recipient_gets_the_digest_in_their_own_language(app: Flask) -> None:
    from storyboard.digest.builder import build_digest
    from storyboard.digest.sending import compose
    from storyboard.weeks import IsoWeek

    create_user(app, Role.MANAGER, email="dutch@example.nl")
    create_user(app, Role.STAKEHOLDER, email="english@example.nl")
    with app.app_context():
        dutch = db.session.scalar(select(User).where(User.email == "dutch@example.nl"))
        assert dutch is not None
        dutch.locale = "nl"
        db.session.commit()
    with app.test_request_context():
        digest = build_digest(IsoWeek(2026, 46))
        people = {user.email: user for user in db.session.scalars(select(User))}
        subjects = {
            email: compose(digest, email, people[email])["Subject"]
            for email in ("dutch@example.nl", "english@example.nl")
        }
        text_nl = (
            compose(digest, "dutch@example.nl", people["dutch@example.nl"])
            .get_body(("plain",))
            .get_content()
        )
    assert (
        subjects["dutch@example.nl"]
        == "Storyboard, week 46: Geen enquêteantwoorden; 0 nieuwe verhalen."
    )
    assert (
        subjects["english@example.nl"] == "Storyboard, week 46: No survey answers; 0 new stories."
    )
    assert "Lees het op het web:" in text_nl and "Afmelden:" in text_nl


def test_counts_on_pages_use_the_locales_separators(app: Flask) -> None:
    from flask import render_template_string

    with app.test_request_context():
        with force_locale("nl"):
            assert render_template_string("{{ 1234567|number }}") == "1.234.567"
        with force_locale("en"):
            assert render_template_string("{{ 1234567|number }}") == "1,234,567"


def test_the_command_line_speaks_the_organisations_language(app: Flask) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "nl"
    result = app.test_cli_runner().invoke(args=["index", "status"])
    assert result.exit_code == 0, result.output
    assert "gepubliceerde verhalen: 0; wachtende wijzigingen: 0" in result.output
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    result = app.test_cli_runner().invoke(args=["index", "drain"])
    assert "Nothing pending: the index is up to date." in result.output


def test_command_help_is_in_the_organisations_language(app: Flask, monkeypatch) -> None:
    from click.testing import CliRunner

    from storyboard.cli import storyboard_group

    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # FlaskGroup sets it; restore it after
    app.config["BABEL_DEFAULT_LOCALE"] = "nl"
    runner = CliRunner()
    overview = runner.invoke(storyboard_group(lambda: app), ["--help"])
    assert overview.exit_code == 0, overview.output
    assert "de serviceverhalen achter de NPS" in overview.output
    assert "Onderhoud van de zoekindex." in overview.output
    command = runner.invoke(storyboard_group(lambda: app), ["import-nps", "--help"])
    assert "Importeer niets als er ook maar één regel fout is." in command.output
    assert "Lees een CSV-kolom als veld (external_id, " in command.output
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    command = runner.invoke(storyboard_group(lambda: app), ["send-digest", "--help"])
    assert "Show who would get it; send nothing." in command.output


def test_every_template_folder_is_read_by_the_extraction() -> None:
    """``pybabel extract`` skips folders whose names start with ``_`` or ``.``: the
    strings of a template kept there would silently leave the catalogs."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    skipped = sorted(
        str(folder.relative_to(templates))
        for folder in templates.rglob("*")
        if folder.is_dir() and folder.name.startswith(("_", "."))
    )
    assert skipped == []
