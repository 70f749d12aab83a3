"""Bad input through the real app (shared/bad-inputs.md): every case ends in a clear
message or the right 4xx, never a 500, and nothing that was already saved changes."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import Language, Role, Story, StoryStatus, Team, User, people
from storyboard.models.stories import story_themes
from storyboard.rendering import MAX_MARKDOWN_CHARS
from tests.conftest import Auth, create_user, csrf_token, post_form
from tests.factories import theme_slugs, write_story

EXISTING_TITLE = "Een cadeau voor vandaag"
EXISTING_BODY = "De klant vroeg waar zijn bestelling was. Zijn dochter werd **vandaag** jarig."
OTHER_AGENT_EMAIL = "other-agent@example.nl"


# --- helpers --------------------------------------------------------------------------------

_HASHES: dict[str, str] = {}


@pytest.fixture(autouse=True)
def one_scrypt_hash_per_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """This module makes ~160 apps with five users each; hashing every password anew
    would cost minutes. Each password is still hashed for real (scrypt) once and checked
    for real at sign-in; only the hashing is not repeated."""
    real = people.generate_password_hash

    def cached(password: str, *args: Any, **kwargs: Any) -> str:
        if args or kwargs:
            return real(password, *args, **kwargs)
        if password not in _HASHES:
            _HASHES[password] = real(password)
        return _HASHES[password]

    monkeypatch.setattr(people, "generate_password_hash", cached)


def snapshot(app: Flask) -> list[tuple[Any, ...]]:
    """Everything a failed submission could damage: every story column and theme link."""
    with app.app_context():
        stories = db.session.execute(select(Story).order_by(Story.id)).scalars()
        rows = [
            (
                s.id,
                s.title,
                s.body,
                s.body_html,
                s.status,
                s.channel,
                s.language,
                s.team_id,
                s.author_id,
                s.author_kind,
                s.submission_key,
                s.created_at,
                s.updated_at,
                s.published_at,
            )
            for s in stories
        ]
        links = db.session.execute(select(story_themes).order_by("story_id", "theme_id")).all()
        return rows + [tuple(link) for link in links]


def story_count(app: Flask) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Story.id)).all())


def story_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "De verjaardag van Sanne",
        "body": "De klant belde. We brachten het **vandaag** nog.",
        "channel": "phone",
        "language": "nl",
        "team_id": "",
        "action": "publish",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def text_of(response: Any) -> str:
    return str(response.get_data(as_text=True))


def field_error(response: Any, field: str) -> str:
    """The message shown next to a form field (the macro gives it id ``<field>-error``)."""
    match = re.search(rf'id="{field}-error">(.*?)</p>', text_of(response), re.S)
    assert match, f"no error shown next to {field}"
    return match.group(1)


class Saved:
    """What the database held before a bad submission; ``assert_unchanged`` compares."""

    def __init__(self, app: Flask, story_id: int, draft_id: int) -> None:
        self.app = app
        self.story_id = story_id
        self.draft_id = draft_id
        self.before = snapshot(app)

    def assert_unchanged(self) -> None:
        assert snapshot(self.app) == self.before
        with self.app.app_context():
            story = db.session.get(Story, self.story_id)
            assert story is not None and story.title == EXISTING_TITLE


@pytest.fixture
def saved(app: Flask, users: dict[Role, int]) -> Saved:
    """A published story by the agent and a draft by another agent, saved before the test."""
    other_agent = create_user(app, Role.AGENT, email=OTHER_AGENT_EMAIL)
    first_theme = theme_slugs(app)[:1]
    assert first_theme, "the migration seeds themes"
    story_id = write_story(
        app,
        users[Role.AGENT],
        EXISTING_TITLE,
        body=EXISTING_BODY,
        language=Language.NL,
        themes=first_theme,
    )
    draft_id = write_story(
        app,
        other_agent,
        "Nog niet af",
        body=EXISTING_BODY,
        language=Language.NL,
        themes=first_theme,
        publish=False,
    )
    return Saved(app, story_id, draft_id)


@pytest.fixture
def agent(auth: Auth, saved: Saved) -> Saved:
    auth.login_as(Role.AGENT)
    return saved


def assert_not_server_error(response: Any) -> None:
    assert response.status_code < 500, text_of(response)[:2000]
    assert "Traceback" not in text_of(response)


# --- story form: titles and bodies ----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "message"),
    [
        pytest.param("", "Give your story a title.", id="empty"),
        pytest.param("   \t ", "Give your story a title.", id="whitespace-only"),
        pytest.param("\u200b", "Give your story a title.", id="zero-width-only"),
        pytest.param("\u200b\ufeff\x00 \u200d", "Give your story a title.", id="invisible-mix"),
        pytest.param("x" * 201, "Too long: 201 characters, at most 200 allowed.", id="one-over"),
        pytest.param(
            "x" * 20_000,
            "Too long: 20,000 characters, at most 200 allowed.",
            id="hundred-times-over",
        ),
    ],
)
def test_bad_title_is_refused_with_a_message(
    client: FlaskClient, agent: Saved, title: str, message: str
) -> None:
    body = "Wat ik typte blijft staan."
    response = post_form(client, "/stories/new", story_form(title=title, body=body))
    assert response.status_code == 400
    assert field_error(response, "title") == message
    assert body in text_of(response)  # what the user typed is kept
    agent.assert_unchanged()


@pytest.mark.parametrize(
    "body",
    ["", "   \n\t\n", "\u200b\n\u200b", "\x00"],
    ids=["empty", "whitespace", "zero-width", "nul"],
)
def test_empty_body_is_refused(client: FlaskClient, agent: Saved, body: str) -> None:
    response = post_form(client, "/stories/new", story_form(body=body))
    assert response.status_code == 400
    assert field_error(response, "body") == "Tell the story: the body is empty."
    agent.assert_unchanged()


def test_one_megabyte_body_gets_a_size_message(client: FlaskClient, agent: Saved) -> None:
    response = post_form(client, "/stories/new", story_form(body="x" * 1_000_000))
    assert response.status_code in (400, 413)
    assert field_error(response, "body") == (
        f"Too long: 1,000,000 characters, at most {MAX_MARKDOWN_CHARS:,} allowed."
    )
    agent.assert_unchanged()


def test_body_one_over_the_limit_gets_a_size_message(client: FlaskClient, agent: Saved) -> None:
    response = post_form(client, "/stories/new", story_form(body="x" * (MAX_MARKDOWN_CHARS + 1)))
    assert response.status_code == 400
    assert "at most 100,000 allowed" in field_error(response, "body")
    agent.assert_unchanged()


def test_ten_megabyte_post_gets_the_friendly_too_large_page(
    client: FlaskClient, agent: Saved
) -> None:
    response = post_form(client, "/stories/new", story_form(body="x" * 10_000_000))
    assert response.status_code == 413
    assert "Too large" in text_of(response)
    assert "Shorten it and try again" in text_of(response)
    agent.assert_unchanged()


def test_body_too_complex_to_render_gets_a_message(client: FlaskClient, agent: Saved) -> None:
    response = post_form(client, "/stories/new", story_form(body="- * + " * 400 + "x"))
    assert response.status_code == 400
    assert "too complex to render" in field_error(response, "body")
    agent.assert_unchanged()


# --- story form: ids and choices ------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("team_id", "999999"),
        ("team_id", "abc"),
        ("team_id", "-1"),
        ("team_id", "99999999999999999999"),
        ("channel", "fax"),
        ("channel", ""),
        ("language", "de"),
        ("themes", "999999"),
        ("themes", "abc"),
        ("themes", "99999999999999999999"),
    ],
)
def test_unknown_ids_and_choices_are_refused(
    client: FlaskClient, agent: Saved, field: str, value: str
) -> None:
    response = post_form(client, "/stories/new", story_form(**{field: value}))
    assert response.status_code == 400
    if field == "themes":  # a fieldset of checkboxes, with its own error line
        assert 'class="field-error"' in text_of(response)
    else:
        assert field_error(response, field)
    agent.assert_unchanged()


def test_team_deleted_while_the_form_was_open(
    client: FlaskClient, app: Flask, agent: Saved
) -> None:
    with app.app_context():
        team = Team(name="Tijdelijk", slug="tijdelijk")
        db.session.add(team)
        db.session.commit()
        team_id = team.id
    token = csrf_token(client, "/stories/new")
    with app.app_context():
        db.session.delete(db.session.get(Team, team_id))
        db.session.commit()
    before = snapshot(app)
    response = client.post(
        "/stories/new", data={**story_form(team_id=str(team_id)), "csrf_token": token}
    )
    assert response.status_code == 400
    assert snapshot(app) == before


# --- tampered fields ------------------------------------------------------------------------


def test_tampered_fields_are_ignored(
    client: FlaskClient, app: Flask, agent: Saved, users: dict[Role, int]
) -> None:
    response = post_form(
        client,
        "/stories/new",
        story_form(
            action="draft",
            status="published",
            featured="1",
            author_id=str(users[Role.MANAGER]),
            author_kind="customer",
            published_at="2020-01-01",
            role="admin",
            id=str(agent.story_id),
        ),
    )
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert new_id != agent.story_id
    with app.app_context():
        story = db.session.get(Story, new_id)
        assert story is not None
        assert story.status is StoryStatus.DRAFT
        assert story.published_at is None
        assert story.author_id == users[Role.AGENT]
        assert story.author_kind.value == "agent"
        user = db.session.get(User, users[Role.AGENT])
        assert user is not None and user.role is Role.AGENT
    after = snapshot(app)
    assert all(row in after for row in agent.before)  # only the new story was added


def test_agent_cannot_edit_by_posting_to_another_agents_story(
    client: FlaskClient, agent: Saved
) -> None:
    response = client.post(
        f"/stories/{agent.draft_id}/edit",
        data={**story_form(title="Gekaapt"), "csrf_token": csrf_token(client, "/stories/new")},
    )
    assert response.status_code == 404
    agent.assert_unchanged()


# --- CSRF -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [None, "", "not-a-token", "stale.token.value"],
    ids=["missing", "empty", "garbage", "forged"],
)
def test_story_without_a_valid_csrf_token_is_refused(
    client: FlaskClient, agent: Saved, token: str | None
) -> None:
    data = story_form()
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/stories/new", data=data)
    assert response.status_code == 400
    assert "This form has expired or was sent from somewhere else" in text_of(response)
    agent.assert_unchanged()


def test_csrf_token_from_another_session_is_refused(
    app: Flask, client: FlaskClient, agent: Saved
) -> None:
    other = app.test_client()
    Auth(other).login(OTHER_AGENT_EMAIL)
    foreign_token = csrf_token(other, "/stories/new")
    response = client.post("/stories/new", data={**story_form(), "csrf_token": foreign_token})
    assert response.status_code == 400
    assert "This form has expired" in text_of(response)
    agent.assert_unchanged()


def test_edit_without_csrf_token_changes_nothing(client: FlaskClient, agent: Saved) -> None:
    response = client.post(f"/stories/{agent.story_id}/edit", data=story_form(title="Anders"))
    assert response.status_code == 400
    agent.assert_unchanged()


def test_delete_without_csrf_token_changes_nothing(
    client: FlaskClient, auth: Auth, saved: Saved
) -> None:
    auth.login_as(Role.MANAGER)
    response = client.post(f"/stories/{saved.story_id}/delete")
    assert response.status_code == 400
    saved.assert_unchanged()


# --- double submission ----------------------------------------------------------------------


def _submission_key(client: FlaskClient) -> str:
    page = text_of(client.get("/stories/new"))
    match = re.search(
        r'name="submission_key" type="hidden" value="([0-9a-f]{32})"', page
    ) or re.search(r'value="([0-9a-f]{32})"[^>]*name="submission_key"', page)
    assert match, "the editor carries a one-time submission key"
    return match.group(1)


def test_same_form_posted_twice_makes_one_story(
    client: FlaskClient, app: Flask, agent: Saved
) -> None:
    key = _submission_key(client)
    before = story_count(app)
    first = post_form(client, "/stories/new", story_form(submission_key=key))
    second = post_form(client, "/stories/new", story_form(submission_key=key))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert story_count(app) == before + 1


def test_submission_key_of_another_agents_story_is_not_a_500(
    client: FlaskClient, app: Flask, agent: Saved
) -> None:
    """A tampered key that collides with someone else's story must not crash the save."""
    stolen_key = "f" * 32
    with app.app_context():
        draft = db.session.get(Story, agent.draft_id)
        assert draft is not None
        draft.submission_key = stolen_key
        db.session.commit()
    before = snapshot(app)
    response = post_form(client, "/stories/new", story_form(submission_key=stolen_key))
    assert_not_server_error(response)
    assert response.status_code == 400
    assert "already" in text_of(response)
    assert snapshot(app) == before
    # The editor hands out a fresh key, so sending the form again works.
    fresh = re.search(
        r'name="submission_key" type="hidden" value="([0-9a-f]{32})"', text_of(response)
    )
    assert fresh and fresh.group(1) != stolen_key
    again = post_form(client, "/stories/new", story_form(submission_key=fresh.group(1)))
    assert again.status_code == 302


