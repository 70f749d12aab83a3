"""The customer's side (issue 21): the organisation's own name, logo and colour on the
public pages, the receipt's copy button and "e-mail me this link" (through a real SMTP
server on loopback), and a status page that says what happens next."""

from __future__ import annotations

import re
import time
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from storyboard.branding.colours import contrast, palette
from storyboard.i18n.locale import LOCALE_COOKIE
from storyboard.models import Role, SubmissionStatus
from tests.conftest import copy_database, make_app, post_form
from tests.customers.test_customer_stories import (
    approve,
    manager,
    share,
    status_path,
    submissions,
)
from tests.mail_server import MailServer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def text(response: object) -> str:
    return str(response.get_data(as_text=True))  # type: ignore[attr-defined]


def brand(app: Flask, tmp_path: Path) -> Path:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    app.config.update(ORG_NAME="Bakkerij de Vries", ORG_LOGO=str(logo), ORG_COLOUR="#ffcc00")
    return logo


# -- the organisation's look ----------------------------------------------------------------
def test_public_pages_carry_the_organisations_name_logo_and_colours_not_the_portals(
    app: Flask, client: FlaskClient, users: dict[Role, int], tmp_path: Path
) -> None:
    brand(app, tmp_path)
    receipt = share(client)
    pages = {
        "form": client.get("/share/"),
        "receipt": receipt,
        "status": client.get(status_path(receipt)),
    }
    for name, page in pages.items():
        html = text(page)
        assert 'data-testid="org-name">Bakkerij de Vries<' in html, name
        assert "· Bakkerij de Vries</title>" in html, name
        assert re.search(r'<img class="org-logo" src="/brand/logo\?v=\w+"', html), name
        assert re.search(r'<link rel="stylesheet" href="/brand/colours.css\?v=\w+"', html), name
        # None of the internal portal: no navigation, no "Storyboard" brand, no sign-in.
        assert "main-nav" not in html and "Storyboard" not in html, name
        assert 'class="brand"' not in html and "/auth/login" not in html, name
        assert "style=" not in html, name  # the CSP allows no inline styles


def test_without_settings_the_public_pages_say_customer_service(
    client: FlaskClient, users: dict[Role, int]
) -> None:
    html = text(client.get("/share/"))
    assert 'data-testid="org-name">Customer service<' in html
    assert "org-logo" not in html
    assert client.get("/brand/logo").status_code == 404


