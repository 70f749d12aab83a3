"""Stories through the test client: write, publish, edit, unpublish, delete, list, preview."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from storyboard.db import db
from storyboard.models import (
    AuthorKind,
    Language,
    Role,
    SeededChannel,
    Story,
    StoryStatus,
    Team,
    Theme,
)
from tests.conftest import create_user, csrf_token, post_form
from tests.factories import add_story

pytestmark = pytest.mark.usefixtures("users")


def story_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "title": "A present for today",
        "body": "The customer asked **where** his order was.",
        "channel": "phone",
        "language": "en",
        "team_id": "",
        "action": "publish",
    }
    form.update(changes)
    return form


def load_story(app: Flask, story_id: int) -> Story | None:
    with app.app_context():
        story = db.session.get(Story, story_id)
        if story is not None:
            db.session.expunge(story)
        return story


def story_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Story.id))) or 0


def story_id_from(response: Any) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    match = re.fullmatch(r"/stories/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def field_error(html: str, field_id: str) -> str:
    """The error text shown right under a field (the macro links it by id)."""
    match = re.search(rf'<p class="field-error" id="{field_id}-error">([^<]*)</p>', html)
    assert match, f"no error shown next to {field_id}"
    return match.group(1)


def titles_on(client: FlaskClient, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return set(
        re.findall(
            r'<h2><a href="/stories/\d+"[^>]*>([^<]*)</a></h2>', response.get_data(as_text=True)
        )
    )


# --- writing -------------------------------------------------------------------------


def test_agent_saves_a_draft_that_only_they_and_managers_see(app, client, auth):
    auth.login_as(Role.AGENT)
    story_id = story_id_from(post_form(client, "/stories/new", story_form(action="draft")))

    story = load_story(app, story_id)
    assert story.status is StoryStatus.DRAFT
    assert story.published_at is None
    assert story.author_kind is AuthorKind.AGENT
    assert "A present for today" not in titles_on(client, "/stories/")
    assert "A present for today" in titles_on(client, "/stories/mine")


def test_publishing_a_new_story_puts_it_in_the_list(app, client, auth):
    auth.login_as(Role.AGENT)
    story_id = story_id_from(post_form(client, "/stories/new", story_form()))

    story = load_story(app, story_id)
    assert story.status is StoryStatus.PUBLISHED
    assert story.published_at is not None
    auth.logout()
    auth.login_as(Role.STAKEHOLDER)
    assert "A present for today" in titles_on(client, "/stories/")
    page = client.get(f"/stories/{story_id}").get_data(as_text=True)
    assert "<strong>where</strong>" in page


def test_a_cards_language_tag_names_the_language_for_screen_readers(app, client, auth):
    """The tag shows "EN"; a screen reader reading a Dutch page would say "en" (and),
    so it reads the language's name instead."""
    add_story(app, "A present for today", language=Language.EN)
    add_story(app, "Een cadeau voor vandaag", language=Language.NL)
    auth.login_as(Role.STAKEHOLDER)
    page = client.get("/stories/").get_data(as_text=True)
    assert '<span aria-hidden="true">EN</span><span class="visually-hidden">English</span>' in page
    assert '<span aria-hidden="true">NL</span><span class="visually-hidden">Dutch</span>' in page
    client.post("/language", data={"locale": "nl", "csrf_token": csrf_token(client, "/stories/")})
    dutch = client.get("/stories/").get_data(as_text=True)
    assert '<span class="visually-hidden">Engels</span>' in dutch


def test_rendered_html_is_stored_on_save_and_sanitized(app, client, auth):
    auth.login_as(Role.AGENT)
    body = "# Birthday\n\nShe *smiled*. <script>alert(1)</script> [x](javascript:alert(1))"
    story_id = story_id_from(post_form(client, "/stories/new", story_form(body=body)))

    story = load_story(app, story_id)
    assert story.body == body
    assert "<h1>Birthday</h1>" in story.body_html
    assert "<em>smiled</em>" in story.body_html
    assert "<script" not in story.body_html
    assert "javascript:" not in story.body_html


