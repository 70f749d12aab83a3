"""Recognition in a real browser: an agent gives kudos and comments, the author sees the
notification, and a manager marks the story's lesson changed; it shows on the story."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storyboard.db import db, utcnow
from storyboard.models import AuthorKind, Language, Role, SeededChannel, Story, StoryStatus, User
from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser


def test_kudos_comment_notification_and_a_lesson_changed(
    new_page: Any, live_server: LiveServer
) -> None:
    with live_server.app.app_context():
        manager = db.session.scalar(select(User).where(User.role == Role.MANAGER))
        story = Story(
            title="The night shift that changed the rules",
            body="It did.",
            body_html="<p>It did.</p>",
            channel=SeededChannel.CHAT,
            language=Language.EN,
            author=manager,
            author_kind=AuthorKind.AGENT,
            status=StoryStatus.PUBLISHED,
            published_at=utcnow(),
        )
        db.session.add(story)
        db.session.commit()
        story_id = story.id
    try:
        agent = new_page()
        sign_in(agent, live_server, Role.AGENT)
        agent.goto(live_server(f"/stories/{story_id}"))
        agent.get_by_role("button", name="Give kudos").click()
        expect(agent.get_by_test_id("kudos-count")).to_have_text("1 kudo")
        agent.get_by_label("Your comment").fill("This is how we *should* work.")
        agent.get_by_role("button", name="Comment", exact=True).click()
        expect(agent.locator(".comment-body em")).to_have_text("should")

        author = new_page()
        sign_in(author, live_server, Role.MANAGER)
        expect(author.locator(".user-menu").get_by_test_id("unread-count")).to_have_text("2")
        author.get_by_role("link", name="Notifications: 2 new").click()
        expect(author.get_by_text("Agent Tester gave kudos to your story")).to_be_visible()
        expect(author.get_by_text("Agent Tester commented on your story")).to_be_visible()

        author.goto(live_server(f"/stories/{story_id}"))
        author.get_by_text("Mark as a learning moment").click()
        author.get_by_label("What should change?").fill("Night shifts may close tickets")
        author.get_by_role("button", name="Mark as learning moment").click()
        for status in ("In progress", "Changed"):
            author.get_by_label("New status").select_option(label=status)
            author.get_by_role("button", name="Update").click()
        expect(author.get_by_test_id("lesson-status")).to_have_text("Changed")
        agent.reload()
        expect(agent.get_by_test_id("lesson-status")).to_have_text("Changed")
    finally:
        with live_server.app.app_context():
            db.session.delete(db.session.get(Story, story_id))
            db.session.commit()