@pytest.mark.parametrize("key", ["", "x" * 100, "../../etc", "ABCDEF" * 6, "\x00" * 32])
def test_malformed_submission_key_still_saves_once(
    client: FlaskClient, app: Flask, agent: Saved, key: str
) -> None:
    before = story_count(app)
    response = post_form(client, "/stories/new", story_form(submission_key=key))
    assert response.status_code == 302
    assert story_count(app) == before + 1


# --- encoding and odd characters ------------------------------------------------------------


def _raw_post(client: FlaskClient, path: str, body: bytes, **kwargs: Any) -> Any:
    token = quote(csrf_token(client, "/stories/new")).encode()
    return client.post(
        path,
        data=b"csrf_token=" + token + b"&" + body,
        content_type="application/x-www-form-urlencoded",
        **kwargs,
    )


@pytest.mark.parametrize(
    "raw_title",
    [b"%FF%FE%FD", b"Caf%C3", b"%C0%AF", b"%ED%A0%80"],
    ids=["percent-encoded", "truncated-sequence", "overlong", "encoded-surrogate"],
)
def test_invalid_utf8_in_the_form_body(
    client: FlaskClient, app: Flask, agent: Saved, raw_title: bytes
) -> None:
    response = _raw_post(
        client,
        "/stories/new",
        b"title=" + raw_title + b"&body=Tekst&channel=phone&language=nl&team_id=&action=draft",
    )
    assert_not_server_error(response)
    # Werkzeug keeps undecodable bytes visible as %XX escapes (or U+FFFD): the story is
    # saved with a title that is valid text, and the author can correct it.
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        story = db.session.get(Story, new_id)
        assert story is not None and story.title
        story.title.encode("utf-8")  # no surrogates slipped through
        assert "%" in story.title or "\ufffd" in story.title
    assert client.get(f"/stories/{new_id}").status_code == 200
    with app.app_context():
        original = db.session.get(Story, agent.story_id)
        assert original is not None and original.title == EXISTING_TITLE


