"""Shared fixtures: a fresh app on a real SQLite file per test, users of every role,
and a client that signs in and carries CSRF tokens like a browser."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from storyboard import create_app
from storyboard.db import db, upgrade_database
from storyboard.models import Role, Team, User

PASSWORD = "correct horse battery"
# The suite hashes with a cheap method (see make_app); hashes start with this.
TEST_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
PASSWORD_HASH_PREFIX = "pbkdf2:sha256:1000$"
ROLES = [Role.AGENT, Role.MANAGER, Role.STAKEHOLDER, Role.ADMIN]


def make_app(instance: Path, **overrides: Any) -> Flask:
    config: dict[str, Any] = {
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret",
        "SECURE_COOKIES": False,
        "RATELIMIT_ENABLED": False,
        "TESTING": True,
        # Real hashing, cheaply: thousands of sign-ins with scrypt would take minutes.
        # test_auth.py checks that the default is scrypt.
        "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH_METHOD,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated to head; each test gets a copy (migrations run once)."""
    instance = tmp_path_factory.mktemp("template")
    app = make_app(instance)
    with app.app_context():
        upgrade_database()
        db.engine.dispose()
    return instance / "storyboard.db"


def copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite database with its backup API, which includes WAL content that a
    plain file copy could miss."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture
def app(tmp_path: Path, migrated_db: Path) -> Iterator[Flask]:
    instance = tmp_path / "instance"
    instance.mkdir()
    copy_database(migrated_db, instance / "storyboard.db")
    app = make_app(instance)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


def create_user(app: Flask, role: Role, email: str | None = None, team: str | None = "Retail",
                active: bool = True) -> int:
    """Make a user (and the team if needed); return its id."""
    with app.app_context():
        team_row = None
        if team:
            team_row = db.session.scalar(db.select(Team).where(Team.name == team))
            if team_row is None:
                team_row = Team(name=team, slug=team.lower().replace(" ", "-"))
                db.session.add(team_row)
        user = User(
            email=email or f"{role.value}@example.nl",
            display_name=f"{role.value.title()} Tester",
            role=role,
            team=team_row,
            active=active,
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user.id


@pytest.fixture
def users(app: Flask) -> dict[Role, int]:
    """One user per role, all in team Retail."""
    return {role: create_user(app, role) for role in ROLES}


_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/auth/login") -> str:
    """The token a browser would send, read from the page's meta tag."""
    page = client.get(path)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


class Auth:
    """Signs a test client in and out through the real sign-in form."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = PASSWORD) -> Any:
        token = csrf_token(self.client)
        return self.client.post(
            "/auth/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def login_as(self, role: Role) -> Any:
        response = self.login(f"{role.value}@example.nl")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def logout(self) -> Any:
        # "/" only redirects a signed-in user; the story list carries the token.
        token = csrf_token(self.client, "/stories/")
        return self.client.post("/auth/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


def post_form(client: FlaskClient, path: str, data: dict[str, Any], token_from: str | None = None) -> Any:
    """POST like a browser: fetch the form page first for its CSRF token."""
    payload = dict(data)
    payload.setdefault("csrf_token", csrf_token(client, token_from or path))
    return client.post(path, data=payload)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


REQUIRE_SERVICES = os.environ.get("STORYBOARD_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose server or browser is missing, with a visible reason; in CI
    (``STORYBOARD_REQUIRE_SERVICES=1``) fail instead, so nothing is skipped there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (required because STORYBOARD_REQUIRE_SERVICES=1)")
    pytest.skip(reason)
