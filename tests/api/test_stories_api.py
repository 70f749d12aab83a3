"""GET/POST /stories and GET /stories/{id}: the search page's results as JSON, cursors,
visibility, and stories written as the token's user."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from storyboard.db import db
from storyboard.models import AuthorKind, Role, SeededChannel, Story, StoryStatus
from storyboard.search.service import drain_pending
from tests.api.conftest import Api
from tests.api.test_auth_and_errors import STORY, assert_problem
from tests.factories import add_story


def story_total(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Story.id))) or 0


def test_search_answers_like_the_search_page(api: Api) -> None:
    add_story(
        api.app,
        "A birthday present",
        body="She stood up for a birthday present.",
        team="retail",
        index=True,
    )
    add_story(
        api.app,
        "Late delivery",
        body="The delivery was late, by chat.",
        channel=SeededChannel.CHAT,
        team="retail",
        index=True,
    )
    body = api.call("GET", "/stories?q=birthday", Role.STAKEHOLDER).get_json()
    assert body["total"] == 1
    hit = body["items"][0]
    assert hit["title"] == "A birthday present" and "<mark" in hit["snippet_html"]
    assert hit["url"].endswith(f"/stories/{hit['id']}")
    everything = api.call("GET", "/stories", Role.STAKEHOLDER).get_json()
    assert {"value": "chat", "count": 1} in everything["facets"]["channel"]
    chat = api.call("GET", "/stories?channel=chat", Role.STAKEHOLDER).get_json()
    assert [item["title"] for item in chat["items"]] == ["Late delivery"]


def test_cursors_walk_every_page_once(api: Api) -> None:
    ids = {
        add_story(
            api.app, f"Story {n}", body=f"Customer story number {n}", team="retail", index=True
        )
        for n in range(7)
    }
    seen: list[int] = []
    path = "/stories?sort=newest&limit=3"
    while True:
        body = api.call("GET", path, Role.AGENT).get_json()
        seen += [item["id"] for item in body["items"]]
        if body["next_cursor"] is None:
            break
        path = f"/stories?sort=newest&limit=3&cursor={body['next_cursor']}"
    assert len(seen) == 7 and set(seen) == ids


@pytest.mark.parametrize(
    "query",
    [
        "cursor=forged",
        "cursor=" + "x" * 5000,
        "limit=0",
        "limit=-1",
        "limit=101",
        "limit=99999999999999999999999",
        "limit=ten",
        "sort=sideways",
        "from=yesterday",
        "to=2026-13-45",
    ],
)
def test_bad_paging_and_filters_get_422(api: Api, query: str) -> None:
    body = assert_problem(api.call("GET", f"/stories?{query}", Role.AGENT), 422)
    assert body["errors"]


def test_a_cursor_is_only_good_for_its_own_query(api: Api) -> None:
    for n in range(3):
        add_story(api.app, f"Story {n}", body="A customer story", team="retail", index=True)
    cursor = api.call("GET", "/stories?limit=1", Role.AGENT).get_json()["next_cursor"]
    assert api.call("GET", f"/stories?limit=1&cursor={cursor}", Role.AGENT).status_code == 200
    assert_problem(api.call("GET", f"/stories?limit=2&cursor={cursor}", Role.AGENT), 422)


@pytest.mark.parametrize(
    "query", ['"unbalanced', "(((", "*", "team:", "nofield:x", "x" * 5000, "%FF%FE"]
)
def test_malformed_search_syntax_is_answered_calmly(api: Api, query: str) -> None:
    response = api.call("GET", f"/stories?q={query}", Role.AGENT)
    assert response.status_code == 200
    assert isinstance(response.get_json()["items"], list)


def test_pending_and_rejected_stories_are_invisible_in_the_api(api: Api) -> None:
    hidden = {
        add_story(
            api.app,
            "Waiting customer story",
            body="pending secret words",
            status=StoryStatus.PENDING,
            author_kind=AuthorKind.CUSTOMER,
            team="retail",
            index=True,
        ),
        add_story(
            api.app,
            "Refused customer story",
            body="rejected secret words",
            status=StoryStatus.REJECTED,
            author_kind=AuthorKind.CUSTOMER,
            team="retail",
            index=True,
        ),
    }
    for role in Role:
        body = api.call("GET", "/stories?q=secret", role).get_json()
        assert body["total"] == 0 and body["items"] == []
        for story_id in hidden:
            assert_problem(api.call("GET", f"/stories/{story_id}", role), 404)


def test_a_draft_is_seen_by_its_author_and_managers_only(api: Api) -> None:
    draft = add_story(
        api.app, "My draft", body="Not yet", status=StoryStatus.DRAFT, team="retail", index=True
    )
    with api.app.app_context():
        story = db.session.get(Story, draft)
        story.author_id = api.users[Role.AGENT]
        db.session.commit()
    assert api.call("GET", f"/stories/{draft}", Role.AGENT).get_json()["status"] == "draft"
    assert api.call("GET", f"/stories/{draft}", Role.MANAGER).status_code == 200
    assert_problem(api.call("GET", f"/stories/{draft}", Role.STAKEHOLDER), 404)
    for unknown in (
        "/stories/999999",
        "/stories/0",
        "/stories/-1",
        "/stories/abc",
        "/stories/99999999999999999999",
    ):
        assert_problem(api.call("GET", unknown, Role.AGENT), 404)


def test_a_story_is_written_as_the_tokens_user_and_found_by_search(api: Api) -> None:
    response = api.call(
        "POST", "/stories", Role.AGENT, json={**STORY, "team": "retail", "publish": True}
    )
    assert response.status_code == 201, response.get_json()
    story = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/stories/{story['id']}")
    assert story["status"] == "published" and story["author_name"] == "Agent Tester"
    assert "<em>stood up</em>" in story["body_html"]
    with api.app.app_context():
        drain_pending(timeout=5)
    found = api.call("GET", "/stories?q=present", Role.STAKEHOLDER).get_json()
    assert [item["id"] for item in found["items"]] == [story["id"]]
    draft = api.call("POST", "/stories", Role.AGENT, json=STORY).get_json()
    assert draft["status"] == "draft"


def test_the_same_idempotency_key_makes_one_story(api: Api) -> None:
    headers = {"Idempotency-Key": "crm-ticket-4711"}
    first = api.call("POST", "/stories", Role.AGENT, json=STORY, headers=headers)
    again = api.call("POST", "/stories", Role.AGENT, json=STORY, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    # Another user's identical key is theirs alone.
    other = api.call("POST", "/stories", Role.MANAGER, json=STORY, headers=headers)
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"title", "body", "channel", "language"}),
        ({**STORY, "title": ""}, {"title"}),
        ({**STORY, "title": "x" * 201}, {"title"}),
        ({**STORY, "body": "   "}, {"body"}),
        ({**STORY, "body": "x" * 100_001}, {"body"}),
        ({**STORY, "title": 12}, {"title"}),
        ({**STORY, "body": ["a"]}, {"body"}),
        ({**STORY, "channel": "fax"}, {"channel"}),
        ({**STORY, "language": None}, {"language"}),
        ({**STORY, "team": "nowhere"}, {"team"}),
        ({**STORY, "themes": "empathy"}, {"themes"}),
        ({**STORY, "themes": ["no-such-theme"]}, {"themes"}),
        ({**STORY, "publish": "yes"}, {"publish"}),
        ({**STORY, "author_id": 1, "status": "published"}, {"author_id", "status"}),
        (
            {key: None for key in (*STORY, "team", "themes", "publish")},
            {"title", "body", "channel", "language", "publish"},
        ),
        ([STORY], {"(body)"}),
        ("just a string", {"(body)"}),
    ],
)
def test_invalid_stories_name_every_bad_field_and_save_nothing(api: Api, body, fields) -> None:
    before = story_total(api.app)
    problem = assert_problem(api.call("POST", "/stories", Role.AGENT, json=body), 422)
    assert {error["field"] for error in problem["errors"]} == fields
    assert story_total(api.app) == before


def test_script_in_a_story_never_reaches_its_html(api: Api) -> None:
    body = "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    story = api.call("POST", "/stories", Role.AGENT, json={**STORY, "body": body}).get_json()
    assert "<script" not in story["body_html"] and "javascript:" not in story["body_html"]
    assert "onerror" not in story["body_html"]
    assert story["body_markdown"] == body


def test_a_story_carries_its_reach_for_the_author_and_managers_only(api: Api) -> None:
    from tests.conftest import Auth

    story = add_story(
        api.app,
        "The father and the birthday",
        body="Delivered the same day.",
        team="retail",
        index=True,
    )
    stakeholder = Auth(api.app.test_client())
    stakeholder.login_as(Role.STAKEHOLDER)
    stakeholder.client.get(f"/stories/{story}")
    for role in (Role.AGENT, Role.MANAGER):  # the author (agent@example.nl), a manager
        body = api.call("GET", f"/stories/{story}", role).get_json()
        assert body["reach"] == {"readers": 1, "by_role": {"stakeholder": 1}}, role
    assert "reach" not in api.call("GET", f"/stories/{story}", Role.STAKEHOLDER).get_json()
