"""Signing in and out, remember-me, deactivation, password storage, rate limit, headers."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from storyboard.config import build_config
from storyboard.db import db
from storyboard.models import Role, User
from tests.conftest import (
    PASSWORD,
    Auth,
    create_user,
    csrf_token,
    make_app,
    post_form,
    skip_or_fail,
)

WRONG_CREDENTIALS = "That e-mail and password do not match an account."
DEACTIVATED = "This account has been deactivated."


@pytest.fixture
def app_with(tmp_path: Path, migrated_db: Path) -> Iterator[Any]:
    """Make an app with settings of its own (the ``app`` fixture's are fixed)."""
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        instance = tmp_path / f"instance{len(made)}"
        instance.mkdir()
        shutil.copy(migrated_db, instance / "storyboard.db")
        made.append(make_app(instance, **overrides))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def set_cookie_header(response, name: str) -> str:
    """The Set-Cookie header that sets ``name`` (empty when there is none)."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    return ""


def is_signed_in(client: FlaskClient) -> bool:
    return client.get("/stories/").status_code == 200


# --- signing in and out ------------------------------------------------------------------


def test_sign_in_opens_the_stories(client, auth, users):
    response = auth.login("agent@example.nl")
    assert response.status_code == 302
    assert response.headers["Location"] == "/stories/"
    page = client.get("/stories/").get_data(as_text=True)
    assert "Agent Tester" in page


def test_sign_in_ignores_e_mail_case_and_surrounding_spaces(client, auth, users):
    assert auth.login("  Agent@Example.NL ").status_code == 302
    assert is_signed_in(client)


def test_sign_out_ends_the_session(client, auth, users):
    auth.login_as(Role.AGENT)
    response = auth.logout()
    assert response.status_code == 302
    assert not is_signed_in(client)
    assert client.get("/stories/").headers["Location"].startswith("/auth/login?next=")


def test_sign_out_is_not_possible_with_a_plain_link(client, auth, users):
    auth.login_as(Role.AGENT)
    assert client.get("/auth/logout").status_code == 405
    assert is_signed_in(client)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("agent@example.nl", "wrong password"),
        ("nobody@example.nl", PASSWORD),
    ],
)
def test_wrong_e_mail_or_password_get_the_same_message(client, auth, users, email, password):
    response = auth.login(email, password)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert WRONG_CREDENTIALS in page
    assert not is_signed_in(client)


def test_sign_in_returns_to_the_page_asked_for(client, auth, users):
    asked = client.get("/stories/mine")
    next_url = asked.headers["Location"]
    assert next_url == "/auth/login?next=%2Fstories%2Fmine"
    token = csrf_token(client)
    response = client.post(
        next_url, data={"email": "agent@example.nl", "password": PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"] == "/stories/mine"


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_sign_in_never_redirects_off_site(client, users, evil):
    token = csrf_token(client)
    response = client.post(
        "/auth/login",
        query_string={"next": evil},
        data={"email": "agent@example.nl", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/stories/"


def test_sign_in_without_csrf_token_is_refused(client, users):
    response = client.post("/auth/login", data={"email": "agent@example.nl", "password": PASSWORD})
    assert response.status_code == 400
    assert not is_signed_in(client)


# --- remember me ---------------------------------------------------------------------------


def test_remember_me_sets_a_lasting_cookie_that_signs_in_again(app, client, users):
    token = csrf_token(client)
    response = client.post(
        "/auth/login",
        data={
            "email": "agent@example.nl",
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": token,
        },
    )
    header = set_cookie_header(response, "remember_token")
    assert header, "no remember cookie"
    assert "HttpOnly" in header
    assert "Expires=" in header

    # A new browser session: only the remember cookie survives.
    fresh = app.test_client()
    fresh.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert is_signed_in(fresh)


def test_without_remember_me_no_remember_cookie_is_set(client, auth, users):
    response = auth.login("agent@example.nl")
    assert set_cookie_header(response, "remember_token") == ""


# --- deactivated accounts ------------------------------------------------------------------


def test_deactivated_user_cannot_sign_in(app, client, auth):
    create_user(app, Role.AGENT, active=False)
    response = auth.login("agent@example.nl")
    assert response.status_code == 200
    assert DEACTIVATED in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_deactivated_account_is_not_revealed_to_a_wrong_password(app, client, auth):
    create_user(app, Role.AGENT, active=False)
    page = auth.login("agent@example.nl", "wrong password").get_data(as_text=True)
    assert WRONG_CREDENTIALS in page
    assert DEACTIVATED not in page


def deactivate(app: Flask, user_id: int) -> None:
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()


def test_a_signed_in_user_who_is_deactivated_is_signed_out_on_the_next_request(
    app, client, auth, users
):
    auth.login_as(Role.AGENT)
    assert is_signed_in(client)
    deactivate(app, users[Role.AGENT])
    response = client.get("/stories/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_a_remember_cookie_of_a_deactivated_user_no_longer_signs_in(app, client, users):
    token = csrf_token(client)
    client.post(
        "/auth/login",
        data={
            "email": "agent@example.nl",
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": token,
        },
    )
    deactivate(app, users[Role.AGENT])
    fresh = app.test_client()
    fresh.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert not is_signed_in(fresh)


def change_password(app: Flask, user_id: int, password: str) -> None:
    with app.app_context():
        db.session.get(User, user_id).set_password(password)
        db.session.commit()


def test_a_password_change_signs_out_other_sessions_and_remember_cookies(app, client, users):
    token = csrf_token(client)
    client.post(
        "/auth/login",
        data={
            "email": "agent@example.nl",
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": token,
        },
    )
    remember = client.get_cookie("remember_token").value
    assert is_signed_in(client)
    change_password(app, users[Role.AGENT], "a brand new passphrase")
    assert not is_signed_in(client)
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert not is_signed_in(fresh)
    # Signing in with the new password works as before.
    auth = Auth(app.test_client())
    assert auth.login("agent@example.nl", "a brand new passphrase").status_code == 302
    assert is_signed_in(auth.client)


def test_a_session_id_without_the_password_tag_is_refused(app, client, users):
    """An old-style or forged session id (the bare user id) signs in nobody."""
    with client.session_transaction() as session:
        session["_user_id"] = str(users[Role.ADMIN])
        session["_fresh"] = True
    assert not is_signed_in(client)


def test_an_admin_who_changes_their_own_password_stays_signed_in(app, client, users):
    auth = Auth(client)
    auth.login_as(Role.ADMIN)
    other = Auth(app.test_client())
    other.login_as(Role.ADMIN)
    path = f"/admin/users/{users[Role.ADMIN]}/edit"
    response = post_form(
        client,
        path,
        {
            "email": "admin@example.nl",
            "display_name": "Admin Tester",
            "role": "admin",
            "team_id": "",
            "active": "y",
            "password": "another long passphrase",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert is_signed_in(client)
    assert not is_signed_in(other.client)


# --- passwords -------------------------------------------------------------------------------


def test_passwords_are_stored_as_scrypt_hashes(app, tmp_path):
    # The suite runs with a cheap method (conftest); production keeps the default.
    assert build_config(tmp_path, {"SECRET_KEY": "x"})["PASSWORD_HASH_METHOD"] == "scrypt"
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    user_id = create_user(app, Role.AGENT, email="scrypt@example.nl")
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORD not in user.password_hash
        assert user.check_password(PASSWORD)
        assert not user.check_password(PASSWORD + "!")


def test_two_users_with_the_same_password_get_different_hashes(app, users):
    with app.app_context():
        hashes = {db.session.get(User, user_id).password_hash for user_id in users.values()}
    assert len(hashes) == len(users)


# --- rate limit -------------------------------------------------------------------------------


def attempts(client, emails, password="guess", address="192.0.2.1"):
    """Post a sign-in for each e-mail; the statuses, in order."""
    token = csrf_token(client)
    return [
        client.post(
            "/auth/login",
            data={"email": email, "password": password, "csrf_token": token},
            environ_base={"REMOTE_ADDR": address},
        ).status_code
        for email in emails
    ]


def test_too_many_sign_in_attempts_from_one_address_answer_429_with_the_real_wait(app_with):
    app = app_with(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    emails = [f"guess{n}@example.nl" for n in range(3)]
    assert attempts(client, emails) == [200, 200, 200]
    token = csrf_token(client)
    response = client.post(
        "/auth/login",
        data={"email": "x@example.nl", "password": "g", "csrf_token": token},
        environ_base={"REMOTE_ADDR": "192.0.2.1"},
    )
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 55 <= wait <= 60
    assert "Try again in 1 minute." in response.get_data(as_text=True)
    # The limit is on attempts, not on reading the page; other addresses go on.
    assert client.get("/auth/login").status_code == 200
    assert attempts(client, ["y@example.nl"], address="192.0.2.2") == [200]


def test_the_default_login_rate_limit_stops_the_eleventh_attempt_from_an_address(app_with):
    app = app_with(RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = attempts(client, [f"guess{n}@example.nl" for n in range(11)])
    assert statuses == [200] * 10 + [429]


def test_failed_sign_ins_to_one_account_slow_down_whatever_the_address(app_with):
    app = app_with(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="100 per minute", LOGIN_FREE_FAILURES=3)
    create_user(app, Role.AGENT)
    client = app.test_client()
    token = csrf_token(client)

    def attempt(email: str, password: str, address: str):
        data = {"email": email, "password": password, "csrf_token": token}
        return client.post("/auth/login", data=data, environ_base={"REMOTE_ADDR": address})

    statuses = [
        attempt("Agent@Example.nl ", "guess", f"198.51.100.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 200]
    waiting = attempt("agent@example.nl", "guess", "198.51.100.50")
    assert waiting.status_code == 429
    # The first wait is 2 seconds, and the page and the header say so.
    assert waiting.headers["Retry-After"] in {"1", "2"}
    page = waiting.get_data(as_text=True)
    assert f"Try again in {waiting.headers['Retry-After']} second" in page
    assert "a minute" not in page
    # Even the right password waits from a browser that never signed in to the account.
    assert attempt("agent@example.nl", PASSWORD, "198.51.100.99").status_code == 429
    # Another account is not affected.
    assert attempt("someone.else@example.nl", "guess", "198.51.100.1").status_code == 200


def test_a_stranger_guessing_cannot_lock_the_owner_out(app_with):
    """The attack of finding 4: wrong passwords for one account from many addresses.
    The owner's browser, which signed in before, still gets in at once."""
    app = app_with(RATELIMIT_ENABLED=True, LOGIN_FREE_FAILURES=3)
    create_user(app, Role.AGENT)
    owner = app.test_client()
    Auth(owner).login("agent@example.nl")
    Auth(owner).logout()
    attacker = app.test_client()
    for n in range(6):
        assert attempts(attacker, ["agent@example.nl"], address=f"203.0.113.{n}") in ([200], [429])
    assert attempts(attacker, ["agent@example.nl"], address="203.0.113.77") == [429]
    response = Auth(owner).login("agent@example.nl")
    assert response.status_code == 302
    assert is_signed_in(owner)


def test_a_forged_device_cookie_does_not_bypass_the_account_throttle(app_with):
    app = app_with(RATELIMIT_ENABLED=True, LOGIN_FREE_FAILURES=2)
    create_user(app, Role.AGENT)
    attacker = app.test_client()
    attacker.set_cookie("storyboard_device", "eyJmb3JnZWQiOiJ5ZXMifQ.forged", path="/auth/")
    assert attempts(attacker, ["agent@example.nl"] * 3, address="203.0.113.9") == [200, 200, 429]


def test_successful_sign_ins_do_not_count_as_failures(app_with):
    app = app_with(RATELIMIT_ENABLED=True, LOGIN_FREE_FAILURES=1)
    create_user(app, Role.AGENT)
    for n in range(4):
        client = app.test_client()
        assert Auth(client).login("agent@example.nl").status_code == 302, n


def test_sign_in_limits_hold_across_workers_sharing_the_database(app_with, tmp_path):
    """Two app instances on one database stand for two gunicorn workers (or hosts): the
    attempts are counted in the database, so the allowance is not multiplied."""
    first = app_with(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    second = make_app(
        Path(first.instance_path),
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="3 per minute",
        DATABASE_URL=first.config["SQLALCHEMY_DATABASE_URI"],
    )
    try:
        workers = [first.test_client(), second.test_client()]
        statuses = [attempts(workers[n % 2], [f"guess{n}@example.nl"])[0] for n in range(4)]
    finally:
        with second.app_context():
            db.engine.dispose()
    assert statuses == [200, 200, 200, 429]


def test_the_share_form_limit_is_counted_across_workers_in_redis(app_with):
    """Limits other than sign-in still use the configured storage: with Redis two app
    instances (two workers) share one count of public submissions."""
    import secrets

    pytest.importorskip("redis")
    import redis

    url = os.environ.get("STORYBOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis not reachable at {url}: {error}")
    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_KEY_PREFIX": f"storyboard-test-{secrets.token_hex(6)}",
        "SHARE_RATE_LIMIT": "3 per minute",
    }
    workers = [app_with(**settings).test_client(), app_with(**settings).test_client()]
    statuses = [
        post_form(
            workers[n % 2],
            "/share/",
            {
                "title": f"Geholpen {n}",
                "body": f"Een verhaal nummer {n} over snelle hulp.",
                "channel": "phone",
                "language": "nl",
                "consent_share": "y",
            },
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


# --- headers and cookies ---------------------------------------------------------------------


def test_security_headers_are_sent(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_error_pages_carry_the_security_headers_too(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"


def test_session_cookie_is_http_only_and_same_site_lax(client, auth, users):
    header = set_cookie_header(auth.login("agent@example.nl"), "session")
    assert header
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # the test app has SECURE_COOKIES off


def test_cookies_are_secure_when_secure_cookies_is_on(app_with):
    app = app_with(SECURE_COOKIES=True)
    create_user(app, Role.AGENT)
    client = app.test_client()
    https = "https://localhost"  # cookies marked Secure travel over https only
    page = client.get("/auth/login", base_url=https).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    # Over https Flask-WTF also wants a same-site Referer, as a browser sends it.
    response = client.post(
        "/auth/login",
        base_url=https,
        headers={"Referer": f"{https}/auth/login"},
        data={
            "email": "agent@example.nl",
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        header = set_cookie_header(response, name)
        assert "Secure" in header, name
        assert "HttpOnly" in header, name
        assert "SameSite=Lax" in header, name
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_every_role_can_sign_in_and_out(client, users):
    helper = Auth(client)
    for role in users:
        helper.login_as(role)
        assert is_signed_in(client)
        helper.logout()
        assert not is_signed_in(client)


@pytest.mark.parametrize("typed", ["/login", "/signin"])
def test_the_addresses_people_type_lead_to_the_sign_in_page(
    client: FlaskClient, typed: str
) -> None:
    response = client.get(typed)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    kept = client.get(f"{typed}?next=/search?q=pakket")
    assert urlsplit(kept.headers["Location"]).path == "/auth/login"
    assert parse_qs(urlsplit(kept.headers["Location"]).query) == {"next": ["/search?q=pakket"]}
    off_site = client.get(f"{typed}?next=https://evil.example/")
    assert off_site.headers["Location"] == "/auth/login"
