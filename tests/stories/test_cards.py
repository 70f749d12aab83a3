"""The story list's cards are rendered once per version of a story and kept
(storyboard.stories.cards): every change a reader can see on a card shows on the next
list, in this process and in any other one."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import Role, Story, Team, Theme
from tests.conftest import Auth, make_app, post_form
from tests.factories import add_story, theme_slugs
from tests.query_count import count_queries


def story_list(client: FlaskClient) -> str:
    response = client.get("/stories/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_kept_card_is_not_loaded_or_rendered_again(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    for n in range(3):
        add_story(app, f"Story number {n}")
    auth.login_as(Role.STAKEHOLDER)
    first = story_list(client)
    with count_queries(app) as again:
        second = story_list(client)
    assert first.count('class="story-card"') == 3
    assert second.count('class="story-card"') == 3
    assert not any("FROM users" in str(q) and "stories" in str(q) for q in again.statements)
    assert not any("story_themes" in str(q) for q in again.statements), str(again)


def test_an_edit_of_the_themes_alone_shows_at_once(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    story_id = add_story(app, "Kept card")
    auth.login_as(Role.AGENT)
    assert 'class="theme"' not in story_list(client)
    with app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.slug == theme_slugs(app)[0]))
        assert theme is not None
        theme_id, theme_name = theme.id, theme.name_en
    form = {
        "title": "Kept card",
        "body": "Kept card",
        "channel": "phone",
        "language": "en",
        "team_id": "",
        "themes": [str(theme_id)],
        "action": "save",
    }
    response = post_form(client, f"/stories/{story_id}/edit", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert f'<span class="theme">{theme_name}</span>' in story_list(client)


def test_a_change_made_by_another_process_shows_on_the_next_list(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    """Another worker's edit gives the story a new updated_at, so no kept card is found
    for it: no waiting for the cache to expire."""
    story_id = add_story(app, "Before the edit", body="The body stays.")
    auth.login_as(Role.STAKEHOLDER)
    assert "Before the edit" in story_list(client)
    other = make_app(Path(app.instance_path), **_same_database(app))
    with other.app_context():
        story = db.session.get(Story, story_id)
        assert story is not None
        story.title = "After the edit"
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # its connections closed now, not by a later test's collector
    page = story_list(client)
    assert "After the edit" in page and "Before the edit" not in page


def _same_database(app: Flask) -> dict[str, str]:
    return {"DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"])}


def test_a_renamed_team_shows_on_the_cards_at_once(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    add_story(app, "Team story", team="Retail")
    auth.login_as(Role.STAKEHOLDER)
    assert '<li class="tag tag-team">Retail</li>' in story_list(client)
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "Retail"))
        assert team is not None
        team.name = "Winkels"
        db.session.commit()
    assert '<li class="tag tag-team">Winkels</li>' in story_list(client)


def test_cards_are_kept_per_language(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    add_story(app, "Two languages")
    auth.login_as(Role.STAKEHOLDER)
    assert '<li class="tag tag-channel">Phone</li>' in story_list(client)
    post_form(client, "/language", {"locale": "nl", "next": "/stories/"}, "/stories/")
    assert '<li class="tag tag-channel">Telefoon</li>' in story_list(client)


def test_cards_escape_what_people_typed(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    """The cards are written in Python (stories.card_html): every typed value is
    escaped, in the story list and in search results."""
    hostile = '<script>alert(1)</script> "quoted" & <b>bold</b>'
    add_story(app, hostile, body="klant", team='Team <i onmouseover="x">', index=True)
    auth.login_as(Role.STAKEHOLDER)
    for page in (story_list(client), client.get("/search?q=klant").get_data(as_text=True)):
        assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;quoted&#34; &amp; " in page
        assert '<i onmouseover="x">' not in page
        assert "Team &lt;i onmouseover=&#34;x&#34;&gt;" in page
