"""Notifications by e-mail through a real SMTP server: one message per person and run,
never twice, not for kinds switched off, nothing marked when the server is down."""

from __future__ import annotations

from flask import Flask

from storyboard.models import Role
from tests.conftest import free_port, post_form, signed_in
from tests.factories import add_story
from tests.mail_server import MailServer


def send(app: Flask) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["send-notifications"])
    return result.exit_code, result.output


def test_the_author_gets_one_e_mail_with_what_happened(
    app: Flask, smtp_server: MailServer, users: dict[Role, int]
) -> None:
    story = add_story(app, "Mail-worthy story")
    manager = signed_in(app, Role.MANAGER)
    post_form(manager.client, f"/stories/{story}/kudos", {}, token_from=f"/stories/{story}")
    post_form(
        manager.client,
        f"/stories/{story}/comments",
        {"body": "Lovely"},
        token_from=f"/stories/{story}",
    )
    code, output = send(app)
    assert code == 0 and "Sent 1 e-mail(s) with 2 notification(s)" in output
    [message] = smtp_server.messages
    assert message["To"] == "agent@example.nl"
    text = message.get_content()
    assert "Manager Tester gave kudos to your story" in text
    assert "Manager Tester commented on your story" in text
    assert f"https://stories.example.nl/stories/{story}" in text
    assert send(app)[1].startswith("Sent 0")  # nothing twice
    assert len(smtp_server.messages) == 1


def test_switched_off_kinds_and_read_notifications_are_not_mailed(
    app: Flask, smtp_server: MailServer, users: dict[Role, int]
) -> None:
    story = add_story(app, "Quiet author")
    author = signed_in(app, Role.AGENT)
    post_form(
        author.client,
        "/profile/emails",
        {"comment": "y", "feature": "y", "lesson": "y"},
        token_from="/profile/",
    )
    manager = signed_in(app, Role.MANAGER)
    post_form(manager.client, f"/stories/{story}/kudos", {}, token_from=f"/stories/{story}")
    assert send(app)[0] == 0 and smtp_server.messages == []
    post_form(
        manager.client,
        f"/stories/{story}/comments",
        {"body": "Seen it"},
        token_from=f"/stories/{story}",
    )
    author.client.get("/notifications")  # read in the app before the run
    assert send(app)[0] == 0 and smtp_server.messages == []


def test_a_server_that_is_down_marks_nothing(app: Flask, users: dict[Role, int]) -> None:
    story = add_story(app, "Waiting for mail")
    manager = signed_in(app, Role.MANAGER)
    post_form(manager.client, f"/stories/{story}/kudos", {}, token_from=f"/stories/{story}")
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_SECURITY="none")
    code, output = send(app)
    assert code == 1 and "Nothing was marked as sent" in output
    from storyboard.db import db
    from storyboard.models import Notification

    with app.app_context():
        assert (
            db.session.query(Notification).filter(Notification.emailed_at.is_not(None)).count() == 0
        )
