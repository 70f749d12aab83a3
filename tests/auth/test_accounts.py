"""Your own password: changing it, a forgotten one by e-mail (through a real SMTP server on
loopback), and a new colleague's invitation."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from storyboard.auth import accounts
from storyboard.db import db
from storyboard.models import Role, User
from tests.conftest import PASSWORD, Auth, copy_database, make_app, post_form
from tests.mail_server import MailServer

NEW_PASSWORD = "a brand new passphrase"
AGENT = "agent@example.nl"
# A new colleague on the admin's form, without a password: an invitation.
INVITE = {
    "email": "new.colleague@example.nl",
    "display_name": "New Colleague",
    "role": "agent",
    "team_id": "",
    "active": "y",
    "password": "",
}


def wait_for_mail(server: MailServer, address: str, count: int = 1) -> str:
    """The newest e-mail to ``address`` once ``count`` have arrived (sent in the
    background, so the test waits for it as a person would)."""
    deadline = time.monotonic() + 30
    while len(server.to(address)) < count:
        assert time.monotonic() < deadline, f"no e-mail to {address} arrived"
        time.sleep(0.05)
    return str(server.to(address)[-1].get_content())


def link_in(body: str) -> str:
    match = re.search(r"https://stories\.example\.nl(/auth/\S+)", body)
    assert match, body
    return match.group(1)


def choose(client: FlaskClient, path: str, new: str, repeated: str | None = None):
    return post_form(
        client,
        path,
        {"new_password": new, "repeated_password": new if repeated is None else repeated},
    )


def data_for(current: str, new: str) -> dict[str, str]:
    return {"current_password": current, "new_password": new, "repeated_password": new}


def signs_in(app: Flask, email: str, password: str) -> bool:
    return Auth(app.test_client()).login(email, password).status_code == 302


# -- changing your own password ---------------------------------------------------------
def test_changing_your_password_needs_the_current_one_and_signs_out_other_browsers(
    app: Flask, users: dict[Role, int]
) -> None:
    here, elsewhere = Auth(app.test_client()), Auth(app.test_client())
    here.login_as(Role.AGENT)
    elsewhere.login_as(Role.AGENT)
    for current, new, repeated, message in [
        ("wrong password!", NEW_PASSWORD, NEW_PASSWORD, "That is not your current password."),
        (PASSWORD, NEW_PASSWORD, "something else", "The two new passwords are not the same."),
        (PASSWORD, "short", "short", "A password needs at least 10 characters."),
        (PASSWORD, PASSWORD, PASSWORD, "The new password is the same as the current one."),
    ]:
        data = {"current_password": current, "new_password": new, "repeated_password": repeated}
        refused = post_form(here.client, "/profile/password", data)
        assert refused.status_code == 400
        assert message in refused.get_data(as_text=True)
    assert signs_in(app, AGENT, PASSWORD)

    data = {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "repeated_password": NEW_PASSWORD,
    }
    changed = post_form(here.client, "/profile/password", data)
    assert changed.status_code == 302 and changed.headers["Location"] == "/profile/"
    assert here.client.get("/profile/").status_code == 200  # this browser stays in
    assert elsewhere.client.get("/profile/").status_code == 302  # the other is out
    assert signs_in(app, AGENT, NEW_PASSWORD)
    assert not signs_in(app, AGENT, PASSWORD)


def test_the_password_form_survives_hostile_input(app: Flask, users: dict[Role, int]) -> None:
    auth = Auth(app.test_client())
    auth.login_as(Role.AGENT)
    for data in [
        {},
        {
            "current_password": "x" * 5000,
            "new_password": "y" * 5000,
            "repeated_password": "y" * 5000,
        },
        {
            "current_password": PASSWORD,
            "new_password": "new\x00password!",
            "repeated_password": "new\x00password!",
        },
        {
            "current_password": ["a", "b"],
            "new_password": NEW_PASSWORD,
            "repeated_password": NEW_PASSWORD,
        },
    ]:
        assert post_form(auth.client, "/profile/password", data).status_code == 400
    forged = auth.client.post(
        "/profile/password",
        data={**data_for(PASSWORD, NEW_PASSWORD), "csrf_token": "forged"},
    )
    assert forged.status_code == 400
    assert signs_in(app, AGENT, PASSWORD)


def without_csrf_tokens(page: str) -> str:
    return re.sub(r'(name="csrf[-_]token"[^>]*(?:content|value)=")[^"]+"', r'\1"', page)


# -- a forgotten password ---------------------------------------------------------------
def test_a_reset_link_arrives_works_once_and_the_answer_never_tells_who_exists(
    app: Flask, client: FlaskClient, users: dict[Role, int], smtp_server: MailServer
) -> None:
    known = post_form(client, "/auth/forgot", {"email": AGENT})
    unknown = post_form(client, "/auth/forgot", {"email": "nobody@example.nl"})
    assert known.status_code == unknown.status_code == 200
    # The same page but for the address typed (and the CSRF token, which carries the
    # second it was made in).
    assert without_csrf_tokens(known.get_data(as_text=True)).replace(
        AGENT, "@"
    ) == without_csrf_tokens(unknown.get_data(as_text=True)).replace("nobody@example.nl", "@")
    with app.app_context():
        assert accounts.send_reset_link("nobody@example.nl") is None  # nothing is sent

    path = link_in(wait_for_mail(smtp_server, AGENT))
    assert client.get(path).status_code == 200
    refused = choose(client, path, NEW_PASSWORD, "not the same at all")
    assert refused.status_code == 400
    assert "The two new passwords are not the same." in refused.get_data(as_text=True)
    done = choose(client, path, NEW_PASSWORD)
    assert done.status_code == 302 and done.headers["Location"] == "/auth/login"
    assert signs_in(app, AGENT, NEW_PASSWORD)

    again = client.get(path)
    assert again.status_code == 410
    assert "expired or was used already" in again.get_data(as_text=True)
    assert choose(client, path, "yet another passphrase").status_code == 410
    assert signs_in(app, AGENT, NEW_PASSWORD)
    assert smtp_server.messages[0]["Subject"] == "Storyboard: choose a new password"


def test_a_reset_link_expires_after_an_hour(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    with app.app_context():
        user = db.session.get(User, users[Role.AGENT])
        assert user is not None
        fresh = accounts.link_token(user, accounts.RESET, now=time.time() - 3500)
        stale = accounts.link_token(user, accounts.RESET, now=time.time() - 3700)
        assert accounts.user_for_token(fresh, accounts.RESET) == user
        assert accounts.user_for_token(stale, accounts.RESET) is None
        # A reset link is no invitation, and the other way round.
        assert accounts.user_for_token(fresh, accounts.INVITATION) is None
    assert client.get(f"/auth/reset/{stale}").status_code == 410
    assert client.get(f"/auth/reset/{fresh}").status_code == 200
    assert client.get(f"/auth/reset/{fresh[:-3]}xyz").status_code == 410


def test_reset_requests_are_rate_limited(tmp_path: Path, migrated_db: Path) -> None:
    instance = tmp_path / "limited"
    instance.mkdir()
    copy_database(migrated_db, instance / "storyboard.db")
    app = make_app(instance, RATELIMIT_ENABLED=True, RESET_RATE_LIMIT="2 per hour")
    client = app.test_client()
    for _ in range(2):
        assert post_form(client, "/auth/forgot", {"email": "x@example.nl"}).status_code == 200
    assert post_form(client, "/auth/forgot", {"email": "x@example.nl"}).status_code == 429
    assert client.get("/auth/forgot").status_code == 200  # only asking is limited


def test_the_forgot_form_refuses_bad_input_with_a_message(client: FlaskClient) -> None:
    for email in ["", "x" * 5000]:
        response = post_form(client, "/auth/forgot", {"email": email})
        assert response.status_code == 400
        assert 'class="form-errors"' in response.get_data(as_text=True)


# -- inviting a new colleague -----------------------------------------------------------
def test_an_admin_invites_a_colleague_who_chooses_their_own_password(
    app: Flask, users: dict[Role, int], smtp_server: MailServer
) -> None:
    admin = Auth(app.test_client())
    admin.login_as(Role.ADMIN)
    saved = post_form(admin.client, "/admin/users/new", INVITE)
    assert saved.status_code == 302
    page = admin.client.get("/admin/users").get_data(as_text=True)
    assert "e-mailed an invitation to new.colleague@example.nl" in page

    body = wait_for_mail(smtp_server, "new.colleague@example.nl")
    assert "Admin Tester made you an account" in body
    path = link_in(body)
    assert urlsplit(path).path.startswith("/auth/welcome/")
    newcomer = app.test_client()
    assert "new.colleague@example.nl" in newcomer.get(path).get_data(as_text=True)
    assert choose(newcomer, path, NEW_PASSWORD).status_code == 302
    assert signs_in(app, "new.colleague@example.nl", NEW_PASSWORD)
    assert newcomer.get(path).status_code == 410


def test_without_a_mail_server_an_admin_types_the_first_password(
    app: Flask, users: dict[Role, int]
) -> None:
    admin = Auth(app.test_client())
    admin.login_as(Role.ADMIN)
    refused = post_form(admin.client, "/admin/users/new", INVITE)
    assert refused.status_code == 400
    assert "No mail server is configured" in refused.get_data(as_text=True)


@pytest.mark.parametrize("purpose", [accounts.RESET, accounts.INVITATION])
def test_a_deactivated_account_gets_no_working_link(
    app: Flask, users: dict[Role, int], purpose: str
) -> None:
    with app.app_context():
        user = db.session.get(User, users[Role.AGENT])
        assert user is not None
        token = accounts.link_token(user, purpose)
        user.active = False
        db.session.commit()
        assert accounts.user_for_token(token, purpose) is None
