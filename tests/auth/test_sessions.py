"""Signing out ends the session on the server: copies of the old cookies open nothing."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from storyboard.auth import throttle
from storyboard.db import db, utcnow
from storyboard.models import Role, SignInAttempt, UserSession
from tests.conftest import PASSWORD, Auth, csrf_token, post_form


def profile_opens(app: Flask, cookies: dict[str, str]) -> bool:
    """Does a fresh browser holding only these cookies get the profile page?"""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    response = browser.get("/profile/")
    return response.status_code == 200


def sign_in_remembered(client: FlaskClient, email: str) -> dict[str, str]:
    token = csrf_token(client)
    response = client.post(
        "/auth/login",
        data={"email": email, "password": PASSWORD, "remember": "y", "csrf_token": token},
    )
    assert response.status_code == 302
    return {name: client.get_cookie(name).value for name in ("session", "remember_token")}


def test_replayed_session_and_remember_cookies_are_refused_after_sign_out(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    stolen = sign_in_remembered(client, "agent@example.nl")
    assert profile_opens(app, {"session": stolen["session"]})
    assert profile_opens(app, {"remember_token": stolen["remember_token"]})

    Auth(client).logout()

    assert not profile_opens(app, {"session": stolen["session"]})
    assert not profile_opens(app, {"remember_token": stolen["remember_token"]})
    assert not profile_opens(app, stolen)
    replay = app.test_client()
    replay.set_cookie("session", stolen["session"])
    assert replay.get("/profile/").headers["Location"].startswith("/auth/login")


def test_signing_out_in_one_browser_keeps_the_others_signed_in(
    app: Flask, users: dict[Role, int]
) -> None:
    phone, laptop = Auth(app.test_client()), Auth(app.test_client())
    phone.login_as(Role.AGENT)
    laptop.login_as(Role.AGENT)
    phone.logout()
    assert phone.client.get("/profile/").status_code == 302
    assert laptop.client.get("/profile/").status_code == 200


def test_sign_out_everywhere_ends_every_session_of_that_person_only(
    app: Flask, users: dict[Role, int]
) -> None:
    phone, laptop, colleague = (Auth(app.test_client()) for _ in range(3))
    remembered = sign_in_remembered(phone.client, "agent@example.nl")
    laptop.login_as(Role.AGENT)
    colleague.login_as(Role.MANAGER)
    page = laptop.client.get("/profile/").get_data(as_text=True)
    assert "You are signed in on 2 browsers or devices." in page

    response = post_form(laptop.client, "/profile/sessions/end", {}, token_from="/profile/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    follow = laptop.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You are signed out on 2 browsers or devices." in follow

    assert laptop.client.get("/profile/").status_code == 302
    assert phone.client.get("/profile/").status_code == 302
    assert not profile_opens(app, {"remember_token": remembered["remember_token"]})
    assert colleague.client.get("/profile/").status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(UserSession)) == 1


def test_sign_out_everywhere_needs_csrf_and_a_signed_in_user(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    token = csrf_token(client)
    signed_out = client.post("/profile/sessions/end", data={"csrf_token": token})
    assert signed_out.headers["Location"].startswith("/auth/login")
    Auth(client).login_as(Role.AGENT)
    assert client.post("/profile/sessions/end").status_code == 400
    assert client.get("/profile/").status_code == 200


def test_sessions_older_than_their_lifetime_are_pruned_at_the_next_sign_in(
    app: Flask, users: dict[Role, int]
) -> None:
    Auth(app.test_client()).login_as(Role.AGENT)
    with app.app_context():
        old = db.session.scalars(db.select(UserSession)).one()
        old.created_at = utcnow() - timedelta(days=400)
        db.session.commit()
    Auth(app.test_client()).login_as(Role.AGENT)
    with app.app_context():
        assert len(db.session.scalars(db.select(UserSession)).all()) == 1


# --- the throttle's arithmetic, at chosen moments (no sleeping) -----------------------


POLICY = throttle.ThrottlePolicy(
    per_address=100, address_window=timedelta(minutes=1), free_failures=3, max_delay=60
)


def test_the_wait_doubles_after_the_free_failures_and_stops_at_the_maximum() -> None:
    assert [POLICY.delay_after(n) for n in range(10)] == [0, 0, 0, 2, 4, 8, 16, 32, 60, 60]


def test_the_throttle_waits_exactly_as_long_as_it_says(app: Flask) -> None:
    start = utcnow()
    with app.app_context():
        for n in range(3):
            throttle.begin_attempt(
                "x@example.nl", f"10.0.0.{n}", None, POLICY, now=start + timedelta(seconds=n)
            )
        db.session.commit()
        latest = start + timedelta(seconds=2)
        try:
            throttle.begin_attempt(
                "x@example.nl", "10.0.0.9", None, POLICY, now=latest + timedelta(milliseconds=500)
            )
        except throttle.SignInThrottled as waiting:
            assert waiting.wait_seconds == 2 and not waiting.per_address
        else:
            raise AssertionError("the fourth attempt should wait")
        # Refused attempts are not counted: after the wait one more may try ...
        throttle.begin_attempt(
            "x@example.nl", "10.0.0.9", None, POLICY, now=latest + timedelta(seconds=2)
        )
        db.session.commit()
        # ... and the next wait is twice as long.
        try:
            throttle.begin_attempt(
                "x@example.nl", "10.0.0.9", None, POLICY, now=latest + timedelta(seconds=3)
            )
        except throttle.SignInThrottled as waiting:
            assert waiting.wait_seconds == 3  # 4 s after the failure at latest + 2 s
        # Failures from the owner's known browser are counted apart.
        throttle.begin_attempt(
            "x@example.nl", "10.0.0.9", "owner-device", POLICY, now=latest + timedelta(seconds=3)
        )
        db.session.commit()
        # Stored: a digest of the account, never the e-mail address typed.
        accounts = set(db.session.scalars(db.select(SignInAttempt.account)))
        assert accounts == {throttle.account_key("X@example.nl ")}
