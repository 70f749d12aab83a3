"""Reach in a real browser: a stakeholder lands on the dashboard, opens a featured story
from its card, and the author then sees that a stakeholder read it; a manager shares a
story, picking the colleague from the list the field offers."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storyboard.curation import service as curation
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
)
from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser


def _featured_story(server: LiveServer, title: str) -> int:
    with server.app.app_context():
        author = db.session.scalar(select(User).where(User.email == server.emails[Role.AGENT]))
        manager = db.session.scalar(select(User).where(User.email == server.emails[Role.MANAGER]))
        story = Story(
            title=title,
            body="The customer needed it *today*.",
            body_html="<p>The customer needed it <em>today</em>.</p>",
            channel=SeededChannel.PHONE,
            language=Language.EN,
            author=author,
            author_kind=AuthorKind.AGENT,
            status=StoryStatus.PUBLISHED,
            team=author.team if author else None,
            published_at=utcnow(),
        )
        db.session.add(story)
        db.session.flush()
        curation.feature_story(
            story,
            None,
            curation.current_week(),
            "One father, not 99 %",
            FeatureKind.PRAISE,
            manager,
        )
        db.session.commit()
        return int(story.id)


def test_a_stakeholder_opens_a_featured_card_and_the_author_sees_it_was_read(
    new_page: Any, live_server: LiveServer
) -> None:
    title = "The birthday present that arrived the same day"
    story_id = _featured_story(live_server, title)
    page = new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, live_server, Role.STAKEHOLDER)
    page.goto(live_server("/dashboard/"))
    page.get_by_role("link", name=title).first.click()
    expect(page).to_have_url(live_server(f"/stories/{story_id}"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()

    author = new_page(viewport={"width": 390, "height": 844})
    sign_in(author, live_server, Role.AGENT)
    author.goto(live_server(f"/stories/{story_id}"))
    expect(author.get_by_test_id("story-reach")).to_contain_text("Read by 1 stakeholder")


def test_a_manager_shares_a_story_picking_the_colleague_from_the_list(
    new_page: Any, live_server: LiveServer
) -> None:
    title = "The ferry that waited for a wheelchair"
    story_id = _featured_story(live_server, title)
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server, Role.MANAGER)
    page.goto(live_server(f"/stories/{story_id}"))
    page.get_by_role("link", name="Share with…").click()
    options = page.locator("datalist#colleagues option")
    expect(options.filter(has_text="Stakeholder Tester")).to_have_count(1)
    page.get_by_label("Colleagues").fill(live_server.emails[Role.STAKEHOLDER])
    page.get_by_label("One line on why it matters to them").fill("Read this before Monday")
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_text("Shared with Stakeholder Tester.")).to_be_visible()

    stakeholder = new_page()
    sign_in(stakeholder, live_server, Role.STAKEHOLDER)
    stakeholder.goto(live_server("/notifications"))
    expect(stakeholder.get_by_text("Read this before Monday")).to_be_visible()


SIDEWAYS = """() => [document.documentElement.scrollWidth > window.innerWidth,
  Array.from(document.querySelectorAll('body *')).filter(e =>
    e.clientWidth > 2 && e.scrollWidth > e.clientWidth + 1 &&
    ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX))
  .map(e => e.tagName.toLowerCase() + '.' + e.className)]"""


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAKEHOLDER, Role.ADMIN])
def test_on_a_phone_nothing_on_the_dashboard_scrolls_or_clips_sideways(
    new_page: Any, live_server: LiveServer, role: Role
) -> None:
    """Not the page, not a table, not the header's navigation (the manager's is the
    longest): every link is on screen once the menu is open, the profile link included."""
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server, role)
    page.goto(live_server("/dashboard/"))
    page_too_wide, boxes = page.evaluate(SIDEWAYS)
    assert not page_too_wide and boxes == [], boxes
    page.locator(".site-menu > summary").click()
    links = page.get_by_role("navigation", name="Main").get_by_role("link").all()
    assert links
    for link in links:
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, link.inner_text()
    expect(
        page.locator(".site-header").get_by_role("link", name="Your profile")
    ).to_be_in_viewport()
