"""Colleague and team pages: published stories, kudos received and features; never a
draft, never a ranking; the weekly trend only for managers."""

from __future__ import annotations

from flask import Flask

from storyboard.db import db
from storyboard.models import Role, StoryStatus, Team, User
from tests.conftest import post_form, signed_in
from tests.factories import add_story


def test_a_colleagues_page_shows_published_work_and_recognition(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "The customer who wrote a poem", team="retail")
    add_story(app, "A private draft", status=StoryStatus.DRAFT)
    manager = signed_in(app, Role.MANAGER)
    post_form(manager.client, f"/stories/{story}/kudos", {}, token_from=f"/stories/{story}")
    stakeholder = signed_in(app, Role.STAKEHOLDER)
    page = stakeholder.client.get(f"/people/{users[Role.AGENT]}").get_data(as_text=True)
    assert "Agent Tester" in page and "The customer who wrote a poem" in page
    assert "1 published story" in page and "1 kudo received" in page
    assert "A private draft" not in page
    assert "Stories per week" not in page  # trends are for managers
    assert "Stories per week" in manager.client.get(f"/people/{users[Role.AGENT]}").get_data(
        as_text=True
    )


def test_a_team_page_lists_its_people_and_stories(app: Flask, users: dict[Role, int]) -> None:
    add_story(app, "Retail's own story", team="retail")
    agent = signed_in(app, Role.AGENT)
    page = agent.client.get("/teams/retail").get_data(as_text=True)
    assert "Retail's own story" in page.replace("&#39;", "'")
    assert f'href="/people/{users[Role.AGENT]}"' in page
    assert "worst" not in page.lower() and "rank" not in page.lower()


def test_unknown_and_deactivated_people_and_teams_are_404(
    app: Flask, users: dict[Role, int]
) -> None:
    with app.app_context():
        db.session.get(User, users[Role.STAKEHOLDER]).active = False
        db.session.commit()
    agent = signed_in(app, Role.AGENT)
    for path in (
        "/people/99999",
        f"/people/{users[Role.STAKEHOLDER]}",
        "/teams/nope",
        "/teams/" + "x" * 300,
        "/people/abc",
    ):
        assert agent.client.get(path).status_code == 404
    with app.app_context():
        assert db.session.query(Team).filter_by(slug="retail").one()
