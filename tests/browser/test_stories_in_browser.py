"""The story editor in a real browser: live preview, publishing, roles, and no-JS use."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import Language, Role, SeededChannel, User
from storyboard.stories import service
from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser

BODY = """De klant vroeg waar zijn bestelling was. Ik vroeg **wat hij had gekocht**.

- een cadeau voor zijn dochter
- die *vandaag* jarig is
"""


def _write_story(page: Any, title: str, body: str) -> None:
    page.get_by_label("Title").fill(title)
    page.locator("textarea[name=body]").fill(body)


def test_agent_writes_previews_and_publishes_a_story(
    new_page: Any, live_server: LiveServer
) -> None:
    page = new_page()
    sign_in(page, live_server, Role.AGENT)

    page.get_by_role("link", name="Write a story").click()
    expect(page).to_have_url(live_server("/stories/new"))
    expect(page.get_by_role("heading", name="Write a story", level=1)).to_be_visible()

    title = "Een cadeau voor vandaag"
    _write_story(page, title, BODY)

    # The preview is the server's sanitized rendering, fetched while typing.
    preview = page.locator("#preview")
    expect(preview.locator("strong")).to_have_text("wat hij had gekocht")
    expect(preview.locator("ul > li")).to_have_count(2)
    expect(preview.locator("li em")).to_have_text("vandaag")

    page.locator("button[name=action][value=publish]").click()

    expect(page).to_have_url(re.compile(r"/stories/\d+$"))
    story_url = page.url
    expect(page.get_by_text("Your story is published.")).to_be_visible()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    body = page.locator(".story-body")
    expect(body.locator("strong")).to_have_text("wat hij had gekocht")
    expect(body.locator("ul > li")).to_have_count(2)

    page.get_by_role("link", name="Stories", exact=True).click()
    card_link = page.locator(".story-list").get_by_role("link", name=title)
    expect(card_link).to_be_visible()
    card_link.click()
    expect(page).to_have_url(story_url)


def test_editor_frame_button_inserts_headings_into_the_preview(
    new_page: Any, live_server: LiveServer
) -> None:
    page = new_page()
    sign_in(page, live_server, Role.AGENT)
    page.goto(live_server("/stories/new"))

    page.get_by_text("Need a frame?").click()
    page.get_by_role("button", name="Insert these as headings").click()

    expect(page.locator("textarea[name=body]")).to_have_value(re.compile(r"^## "))
    expect(page.locator("#preview h2")).to_have_count(4)


def test_stakeholder_cannot_open_the_editor(new_page: Any, live_server: LiveServer) -> None:
    page = new_page()
    sign_in(page, live_server, Role.STAKEHOLDER)

    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("link", name="Write a story")).to_have_count(0)

    response = page.goto(live_server("/stories/new"))
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Not for your role")).to_be_visible()
    expect(page.locator("textarea[name=body]")).to_have_count(0)
    expect(page.get_by_role("link", name="Write a story")).to_have_count(0)


def test_editor_publishes_without_javascript(new_page: Any, live_server: LiveServer) -> None:
    page = new_page(java_script_enabled=False)
    sign_in(page, live_server, Role.AGENT)

    page.goto(live_server("/stories/new"))
    # The JavaScript-only helper stays out of the way.
    expect(page.get_by_role("button", name="Insert these as headings")).to_be_hidden()

    title = "Zonder JavaScript"
    _write_story(page, title, "Het formulier werkt **gewoon**.")
    page.locator("button[name=action][value=publish]").click()

    expect(page).to_have_url(re.compile(r"/stories/\d+$"))
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(page.locator(".story-body strong")).to_have_text("gewoon")


def test_validation_error_keeps_what_was_typed(new_page: Any, live_server: LiveServer) -> None:
    page = new_page()
    sign_in(page, live_server, Role.AGENT)
    page.goto(live_server("/stories/new"))

    page.locator("textarea[name=body]").fill("A story **without** a title.")
    page.locator("button[name=action][value=publish]").click()

    title = page.get_by_label("Title")
    expect(page.locator(".field-error")).to_have_text("Give your story a title.")
    expect(title).to_have_attribute("aria-invalid", "true")
    # Focus starts at the list of what was wrong, which links to the field.
    summary = page.locator(".form-errors")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Title").click()
    expect(title).to_be_focused()
    expect(page.locator("textarea[name=body]")).to_have_value("A story **without** a title.")
    # The re-rendered editor previews the kept text again.
    expect(page.locator("#preview strong")).to_have_text("without")


def _publish_directly(server: LiveServer, role: Role, title: str, body: str) -> int:
    """A published story made through the service, for tests about reading it."""
    with server.app.app_context():
        author = db.session.scalar(select(User).where(User.email == server.emails[role]))
        assert author is not None
        story = service.create_story(
            author,
            service.StoryInput(
                title=title,
                body=body,
                channel=SeededChannel.CHAT,
                language=Language.EN,
                team_id=author.team_id,
                publish=True,
            ),
        )
        db.session.commit()
        return story.id


@pytest.mark.parametrize("path", ["/stories/", "/stories/new", "/stories/{id}", "/nowhere"])
def test_pages_fit_a_phone_screen(new_page: Any, live_server: LiveServer, path: str) -> None:
    story_id = _publish_directly(
        live_server,
        Role.AGENT,
        "A long-winded title that has to wrap on a small phone screen",
        "A link that must wrap: https://example.nl/"
        + "x" * 120
        + "\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    )
    page = new_page(viewport={"width": 360, "height": 740})
    sign_in(page, live_server, Role.AGENT)
    page.goto(live_server(path.format(id=story_id)))
    expect(page.get_by_role("link", name="Write a story")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a phone screen"