def test_story_page_shows_the_stored_html_without_rendering_again(app, client, auth):
    story_id = add_story(app, "Stored")
    with app.app_context():
        db.session.get(Story, story_id).body_html = "<p>stored <em>rendering</em></p>"
        db.session.commit()
    auth.login_as(Role.STAKEHOLDER)
    assert "<p>stored <em>rendering</em></p>" in client.get(f"/stories/{story_id}").get_data(
        as_text=True
    )


def test_story_keeps_its_channel_language_team_and_themes(app, client, auth):
    with app.app_context():
        retail = db.session.scalar(select(Team).where(Team.slug == "retail")).id
        themes = dict(db.session.execute(select(Theme.slug, Theme.id)).all())
    auth.login_as(Role.AGENT)
    story_id = story_id_from(
        post_form(
            client,
            "/stories/new",
            story_form(
                channel="chat",
                language="nl",
                team_id=str(retail),
                themes=[str(themes["stand-up"]), str(themes["tools"])],
            ),
        )
    )

    with app.app_context():
        story = db.session.get(Story, story_id)
        assert story.channel == SeededChannel.CHAT
        assert story.language is Language.NL
        assert story.team.slug == "retail"
        assert sorted(t.slug for t in story.themes) == ["stand-up", "tools"]


def test_double_submitted_form_makes_one_story(app, client, auth):
    auth.login_as(Role.AGENT)
    form = story_form(submission_key="0123456789abcdef0123456789abcdef")
    first = story_id_from(post_form(client, "/stories/new", form))
    second = story_id_from(post_form(client, "/stories/new", form))
    assert first == second
    assert story_count(app) == 1


# --- editing, publishing, unpublishing, deleting ----------------------------------------


def test_author_edits_their_story_and_the_html_follows(app, client, auth):
    story_id = add_story(app, "Old title")
    auth.login_as(Role.AGENT)
    edit_page = client.get(f"/stories/{story_id}/edit").get_data(as_text=True)
    assert 'value="Old title"' in edit_page

    response = post_form(
        client,
        f"/stories/{story_id}/edit",
        story_form(title="New title", body="Now _better_.", action="save"),
    )
    assert story_id_from(response) == story_id
    story = load_story(app, story_id)
    assert story.title == "New title"
    assert story.body_html == "<p>Now <em>better</em>.</p>"
    assert story.status is StoryStatus.PUBLISHED  # editing keeps it published


def test_publishing_a_draft_from_the_editor(app, client, auth):
    story_id = add_story(app, "Draft", status=StoryStatus.DRAFT)
    auth.login_as(Role.AGENT)
    post_form(client, f"/stories/{story_id}/edit", story_form(action="publish"))
    story = load_story(app, story_id)
    assert story.status is StoryStatus.PUBLISHED
    assert story.published_at is not None


def test_manager_edits_any_story(app, client, auth):
    story_id = add_story(app, "Agent's story")
    auth.login_as(Role.MANAGER)
    post_form(client, f"/stories/{story_id}/edit", story_form(title="Tidied by a manager"))
    story = load_story(app, story_id)
    assert story.title == "Tidied by a manager"
    assert story.author_id is not None  # the author stays the agent


def test_another_agent_cannot_edit_a_story(app, client, auth):
    story_id = add_story(app, "Mine")
    create_user(app, Role.AGENT, email="colleague@example.nl")
    auth.login("colleague@example.nl")
    assert client.get(f"/stories/{story_id}/edit").status_code == 403
    response = post_form(
        client, f"/stories/{story_id}/edit", story_form(title="Hijacked"), token_from="/stories/"
    )
    assert response.status_code == 403
    assert load_story(app, story_id).title == "Mine"


def test_manager_unpublishes_a_story_and_readers_lose_it(app, client, auth):
    story_id = add_story(app, "Too early")
    auth.login_as(Role.MANAGER)
    response = post_form(
        client, f"/stories/{story_id}/unpublish", {}, token_from=f"/stories/{story_id}"
    )
    assert response.status_code == 302
    assert load_story(app, story_id).status is StoryStatus.DRAFT
    auth.logout()

    auth.login_as(Role.STAKEHOLDER)
    assert "Too early" not in titles_on(client, "/stories/")
    assert client.get(f"/stories/{story_id}").status_code == 404


