"""Tokens on the profile page (made, shown once, revoked) and on the admins' list."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import ApiToken, Role
from tests.conftest import Auth, csrf_token, post_form

SECRET = re.compile(r'value="(sbt_[A-Za-z0-9_-]+)"')


def test_a_token_is_made_shown_once_used_and_revoked(app: Flask, users) -> None:
    client = app.test_client()
    Auth(client).login_as(Role.STAKEHOLDER)
    profile = client.get("/profile/").get_data(as_text=True)
    assert "Read stories, NPS and digests" in profile
    assert "Write stories" not in profile  # not for a stakeholder's role
    made = post_form(
        client,
        "/profile/tokens",
        {"name": "Power BI", "scopes": ["read"], "expires": "90"},
        token_from="/profile/",
    )
    assert made.status_code == 200
    secret = SECRET.search(made.get_data(as_text=True)).group(1)
    again = client.get("/profile/").get_data(as_text=True)
    assert secret not in again and "Power BI" in again and secret[:12] in again

    api = app.test_client()
    assert (
        api.get("/api/v1/stories", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    )
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token_id, used = token.id, token.last_used_at
    assert used is not None
    revoked = client.post(
        f"/profile/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/profile/")}
    )
    assert revoked.status_code == 302
    assert (
        api.get("/api/v1/stories", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_a_scope_beyond_the_role_or_a_bad_form_is_refused(app: Flask, users) -> None:
    client = app.test_client()
    Auth(client).login_as(Role.STAKEHOLDER)
    for form in (
        {"name": "x", "scopes": ["stories:write"], "expires": "90"},
        {"name": "", "scopes": ["read"], "expires": "90"},
        {"name": "x" * 81, "scopes": ["read"], "expires": "90"},
        {"name": "x", "expires": "90"},
        {"name": "x", "scopes": ["read"], "expires": "7"},
        {"name": "x", "scopes": ["read"], "expires": "soon"},
    ):
        response = post_form(client, "/profile/tokens", form, token_from="/profile/")
        assert response.status_code == 400, form
        assert 'value="sbt_' not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ApiToken.id))) == 0


def test_nobody_revokes_someone_elses_token_but_an_admin(app: Flask, users) -> None:
    owner = app.test_client()
    Auth(owner).login_as(Role.AGENT)
    post_form(
        owner,
        "/profile/tokens",
        {"name": "CRM", "scopes": ["read"], "expires": "30"},
        token_from="/profile/",
    )
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    other = app.test_client()
    Auth(other).login_as(Role.MANAGER)
    refused = other.post(
        f"/profile/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(other, "/profile/")}
    )
    assert refused.status_code == 404
    admin = app.test_client()
    Auth(admin).login_as(Role.ADMIN)
    listing = admin.get("/admin/tokens").get_data(as_text=True)
    assert "CRM" in listing and "agent@example.nl" in listing
    done = admin.post(
        f"/profile/tokens/{token_id}/revoke",
        data={"csrf_token": csrf_token(admin, "/admin/tokens"), "next": "/admin/tokens"},
    )
    assert done.headers["Location"] == "/admin/tokens"
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is not None
