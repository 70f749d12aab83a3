"""Kudos: one per colleague even when two clicks race, counts equal the database, taking
back works, the author is notified, and the count reaches search, digest and dashboard."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import func, select

from storyboard.db import db, utcnow
from storyboard.models import Kudo, Notification, Role, Story, StoryStatus
from storyboard.search import service as search
from storyboard.search.backend import SearchRequest
from tests.conftest import create_user, csrf_token, post_form, signed_in
from tests.factories import add_story


def counts(app: Flask, story_id: int) -> tuple[int, int]:
    """The story's kudos_count and the number of kudo rows."""
    with app.app_context():
        story = db.session.get(Story, story_id)
        rows = db.session.scalar(select(func.count(Kudo.id)).where(Kudo.story_id == story_id))
        return story.kudos_count, rows or 0


def test_kudos_are_given_once_taken_back_and_the_author_is_told(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "The ferry rebooked at midnight")  # by agent@example.nl
    manager = signed_in(app, Role.MANAGER)
    path = f"/stories/{story}"
    assert post_form(manager.client, f"{path}/kudos", {}, token_from=path).status_code == 302
    post_form(manager.client, f"{path}/kudos", {}, token_from=path)  # again: still one
    assert counts(app, story) == (1, 1)
    page = manager.client.get(path).get_data(as_text=True)
    assert "1 kudo" in page and "from Manager Tester" in page and "Take my kudos back" in page

    author = signed_in(app, Role.AGENT)
    nav = author.client.get("/stories/").get_data(as_text=True)
    assert 'data-testid="unread-count">1<' in nav
    notes = author.client.get("/notifications").get_data(as_text=True)
    assert "Manager Tester gave kudos to your story" in notes
    assert 'data-testid="unread-count"' not in author.client.get("/stories/").get_data(as_text=True)
    assert "Give kudos" not in author.client.get(path).get_data(as_text=True)  # own story

    post_form(manager.client, f"{path}/kudos/remove", {}, token_from=path)
    assert counts(app, story) == (0, 0)
    post_form(manager.client, f"{path}/kudos/remove", {}, token_from=path)  # nothing left
    assert counts(app, story) == (0, 0)


def test_no_kudos_for_your_own_or_an_unpublished_story(app: Flask, users: dict[Role, int]) -> None:
    own = add_story(app, "Mine")
    draft = add_story(app, "A draft", status=StoryStatus.DRAFT)
    author = signed_in(app, Role.AGENT)
    response = post_form(author.client, f"/stories/{own}/kudos", {}, token_from=f"/stories/{own}")
    page = author.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "not your own" in page and counts(app, own) == (0, 0)
    response = post_form(author.client, f"/stories/{draft}/kudos", {}, token_from=f"/stories/{own}")
    assert counts(app, draft) == (0, 0)
    manager = signed_in(app, Role.MANAGER)
    post_form(manager.client, f"/stories/{draft}/kudos", {}, token_from=f"/stories/{own}")
    assert counts(app, draft) == (0, 0)
    stakeholder = signed_in(app, Role.STAKEHOLDER)
    assert (
        post_form(
            stakeholder.client, f"/stories/{draft}/kudos", {}, token_from=f"/stories/{own}"
        ).status_code
        == 404
    )
    assert stakeholder.client.post(f"/stories/{own}/kudos").status_code == 400  # no CSRF


def test_two_clicks_at_once_give_one_kudo_and_two_colleagues_two(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "Raced")
    create_user(app, Role.STAKEHOLDER, email="second@example.nl")
    clients = [
        signed_in(app, Role.MANAGER).client,
        signed_in(app, Role.MANAGER).client,
        signed_in(app, Role.STAKEHOLDER).client,
        signed_in(app, Role.STAKEHOLDER, "second@example.nl").client,
    ]
    tokens = [csrf_token(client, f"/stories/{story}") for client in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def click(index: int) -> None:
        barrier.wait()
        response = clients[index].post(
            f"/stories/{story}/kudos", data={"csrf_token": tokens[index]}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=click, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 4
    assert counts(app, story) == (3, 3)
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id))) == 3


def test_the_count_reaches_search_and_the_digest(app: Flask, users: dict[Role, int]) -> None:
    from storyboard.digest.builder import build_digest
    from storyboard.weeks import IsoWeek, app_timezone

    plain = add_story(app, "Quietly brilliant wombat")
    loved = add_story(app, "Loudly loved wombat")
    with app.app_context():  # make "plain" the newer one
        db.session.get(Story, plain).published_at = utcnow()
        db.session.commit()
    manager = signed_in(app, Role.MANAGER)
    post_form(manager.client, f"/stories/{loved}/kudos", {}, token_from=f"/stories/{loved}")
    with app.app_context():
        hits = {
            hit.story_id: hit.kudos
            for hit in search.search_stories(SearchRequest(text="wombat")).hits
        }
        assert hits == {plain: 0, loved: 1}
        week = IsoWeek.at(utcnow(), app_timezone())
        assert [s.id for s in build_digest(week).appreciated][:2] == [loved, plain]
    stakeholder = signed_in(app, Role.STAKEHOLDER)
    dashboard = stakeholder.client.get("/dashboard/").get_data(as_text=True)
    assert "Most appreciated this week" in dashboard and "Loudly loved wombat" in dashboard


def test_the_author_hears_when_their_story_is_featured(app: Flask, users: dict[Role, int]) -> None:
    from tests.web.test_access import FEATURE_FORM

    story = add_story(app, "Featured soon")
    manager = signed_in(app, Role.MANAGER)
    post_form(
        manager.client, f"/stories/{story}/feature", FEATURE_FORM, token_from=f"/stories/{story}"
    )
    author = signed_in(app, Role.AGENT)
    assert "Manager Tester featured your story" in author.client.get("/notifications").get_data(
        as_text=True
    )