def test_raw_invalid_utf8_bytes_in_the_form_body_are_refused(
    client: FlaskClient, agent: Saved
) -> None:
    """Browsers percent-encode; raw non-UTF-8 bytes make the whole body unreadable, so the
    request is refused like any unreadable form (no token found), and nothing is saved."""
    response = _raw_post(
        client,
        "/stories/new",
        b"title=\xff\xfe\xfd&body=Tekst&channel=phone&language=nl&action=draft",
    )
    assert response.status_code == 400
    assert "Reload the page and send it again" in text_of(response)
    agent.assert_unchanged()


def test_invalid_utf8_in_a_multipart_body(client: FlaskClient, agent: Saved) -> None:
    token = csrf_token(client, "/stories/new")
    boundary = "grens"
    parts = [
        ("csrf_token", token.encode()),
        ("title", b"\xff\xfe titel"),
        ("body", b"\xc3("),
        ("channel", b"phone"),
        ("language", b"nl"),
        ("team_id", b""),
        ("action", b"draft"),
    ]
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
            for name, value in parts
        )
        + f"--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/stories/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert_not_server_error(response)


@pytest.mark.parametrize(
    "path",
    [
        "/stories/%FF",
        "/stories/%C0%AF",
        "/stories/?team=%FF%FE",
        "/stories/?channel=%ED%A0%80",
        "/stories/?page=%FF",
        "/auth/login?next=%FF",
        "/%FF%FE/edit",
    ],
)
def test_invalid_utf8_in_the_url(client: FlaskClient, agent: Saved, path: str) -> None:
    response = client.get(path)
    assert_not_server_error(response)
    assert response.status_code in (200, 302, 400, 404)


