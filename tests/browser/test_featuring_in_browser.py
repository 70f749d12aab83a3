"""Featuring in a real browser: a manager features a story from its page, everyone sees
the badge, the featuring page shows it with the balance, and the manager withdraws it."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storyboard.db import db, utcnow
from storyboard.models import AuthorKind, Language, Role, SeededChannel, Story, StoryStatus, User
from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser


def _published_story(server: LiveServer, title: str) -> int:
    with server.app.app_context():
        author = db.session.scalar(select(User).where(User.role == Role.AGENT))
        story = Story(
            title=title,
            body=title,
            body_html=f"<p>{title}</p>",
            channel=SeededChannel.CHAT,
            language=Language.EN,
            author=author,
            author_kind=AuthorKind.AGENT,
            status=StoryStatus.PUBLISHED,
            team=author.team if author else None,
            published_at=utcnow(),
        )
        db.session.add(story)
        db.session.commit()
        return int(story.id)


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("STORYBOARD_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_manager_features_a_story_and_withdraws_it(new_page: Any, live_server: LiveServer) -> None:
    story_id = _published_story(live_server, "The parcel that came back")
    page = new_page()
    sign_in(page, live_server, Role.MANAGER)
    page.goto(live_server(f"/stories/{story_id}"))
    panel = page.get_by_role("region", name="Feature this story")
    expect(panel.get_by_label("Week")).to_have_value(re.compile(r"^\d{4}-W\d{2}$"))  # this week
    panel.get_by_label("For").select_option(label="Whole organisation")
    panel.get_by_label(text="Lesson", exact=False).check()
    panel.get_by_label("Why it matters").fill("We promised a call back and forgot it")
    _shot(page, "feature-form")
    panel.get_by_role("button", name="Feature").click()

    expect(page.locator(".flash-success")).to_contain_text("is featured for")
    badge = page.locator(".feature-badge")
    expect(badge).to_contain_text("Featured")
    expect(badge).to_contain_text("Whole organisation")
    expect(badge).to_contain_text("We promised a call back and forgot it")
    _shot(page, "feature-badge")

    page.get_by_role("link", name="Featured").click()
    expect(page).to_have_url(live_server("/features"))
    expect(page.get_by_role("cell", name="We promised a call back and forgot it")).to_be_visible()
    _shot(page, "features-page")

    # The session's server is shared: other tests' features may be listed too.
    page.on("dialog", lambda dialog: dialog.accept())
    note = "We promised a call back and forgot it"
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=note))
    row.get_by_role("button", name="Withdraw").click()
    expect(page.locator(".flash-success")).to_contain_text("withdrawn")
    expect(page.get_by_role("cell", name=note)).to_have_count(0)
