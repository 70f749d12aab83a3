"""One language per page, item by item: theme names wherever a theme shows, and the
masks of personal data in the story's own language (the walk in
``test_language_walk.py`` checks every page against the catalogs; theme names and
masks are not in the catalogs, so they are checked here)."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from storyboard.db import db, utcnow
from storyboard.models import Language, Role, SeededChannel, Story, SurveyAnswer, User
from storyboard.nps import answer_stories
from storyboard.weeks import IsoWeek
from tests.conftest import Auth, post_form
from tests.factories import add_answers, add_story, make_token

# The seeded "stand-up" theme, as migration 0023 names it.
DUTCH, ENGLISH = "Opkomen voor de klant", "Stand up"


def text_of(client: FlaskClient, path: str, language: str) -> str:
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def story(app: Flask, users: dict[Role, int]) -> int:
    return add_story(app, "Een cadeau voor vandaag", team="Retail", themes=["stand-up"], index=True)


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("nl", DUTCH, ENGLISH), ("en", ENGLISH, DUTCH)]
)
def test_a_theme_is_named_in_the_readers_language_everywhere(
    app: Flask,
    client: FlaskClient,
    auth: Auth,
    story: int,
    language: str,
    shown: str,
    hidden: str,
) -> None:
    auth.login_as(Role.MANAGER)
    pages = {
        "story page": (f"/stories/{story}", f'theme=stand-up">{shown}</a>'),
        "story card": ("/stories/", f'<span class="theme">{shown}</span>'),
        "filter": ("/stories/", f'<option value="stand-up" >{shown}</option>'),
        "editor": (f"/stories/{story}/edit", f"> {shown}</label>"),
        "search facet": ("/search?q=cadeau", shown),
        "digest": (f"/digest/{IsoWeek.current('Europe/Amsterdam')}", f"<strong>{shown}</strong>"),
    }
    for where, (path, expected) in pages.items():
        page = text_of(client, path, language)
        assert expected in page, f"{where} ({path}) does not name the theme {shown!r}"
        assert hidden not in page, f"{where} ({path}) names the theme {hidden!r} too"


def test_the_admins_list_shows_both_names_and_the_readers_description(
    client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.ADMIN)
    dutch = text_of(client, "/admin/themes", "nl")
    assert re.search(
        r'<td [^>]*lang="nl"[^>]*>Opkomen voor de klant</td>\s*<td [^>]*lang="en"[^>]*>Stand up</td>',
        dutch,
    )
    assert "Voor de klant tegen het proces in" in dutch
    assert "Go against the process" not in dutch
    english = text_of(client, "/admin/themes", "en")
    assert "Go against the process for the customer" in english
    assert "Voor de klant tegen het proces in" not in english


def test_the_api_keeps_slugs_and_adds_both_names(
    app: Flask, client: FlaskClient, users: dict[Role, int], story: int
) -> None:
    token = make_token(app, users[Role.AGENT], ["read"])
    headers = {"Authorization": f"Bearer {token}"}
    detail = client.get(f"/api/v1/stories/{story}", headers=headers).get_json()
    names = {"stand-up": {"nl": DUTCH, "en": ENGLISH}}
    assert (detail["themes"], detail["theme_names"]) == (["stand-up"], names)
    found = client.get("/api/v1/stories?q=cadeau", headers=headers).get_json()
    assert [(hit["themes"], hit["theme_names"]) for hit in found["items"]] == [
        (["stand-up"], names)
    ]


def test_a_theme_renamed_by_the_admin_shows_its_new_name_per_language(
    app: Flask, client: FlaskClient, auth: Auth, story: int
) -> None:
    auth.login_as(Role.ADMIN)
    edit = text_of(client, "/admin/themes", "en")
    theme_id = re.search(
        r'/admin/themes/(\d+)/edit"[^>]*>Edit<span class="visually-hidden"> Stand up<', edit
    )
    assert theme_id, "no edit link for the theme"
    response = post_form(
        client,
        f"/admin/themes/{theme_id.group(1)}/edit",
        {"name_nl": "Tegen de stroom in", "name_en": "Against the stream"},
    )
    assert response.status_code == 302
    assert "Tegen de stroom in" in text_of(client, f"/stories/{story}", "nl")
    assert "Against the stream" in text_of(client, f"/stories/{story}", "en")


# --- masks in the story's language --------------------------------------------------------

PERSONAL = "Bel me op 06-12345678 of mail jan@example.nl."


def test_a_dutch_survey_comment_becomes_a_story_with_dutch_masks(
    app: Flask, users: dict[Role, int]
) -> None:
    when: datetime = utcnow() - timedelta(days=1)
    add_answers(app, [(when, 9, "Retail", SeededChannel.PHONE, PERSONAL)])
    with app.app_context():
        answer = db.session.scalars(select(SurveyAnswer)).one()
        answer.language = Language.NL
        manager = db.session.get(User, users[Role.MANAGER])
        assert manager is not None
        result = answer_stories.draft_story_from_answer(answer, manager)
        db.session.commit()
        assert result.story.body == "Bel me op [telefoonnummer] of mail [e-mailadres]."
        assert result.scrub is not None
        assert answer_stories.masked_summary(result.scrub) == (
            "1 × [e-mailadres], 1 × [telefoonnummer]"
        )


@pytest.mark.parametrize(
    ("page_language", "story_language", "masks"),
    [
        ("nl", "en", ("[phone]", "[e-mail]")),
        ("en", "nl", ("[telefoonnummer]", "[e-mailadres]")),
        ("nl", "nl", ("[telefoonnummer]", "[e-mailadres]")),
    ],
)
def test_a_customer_story_is_masked_in_its_own_language_not_the_pages(
    app: Flask, client: FlaskClient, page_language: str, story_language: str, masks: tuple[str, ...]
) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = page_language
    response = post_form(
        client,
        "/share/",
        {
            "title": "Snel geholpen",
            "body": PERSONAL,
            "channel": "phone",
            "language": story_language,
            "consent_share": "y",
        },
    )
    assert response.status_code == 200
    with app.app_context():
        story = db.session.scalars(select(Story)).one()
        assert story.language.value == story_language
        for mask in masks:
            assert mask in story.body
        assert "06-12345678" not in story.body and "jan@example.nl" not in story.body


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_story_language_starts_as_the_interface_language(
    client: FlaskClient, auth: Auth, users: dict[Role, int], language: str
) -> None:
    checked = re.compile(
        r'<input[^>]*\bchecked\b[^>]*name="language"[^>]*value="(\w+)"|'
        r'<input[^>]*name="language"[^>]*value="(\w+)"[^>]*\bchecked\b'
    )

    def chosen(page: str) -> set[str]:
        return {a or b for a, b in checked.findall(page)}

    assert chosen(text_of(client, "/share/", language)) == {language}
    auth.login_as(Role.AGENT)
    assert chosen(text_of(client, "/stories/new", language)) == {language}