def test_agent_deletes_own_draft(app, client, auth):
    story_id = add_story(app, "Scrap this", status=StoryStatus.DRAFT)
    auth.login_as(Role.AGENT)
    response = post_form(
        client, f"/stories/{story_id}/delete", {}, token_from=f"/stories/{story_id}"
    )
    assert response.status_code == 302
    assert load_story(app, story_id) is None


def test_agent_cannot_delete_own_published_story(app, client, auth):
    story_id = add_story(app, "Published")
    auth.login_as(Role.AGENT)
    page = client.get(f"/stories/{story_id}").get_data(as_text=True)
    assert f"/stories/{story_id}/delete" not in page  # no button either
    response = post_form(
        client, f"/stories/{story_id}/delete", {}, token_from=f"/stories/{story_id}"
    )
    assert response.status_code == 403
    assert load_story(app, story_id) is not None


def test_manager_deletes_any_story(app, client, auth):
    story_id = add_story(app, "Published")
    auth.login_as(Role.MANAGER)
    response = post_form(
        client, f"/stories/{story_id}/delete", {}, token_from=f"/stories/{story_id}"
    )
    assert response.status_code == 302
    assert load_story(app, story_id) is None


def test_another_agent_cannot_delete_a_draft_nor_learn_it_exists(app, client, auth):
    story_id = add_story(app, "Secret draft", status=StoryStatus.DRAFT)
    create_user(app, Role.AGENT, email="colleague@example.nl")
    auth.login("colleague@example.nl")
    response = post_form(client, f"/stories/{story_id}/delete", {}, token_from="/stories/")
    # The same calm answer as for a story that was deleted already (or never was).
    missing = post_form(client, "/stories/2147483647/delete", {}, token_from="/stories/")
    assert response.status_code == missing.status_code == 303
    assert response.headers["Location"] == missing.headers["Location"] == "/stories/"
    assert load_story(app, story_id) is not None


# --- visibility --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STAKEHOLDER, Role.ADMIN])
def test_drafts_are_invisible_to_readers_by_url(app, client, auth, role):
    story_id = add_story(app, "Draft", status=StoryStatus.DRAFT)
    auth.login_as(role)
    assert client.get(f"/stories/{story_id}").status_code == 404


def test_drafts_are_invisible_to_other_agents_in_lists_and_by_url(app, client, auth):
    story_id = add_story(app, "Half-written", status=StoryStatus.DRAFT)
    create_user(app, Role.AGENT, email="colleague@example.nl")
    auth.login("colleague@example.nl")
    assert "Half-written" not in titles_on(client, "/stories/")
    assert "Half-written" not in titles_on(client, "/stories/mine")
    assert client.get(f"/stories/{story_id}").status_code == 404


def test_manager_can_open_a_draft_but_the_list_shows_published_only(app, client, auth):
    story_id = add_story(app, "Half-written", status=StoryStatus.DRAFT)
    auth.login_as(Role.MANAGER)
    assert client.get(f"/stories/{story_id}").status_code == 200
    assert "Half-written" not in titles_on(client, "/stories/")


def test_pending_customer_story_is_hidden_until_published(app, client, auth):
    story_id = add_story(
        app, "From a customer", status=StoryStatus.PENDING, author_kind=AuthorKind.CUSTOMER
    )
    auth.login_as(Role.AGENT)
    assert "From a customer" not in titles_on(client, "/stories/")
    assert client.get(f"/stories/{story_id}").status_code == 404


def test_missing_story_answers_404(client, auth):
    auth.login_as(Role.AGENT)
    assert client.get("/stories/999999").status_code == 404
    assert client.get("/stories/99999999999").status_code == 404  # beyond the id range


# --- the list: pagination and filters -----------------------------------------------------


def test_list_is_paginated_by_stories_per_page(app, client, auth):
    app.config["STORIES_PER_PAGE"] = 3
    for number in range(1, 8):  # story 7 is the newest and comes first
        add_story(app, f"Story {number}")
    auth.login_as(Role.STAKEHOLDER)

    assert titles_on(client, "/stories/") == {"Story 7", "Story 6", "Story 5"}
    assert titles_on(client, "/stories/?page=2") == {"Story 4", "Story 3", "Story 2"}
    assert titles_on(client, "/stories/?page=3") == {"Story 1"}
    first = client.get("/stories/").get_data(as_text=True)
    assert "Page 1 of 3" in first
    assert 'rel="next" href="/stories/?page=2"' in first


