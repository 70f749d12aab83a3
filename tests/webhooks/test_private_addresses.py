"""A webhook cannot be aimed at the portal's own host or a private network: refused when
saved, and again when sent (a name that resolves to loopback only later, DNS rebinding,
is refused at the connection), unless ``STORYBOARD_WEBHOOK_ALLOW_PRIVATE`` is set."""

from __future__ import annotations

import socket

import pytest
from flask import Flask
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import Role, User, Webhook
from storyboard.webhooks import addresses
from storyboard.webhooks.service import WebhookError, WebhookInput, save_webhook
from tests.conftest import Auth, post_form
from tests.webhooks.conftest import (
    SECRET,
    Receiver,
    add_webhook,
    deliveries,
    publish_through_the_form,
    send,
)

PRIVATE_ADDRESSES = [
    "http://127.0.0.1:{port}/hooks",
    "http://localhost/",
    "http://10.0.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "https://192.168.1.20/",
    "http://172.16.0.5/",
    "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fe80::1]/",
    "http://2130706433/",  # 127.0.0.1 written as one number
]


def save(app: Flask, url: str) -> None:
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
        try:
            save_webhook(None, WebhookInput(url, SECRET, ("story.published",), True), admin)
            db.session.commit()
        finally:
            db.session.rollback()


def test_private_addresses_are_refused_by_default(app: Flask) -> None:
    assert app.config["WEBHOOK_ALLOW_PRIVATE"] is False


@pytest.mark.parametrize("url", PRIVATE_ADDRESSES)
def test_a_webhook_to_this_host_or_a_private_network_is_refused(
    app: Flask, users, url: str
) -> None:
    with pytest.raises(WebhookError, match="public internet addresses only"):
        save(app, url.format(port=8000))


def test_the_admin_form_says_why_the_address_is_refused(app: Flask, users) -> None:
    client = app.test_client()
    Auth(client).login_as(Role.ADMIN)
    for url in (
        "http://127.0.0.1:8000/hooks",
        "http://localhost/",
        "http://10.0.0.1/",
        "http://169.254.169.254/",
        "http://[::1]/",
    ):
        response = post_form(
            client,
            "/admin/webhooks/new",
            {"url": url, "secret": "", "events": ["story.published"], "active": "y"},
        )
        assert response.status_code == 400, url
        page = response.get_data(as_text=True)
        assert "Webhooks go to public internet addresses only" in page, url
        assert "STORYBOARD_WEBHOOK_ALLOW_PRIVATE" in page
    with app.app_context():
        assert db.session.scalar(select(Webhook)) is None


def test_the_setting_allows_a_receiver_on_this_host(app: Flask, users) -> None:
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    save(app, "http://127.0.0.1:8000/hooks")
    save(app, "http://localhost/")
    with app.app_context():
        assert len(db.session.scalars(select(Webhook)).all()) == 2


def test_a_name_that_does_not_resolve_can_be_saved_and_is_checked_when_sent(
    app: Flask, users
) -> None:
    save(app, "https://hooks.invalid/storyboard")  # .invalid never resolves


def test_a_delivery_to_a_name_that_resolves_to_loopback_is_refused_when_sent(
    app: Flask, users, receiver: Receiver
) -> None:
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True  # saved while allowed ...
    add_webhook(app, receiver.url.replace("127.0.0.1", "localhost"))
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False  # ... sent after it was turned off
    publish_through_the_form(app)
    assert send(app) == 1
    assert receiver.received == []
    [refused] = deliveries(app)
    assert refused.last_status is None
    assert refused.last_error.startswith("Refused: localhost resolves to 127.0.0.1")
    assert "STORYBOARD_WEBHOOK_ALLOW_PRIVATE=true" in refused.last_error


def test_dns_rebinding_to_loopback_is_refused_at_the_connection(
    app: Flask, users, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name resolves to a public address when the webhook is saved and to loopback
    when the delivery connects: the connection checks what it connects to."""
    port = receiver.url.split(":")[2].split("/")[0]
    answers = {"hooks.example.com": [(socket.AF_INET, ("93.184.215.14", int(port)))]}
    monkeypatch.setattr(addresses, "resolve", lambda host, port: answers[host])
    add_webhook(app, f"http://hooks.example.com:{port}/hooks/storyboard")
    answers["hooks.example.com"] = [(socket.AF_INET, ("127.0.0.1", int(port)))]
    publish_through_the_form(app)
    assert send(app) == 1
    assert receiver.received == []
    [refused] = deliveries(app)
    assert refused.last_error.startswith("Refused: hooks.example.com resolves to 127.0.0.1")

    # Allowed, the delivery goes to the address that was checked, not to a fresh lookup
    # (hooks.example.com resolves nowhere else in this test).
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    publish_through_the_form(app, title="Another present")
    send(app)
    assert len(receiver.received) == 1
    assert receiver.received[0]["headers"]["Host"] == f"hooks.example.com:{port}"
