"""Outgoing webhooks against a real HTTP receiver on loopback: queued with the event,
sent by the worker, signed, retried with backoff, finally marked failed.

The receiver listens on 127.0.0.1, so these tests allow private addresses
(``WEBHOOK_ALLOW_PRIVATE``); test_private_addresses.py covers the default, which refuses
them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from storyboard.curation.service import feature_story
from storyboard.db import db, utcnow
from storyboard.models import (
    AuthorKind,
    FeatureKind,
    Language,
    Role,
    SeededChannel,
    Story,
    StoryStatus,
    User,
    Webhook,
    WebhookDelivery,
    WebhookDeliveryStatus,
)
from storyboard.webhooks.delivery import MAX_ATTEMPTS, retry_delay
from storyboard.webhooks.signing import verify
from storyboard.weeks import IsoWeek
from tests.conftest import Auth, csrf_token, post_form
from tests.webhooks.conftest import (
    SECRET,
    Receiver,
    add_webhook,
    deliveries,
    publish_through_the_form,
    send,
)


@pytest.fixture(autouse=True)
def allow_private_addresses(app: Flask) -> None:
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True


def test_publishing_queues_a_delivery_that_the_worker_sends_signed(
    app: Flask, users, receiver: Receiver
) -> None:
    add_webhook(app, receiver.url)
    story_id = publish_through_the_form(app)
    # The request only queued it: the receiver has heard nothing yet.
    assert receiver.received == []
    [queued] = deliveries(app)
    assert (queued.event, queued.status) == ("story.published", WebhookDeliveryStatus.PENDING)

    assert send(app) == 1
    [got] = receiver.received
    headers, body = got["headers"], got["body"]
    assert headers["X-Storyboard-Event"] == "story.published"
    assert headers["Content-Type"] == "application/json"
    assert verify(
        SECRET, headers["X-Storyboard-Timestamp"], body, headers["X-Storyboard-Signature"]
    )
    assert not verify(
        "another secret entirely",
        headers["X-Storyboard-Timestamp"],
        body,
        headers["X-Storyboard-Signature"],
    )
    assert not verify(
        SECRET, headers["X-Storyboard-Timestamp"], body + b" ", headers["X-Storyboard-Signature"]
    )
    payload = json.loads(body)
    assert payload["event"] == "story.published"
    assert payload["story"]["id"] == story_id and payload["story"]["title"] == "A present for today"
    [sent] = deliveries(app)
    assert (sent.status, sent.attempts, sent.last_status) == (WebhookDeliveryStatus.SENT, 1, 204)
    assert send(app) == 0  # nothing is sent twice


def test_featuring_a_story_sends_its_own_event(app: Flask, users, receiver: Receiver) -> None:
    add_webhook(app, receiver.url, events=("story.featured",))
    story_id = publish_through_the_form(app)
    assert deliveries(app) == []  # this webhook does not want "published"
    with app.app_context():
        manager = db.session.get(User, users[Role.MANAGER])
        feature_story(
            db.session.get(Story, story_id),
            None,
            IsoWeek.current(),
            "One father, not a 99 % score",
            FeatureKind.PRAISE,
            manager,
        )
        db.session.commit()
    send(app)
    payload = json.loads(receiver.received[0]["body"])
    assert payload["event"] == "story.featured"
    assert payload["feature"]["note"] == "One father, not a 99 % score"


def test_nothing_is_queued_when_the_change_rolls_back(
    app: Flask, users, receiver: Receiver
) -> None:
    add_webhook(app, receiver.url)
    with app.app_context():
        story = Story(
            title="Never saved",
            body="x",
            body_html="<p>x</p>",
            channel=SeededChannel.PHONE,
            language=Language.EN,
            author_kind=AuthorKind.AGENT,
            status=StoryStatus.PUBLISHED,
            published_at=utcnow(),
        )
        db.session.add(story)
        db.session.flush()
        assert db.session.scalar(select(db.func.count(WebhookDelivery.id))) == 1
        db.session.rollback()
    assert deliveries(app) == []


def test_a_failing_receiver_is_retried_with_backoff_then_marked_failed(
    app: Flask, users, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    add_webhook(app, receiver.url)
    publish_through_the_form(app)
    now = utcnow()
    assert send(app, now=now) == 1
    [first] = deliveries(app)
    assert (first.status, first.attempts, first.last_status) == (
        WebhookDeliveryStatus.PENDING,
        1,
        500,
    )
    assert first.next_attempt_at == now + retry_delay(1)
    assert send(app, now=now + timedelta(seconds=5)) == 0  # not due yet
    moment = now
    for attempt in range(2, MAX_ATTEMPTS + 1):
        moment += retry_delay(attempt - 1) + timedelta(seconds=1)
        assert send(app, now=moment) == 1
    [last] = deliveries(app)
    assert (last.status, last.attempts) == (WebhookDeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert "HTTP 500" in last.last_error
    assert len(receiver.received) == MAX_ATTEMPTS
    assert send(app, now=moment + timedelta(days=1)) == 0
    assert retry_delay(1) < retry_delay(2) < retry_delay(3) <= retry_delay(30)


def test_a_receiver_that_recovers_gets_the_delivery(app: Flask, users, receiver: Receiver) -> None:
    receiver.statuses = [503, 200]
    add_webhook(app, receiver.url)
    publish_through_the_form(app)
    now = utcnow()
    send(app, now=now)
    send(app, now=now + retry_delay(1))
    [delivery] = deliveries(app)
    assert (delivery.status, delivery.attempts) == (WebhookDeliveryStatus.SENT, 2)


def test_unreachable_and_redirecting_receivers_are_failures(
    app: Flask, users, receiver: Receiver
) -> None:
    from tests.conftest import free_port

    add_webhook(app, f"http://127.0.0.1:{free_port()}/nobody-listens")
    receiver.statuses = [302]
    add_webhook(app, receiver.url)
    publish_through_the_form(app)
    assert send(app) == 2
    refused, redirected = deliveries(app)
    assert refused.last_status is None and "Connection" in refused.last_error
    assert redirected.last_status == 302
    assert {refused.status, redirected.status} == {WebhookDeliveryStatus.PENDING}


def test_a_claim_keeps_a_second_worker_away_until_it_expires(
    app: Flask, users, receiver: Receiver
) -> None:
    from storyboard.webhooks.delivery import CLAIM_FOR, _claim

    add_webhook(app, receiver.url)
    publish_through_the_form(app)
    [queued] = deliveries(app)
    now = utcnow()
    with app.app_context():
        assert _claim(queued.id, now)  # a worker took it, then died
        assert not _claim(queued.id, now)
    assert send(app, now=now) == 0
    assert send(app, now=now + CLAIM_FOR + timedelta(seconds=1)) == 1
    assert len(receiver.received) == 1


def test_the_worker_command_sends_what_is_due(app: Flask, users, receiver: Receiver) -> None:
    add_webhook(app, receiver.url)
    publish_through_the_form(app)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Webhook deliveries attempted: 1" in result.output
    assert len(receiver.received) == 1


def test_admins_add_a_webhook_see_its_secret_once_and_its_log(
    app: Flask, users, receiver: Receiver
) -> None:
    client = app.test_client()
    Auth(client).login_as(Role.ADMIN)
    response = post_form(
        client,
        "/admin/webhooks/new",
        {"url": receiver.url, "secret": "", "events": ["story.published"], "active": "y"},
    )
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    with app.app_context():
        secret = db.session.scalar(select(Webhook.secret))
    assert secret and secret in page
    assert secret not in client.get("/admin/webhooks").get_data(as_text=True)
    for bad in (
        "javascript:alert(1)",
        "ftp://example.nl/x",
        "https://user:pw@example.nl/",
        "not a url",
        "",
    ):
        refused = post_form(
            client,
            "/admin/webhooks/new",
            {"url": bad, "events": ["story.published"], "active": "y"},
            token_from="/admin/webhooks/new",
        )
        assert refused.status_code == 400, bad
    receiver.statuses = [500]
    publish_through_the_form(app)
    with app.app_context():
        delivery = db.session.scalar(select(WebhookDelivery))
        delivery.status = WebhookDeliveryStatus.FAILED
        delivery.last_error = "HTTP 500 Internal Server Error"
        db.session.commit()
        delivery_id = delivery.id
    log = client.get("/admin/webhooks").get_data(as_text=True)
    assert "HTTP 500 Internal Server Error" in log and "Send again" in log
    retried = client.post(
        f"/admin/webhooks/deliveries/{delivery_id}/retry",
        data={"csrf_token": csrf_token(client, "/admin/webhooks")},
    )
    assert retried.status_code == 302
    [again] = deliveries(app)
    assert (again.status, again.attempts) == (WebhookDeliveryStatus.PENDING, 0)


@pytest.mark.slow
def test_the_worker_process_sends_what_waited_for_it_and_stops_on_sigterm(
    app: Flask, users, receiver: Receiver
) -> None:
    add_webhook(app, receiver.url)
    publish_through_the_form(app)  # no worker runs yet: the delivery waits in the database
    env = {
        **os.environ,
        "STORYBOARD_INSTANCE_PATH": app.instance_path,
        "STORYBOARD_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "STORYBOARD_SECRET_KEY": app.config["SECRET_KEY"],
        "STORYBOARD_DEFAULT_LOCALE": "en",
        "STORYBOARD_SECURE_COOKIES": "false",
        "STORYBOARD_WEBHOOK_ALLOW_PRIVATE": "true",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from storyboard.cli import main; main()",
            "worker",
            "--interval",
            "0.2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not receiver.received and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "Webhook deliveries attempted: 1" in output
    assert len(receiver.received) == 1
    [delivery] = deliveries(app)
    assert delivery.status is WebhookDeliveryStatus.SENT
