"""The digest by e-mail through a real SMTP server (aiosmtpd) on loopback: the message,
unsubscribing, sending once per person and week, and everything that can go wrong."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import DigestDelivery, Role, StoryRead, User
from tests.conftest import Auth, create_user, free_port
from tests.digest.conftest import WEEK
from tests.mail_server import MailServer

SEND = ["send-digest", "--week", str(WEEK)]


def run(app: Flask, *args: str) -> tuple[int, str]:
    """Run a command; ``output`` holds what it wrote to stdout and stderr (Click 8.2+)."""
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def deliveries(app: Flask) -> dict[str, tuple[str, int]]:
    with app.app_context():
        return {
            d.address: (d.status.value, d.attempts)
            for d in db.session.scalars(select(DigestDelivery))
        }


def test_managers_get_a_multipart_digest_with_absolute_links(
    app: Flask, smtp_server: MailServer, week_data: dict[str, int]
) -> None:
    code, output = run(app, *SEND)
    assert code == 0, output
    assert "Sent 1; already sent before 0; failed 0." in output
    [message] = smtp_server.messages  # the manager: subscribed by default
    assert message["To"] == "manager@example.nl"
    assert message["From"] == "digest@storyboard.example"
    assert message["Subject"].startswith("Storyboard, week 46: NPS +10 (n = 10)")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Went the extra mile, literally" in text and "Went the extra mile" in html
    # Story links are signed for the recipient: opening one counts as their read.
    links = re.findall(r"https://stories\.example\.nl/r/[\w.-]+", text)
    assert links and all(f'href="{link}"' in html for link in links)
    manager = Auth(app.test_client())
    manager.login_as(Role.MANAGER)
    opened = manager.client.get(links[0].removeprefix("https://stories.example.nl"))
    assert opened.status_code == 302 and "/stories/" in opened.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(StoryRead.via)) == "digest"
    assert f"https://stories.example.nl/digest/{WEEK}" in text
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(h.startswith("https://stories.example.nl/") for h in hrefs)
    assert "<img" not in html and "<link" not in html and "<style" not in html
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("https://stories.example.nl/digest/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text


def test_one_click_unsubscribe_is_honoured_next_time(
    app: Flask, smtp_server: MailServer, week_data: dict[str, int]
) -> None:
    assert run(app, *SEND)[0] == 0
    link = smtp_server.messages[0]["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://stories.example.nl")
    client = app.test_client()
    page = client.get(path)  # a link scanner's GET changes nothing
    assert page.status_code == 200 and "Stop the weekly digest e-mail?" in page.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(select(User).where(User.role == Role.MANAGER)).gets_digest
    # What a mail client sends for RFC 8058 one-click: no session, no CSRF token.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You are unsubscribed" in done.get_data(as_text=True)
    smtp_server.messages.clear()
    code, output = run(app, "send-digest", "--week", str(WEEK.previous()))
    assert code == 0 and smtp_server.messages == []
    assert "0 recipient(s)" in output


def test_a_forged_unsubscribe_link_changes_nothing(app: Flask, users: dict[Role, int]) -> None:
    client = app.test_client()
    for token in ("abc", "1", "x" * 500, "MQ.forged"):
        assert client.get(f"/digest/unsubscribe/{token}").status_code == 404
        assert client.post(f"/digest/unsubscribe/{token}").status_code == 404
    with app.app_context():
        assert db.session.get(User, users[Role.MANAGER]).gets_digest


def test_running_twice_sends_nothing_twice(
    app: Flask, smtp_server: MailServer, week_data: dict[str, int]
) -> None:
    stakeholder = create_user(app, Role.STAKEHOLDER, email="reader@example.nl")
    with app.app_context():
        db.session.get(User, stakeholder).digest_subscribed = True
        db.session.commit()
    assert run(app, *SEND)[0] == 0
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "manager@example.nl",
        "reader@example.nl",
    ]
    code, output = run(app, *SEND)
    assert code == 0 and "Sent 0; already sent before 2; failed 0." in output
    assert len(smtp_server.messages) == 2
    assert deliveries(app) == {"manager@example.nl": ("sent", 1), "reader@example.nl": ("sent", 1)}


def test_a_refused_recipient_is_retried_next_run_without_resending_to_others(
    app: Flask, smtp_server: MailServer, week_data: dict[str, int]
) -> None:
    create_user(app, Role.MANAGER, email="gone@example.nl")
    smtp_server.refuse.add("gone@example.nl")
    code, output = run(app, *SEND)
    assert code == 1
    assert "failed: gone@example.nl: 550 5.1.1 No such mailbox here" in output
    assert [m["To"] for m in smtp_server.messages] == ["manager@example.nl"]
    assert deliveries(app)["gone@example.nl"] == ("failed", 1)

    smtp_server.refuse.clear()
    code, output = run(app, *SEND)
    assert code == 0 and "Sent 1; already sent before 1; failed 0." in output
    assert [m["To"] for m in smtp_server.messages] == ["manager@example.nl", "gone@example.nl"]
    assert deliveries(app)["gone@example.nl"] == ("sent", 2)


def test_an_invalid_address_is_reported_not_a_crash(
    app: Flask, smtp_server: MailServer, week_data: dict[str, int]
) -> None:
    create_user(app, Role.MANAGER, email="not an address")
    code, output = run(app, *SEND)
    assert code == 1
    assert "failed: not an address: not an e-mail address" in output
    assert [m["To"] for m in smtp_server.messages] == ["manager@example.nl"]


def test_a_server_that_is_down_sends_and_marks_nothing(
    app: Flask, week_data: dict[str, int]
) -> None:
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_SECURITY="none")
    code, output = run(app, *SEND)
    assert code == 1
    assert "cannot use the mail server" in output and "Nothing was sent" in output
    assert deliveries(app) == {}


def test_a_refused_sign_in_sends_and_marks_nothing(
    app: Flask, refusing_login_server: MailServer, week_data: dict[str, int]
) -> None:
    code, output = run(app, *SEND)
    assert code == 1
    assert "refused the sign-in of 'storyboard'" in output
    assert refusing_login_server.messages == [] and deliveries(app) == {}


def test_no_mail_server_configured_says_what_to_set(app: Flask, week_data: dict[str, int]) -> None:
    code, output = run(app, *SEND)
    assert code == 1 and "STORYBOARD_SMTP_HOST" in output


def test_dry_run_and_to(app: Flask, smtp_server: MailServer, week_data: dict[str, int]) -> None:
    code, output = run(app, *SEND, "--dry-run")
    assert code == 0 and "would send to manager@example.nl" in output
    assert smtp_server.messages == [] and deliveries(app) == {}
    code, output = run(app, *SEND, "--to", "test@example.nl")
    assert code == 0 and [m["To"] for m in smtp_server.messages] == ["test@example.nl"]
    assert "List-Unsubscribe" not in smtp_server.messages[0]
    assert deliveries(app) == {}  # a test send does not count as the week's delivery


@pytest.mark.parametrize("week", ["2026-W99", "2026-W00", "abc", "2099-W01", ""])
def test_bad_weeks_are_refused(app: Flask, users: dict[Role, int], week: str) -> None:
    code, output = run(app, "send-digest", "--week", week)
    assert code == 2
    assert "not a week" in output or "has not ended yet" in output