@pytest.mark.parametrize("raw_path", ["/stories/\xff\xfe", "/stories/\xc3", "/\xff/edit"])
def test_raw_invalid_bytes_in_the_path(client: FlaskClient, agent: Saved, raw_path: str) -> None:
    # WSGI carries the path's bytes as latin-1 characters; these are not valid UTF-8.
    response = client.get("/placeholder", environ_overrides={"PATH_INFO": raw_path})
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_invalid_utf8_in_the_login_form(client: FlaskClient, saved: Saved) -> None:
    token = quote(csrf_token(client)).encode()
    response = client.post(
        "/auth/login",
        data=b"csrf_token=" + token + b"&email=%FF%FE@example.nl&password=%C3",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "That e-mail and password do not match an account." in text_of(response)


def test_nul_bytes_are_removed_from_title_and_body(
    client: FlaskClient, app: Flask, agent: Saved
) -> None:
    response = post_form(
        client,
        "/stories/new",
        story_form(
            title="Cadeau\x00 voor\x00 vandaag",
            body="Tekst\x00 met een nul\x00byte.",
        ),
    )
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        story = db.session.get(Story, new_id)
        assert story is not None
        assert story.title == "Cadeau voor vandaag"
        assert story.body == "Tekst met een nulbyte."
        assert "\x00" not in story.body_html


def test_bom_nfd_emoji_and_rtl_are_stored_cleanly(
    client: FlaskClient, app: Flask, agent: Saved
) -> None:
    response = post_form(
        client,
        "/stories/new",
        story_form(
            title="\ufeffKoffie in het cafe\u0301 🎂🎁",
            body="مرحبا — 👨\u200d👩\u200d👧 kwam langs.",
        ),
    )
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "Koffie in het caf\u00e9 🎂🎁" in page
    assert "مرحبا — 👨\u200d👩\u200d👧 kwam langs." in page


@pytest.mark.parametrize(
    "title",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<b>Vet</b> & 'zo'"],
)
def test_html_in_the_title_is_shown_escaped(
    client: FlaskClient, app: Flask, agent: Saved, title: str
) -> None:
    response = post_form(client, "/stories/new", story_form(title=title))
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        story = db.session.get(Story, new_id)
        assert story is not None and story.title == title  # kept as typed, not stripped
    for page in (client.get(f"/stories/{new_id}"), client.get("/stories/")):
        html = text_of(page)
        assert title not in html
        assert "<script>alert(1)" not in html
        assert "onerror=alert(1)>" not in html
    show = text_of(client.get(f"/stories/{new_id}"))
    escaped = (
        title.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )
    assert escaped in show


def test_hostile_markdown_is_stored_sanitized(
    client: FlaskClient, app: Flask, agent: Saved
) -> None:
    response = post_form(
        client,
        "/stories/new",
        story_form(
            body="<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        ),
    )
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    article = page.split("<main", 1)[1]
    assert "<script>alert" not in article
    assert "javascript:" not in article
    assert "onerror" not in article


# --- ids and URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "/edit"])
@pytest.mark.parametrize(
    "story_path", ["-1", "0", "abc", "99999999999999999999", "2147483648", "1.5", "%20", "1%00"]
)
def test_impossible_story_ids_are_404(
    client: FlaskClient, agent: Saved, story_path: str, suffix: str
) -> None:
    response = client.get(f"/stories/{story_path}{suffix}")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_missing_story_is_404(client: FlaskClient, agent: Saved) -> None:
    assert client.get("/stories/2147483647").status_code == 404
    assert client.get("/stories/2147483647/edit").status_code == 404


@pytest.mark.parametrize("suffix", ["", "/edit"])
def test_another_agents_draft_is_404(client: FlaskClient, agent: Saved, suffix: str) -> None:
    response = client.get(f"/stories/{agent.draft_id}{suffix}")
    assert response.status_code == 404
    assert "Nog niet af" not in text_of(response)


@pytest.mark.parametrize("action", ["delete", "unpublish"])
def test_another_agents_draft_cannot_be_touched(
    client: FlaskClient, agent: Saved, action: str
) -> None:
    response = client.post(
        f"/stories/{agent.draft_id}/{action}",
        data={"csrf_token": csrf_token(client, "/stories/new")},
    )
    # The calm answer to a story that is not there (see the stories' views): the same
    # whether it was deleted a moment ago or is someone else's draft.
    assert response.status_code == 303
    assert "Nog niet af" not in text_of(client.get(response.headers["Location"]))
    agent.assert_unchanged()


@pytest.mark.parametrize(
    "query",
    [
        "page=-1",
        "page=0",
        "page=abc",
        "page=999999",
        "page=99999999999999999999",
        "team=nope",
        "channel=fax",
        "theme=%00",
        "author_kind=robot",
    ],
)
def test_bad_list_parameters(client: FlaskClient, agent: Saved, query: str) -> None:
    response = client.get(f"/stories/?{query}")
    assert response.status_code == 200


# --- editing an existing story --------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": ""},
        {"title": "\u200b"},
        {"title": "x" * 201},
        {"body": ""},
        {"body": "x" * 1_000_000},
        {"body": "- * + " * 400 + "x"},
        {"team_id": "999999"},
        {"channel": "fax"},
        {"themes": "999999"},
    ],
    ids=[
        "empty-title",
        "zero-width-title",
        "long-title",
        "empty-body",
        "1mb-body",
        "complex-body",
        "unknown-team",
        "unknown-channel",
        "unknown-theme",
    ],
)
def test_failed_edit_keeps_the_saved_story(
    client: FlaskClient, agent: Saved, overrides: dict[str, str]
) -> None:
    response = post_form(
        client,
        f"/stories/{agent.story_id}/edit",
        story_form(**{"title": "Nieuwe titel", "action": "save", **overrides}),
    )
    assert response.status_code == 400
    assert 'class="field-error"' in text_of(response) or 'class="form-errors"' in text_of(response)
    agent.assert_unchanged()
    # The story page still shows what was saved.
    assert EXISTING_TITLE in text_of(client.get(f"/stories/{agent.story_id}"))


