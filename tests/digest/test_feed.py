"""The personal Atom feed of weekly digests, read by a real feed parser; the profile page
that makes, shows once, replaces and revokes its address."""

from __future__ import annotations

import re

import feedparser
import pytest
from flask import Flask

from storyboard.db import db
from storyboard.models import Role, User
from storyboard.weeks import last_complete_week
from tests.conftest import Auth, post_form


def make_feed(auth: Auth) -> str:
    """Make a feed address on the profile page; returns its path."""
    page = post_form(auth.client, "/profile/feed", {}, token_from="/profile/")
    assert page.status_code == 200
    match = re.search(
        r'value="https://stories\.example\.nl(/digest/feed/[^"]+\.atom)"',
        page.get_data(as_text=True),
    )
    assert match, page.get_data(as_text=True)[:2000]
    return match.group(1)


@pytest.fixture
def reader(app: Flask, auth: Auth, users: dict[Role, int]) -> Auth:
    app.config["BASE_URL"] = "https://stories.example.nl"
    auth.login_as(Role.STAKEHOLDER)
    return auth


def test_the_feed_is_valid_atom_with_the_weeks_entries(app: Flask, reader: Auth) -> None:
    from tests.digest.conftest import at
    from tests.factories import add_answers, add_story

    last = last_complete_week()
    add_answers(app, [(at(last, 2), 10, "Retail", None, "Wonderful")])
    story = add_story(app, "The week's own story", team="Retail", published_at=at(last, 3))
    path = make_feed(reader)
    response = app.test_client().get(path)  # a feed reader: no session
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert len(feed.entries) == 8
    newest = feed.entries[0]
    assert newest.title == f"Week {last.week} ({last})"
    assert newest.link == f"https://stories.example.nl/digest/{last}"
    assert newest.id.endswith(f"digest/{last}")
    assert "NPS +100 (n = 1)" in newest.summary
    assert f"https://stories.example.nl/stories/{story}" in newest.content[0].value
    assert len({entry.id for entry in feed.entries}) == 8


def test_the_address_is_shown_once_and_a_new_one_replaces_it(app: Flask, reader: Auth) -> None:
    first = make_feed(reader)
    page = reader.client.get("/profile/").get_data(as_text=True)
    assert first not in page and "You have a feed address" in page
    second = make_feed(reader)
    client = app.test_client()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_a_revoked_wrong_or_odd_token_gets_404(
    app: Flask, reader: Auth, users: dict[Role, int]
) -> None:
    path = make_feed(reader)
    client = app.test_client()
    for bad in (
        "/digest/feed/nope.atom",
        "/digest/feed/" + "a" * 300 + ".atom",
        "/digest/feed/%00%27.atom",
        path.replace(".atom", "x.atom"),
    ):
        assert client.get(bad).status_code == 404
    post_form(reader.client, "/profile/feed/revoke", {}, token_from="/profile/")
    assert client.get(path).status_code == 404


def test_a_deactivated_users_feed_stops(app: Flask, reader: Auth, users: dict[Role, int]) -> None:
    path = make_feed(reader)
    with app.app_context():
        db.session.get(User, users[Role.STAKEHOLDER]).active = False
        db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_the_profile_switches_the_digest_e_mail(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.STAKEHOLDER)
    with app.app_context():
        assert not db.session.get(User, users[Role.STAKEHOLDER]).gets_digest
    post_form(auth.client, "/profile/digest", {"subscribed": "y"}, token_from="/profile/")
    with app.app_context():
        assert db.session.get(User, users[Role.STAKEHOLDER]).gets_digest
    post_form(auth.client, "/profile/digest", {}, token_from="/profile/")
    with app.app_context():
        assert not db.session.get(User, users[Role.STAKEHOLDER]).gets_digest
    assert auth.client.post("/profile/digest", data={"subscribed": "y"}).status_code == 400


def test_agents_have_a_profile_but_no_digest_settings(auth: Auth, users: dict[Role, int]) -> None:
    auth.login_as(Role.AGENT)
    page = auth.client.get("/profile/")
    assert page.status_code == 200 and "Weekly digest" not in page.get_data(as_text=True)
    assert post_form(auth.client, "/profile/feed", {}, token_from="/profile/").status_code == 403