ODD_PAGES = {
    "abc": {"Story 3", "Story 2"},
    "-1": {"Story 3", "Story 2"},
    "0": {"Story 3", "Story 2"},
    "999999": {"Story 1"},  # clamped to the last page
    "99999999999999999999999": {"Story 1"},
}


def test_odd_page_numbers_answer_200_with_a_real_page(app, client, auth):
    app.config["STORIES_PER_PAGE"] = 2
    for number in range(1, 4):
        add_story(app, f"Story {number}")
    auth.login_as(Role.AGENT)
    shown = {raw: titles_on(client, f"/stories/?page={raw}") for raw in ODD_PAGES}
    assert shown == ODD_PAGES


def test_pagination_keeps_the_filters(app, client, auth):
    app.config["STORIES_PER_PAGE"] = 1
    add_story(app, "Chat 1", channel=SeededChannel.CHAT)
    add_story(app, "Chat 2", channel=SeededChannel.CHAT)
    auth.login_as(Role.AGENT)
    page = client.get("/stories/?channel=chat").get_data(as_text=True)
    next_link = re.search(r'rel="next" href="/stories/\?([^"]*)"', page)
    assert next_link
    assert sorted(next_link.group(1).split("&amp;")) == ["channel=chat", "page=2"]


FILTERED = {
    "": {"Retail phone", "Webshop chat", "Customer e-mail"},
    "team=retail": {"Retail phone"},
    "team=webshop": {"Webshop chat"},
    "channel=chat": {"Webshop chat"},
    "channel=email": {"Customer e-mail"},
    "theme=stand-up": {"Retail phone"},
    "theme=tools": {"Webshop chat"},
    "author_kind=customer": {"Customer e-mail"},
    "author_kind=agent": {"Retail phone", "Webshop chat"},
    "team=retail&channel=chat": set(),
    "channel=fax": set(),
    "team=no-such-team": set(),
    "theme=%00%ff": set(),
    "author_kind=robot": set(),
}


def test_list_filters_by_team_channel_theme_and_author_kind(app, client, auth):
    create_user(app, Role.AGENT, email="webshop@example.nl", team="Webshop")
    add_story(app, "Retail phone", team="retail", channel=SeededChannel.PHONE, themes=("stand-up",))
    add_story(
        app,
        "Webshop chat",
        author="webshop@example.nl",
        team="webshop",
        channel=SeededChannel.CHAT,
        themes=("tools",),
    )
    add_story(app, "Customer e-mail", channel=SeededChannel.EMAIL, author_kind=AuthorKind.CUSTOMER)
    auth.login_as(Role.STAKEHOLDER)
    shown = {query: titles_on(client, f"/stories/?{query}") for query in FILTERED}
    assert shown == FILTERED


def test_my_stories_lists_only_my_own(app, client, auth):
    add_story(app, "Mine")
    create_user(app, Role.AGENT, email="colleague@example.nl")
    add_story(app, "Theirs", author="colleague@example.nl")
    auth.login_as(Role.AGENT)
    assert titles_on(client, "/stories/mine") == {"Mine"}


# --- validation, bad input, CSRF -------------------------------------------------------


