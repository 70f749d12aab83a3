"""Tokens, scopes and roles on every route; errors as RFC 9457 problem details."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from sqlalchemy import select

from storyboard.api.tokens import READ, TokenError, create_token, digest_of, revoke_token
from storyboard.db import db, utcnow
from storyboard.models import ApiToken, Role, Story, User
from tests.api.conftest import Api
from tests.conftest import make_app
from tests.factories import count_rows, create_user, inserts_refused, make_token

PROBLEM = "application/problem+json"
STORY = {
    "title": "A present for today",
    "body": "She *stood up* for the customer.",
    "channel": "phone",
    "language": "en",
}

# Each route with a body that passes validation, and the roles that may use it.
ROUTES = [
    ("GET", "/stories", None, {Role.AGENT, Role.MANAGER, Role.STAKEHOLDER, Role.ADMIN}),
    ("POST", "/stories", STORY, {Role.AGENT, Role.MANAGER}),
    ("GET", "/nps", None, {Role.MANAGER, Role.STAKEHOLDER, Role.ADMIN}),
    (
        "POST",
        "/nps-responses",
        {"external_id": "a-1", "answered_at": "2026-11-02", "score": 9, "team": "retail"},
        {Role.MANAGER, Role.ADMIN},
    ),
    ("GET", "/digest/2026-W40", None, {Role.MANAGER, Role.STAKEHOLDER, Role.ADMIN}),
]


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ROUTES)
def test_every_route_wants_a_token(api: Api, method, path, body, allowed) -> None:
    response = api.call(method, path, json=body)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ROUTES)
def test_a_signed_in_browser_session_is_not_a_token(api: Api, method, path, body, allowed) -> None:
    from tests.conftest import Auth

    Auth(api.client).login_as(Role.MANAGER)
    assert_problem(api.call(method, path, json=body), 401)


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ROUTES)
def test_the_token_users_role_limits_every_route(api: Api, method, path, body, allowed) -> None:
    for role in Role:
        response = api.call(method, path, role, json=body)
        if role in allowed:
            assert response.status_code in (200, 201), (role, response.get_json())
        else:
            assert_problem(response, 403)


def test_a_token_without_the_scope_is_refused(api: Api) -> None:
    read_only = make_token(api.app, api.users[Role.MANAGER], [READ])
    body = assert_problem(api.call("POST", "/stories", token=read_only, json=STORY), 403)
    assert "stories:write" in body["detail"]
    assert (
        "insufficient_scope"
        in api.call("POST", "/stories", token=read_only, json=STORY).headers["WWW-Authenticate"]
    )
    assert api.call("GET", "/stories", token=read_only).status_code == 200


def test_a_revoked_token_fails_at_once(api: Api) -> None:
    assert api.call("GET", "/stories", Role.AGENT).status_code == 200
    with api.app.app_context():
        token = db.session.scalar(
            select(ApiToken).where(ApiToken.digest == digest_of(api.tokens[Role.AGENT]))
        )
        revoke_token(token, token.user)
        db.session.commit()
    assert_problem(api.call("GET", "/stories", Role.AGENT), 401)


def test_expired_malformed_and_unknown_tokens_fail(api: Api) -> None:
    expiring = make_token(api.app, api.users[Role.AGENT], [READ], days=30)
    with api.app.app_context():
        token = db.session.scalar(select(ApiToken).where(ApiToken.digest == digest_of(expiring)))
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    for header in (
        f"Bearer {expiring}",
        "Bearer sbt_not-a-real-token",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer " + "x" * 5000,
        "Token abc",
        "Bearer sbt_\u00e9\u00e9",
    ):
        response = api.client.get("/api/v1/stories", headers={"Authorization": header})
        assert_problem(response, 401)


def test_a_deactivated_users_token_stops_working(api: Api) -> None:
    with api.app.app_context():
        db.session.get(User, api.users[Role.AGENT]).active = False
        db.session.commit()
    assert_problem(api.call("GET", "/stories", Role.AGENT), 401)


def test_tokens_are_stored_hashed_and_record_their_last_use(api: Api) -> None:
    with api.app.app_context():
        rows = list(db.session.scalars(select(ApiToken)))
        assert all(api.tokens[Role.AGENT] not in (row.digest, row.prefix) for row in rows)
        assert all(row.last_used_at is None for row in rows)
    api.call("GET", "/stories", Role.AGENT)
    with api.app.app_context():
        token = db.session.scalar(
            select(ApiToken).where(ApiToken.digest == digest_of(api.tokens[Role.AGENT]))
        )
        assert token.last_used_at is not None


def test_a_token_cannot_get_scopes_beyond_its_users_role(api: Api) -> None:
    with api.app.app_context():
        stakeholder = db.session.get(User, api.users[Role.STAKEHOLDER])
        with pytest.raises(TokenError):
            create_token(stakeholder, "sneaky", ["stories:write"], 30)
        with pytest.raises(TokenError):
            create_token(stakeholder, "   ", [READ], 30)
        with pytest.raises(TokenError):
            create_token(stakeholder, "tool", [], 30)
        with pytest.raises(TokenError):
            create_token(stakeholder, "tool", [READ], 12345)


def test_unknown_addresses_and_methods_are_problems(api: Api) -> None:
    assert_problem(api.call("GET", "/nothing-here", Role.AGENT), 404)
    response = api.call("DELETE", "/stories", Role.AGENT)
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_bodies_that_are_not_json_are_refused_clearly(api: Api) -> None:
    assert_problem(
        api.call(
            "POST",
            "/stories",
            Role.AGENT,
            data="title=x",
            content_type="application/x-www-form-urlencoded",
        ),
        415,
    )
    assert_problem(
        api.call("POST", "/stories", Role.AGENT, data="{not json", content_type="application/json"),
        400,
    )
    assert_problem(
        api.call("POST", "/stories", Role.AGENT, data="", content_type="application/json"), 400
    )
    assert_problem(
        api.call(
            "POST", "/stories", Role.AGENT, data="[" * 100_000, content_type="application/json"
        ),
        400,
    )
    huge = b'{"title": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    assert_problem(
        api.call("POST", "/stories", Role.AGENT, data=huge, content_type="application/json"), 413
    )
    assert_problem(
        api.call(
            "POST", "/nps-responses", Role.MANAGER, data=huge, content_type="application/json"
        ),
        413,
    )


def test_rate_limit_answers_429_with_retry_after(tmp_path, migrated_db) -> None:
    instance = tmp_path / "limited"
    instance.mkdir()
    shutil.copy(migrated_db, instance / "storyboard.db")
    app = make_app(instance, RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    try:
        users = {role: create_user(app, role) for role in (Role.AGENT, Role.STAKEHOLDER)}
        tokens = {role: make_token(app, user, [READ]) for role, user in users.items()}
        api = Api(app, app.test_client(), users, tokens)
        for _ in range(3):
            assert api.call("GET", "/stories", Role.STAKEHOLDER).status_code == 200
        response = api.call("GET", "/stories", Role.STAKEHOLDER)
        assert_problem(response, 429)
        assert int(response.headers["Retry-After"]) > 0
        # Counted per token: another token still gets through.
        assert api.call("GET", "/stories", Role.AGENT).status_code == 200
        # The description is not limited.
        for _ in range(5):
            assert app.test_client().get("/api/v1/openapi.json").status_code == 200
    finally:
        with app.app_context():
            db.engine.dispose()


def test_the_description_is_served_openly(api: Api) -> None:
    spec = api.client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) == {
        "/stories",
        "/stories/{story_id}",
        "/nps-responses",
        "/nps",
        "/digest/{iso_week}",
    }
    page = api.client.get("/api/v1/")
    assert page.status_code == 200
    assert "POST /nps-responses" in page.get_data(as_text=True)


def test_an_api_save_the_database_refuses_gets_a_409_problem(api: Api) -> None:
    body = {"title": "A present", "body": "We sent a card.", "channel": "phone", "language": "en"}
    with inserts_refused(api.app, "stories"):
        response = api.call("POST", "/stories", Role.AGENT, json=body)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "same moment" in response.get_json()["detail"]
    assert count_rows(api.app, Story) == 0
    assert api.call("POST", "/stories", Role.AGENT, json=body).status_code == 201
