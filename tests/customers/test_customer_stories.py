"""Customer stories end to end through the web: the public form with its bad inputs,
scrubbing, moderation, visibility, withdrawal (database and search index), erasure on
request, retention, rate limit and honeypot."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from storyboard.db import db, utcnow
from storyboard.models import (
    AuditEvent,
    CustomerSubmission,
    Role,
    Story,
    StoryStatus,
    SubmissionStatus,
)
from storyboard.search import service as search
from storyboard.search.backend import SearchRequest
from tests.conftest import Auth, detached_rows, make_app, post_form

FORM = {
    "title": "The courier waited for me",
    "channel": "phone",
    "language": "en",
    "body": "Ring me on 06-12345678 or jan@example.nl. Zebrafinch kindness!",
    "first_name": "Anna",
    "email": "anna@example.nl",
    "helped_by": "Sanne",
    "consent_share": "y",
    "consent_name": "y",
}


def share(client: FlaskClient, **changes: Any) -> Any:
    data = {**FORM, **changes}
    return post_form(client, "/share/", {k: v for k, v in data.items() if v is not None})


def status_path(response: Any) -> str:
    match = re.search(
        r'value="http://localhost(/share/status/[^"]+)"', response.get_data(as_text=True)
    )
    assert match, response.get_data(as_text=True)[:3000]
    return match.group(1)


def submissions(app: Flask) -> list[CustomerSubmission]:
    return detached_rows(app, CustomerSubmission)


def found(app: Flask, words: str) -> set[int]:
    with app.app_context():
        return {hit.story_id for hit in search.search_stories(SearchRequest(text=words)).hits}


def manager(app: Flask) -> Auth:
    auth = Auth(app.test_client())
    auth.login_as(Role.MANAGER)
    return auth


def approve(app: Flask, submission_id: int, **changes: str) -> Any:
    auth = manager(app)
    page = auth.client.get(f"/moderation/{submission_id}").get_data(as_text=True)
    title = re.search(r'id="title"[^>]*value="([^"]*)"', page)
    body = re.search(r'<textarea[^>]*id="body"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert title and body
    import html as html_module

    data = {
        "title": html_module.unescape(title.group(1)),
        "body": html_module.unescape(body.group(1)),
        "channel": "phone",
        "language": "en",
        "team_id": "",
        "action": "approve",
        **changes,
    }
    return post_form(auth.client, f"/moderation/{submission_id}", data)


def test_a_story_arrives_scrubbed_and_pending_with_a_private_receipt(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    response = share(client)
    assert response.status_code == 200
    assert re.search(r'data-testid="reference">SB-[A-Z2-9]{6}<', response.get_data(as_text=True))
    token = status_path(response).rsplit("/", 1)[1]
    [submission] = submissions(app)
    assert submission.status is SubmissionStatus.PENDING
    assert token not in submission.token_hash and len(submission.token_hash) == 64
    assert submission.original_body == FORM["body"]
    with app.app_context():
        story = db.session.get(Story, submission.story_id)
        assert story.status is StoryStatus.PENDING and story.author_id is None
        assert "06-12345678" not in story.body and "jan@example.nl" not in story.body
        assert "[phone]" in story.body and "[e-mail]" in story.body
        assert "Helped by: Sanne" in story.body
    assert client.get(status_path(response)).status_code == 200


@pytest.mark.parametrize("role", [Role.AGENT, Role.STAKEHOLDER, Role.ADMIN])
def test_pending_and_rejected_stories_are_invisible_outside_moderation(
    app: Flask, client: FlaskClient, users: dict[Role, int], role: Role
) -> None:
    share(client)
    share(client, title="Another one", body="Zebrafinch again, a second story")
    [first, second] = submissions(app)
    auth = manager(app)
    post_form(
        auth.client,
        f"/moderation/{second.id}/reject",
        {"reason": "Not about us"},
        token_from="/moderation/",
    )
    reader = Auth(app.test_client())
    reader.login_as(role)
    for submission in (first, second):
        assert reader.client.get(f"/stories/{submission.story_id}").status_code == 404
    listing = reader.client.get("/stories/").get_data(as_text=True)
    assert "The courier waited for me" not in listing and "Another one" not in listing
    assert found(app, "zebrafinch") == set()
    assert reader.client.get("/moderation/").status_code == 403
    if role is not Role.AGENT:  # agents have no dashboard or digest
        dashboard = reader.client.get("/dashboard/").get_data(as_text=True)
        digest = reader.client.get(f"/digest/{_this_week()}").get_data(as_text=True)
        for page in (dashboard, digest):
            assert "The courier waited for me" not in page and "Another one" not in page


def test_a_moderator_publishes_the_edited_story_with_the_name_only_if_allowed(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    share(client)
    share(client, title="No name please", body="Zebrafinch without a name", consent_name=None)
    [named, anonymous] = submissions(app)
    review = manager(app).client.get(f"/moderation/{named.id}").get_data(as_text=True)
    assert '<mark class="hit" title="phone number">06-12345678</mark>' in review
    assert approve(app, named.id, title="The courier who waited").status_code == 302
    assert approve(app, anonymous.id).status_code == 302
    stakeholder = Auth(app.test_client())
    stakeholder.login_as(Role.STAKEHOLDER)
    page = stakeholder.client.get(f"/stories/{named.story_id}").get_data(as_text=True)
    assert "The courier who waited" in page and "Told by Anna" in page
    assert "06-12345678" not in page and "anna@example.nl" not in page
    page = stakeholder.client.get(f"/stories/{anonymous.story_id}").get_data(as_text=True)
    assert "Told by a customer" in page and "Anna" not in page
    assert found(app, "zebrafinch") == {named.story_id, anonymous.story_id}
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).where(AuditEvent.action == "customer_story.approve")
            )
            == 2
        )


def test_a_rejection_needs_a_reason_and_the_customer_reads_it(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    path = status_path(share(client))
    [submission] = submissions(app)
    auth = manager(app)
    url = f"/moderation/{submission.id}/reject"
    assert (
        post_form(auth.client, url, {"reason": "   "}, token_from="/moderation/").status_code == 400
    )
    post_form(
        auth.client,
        url,
        {"reason": "It names a colleague's home address"},
        token_from="/moderation/",
    )
    page = client.get(path).get_data(as_text=True)
    assert "We decided not to share your story. Our reason:" in page
    assert "It names a colleague&#39;s home address" in page
    late = post_form(
        auth.client,
        f"/moderation/{submission.id}",
        {
            "title": "Publish anyway",
            "body": "x",
            "channel": "phone",
            "language": "en",
            "team_id": "",
            "action": "approve",
        },
        token_from="/moderation/",
    )
    assert late.status_code == 302  # decided already: refused with a message
    assert "already decided on" in auth.client.get("/moderation/").get_data(as_text=True)
    assert submissions(app)[0].status is SubmissionStatus.REJECTED


def test_withdrawal_erases_the_story_the_details_and_the_index_entry(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    path = status_path(share(client))
    [submission] = submissions(app)
    approve(app, submission.id)
    assert found(app, "zebrafinch") == {submission.story_id}
    # Nothing is erased before the customer ticks the confirmation.
    unconfirmed = post_form(client, f"{path}/withdraw", {}, token_from=path)
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in unconfirmed.get_data(as_text=True)
    assert submissions(app)[0].status is SubmissionStatus.APPROVED
    response = post_form(client, f"{path}/withdraw", {"confirm": "y"}, token_from=path)
    assert response.status_code == 303
    assert "taken back and erased" in client.get(path).get_data(as_text=True)
    [after] = submissions(app)
    assert after.status is SubmissionStatus.WITHDRAWN and after.story_id is None
    assert (
        after.original_body,
        after.original_title,
        after.first_name,
        after.contact_email,
        after.helped_by,
    ) == (None, None, None, None, None)
    with app.app_context():
        assert db.session.get(Story, submission.story_id) is None
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "customer_story.withdraw")
        ).one()
        assert event.detail == submission.reference
        assert event.actor_label == "customer (private link)"
    assert found(app, "zebrafinch") == set()
    assert "taken back" in client.get(path).get_data(as_text=True)
    # Withdrawing again changes nothing and still says so.
    again = post_form(client, f"{path}/withdraw", {"confirm": "y"}, token_from=path)
    assert again.status_code == 303
    assert "already taken back" in client.get(path).get_data(as_text=True)


def test_a_withdrawn_story_leaves_its_weeks_digest(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    from storyboard.digest.builder import build_digest
    from storyboard.weeks import IsoWeek, app_timezone

    path = status_path(share(client))
    [submission] = submissions(app)
    approve(app, submission.id)
    with app.app_context():
        week = IsoWeek.at(utcnow(), app_timezone())
        assert [s.id for s in build_digest(week).appreciated] == [submission.story_id]
    post_form(client, f"{path}/withdraw", {"confirm": "y"}, token_from=path)
    with app.app_context():
        assert build_digest(week).appreciated == ()


def test_forged_tokens_and_unknown_submissions_get_404(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    share(client)
    for token in ("nope", "x" * 300, "%00"):
        assert client.get(f"/share/status/{token}").status_code == 404
        assert (
            post_form(
                client, f"/share/status/{token}/withdraw", {"confirm": "y"}, token_from="/share/"
            ).status_code
            == 404
        )
    auth = manager(app)
    assert auth.client.get("/moderation/99999").status_code == 404
    assert submissions(app)[0].status is SubmissionStatus.PENDING


def test_a_manager_erases_on_request(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    share(client)
    [submission] = submissions(app)
    auth = manager(app)
    post_form(auth.client, f"/moderation/{submission.id}/erase", {}, token_from="/moderation/")
    [after] = submissions(app)
    assert after.status is SubmissionStatus.WITHDRAWN and after.original_body is None
    with app.app_context():
        assert (
            db.session.scalar(
                select(AuditEvent.actor_label).where(AuditEvent.action == "customer_story.erase")
            )
            == "manager@example.nl"
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent_share": None}, "We can only accept your story with this permission."),
        ({"consent_share": "false"}, "We can only accept your story with this permission."),
        ({"body": ""}, "the story is empty"),
        ({"body": "   \n\u200b "}, "the story is empty"),
        ({"title": ""}, "Give your story a short title."),
        ({"body": "x" * 100_000}, "10,000"),
        ({"email": "not-an-address"}, "does not look like an e-mail address"),
        ({"channel": "fax"}, "Unknown channel"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(
    app: Flask, client: FlaskClient, users: dict[Role, int], changes: dict[str, Any], message: str
) -> None:
    response = share(client, **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert submissions(app) == []


def test_html_is_escaped_and_emoji_and_right_to_left_text_kept(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    script = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    share(
        client,
        title=f"🎂 {script}",
        body=f"مرحبا 🎁 {script} [x](javascript:alert(1))",
        first_name=script[:60],
        helped_by=script[:120],
    )
    [submission] = submissions(app)
    auth = manager(app)
    review = auth.client.get(f"/moderation/{submission.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in review and "&lt;script&gt;" in review
    with app.app_context():
        story = db.session.get(Story, submission.story_id)
        assert story.title.startswith("🎂") and "مرحبا 🎁" in story.body
        assert "<script" not in story.body_html and "javascript:" not in story.body_html
        assert "onerror" not in story.body_html


def test_the_same_story_twice_within_a_minute_is_one(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    first = status_path(share(client))
    again = share(client, body=FORM["body"].upper())  # case and spacing do not matter
    assert "already received this story" in again.get_data(as_text=True)
    assert len(submissions(app)) == 1
    assert client.get(first).status_code == 404  # replaced by the new link
    assert client.get(status_path(again)).status_code == 200


def test_honeypot_and_rate_limit_stop_bots_and_floods_kindly(
    tmp_path: Any, migrated_db: Any
) -> None:
    from tests.conftest import copy_database

    instance = tmp_path / "limited"
    instance.mkdir()
    copy_database(migrated_db, instance / "storyboard.db")
    app = make_app(instance, RATELIMIT_ENABLED=True, SHARE_RATE_LIMIT="2 per 2 seconds")
    client = app.test_client()
    bot = share(client, website="http://spam.example")
    assert bot.status_code == 200 and "We received your message." in bot.get_data(as_text=True)
    assert submissions(app) == []
    time.sleep(2.1)
    assert share(client, title="One").status_code == 200
    assert share(client, title="Two").status_code == 200
    flood = share(client, title="Three")
    assert flood.status_code == 429 and "Slow down a little" in flood.get_data(as_text=True)
    time.sleep(2.1)
    assert share(client, title="Four").status_code == 200
    assert [s.original_title for s in submissions(app)] == ["One", "Two", "Four"]
    with app.app_context():
        db.engine.dispose()


def test_originals_are_purged_after_the_retention_time(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    share(client, title="Old one", body="Decided long ago")
    share(client, title="New one", body="Decided today")
    old, new = submissions(app)
    approve(app, old.id)
    approve(app, new.id)
    with app.app_context():
        db.session.get(CustomerSubmission, old.id).decided_at = utcnow() - timedelta(days=31)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-originals"])
    assert result.exit_code == 0 and "Purged the original text of 1 customer story" in result.output
    old, new = submissions(app)
    assert old.original_body is None and old.contact_email is None and old.purged_at
    assert new.original_body == "Decided today"
    with app.app_context():
        assert db.session.get(Story, old.story_id).status is StoryStatus.PUBLISHED


def test_order_numbers_are_masked_with_the_configured_pattern(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    app.config["ORDER_NUMBER_PATTERN"] = r"\bORD-\d{6}\b"
    share(client, body="My parcel ORD-123456 arrived broken, zebrafinch sad")
    [submission] = submissions(app)
    with app.app_context():
        assert "[order number]" in db.session.get(Story, submission.story_id).body


def test_a_broken_order_number_pattern_stops_the_app_at_start(tmp_path: Any) -> None:
    with pytest.raises(ValueError, match="ORDER_NUMBER_PATTERN is not a valid regular"):
        make_app(tmp_path / "x", ORDER_NUMBER_PATTERN="ORD-(")


def _this_week() -> str:
    from storyboard.weeks import IsoWeek

    return str(IsoWeek.current("Europe/Amsterdam"))


def test_the_form_preselects_no_channel_and_asks_for_one(client: FlaskClient) -> None:
    page = client.get("/share/").get_data(as_text=True)
    channel = re.search(r'<select[^>]*name="channel"[^>]*>(.*?)</select>', page, re.S)
    assert channel and "selected" not in channel.group(1)
    assert re.search(r'<option value=""[^>]*>Choose…</option>', channel.group(1))
    refused = share(client, channel="")
    assert refused.status_code == 400
    assert "Choose how you contacted us." in refused.get_data(as_text=True)


def test_after_publishing_the_moderator_is_on_the_story_ready_to_feature_it(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    share(client)
    [submission] = submissions(app)
    review = manager(app).client.get(f"/moderation/{submission.id}").get_data(as_text=True)
    publish_form = review[review.index('value="approve"') - 2000 : review.index('value="approve"')]
    assert "reject" not in publish_form  # refusing sits apart, behind its own summary
    assert '<details class="panel reject-panel">' in review
    response = approve(app, submission.id)
    [published] = submissions(app)
    assert response.headers["Location"] == f"/stories/{published.story_id}"


def test_a_dutch_story_reads_dutch_masks(app: Flask, client: FlaskClient) -> None:
    share(client, language="nl", body="Bel me op 06-12345678 of mail jan@example.nl.")
    [submission] = submissions(app)
    with app.app_context():
        story = db.session.get(Story, submission.story_id)
        assert story is not None
        assert story.body == (
            "Bel me op [telefoonnummer] of mail [e-mailadres].\n\n*Geholpen door: Sanne*"
        )
