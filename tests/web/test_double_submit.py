"""Risky clicks (issue 21): unpublish, delete, withdraw and revoke ask first (every page
with such a button loads static/js/confirm.js), and the same confirmation posted twice,
with the same CSRF token as a double click sends it, acts once: the second answer is a
calm redirect with a message, with no second audit event and no webhook delivery."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from storyboard.db import db
from storyboard.models import (
    ApiToken,
    AuditEvent,
    Feature,
    Role,
    Story,
    StoryStatus,
    WebhookDelivery,
)
from tests.conftest import Auth, csrf_token, post_form
from tests.factories import add_feature, add_story, make_token
from tests.web.test_access import WEBHOOK_FORM

CONFIRM_SCRIPT = '<script src="/static/js/confirm.js?v='


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def audit_count(app: Flask, action: str) -> int:
    with app.app_context():
        return int(
            db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))
            or 0
        )


def deliveries(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(WebhookDelivery.id))) or 0)


def signed_in(app: Flask, role: Role) -> FlaskClient:
    client = app.test_client()
    Auth(client).login_as(role)
    return client


def with_a_webhook(app: Flask) -> None:
    """An active webhook for every event: a change that emitted one would show."""
    admin = signed_in(app, Role.ADMIN)
    data = {**WEBHOOK_FORM, "events": ["story.published", "story.featured"]}
    assert post_form(admin, "/admin/webhooks/new", data).status_code in (201, 302)


def twice(client: FlaskClient, path: str, token_from: str, **extra: str) -> tuple[Any, Any]:
    """The same form sent twice, with one CSRF token: a double click."""
    data = {"csrf_token": csrf_token(client, token_from), **extra}
    return client.post(path, data=data), client.post(path, data=data)


def flashes(client: FlaskClient, location: str) -> str:
    found = re.search(
        r'<div class="flashes" role="status">(.*?)</div>', text(client.get(location)), re.S
    )
    return found.group(1) if found else ""


def test_every_page_with_a_risky_button_loads_the_confirmation_script(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "A story to act on")
    feature = add_feature(app, story)
    assert feature
    make_token(app, users[Role.MANAGER], ["read"])
    with_a_webhook(app)
    manager = signed_in(app, Role.MANAGER)
    admin = signed_in(app, Role.ADMIN)
    pages = [
        (manager, f"/stories/{story}", 2),  # unpublish, delete (+ the feature's withdraw)
        (manager, "/features", 1),
        (manager, "/profile/", 1),
        (admin, "/admin/webhooks", 1),
    ]
    for client, path, at_least in pages:
        html = text(client.get(path))
        asks = re.findall(r'<form [^>]*data-confirm="[^"]+"', html)
        assert len(asks) >= at_least, path
        assert CONFIRM_SCRIPT in html, f"{path} asks with data-confirm but lacks confirm.js"
        # Once, however many buttons ask (a manager's story page has one per comment).
        assert html.count(CONFIRM_SCRIPT) == 1, path


def test_a_double_submitted_unpublish_acts_once(app: Flask, users: dict[Role, int]) -> None:
    with_a_webhook(app)
    story = add_story(app, "Unpublish me")
    before = deliveries(app)
    manager = signed_in(app, Role.MANAGER)
    first, second = twice(manager, f"/stories/{story}/unpublish", f"/stories/{story}")
    assert first.status_code == 302 and second.status_code == 303
    assert second.headers["Location"] == f"/stories/{story}"
    assert "already out of the archive; nothing changed" in flashes(manager, f"/stories/{story}")
    with app.app_context():
        assert db.session.get(Story, story).status is StoryStatus.DRAFT
    assert deliveries(app) == before


def test_a_double_submitted_delete_acts_once(app: Flask, users: dict[Role, int]) -> None:
    with_a_webhook(app)
    story = add_story(app, "Delete me")
    before = deliveries(app)
    manager = signed_in(app, Role.MANAGER)
    first, second = twice(manager, f"/stories/{story}/delete", f"/stories/{story}")
    assert first.status_code == 302 and second.status_code == 303
    assert second.headers["Location"] == "/stories/"
    assert "not there (any more); nothing changed" in flashes(manager, "/stories/")
    assert audit_count(app, "story.delete") == 1
    assert deliveries(app) == before
    with app.app_context():
        assert db.session.get(Story, story) is None


def test_a_double_submitted_feature_withdrawal_acts_once(
    app: Flask, users: dict[Role, int]
) -> None:
    with_a_webhook(app)
    story = add_story(app, "Featured, then not")
    feature = add_feature(app, story)
    before = deliveries(app)
    manager = signed_in(app, Role.MANAGER)
    first, second = twice(manager, f"/features/{feature}/withdraw", "/features")
    assert (first.status_code, second.status_code) == (302, 302)
    assert second.headers["Location"] == "/features"
    assert "already withdrawn" in flashes(manager, "/features")
    assert audit_count(app, "feature.withdraw") == 1
    assert deliveries(app) == before
    with app.app_context():
        assert db.session.get(Feature, feature).withdrawn_at is not None


def test_a_double_submitted_token_revocation_acts_once(app: Flask, users: dict[Role, int]) -> None:
    make_token(app, users[Role.STAKEHOLDER], ["read"])
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    stakeholder = signed_in(app, Role.STAKEHOLDER)
    first, second = twice(stakeholder, f"/profile/tokens/{token_id}/revoke", "/profile/")
    assert (first.status_code, second.status_code) == (302, 302)
    assert "already revoked" in flashes(stakeholder, "/profile/")
    assert audit_count(app, "token.revoke") == 1
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is not None


def test_a_double_submitted_erasure_on_the_customers_request_acts_once(
    app: Flask, users: dict[Role, int]
) -> None:
    from storyboard.models import CustomerSubmission
    from tests.customers.test_customer_stories import share

    share(app.test_client())
    with app.app_context():
        submission_id = db.session.scalar(select(CustomerSubmission.id))
    manager = signed_in(app, Role.MANAGER)
    page = f"/moderation/{submission_id}"
    first, second = twice(manager, f"{page}/erase", page)
    assert first.status_code == 302 and second.status_code == 303
    assert "already erased; nothing changed" in flashes(manager, "/moderation/")
    assert audit_count(app, "customer_story.erase") == 1


def _race(client: FlaskClient, path: str, token_from: str, times: int = 2) -> list[int]:
    """The same form sent ``times`` times at once from one signed-in browser, as an
    impatient double click does when the first answer is slow."""
    import threading

    data = {"csrf_token": csrf_token(client, token_from)}
    start = threading.Barrier(times)
    codes: list[int] = []

    def send() -> None:
        start.wait()
        codes.append(client.post(path, data=data).status_code)

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes


def test_racing_deletes_act_once(app: Flask, users: dict[Role, int]) -> None:
    manager = signed_in(app, Role.MANAGER)
    for round_ in range(3):
        story = add_story(app, f"Delete me in a race {round_}")
        codes = _race(manager, f"/stories/{story}/delete", f"/stories/{story}")
        assert sorted(codes) == [302, 303], codes
        assert audit_count(app, "story.delete") == round_ + 1


def test_racing_feature_withdrawals_act_once(app: Flask, users: dict[Role, int]) -> None:
    manager = signed_in(app, Role.MANAGER)
    for round_ in range(3):
        feature = add_feature(app, add_story(app, f"Featured in a race {round_}"))
        codes = _race(manager, f"/features/{feature}/withdraw", "/features")
        assert codes == [302, 302], codes
        assert audit_count(app, "feature.withdraw") == round_ + 1