def test_empty_title_is_shown_next_to_the_field_and_the_typed_text_is_kept(app, client, auth):
    auth.login_as(Role.AGENT)
    response = post_form(
        client, "/stories/new", story_form(title="   ", body="Kept <b>body</b> & more")
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(html, "title") == "Give your story a title."
    assert "Kept &lt;b&gt;body&lt;/b&gt; &amp; more</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert story_count(app) == 0


def test_empty_body_is_refused_and_the_title_kept(app, client, auth):
    auth.login_as(Role.AGENT)
    response = post_form(client, "/stories/new", story_form(title="Kept title", body=""))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(html, "body") == "Tell the story: the body is empty."
    assert 'value="Kept title"' in html
    assert story_count(app) == 0


def test_too_long_title_says_how_long_it_is(app, client, auth):
    auth.login_as(Role.AGENT)
    response = post_form(client, "/stories/new", story_form(title="x" * 201))
    assert response.status_code == 400
    assert "201" in field_error(response.get_data(as_text=True), "title")
    assert story_count(app) == 0


def test_a_one_megabyte_body_is_refused_with_a_message(app, client, auth):
    auth.login_as(Role.AGENT)
    response = post_form(client, "/stories/new", story_form(body="word " * 200_000))
    assert response.status_code == 400
    assert "Too long: 999,999 characters" in field_error(response.get_data(as_text=True), "body")
    assert story_count(app) == 0


def test_a_post_over_the_size_cap_gets_a_friendly_413(app, client, auth):
    auth.login_as(Role.AGENT)
    response = post_form(client, "/stories/new", story_form(body="x" * 3_000_000))
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)
    assert story_count(app) == 0


def test_non_utf8_bytes_in_a_form_get_no_server_error(app, client, auth):
    auth.login_as(Role.AGENT)
    token = csrf_token(client, "/stories/new")
    raw = (
        b"title=Caf%E9+%FF%FE&body=Body+%C3%28&channel=phone&language=en&team_id="
        b"&action=publish&csrf_token=" + token.encode()
    )
    response = client.post(
        "/stories/new", data=raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (302, 400)


@pytest.mark.parametrize(
    "changes",
    [
        {"channel": "fax"},
        {"language": "de"},
        {"team_id": "999999"},
        {"team_id": "abc"},
        {"themes": ["999999"]},
        {"themes": ["abc"]},
    ],
)
def test_tampered_choices_are_refused_without_saving(app, client, auth, changes):
    auth.login_as(Role.AGENT)
    response = post_form(client, "/stories/new", story_form(**changes))
    assert response.status_code == 400
    assert story_count(app) == 0


def test_a_failed_edit_keeps_the_saved_story_unchanged(app, client, auth):
    story_id = add_story(app, "Safe")
    auth.login_as(Role.AGENT)
    response = post_form(client, f"/stories/{story_id}/edit", story_form(title=""))
    assert response.status_code == 400
    assert load_story(app, story_id).title == "Safe"


def test_form_without_csrf_token_is_refused_and_nothing_saved(app, client, auth):
    auth.login_as(Role.AGENT)
    response = client.post("/stories/new", data=story_form())
    assert response.status_code == 400
    assert story_count(app) == 0


def test_form_with_a_foreign_csrf_token_is_refused(app, client, auth):
    other = app.test_client()
    foreign_token = csrf_token(other)
    auth.login_as(Role.AGENT)
    response = client.post("/stories/new", data={**story_form(), "csrf_token": foreign_token})
    assert response.status_code == 400
    assert story_count(app) == 0


def test_delete_without_csrf_token_keeps_the_story(app, client, auth):
    story_id = add_story(app, "Keep me")
    auth.login_as(Role.MANAGER)
    assert client.post(f"/stories/{story_id}/delete").status_code == 400
    assert load_story(app, story_id) is not None


# --- live preview -------------------------------------------------------------------------


def test_preview_returns_sanitized_html_as_json(client, auth):
    auth.login_as(Role.AGENT)
    token = csrf_token(client, "/stories/new")
    response = client.post(
        "/stories/preview",
        data={"body": "**bold** <img src=x onerror=alert(1)> <script>alert(2)</script>"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert response.is_json
    html = response.get_json()["html"]
    assert "<strong>bold</strong>" in html
    assert "onerror" not in html
    assert "<script" not in html


def test_preview_refuses_a_request_without_csrf_token(client, auth):
    auth.login_as(Role.AGENT)
    response = client.post(
        "/stories/preview", data={"body": "**bold**"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert "strong" not in response.get_data(as_text=True)


def test_preview_of_a_too_long_body_gives_a_json_error(client, auth):
    auth.login_as(Role.AGENT)
    token = csrf_token(client, "/stories/new")
    response = client.post(
        "/stories/preview", data={"body": "x" * 100_001}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 413
    assert "too long" in response.get_json()["error"]
