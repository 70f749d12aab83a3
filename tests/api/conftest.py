"""API tests: real app, real SQLite file (or the PostgreSQL test database) and index;
tokens made through the token service, requests through the test client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from storyboard.api.tokens import READ, WRITE_NPS, WRITE_STORIES
from storyboard.models import Role
from tests.factories import create_user, make_token

ALL_SCOPES = {
    Role.AGENT: [READ, WRITE_STORIES],
    Role.MANAGER: [READ, WRITE_STORIES, WRITE_NPS],
    Role.STAKEHOLDER: [READ],
    Role.ADMIN: [READ, WRITE_NPS],
}


@dataclass
class Api:
    app: Flask
    client: FlaskClient
    users: dict[Role, int]
    tokens: dict[Role, str]

    def call(
        self,
        method: str,
        path: str,
        role: Role | None = None,
        *,
        token: str | None = None,
        **kwargs: Any,
    ) -> Any:
        headers = dict(kwargs.pop("headers", {}))
        secret = token or (self.tokens[role] if role else None)
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)


@pytest.fixture
def api(app: Flask) -> Api:
    users = {role: create_user(app, role) for role in ALL_SCOPES}
    tokens = {role: make_token(app, users[role], scopes) for role, scopes in ALL_SCOPES.items()}
    return Api(app, app.test_client(), users, tokens)