# --- sign-in --------------------------------------------------------------------------------

GENERIC_LOGIN_ERROR = "That e-mail and password do not match an account."


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/stories/").status_code == 200


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("agent@example.nl", "wrong password"),
        ("AGENT@EXAMPLE.NL", "wrong password"),
        ("nobody@example.nl", "wrong password"),
        ("nobody@example.nl", "correct horse battery"),
        ("agent@example.nl\x00", "wrong password"),
        ("' OR 1=1 --", "' OR 1=1 --"),
        ("\u200b", "x"),
    ],
)
def test_wrong_password_and_unknown_email_get_the_same_message(
    client: FlaskClient, saved: Saved, email: str, password: str
) -> None:
    token = csrf_token(client)
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 200
    page = text_of(response)
    if email.strip("\u200b"):
        assert GENERIC_LOGIN_ERROR.replace("'", "&#39;") in page
    assert "deactivated" not in page
    assert not _signed_in(client)


def test_wrong_password_and_unknown_email_pages_are_identical(
    client: FlaskClient, saved: Saved
) -> None:
    def attempt(email: str) -> str:
        token = csrf_token(client)
        page = text_of(
            client.post(
                "/auth/login",
                data={"email": email, "password": "wrong password", "csrf_token": token},
            )
        )
        return re.sub(r'(value|content)="[^"]*"', "", page)  # tokens and the typed e-mail

    assert attempt("agent@example.nl") == attempt("nobody@example.nl")


