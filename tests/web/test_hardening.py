"""Smaller hardening (issue 18, item 7), written as the attacks they stop: a signed-in
page or an API answer read back from a shared computer's cache, and a password whose
NUL byte was quietly dropped so that a different password signed in."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import Role, User
from tests.conftest import Auth, csrf_token, post_form
from tests.factories import PASSWORD, create_user, make_token

NO_CONTROL_CHARACTERS = "A password cannot contain invisible control characters"


# -- Cache-Control: no-store ---------------------------------------------------------------
@pytest.fixture
def agent(client: FlaskClient, users: dict[Role, int]) -> FlaskClient:
    Auth(client).login_as(Role.AGENT)
    return client


@pytest.mark.parametrize(
    "path, status",
    [
        ("/stories/", 200),  # a page
        ("/", 302),  # a redirect
        ("/auth/login", 302),  # the sign-in page sends a signed-in person on
        ("/stories/999999", 404),  # an error page
    ],
)
def test_nothing_a_signed_in_person_is_sent_stays_in_a_cache(
    agent: FlaskClient, path: str, status: int
) -> None:
    response = agent.get(path)
    assert response.status_code == status
    assert response.headers["Cache-Control"] == "no-store"


def test_the_answer_to_a_successful_sign_in_is_not_cached(client: FlaskClient, users) -> None:
    response = Auth(client).login_as(Role.AGENT)
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching_for_a_signed_in_person(agent: FlaskClient) -> None:
    response = agent.get("/static/css/storyboard.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_public_pages_for_anonymous_visitors_are_left_alone(client: FlaskClient) -> None:
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Frame-Options"] == "DENY"  # the other headers stay


def test_every_api_answer_is_not_cached(app: Flask, users: dict[Role, int]) -> None:
    client = app.test_client()
    token = make_token(app, users[Role.AGENT], ["read"])
    answers = [
        client.get("/api/v1/stories", headers={"Authorization": f"Bearer {token}"}),
        client.get("/api/v1/stories"),  # 401 problem
        client.get("/api/v1/no-such-thing", headers={"Authorization": f"Bearer {token}"}),
    ]
    assert [answer.status_code for answer in answers] == [200, 401, 404]
    for answer in answers:
        assert answer.headers["Cache-Control"] == "no-store", answer.status_code
    assert answers[1].mimetype == "application/problem+json"


# -- control characters in passwords ----------------------------------------------------------
def sign_in(client: FlaskClient, email: str, password: str) -> str:
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 200, "the sign-in went through"
    return html.unescape(response.get_data(as_text=True))


def signed_in(client: FlaskClient) -> bool:
    return client.get("/stories/").status_code == 200


@pytest.mark.parametrize(
    "typed", ["correct horse\x00battery", "\x00correct horsebattery", "correct horsebattery\x00"]
)
def test_a_nul_in_the_password_is_refused_not_dropped(app: Flask, typed: str) -> None:
    # The account's password is exactly what dropping the NUL would leave.
    create_user(app, Role.AGENT, email="nul@example.nl")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "nul@example.nl"))
        user.set_password("correct horsebattery")
        db.session.commit()
    client = app.test_client()
    page = sign_in(client, "nul@example.nl", typed)
    assert NO_CONTROL_CHARACTERS in page
    assert not signed_in(client)


@pytest.mark.parametrize(
    "typed", [PASSWORD.replace(" ", "\t", 1), PASSWORD + "\n", PASSWORD + "\x7f", PASSWORD + "\x85"]
)
def test_other_control_characters_are_refused_the_same_way(app: Flask, users, typed: str) -> None:
    client = app.test_client()
    assert NO_CONTROL_CHARACTERS in sign_in(client, "agent@example.nl", typed)
    assert not signed_in(client)
    Auth(client).login_as(Role.AGENT)  # the real password still works


@pytest.mark.parametrize(
    "password", ["long enough\x00password", "long enough\tpassword", "\t" * 12]
)
def test_an_admin_cannot_set_a_password_with_control_characters(
    app: Flask, users, password: str
) -> None:
    client = app.test_client()
    Auth(client).login_as(Role.ADMIN)
    response = post_form(
        client,
        "/admin/users/new",
        {
            "email": "new.agent@example.nl",
            "display_name": "New Agent",
            "role": "agent",
            "team_id": "",
            "active": "y",
            "password": password,
        },
    )
    assert response.status_code == 400
    assert NO_CONTROL_CHARACTERS in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "new.agent@example.nl")) is None


def test_create_user_refuses_a_password_with_control_characters(app: Flask) -> None:
    for password in ("long enough\x00password", "long enough\x1bpassword"):
        result = app.test_cli_runner().invoke(
            args=[
                "create-user",
                "--email",
                "first.admin@example.nl",
                "--role",
                "admin",
                "--password",
                password,
            ]
        )
        assert result.exit_code == 1, result.output
        assert NO_CONTROL_CHARACTERS in result.output
    with app.app_context():
        assert db.session.scalar(select(User)) is None
