"""Sharing a story: the colleague's notifications, one e-mail in their language through a
real SMTP server, a link signed for them that counts as a read; bad input gets a clear
message and sends nothing twice."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from storyboard.db import db
from storyboard.models import Role, StoryRead, StoryShare, StoryStatus, User
from storyboard.reach.sharing import reader_token
from tests.conftest import Auth, create_user, post_form
from tests.factories import add_story
from tests.mail_server import MailServer
from tests.reach.test_reads import reader, reads


def share(auth: Auth, story: int, recipients: str, note: str = "Read this before Monday") -> str:
    response = post_form(
        auth.client, f"/stories/{story}/share", {"recipients": recipients, "note": note}
    )
    if response.status_code == 302:
        return auth.client.get(response.headers["Location"]).get_data(as_text=True)
    return f"{response.status_code} " + response.get_data(as_text=True)


def share_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StoryShare)) or 0


def send(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["send-notifications"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_share_reaches_the_colleague_s_notifications_and_mailbox_in_their_language(
    app: Flask, smtp_server: MailServer, users: dict[Role, int]
) -> None:
    story = add_story(app, "The father and the birthday present")
    with app.app_context():
        db.session.get(User, users[Role.STAKEHOLDER]).locale = "nl"
        db.session.commit()
    author = reader(app, Role.AGENT)
    page = share(author, story, "stakeholder@example.nl", "Dit is waarom we het doen")
    assert "Shared with Stakeholder Tester." in page
    # The e-mail goes out before the colleague has seen the notification in the portal.
    assert "Sent 1 e-mail(s) with 1 notification(s)" in send(app)
    stakeholder = reader(app, Role.STAKEHOLDER)
    notes = stakeholder.client.get("/notifications").get_data(as_text=True)
    assert "heeft een verhaal met je gedeeld" in notes
    assert "The father and the birthday present" in notes and "Dit is waarom we het doen" in notes
    [message] = smtp_server.to("stakeholder@example.nl")
    assert "heeft een verhaal met je gedeeld" in message["Subject"]
    text = message.get_content()
    assert "Dit is waarom we het doen" in text
    link = re.search(r"https://stories\.example\.nl(/r/\S+)", text)
    assert link, text
    assert reads(app, story) == []
    opened = stakeholder.client.get(link.group(1))
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/stories/{story}")
    assert reads(app, story) == [(users[Role.STAKEHOLDER], "stakeholder")]
    with app.app_context():
        assert db.session.scalar(select(StoryRead.via)) == "share"
    send(app)
    assert len(smtp_server.messages) == 1  # one e-mail per share, never twice


def test_the_share_e_mail_respects_the_switch_on_the_profile(
    app: Flask, smtp_server: MailServer, users: dict[Role, int]
) -> None:
    story = add_story(app, "Another good one")
    stakeholder = reader(app, Role.STAKEHOLDER)
    post_form(stakeholder.client, "/profile/emails", {"kudos": "y"}, token_from="/profile/")
    share(reader(app, Role.MANAGER), story, "stakeholder@example.nl")
    assert "Sent 0" in send(app)
    assert "Another good one" in stakeholder.client.get("/notifications").get_data(as_text=True)


def test_a_forwarded_link_counts_for_whoever_opens_it(app: Flask, users: dict[Role, int]) -> None:
    story = add_story(app, "Forwarded with love")
    with app.app_context():
        token = reader_token(story, users[Role.STAKEHOLDER], "share")
    manager = reader(app, Role.MANAGER)
    assert manager.client.get(f"/r/{token}").status_code == 302
    assert reads(app, story) == [(users[Role.MANAGER], "manager")]
    # Not signed in: the sign-in page first, then the story.
    anonymous = app.test_client().get(f"/r/{token}")
    assert anonymous.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("token", ["garbage", "WzEsMiwic2hhcmUiXQ.AAAA.BBBB", "x" * 300])
def test_a_tampered_link_is_a_clear_message_and_records_nothing(
    app: Flask, users: dict[Role, int], token: str
) -> None:
    story = add_story(app, "Not for forgers")
    stakeholder = reader(app, Role.STAKEHOLDER)
    response = stakeholder.client.get(f"/r/{token}")
    assert response.status_code == 400
    assert "This link is damaged or incomplete." in response.get_data(as_text=True)
    assert reads(app, story) == []


def test_an_expired_link_says_so_and_records_nothing(
    app: Flask, users: dict[Role, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyboard.reach import sharing

    story = add_story(app, "Old news")
    with app.app_context():
        token = reader_token(story, users[Role.STAKEHOLDER], "digest")
    monkeypatch.setattr(sharing, "LINK_DAYS", -1)  # the same token, read a day too late
    response = reader(app, Role.STAKEHOLDER).client.get(f"/r/{token}")
    assert response.status_code == 400
    assert "This link has expired." in response.get_data(as_text=True)
    assert reads(app, story) == []


@pytest.mark.parametrize(
    ("recipients", "note", "message"),
    [
        ("nobody@example.nl", "Read it", "No colleague is called “nobody@example.nl”."),
        ("agent@example.nl", "Read it", "You cannot share a story with yourself."),
        ("gone@example.nl", "Read it", "account is no longer active."),
        ("", "Read it", "Choose at least one colleague"),
        ("stakeholder@example.nl", "", "Add one line on why this story matters to them."),
        (
            "stakeholder@example.nl",
            "\u200b \x00",
            "Add one line on why this story matters to them.",
        ),
        ("stakeholder@example.nl", "x" * 5000, "at most 200 characters (this one has 5000)"),
        (",".join(f"p{n}@example.nl" for n in range(11)), "Read it", "at most 10 colleagues"),
    ],
)
def test_bad_shares_get_a_clear_message_and_send_nothing(
    app: Flask, users: dict[Role, int], recipients: str, note: str, message: str
) -> None:
    create_user(app, Role.STAKEHOLDER, email="gone@example.nl", active=False)
    story = add_story(app, "Worth sharing")
    page = share(reader(app, Role.AGENT), story, recipients, note)
    assert page.startswith("400 ") and message in page, page[:200]
    assert share_count(app) == 0


def test_a_double_click_sends_nothing_twice(app: Flask, users: dict[Role, int]) -> None:
    story = add_story(app, "Click click")
    manager = reader(app, Role.MANAGER)
    share(manager, story, "stakeholder@example.nl, Admin Tester")
    again = share(manager, story, "stakeholder@example.nl")
    assert "You had already shared it with Stakeholder Tester; nothing was sent again." in again
    assert share_count(app) == 2
    with app.app_context():
        from storyboard.models import Notification

        assert (
            db.session.scalar(
                select(func.count()).select_from(Notification).where(Notification.kind == "share")
            )
            == 2
        )


def test_drafts_and_others_pending_or_someone_else_s_stories_cannot_be_shared(
    app: Flask, users: dict[Role, int]
) -> None:
    draft = add_story(app, "Still a draft", status=StoryStatus.DRAFT)
    pending = add_story(app, "Waiting for moderation", status=StoryStatus.PENDING)
    others = add_story(app, "A colleague's story", author="manager@example.nl")
    author = reader(app, Role.AGENT)
    for story in (draft, pending, others):
        assert author.client.get(f"/stories/{story}/share").status_code == 404
        assert share(author, story, "stakeholder@example.nl").startswith("404 ")
    stakeholder = reader(app, Role.STAKEHOLDER)
    assert stakeholder.client.get(f"/stories/{others}/share").status_code == 403
    assert share_count(app) == 0
    # A manager may share any published story; the page offers colleagues by name.
    page = reader(app, Role.MANAGER).client.get(f"/stories/{others}/share").get_data(as_text=True)
    assert 'list="colleagues"' in page and "Stakeholder Tester" in page
