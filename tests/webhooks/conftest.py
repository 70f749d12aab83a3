"""A real HTTP receiver on loopback and helpers shared by the webhook tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flask import Flask
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import Role, User, WebhookDelivery
from storyboard.webhooks.delivery import send_due
from storyboard.webhooks.service import WebhookInput, save_webhook
from tests.conftest import Auth, detached_rows, post_form

SECRET = "a shared secret of some length"


@dataclass
class Receiver:
    """An HTTP server that records what it gets and answers with ``statuses`` in turn."""

    statuses: list[int] = field(default_factory=lambda: [204])
    received: list[dict[str, object]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_port}/hooks/storyboard"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append({"headers": dict(self.headers), "body": body, "path": self.path})
            status = state.statuses.pop(0) if len(state.statuses) > 1 else state.statuses[0]
            self.send_response(status)
            if status in (301, 302, 307):
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    state.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=state.server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.server.shutdown()
    state.server.server_close()


def add_webhook(
    app: Flask, url: str, events: tuple[str, ...] = ("story.published", "story.featured")
) -> int:
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
        hook, _secret = save_webhook(None, WebhookInput(url, SECRET, events, True), admin)
        db.session.commit()
        return hook.id


def deliveries(app: Flask) -> list[WebhookDelivery]:
    return detached_rows(app, WebhookDelivery)


def publish_through_the_form(app: Flask, title: str = "A present for today") -> int:
    client = app.test_client()
    Auth(client).login_as(Role.AGENT)
    response = post_form(
        client,
        "/stories/new",
        {
            "title": title,
            "body": "She stood up for the customer.",
            "channel": "phone",
            "language": "en",
            "team_id": "",
            "action": "publish",
        },
    )
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def send(app: Flask, **kwargs: object) -> int:
    with app.app_context():
        return send_due(**kwargs)
