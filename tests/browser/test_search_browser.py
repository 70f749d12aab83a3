"""The archive search in a real browser: a stakeholder searches, narrows the results
with a facet, sees the matched words highlighted and opens a story."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import Language, Role, SeededChannel, Theme, User
from storyboard.stories.service import StoryInput, create_story
from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser


def _publish(
    server: LiveServer,
    title: str,
    body: str,
    channel: SeededChannel,
    theme_slugs: tuple[str, ...] = (),
) -> int:
    """A story saved as the app saves it; its commit indexes it (the outbox drain)."""
    with server.app.app_context():
        author = db.session.scalar(select(User).where(User.email == server.emails[Role.AGENT]))
        assert author is not None
        theme_ids = tuple(db.session.scalars(select(Theme.id).where(Theme.slug.in_(theme_slugs))))
        story = create_story(
            author,
            StoryInput(
                title=title,
                body=body,
                channel=channel,
                language=Language.EN,
                team_id=None,
                theme_ids=theme_ids,
                publish=True,
            ),
        )
        db.session.commit()
        return int(story.id)


def test_stakeholder_searches_filters_sees_highlights_and_opens_a_story(
    new_page: Any, live_server: LiveServer
) -> None:
    chat_story = _publish(
        live_server,
        "A wombat for her birthday",
        "The customer wanted a toy wombat delivered today; the agent **stood up** for her.",
        SeededChannel.CHAT,
        ("stand-up",),
    )
    _publish(
        live_server,
        "Wombat socks by phone",
        "A caller asked about wombat socks; we sent two pairs.",
        SeededChannel.PHONE,
    )

    page = new_page()
    sign_in(page, live_server, Role.STAKEHOLDER)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    expect(page).to_have_url(live_server("/search"))

    page.get_by_role("searchbox").fill("wombats")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search\?.*q=wombats"))
    results = page.locator("ol.story-list > li")
    expect(results).to_have_count(2)
    expect(page.locator(".count")).to_contain_text("2 stories match")
    # The stemmed match is highlighted in each snippet.
    expect(results.first.locator("mark").first).to_have_text(re.compile("wombat", re.I))

    page.locator("aside.facets").get_by_role("link", name=re.compile(r"^Chat\b")).click()
    expect(page).to_have_url(re.compile(r"channel=chat"))
    expect(page).to_have_url(re.compile(r"q=wombats"))  # the facet keeps the query
    expect(results).to_have_count(1)
    card = results.first
    expect(card.get_by_role("link", name="A wombat for her birthday")).to_be_visible()
    expect(card.locator(".snippet mark").first).to_have_text(re.compile("wombat", re.I))
    expect(page.locator("aside.facets [aria-current=true]")).to_contain_text("Chat")

    card.get_by_role("link", name="A wombat for her birthday").click()
    expect(page).to_have_url(live_server(f"/stories/{chat_story}"))
    expect(page.get_by_role("heading", name="A wombat for her birthday", level=1)).to_be_visible()
    expect(page.locator(".story-body strong")).to_have_text("stood up")