def test_deactivated_user_gets_a_clear_message_and_is_not_signed_in(
    client: FlaskClient, app: Flask, saved: Saved
) -> None:
    create_user(app, Role.AGENT, email="gone@example.nl", active=False)
    token = csrf_token(client)
    response = client.post(
        "/auth/login",
        data={"email": "gone@example.nl", "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 200
    assert "This account has been deactivated" in text_of(response)
    assert not _signed_in(client)


def test_deactivated_user_with_wrong_password_learns_nothing(
    client: FlaskClient, app: Flask, saved: Saved
) -> None:
    create_user(app, Role.AGENT, email="gone@example.nl", active=False)
    token = csrf_token(client)
    response = client.post(
        "/auth/login", data={"email": "gone@example.nl", "password": "nope", "csrf_token": token}
    )
    assert GENERIC_LOGIN_ERROR in text_of(response)
    assert "deactivated" not in text_of(response)


def test_user_deactivated_while_signed_in_is_signed_out(
    client: FlaskClient, app: Flask, auth: Auth, saved: Saved, users: dict[Role, int]
) -> None:
    auth.login_as(Role.AGENT)
    with app.app_context():
        user = db.session.get(User, users[Role.AGENT])
        assert user is not None
        user.active = False
        db.session.commit()
    response = client.get("/stories/")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"


@pytest.mark.parametrize(
    "fields",
    [{"email": "x" * 10_000}, {"password": "x" * 100_000}, {"email": ""}, {"password": ""}],
    ids=["huge-email", "huge-password", "no-email", "no-password"],
)
def test_odd_login_fields_are_a_form_error(
    client: FlaskClient, saved: Saved, fields: dict[str, str]
) -> None:
    data = {"email": "agent@example.nl", "password": "correct horse battery", **fields}
    response = post_form(client, "/auth/login", data)
    assert response.status_code == 200
    assert 'class="field-error"' in text_of(response)
    assert not _signed_in(client)


def test_login_without_csrf_token_is_refused(client: FlaskClient, saved: Saved) -> None:
    response = client.post(
        "/auth/login", data={"email": "agent@example.nl", "password": "correct horse battery"}
    )
    assert response.status_code == 400
    assert not _signed_in(client)


UNSAFE_NEXT = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/stories/",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "///evil.example",
    "https:evil.example",
    "  //evil.example",
    "/\t/evil.example",
    "/\r\nLocation: https://evil.example",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "\x00//evil.example",
]


def _assert_stays_on_site(location: str) -> None:
    parts = urlsplit(location)
    assert parts.scheme in ("", "http") and parts.netloc in ("", "localhost"), location
    assert parts.path.startswith("/") and not parts.path.startswith(("//", "/\\")), location
    assert "evil" not in location


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_next_never_redirects_off_site_after_sign_in(
    client: FlaskClient, saved: Saved, target: str
) -> None:
    path = f"/auth/login?next={quote(target, safe='')}"
    response = post_form(
        client, path, {"email": "agent@example.nl", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    _assert_stays_on_site(response.headers["Location"])


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_next_never_redirects_off_site_when_already_signed_in(
    client: FlaskClient, auth: Auth, saved: Saved, target: str
) -> None:
    auth.login_as(Role.AGENT)
    response = client.get(f"/auth/login?next={quote(target, safe='')}")
    assert response.status_code == 302
    _assert_stays_on_site(response.headers["Location"])


def test_safe_next_is_followed(client: FlaskClient, saved: Saved) -> None:
    response = post_form(
        client,
        "/auth/login?next=%2Fstories%2Fmine",
        {"email": "agent@example.nl", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/stories/mine"


# --- live preview ---------------------------------------------------------------------------


def _preview(client: FlaskClient, body: str | bytes, token: str | None = "fetch") -> Any:
    headers = {"Accept": "application/json"}
    if token == "fetch":
        headers["X-CSRFToken"] = csrf_token(client, "/stories/new")
    elif token is not None:
        headers["X-CSRFToken"] = token
    return client.post("/stories/preview", data={"body": body}, headers=headers)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        pytest.param("x" * 1_000_000, 413, id="1mb"),
        pytest.param("x" * (MAX_MARKDOWN_CHARS + 1), 413, id="one-over"),
        pytest.param("x" * 10_000_000, 413, id="10mb"),
        pytest.param("- * + " * 400 + "x", 422, id="too-complex"),
    ],
)
def test_preview_of_a_huge_or_hostile_body_answers_json(
    client: FlaskClient, agent: Saved, body: str, status: int
) -> None:
    response = _preview(client, body)
    assert response.status_code == status
    assert response.is_json
    error = response.get_json()["error"]
    assert isinstance(error, str) and error
    assert "html" not in response.get_json()


def test_preview_renders_sanitized_html(client: FlaskClient, agent: Saved) -> None:
    response = _preview(client, "**vet** <script>alert(1)</script> [x](javascript:alert(1))")
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<strong>vet</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_preview_without_csrf_token_answers_json_400(client: FlaskClient, agent: Saved) -> None:
    response = _preview(client, "hallo", token=None)
    assert response.status_code == 400
    assert response.is_json and response.get_json()["error"]


def test_preview_with_invalid_utf8_is_not_a_500(client: FlaskClient, agent: Saved) -> None:
    token = csrf_token(client, "/stories/new")
    response = client.post(
        "/stories/preview",
        data=b"body=%FF%FE**vet**",
        content_type="application/x-www-form-urlencoded",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert response.status_code == 200
    assert "<strong>vet</strong>" in response.get_json()["html"]


# --- the customer's receipt and status page: "e-mail me this link", taking it back -------


def _customer_link(client: FlaskClient) -> str:
    from tests.customers.test_customer_stories import share, status_path

    return status_path(share(client))


def _submission_state(app: Flask) -> list[tuple[Any, ...]]:
    from storyboard.models import CustomerSubmission

    with app.app_context():
        return [
            (s.id, s.status, s.story_id, s.original_body, s.contact_email, s.token_hash)
            for s in db.session.scalars(select(CustomerSubmission).order_by(CustomerSubmission.id))
        ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({}, "Fill in the address to send the link to.", id="missing"),
        pytest.param({"email": ""}, "Fill in the address to send the link to.", id="empty"),
        pytest.param({"email": " \u200b "}, "Fill in the address", id="invisible"),
        pytest.param(
            {"email": "a" * 5000}, "Too long: 5,000 characters, at most 254 allowed.", id="5000"
        ),
        pytest.param({"email": "12345"}, "does not look like an e-mail address", id="a-number"),
        pytest.param(
            {"email": "anna@example.nl\r\nBcc: eve@example.nl"},
            "does not look like an e-mail address",
            id="header-injection",
        ),
        pytest.param({"email": "<script>@x.nl"}, "does not look like an e-mail", id="html"),
    ],
)
def test_the_link_mail_form_refuses_bad_input_and_sends_nothing(
    app: Flask,
    client: FlaskClient,
    users: dict[Role, int],
    smtp_server: Any,
    data: dict[str, str],
    message: str,
) -> None:
    path = _customer_link(client)
    before = _submission_state(app)
    response = post_form(client, f"{path}/email", data, token_from=path)
    assert response.status_code == 400
    assert message in text_of(response)
    assert "<script>@" not in text_of(response)
    assert _submission_state(app) == before
    assert smtp_server.messages == []


def test_the_link_mail_form_with_a_forged_csrf_token_sends_nothing(
    app: Flask, client: FlaskClient, users: dict[Role, int], smtp_server: Any
) -> None:
    path = _customer_link(client)
    for token in (None, "forged", csrf_token(app.test_client(), "/share/")):
        data = {"email": "anna@example.nl"} | ({"csrf_token": token} if token else {})
        response = client.post(f"{path}/email", data=data)
        assert response.status_code == 400
        assert "This form has expired" in text_of(response)
    assert smtp_server.messages == []


def test_the_link_mail_form_with_a_list_for_the_address_is_not_a_500(
    app: Flask, client: FlaskClient, users: dict[Role, int], smtp_server: Any
) -> None:
    path = _customer_link(client)
    data = {"email": ["x" * 5000, "also@example.nl"], "csrf_token": csrf_token(client, path)}
    response = client.post(f"{path}/email", data=data)
    assert response.status_code == 400 and "at most 254 allowed" in text_of(response)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="not-ticked"),
        pytest.param({"confirm": ""}, id="empty"),
        pytest.param({"confirm": "false"}, id="false"),
    ],
)
def test_taking_a_story_back_without_the_tick_erases_nothing(
    app: Flask, client: FlaskClient, users: dict[Role, int], data: dict[str, str]
) -> None:
    path = _customer_link(client)
    before = _submission_state(app)
    response = post_form(client, f"{path}/withdraw", data, token_from=path)
    assert response.status_code == 400
    assert "Tick the box to confirm that your story may be erased." in text_of(response)
    assert 'aria-invalid="true"' in text_of(response)
    assert _submission_state(app) == before


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"confirm": "y" * 5000}, id="5000"),
        pytest.param({"confirm": ["y", "n"]}, id="a-list"),
    ],
)
def test_odd_values_of_the_tick_are_not_a_500(
    app: Flask, client: FlaskClient, users: dict[Role, int], data: dict[str, Any]
) -> None:
    path = _customer_link(client)
    response = post_form(client, f"{path}/withdraw", data, token_from=path)
    assert_not_server_error(response)


def test_taking_a_story_back_with_a_forged_csrf_token_erases_nothing(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    path = _customer_link(client)
    before = _submission_state(app)
    for token in (None, "forged", csrf_token(app.test_client(), "/share/")):
        data = {"confirm": "y"} | ({"csrf_token": token} if token else {})
        response = client.post(f"{path}/withdraw", data=data)
        assert response.status_code == 400
    assert _submission_state(app) == before