def test_the_colour_stylesheet_keeps_text_readable(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    brand(app, tmp_path)
    css = client.get("/brand/colours.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    body = text(css)
    assert "--org-band: #ffcc00;" in body and "--org-band-ink: #000000;" in body
    # A yellow cannot carry white button text: the buttons get a darker shade of it.
    button = re.search(r"--brand: (#[0-9a-f]{6});", body)
    assert button and button.group(1) != "#ffcc00"
    assert contrast(button.group(1), "#ffffff") >= 4.5
    for colour in ("#ffffff", "#000000", "#e30613", "#1f5f5b", "#7fffd4"):
        shades = palette(colour)
        assert contrast(shades.band, shades.band_ink) >= 4.5, colour
        assert contrast(shades.brand, "#ffffff") >= 4.5, colour
        assert contrast(shades.brand, "#fbfaf7") >= 4.5, colour


def test_the_logo_is_served_by_the_app_with_a_policy_that_runs_nothing(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    brand(app, tmp_path)
    logo = client.get("/brand/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert logo.data == PNG
    assert "sandbox" in logo.headers["Content-Security-Policy"]
    assert "default-src 'none'" in logo.headers["Content-Security-Policy"]


# -- the receipt --------------------------------------------------------------------------
def test_the_receipt_has_a_copy_button_that_needs_javascript_and_a_live_region(
    client: FlaskClient, users: dict[Role, int]
) -> None:
    html = text(share(client))
    # The link is plain text in a read-only field: selectable without JavaScript.
    assert re.search(r'<input id="private-link" class="copy-field" type="text" readonly', html)
    button = re.search(r"<button [^>]*data-copy-target=\"private-link\"[^>]*>", html)
    assert button and " hidden " in button.group(0)  # copy-link.js shows it
    assert 'data-copied="Copied"' in button.group(0)
    assert re.search(r'<p id="copy-status" class="copy-status" aria-live="polite"', html)
    assert "/static/js/copy-link.js" in html


def test_without_a_mail_server_the_e_mail_option_is_hidden_and_posting_says_why(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    receipt = share(client)
    assert "E-mail me this link" not in text(receipt)
    path = status_path(receipt)
    assert "E-mail me this link" not in text(client.get(path))
    answer = post_form(client, f"{path}/email", {"email": "anna@example.nl"}, token_from=path)
    assert answer.status_code == 400
    assert "We cannot send e-mail from here" in text(answer)


def wait_for_mail(server: MailServer, address: str) -> str:
    """The e-mail to ``address`` once it arrived (sent in the background)."""
    deadline = time.monotonic() + 30
    while not server.to(address):
        assert time.monotonic() < deadline, f"no e-mail to {address} arrived"
        time.sleep(0.05)
    return str(server.to(address)[-1].get_content())


def test_the_customer_e_mails_themselves_the_link_in_their_language(
    app: Flask,
    client: FlaskClient,
    users: dict[Role, int],
    smtp_server: MailServer,
    tmp_path: Path,
) -> None:
    brand(app, tmp_path)
    client.set_cookie(LOCALE_COOKIE, "nl")
    receipt = share(client, language="en")
    html = text(receipt)
    assert "Mail me deze link" in html
    # The address from the form is filled in already.
    assert 'value="anna@example.nl"' in html
    path = status_path(receipt)
    answer = post_form(client, f"{path}/email", {"email": "anna@example.nl"}, token_from=path)
    assert answer.status_code == 200
    assert "onderweg naar anna@example.nl" in text(answer)
    body = wait_for_mail(smtp_server, "anna@example.nl")
    [message] = smtp_server.to("anna@example.nl")
    reference = submissions(app)[0].reference
    assert message["Subject"] == f"Bakkerij de Vries: de link naar je verhaal {reference}"
    assert message["From"] == "Bakkerij de Vries <digest@storyboard.example>"
    # The link on the configured address, the whole token, and it works.
    assert f"https://stories.example.nl{path}\r\n" in body
    assert "Hallo," in body and "Bakkerij de Vries" in body
    assert client.get(path).status_code == 200


def test_the_e_mail_answer_never_reveals_whether_a_link_exists(
    app: Flask, client: FlaskClient, users: dict[Role, int], smtp_server: MailServer
) -> None:
    path = status_path(share(client))
    forged = "/share/status/" + "A" * 43
    real = post_form(client, f"{path}/email", {"email": "anna@example.nl"}, token_from=path)
    fake = post_form(client, f"{forged}/email", {"email": "eve@example.nl"}, token_from=path)
    assert real.status_code == fake.status_code == 200

    def answer(response: object) -> str:
        found = re.search(r'data-testid="link-mail-answer">(.*?)</p>', text(response), re.S)
        assert found
        said = found.group(1)
        for address in ("anna@example.nl", "eve@example.nl", "mallory@example.nl"):
            said = said.replace(address, "X")
        return said

    assert answer(real) == answer(fake)
    wait_for_mail(smtp_server, "anna@example.nl")
    time.sleep(0.3)
    assert smtp_server.to("eve@example.nl") == []
    # A story taken back gets no more e-mails either.
    post_form(client, f"{path}/withdraw", {"confirm": "y"}, token_from=path)
    again = post_form(client, f"{path}/email", {"email": "mallory@example.nl"}, token_from=path)
    assert answer(again) == answer(real)
    time.sleep(0.3)
    assert smtp_server.to("mallory@example.nl") == []


def test_the_e_mail_form_refuses_bad_input_and_sends_nothing(
    app: Flask, client: FlaskClient, users: dict[Role, int], smtp_server: MailServer
) -> None:
    path = status_path(share(client))
    for data, message in [
        ({"email": ""}, "Fill in the address to send the link to."),
        ({}, "Fill in the address to send the link to."),
        ({"email": "x" * 5000}, "at most 254 allowed"),
        ({"email": "not an address"}, "That does not look like an e-mail address."),
        ({"email": ["a@example.nl", "b@example.nl"]}, None),
    ]:
        response = post_form(client, f"{path}/email", data, token_from=path)
        if message is None:
            assert response.status_code in (200, 400)
            continue
        assert response.status_code == 400, data
        assert message in text(response)
        assert 'class="form-errors"' in text(response)
    forged = client.post(f"{path}/email", data={"email": "anna@example.nl", "csrf_token": "x"})
    assert forged.status_code == 400
    time.sleep(0.3)
    assert [m["To"] for m in smtp_server.messages] in ([], ["a@example.nl"])


def test_e_mailing_the_link_is_rate_limited(
    tmp_path: Path, migrated_db: Path, empty_index: Path
) -> None:
    import shutil

    instance = tmp_path / "limited"
    instance.mkdir()
    copy_database(migrated_db, instance / "storyboard.db")
    app = make_app(
        instance, RATELIMIT_ENABLED=True, LINK_MAIL_RATE_LIMIT="2 per hour", SMTP_HOST="localhost"
    )
    shutil.copytree(empty_index, app.config["INDEX_DIR"])
    client = app.test_client()
    path = "/share/status/" + "B" * 43
    for _ in range(2):
        assert post_form(client, f"{path}/email", {"email": ""}, token_from="/share/").status_code
    limited = post_form(client, f"{path}/email", {"email": "a@example.nl"}, token_from="/share/")
    assert limited.status_code == 429
    assert client.get("/share/").status_code == 200  # only e-mailing is limited


# -- the status page -----------------------------------------------------------------------
def test_the_status_page_says_what_happens_next_in_every_state(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    first = status_path(share(client))
    page = text(client.get(first))
    assert "Waiting for a colleague to read it." in page
    assert "What happens next:" in page
    assert re.search(r'data-testid="received">\w{3} \d{1,2}, \d{4}', page)
    assert "Take my story back" in page and "Yes, erase my story" in page

    [submission] = submissions(app)
    approve(app, submission.id)
    page = text(client.get(first))
    assert "Shared with our colleagues. Thank you!" in page
    assert "not published on the internet" in page
    assert "Your first name is shown with it." in page
    assert "Decided" in page

    second = status_path(share(client, title="Another one", body="Zebra two", consent_name=None))
    [_, other] = submissions(app)
    auth = manager(app)
    post_form(
        auth.client,
        f"/moderation/{other.id}/reject",
        {"reason": "It is about a shop, not about us"},
        token_from=f"/moderation/{other.id}",
    )
    page = text(client.get(second))
    assert "Not shared." in page
    assert 'data-testid="reason">It is about a shop, not about us<' in page
    assert "erased 30 days after this decision" in page

    post_form(client, f"{second}/withdraw", {"confirm": "y"}, token_from=second)
    page = text(client.get(second))
    assert "Taken back and erased." in page and "There is nothing more to do." in page
    assert "Take my story back" not in page
    assert submissions(app)[1].status is SubmissionStatus.WITHDRAWN


def test_a_double_submitted_withdrawal_acts_once_and_answers_calmly(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    from sqlalchemy import func, select

    from storyboard.db import db
    from storyboard.models import AuditEvent

    path = status_path(share(client))
    token = re.search(r'name="csrf-token" content="([^"]+)"', text(client.get(path)))
    assert token
    data = {"confirm": "y", "csrf_token": token.group(1)}
    first = client.post(f"{path}/withdraw", data=data)
    second = client.post(f"{path}/withdraw", data=data)  # the same form, a double click
    assert (first.status_code, second.status_code) == (303, 303)
    assert first.headers["Location"] == second.headers["Location"] == path
    assert "already taken back" in text(client.get(path))
    with app.app_context():
        events = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "customer_story.withdraw")
        )
    assert events == 1


def test_a_customer_meeting_an_error_stays_on_the_organisations_pages(
    app: Flask, client: FlaskClient, users: dict[Role, int], tmp_path: Path
) -> None:
    brand(app, tmp_path)
    missing = client.get("/share/status/" + "C" * 43)
    assert missing.status_code == 404
    html = text(missing)
    assert 'data-testid="org-name">Bakkerij de Vries<' in html
    assert "Back to the form" in html and 'href="/share/"' in html
    assert "Storyboard" not in html and "/auth/login" not in html
    # The portal's own errors keep the portal's look.
    assert "Back to the stories" in text(client.get("/stories/nope"))
