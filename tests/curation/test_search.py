"""Featuring reaches the search index: the document of a featured story says so, through
the real outbox, drain and Whoosh index (nothing mocked)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from storyboard.curation import service as curation
from storyboard.db import db
from storyboard.models import FeatureKind, IndexOutbox, Role, Story, User
from storyboard.search import service as search
from storyboard.search.backend import SearchRequest
from tests.conftest import Auth, csrf_token
from tests.factories import add_story


def featured_flags(app: Flask, text: str) -> dict[int, bool]:
    with app.app_context():
        results = search.search_stories(SearchRequest(text=text, per_page=50))
        return {hit.story_id: hit.featured for hit in results.hits}


def test_featuring_and_withdrawing_reindex_the_story(app: Flask, users: dict[Role, int]) -> None:
    featured_id = add_story(app, "Birthday present", team="Retail")
    other_id = add_story(app, "Birthday cake", team="Retail")
    assert featured_flags(app, "birthday") == {featured_id: False, other_id: False}

    with app.app_context():
        manager = db.session.get(User, users[Role.MANAGER])
        story = db.session.get(Story, featured_id)
        assert manager is not None and story is not None
        feature = curation.feature_story(
            story, None, curation.current_week(), "One father", FeatureKind.PRAISE, manager
        )
        db.session.commit()
        assert db.session.scalars(select(IndexOutbox)).all() == []  # drained after commit
    assert featured_flags(app, "birthday") == {featured_id: True, other_id: False}

    with app.app_context():
        feature = db.session.merge(feature)
        curation.withdraw_feature(feature, db.session.get(User, users[Role.MANAGER]))
        db.session.commit()
    assert featured_flags(app, "birthday") == {featured_id: False, other_id: False}


def test_a_rebuilt_index_knows_which_stories_are_featured(
    app: Flask, users: dict[Role, int]
) -> None:
    story_id = add_story(app, "Delivered today", team="Retail")
    with app.app_context():
        manager = db.session.get(User, users[Role.MANAGER])
        story = db.session.get(Story, story_id)
        assert manager is not None and story is not None
        curation.feature_story(
            story, None, curation.current_week(), "Why", FeatureKind.LESSON, manager
        )
        db.session.commit()
        search.rebuild_index(search.backend())
    assert featured_flags(app, "delivered") == {story_id: True}


def test_the_search_page_marks_a_story_featured_from_its_page(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    story_id = add_story(app, "Birthday present", team="Retail")
    auth.login_as(Role.MANAGER)
    before = client.get("/search?q=birthday").get_data(as_text=True)
    assert "Birthday present" in before and "badge-featured" not in before
    token = csrf_token(client, f"/stories/{story_id}")
    response = client.post(
        f"/stories/{story_id}/feature",
        data={
            "csrf_token": token,
            "team_id": "",
            "kind": "praise",
            "note": "One father",
            "week": _week(app),
        },
    )
    assert response.status_code == 302
    after = client.get("/search?q=birthday").get_data(as_text=True)
    assert "badge-featured" in after


def _week(app: Flask) -> str:
    with app.app_context():
        return str(curation.current_week())
