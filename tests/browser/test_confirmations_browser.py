"""Risky buttons ask first in a real browser: saying "no" to the question leaves the
story as it was, "yes" acts; without JavaScript the receipt's link is still there to
select, and the copy button (which needs a script) stays hidden."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from storyboard.db import db
from storyboard.models import Role, Story, StoryStatus
from tests.browser.conftest import LiveServer, sign_in
from tests.factories import add_story

pytestmark = pytest.mark.browser


def _status(server: LiveServer, story_id: int) -> StoryStatus | None:
    with server.app.app_context():
        story = db.session.get(Story, story_id)
        return story.status if story is not None else None


def test_unpublish_and_delete_need_the_confirmation(new_page: Any, live_server: LiveServer) -> None:
    story_id = add_story(
        live_server.app, "A story to keep, then not", author=live_server.emails[Role.AGENT]
    )
    page = new_page()
    sign_in(page, live_server, Role.MANAGER)
    page.goto(live_server(f"/stories/{story_id}"))
    questions: list[str] = []

    def dismiss(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_role("button", name="Unpublish")).to_be_visible()
    assert questions and questions[0].startswith("Take this story out of the archive?")
    assert _status(live_server, story_id) is StoryStatus.PUBLISHED

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Delete").first.click()
    assert questions[-1] == "Delete this story for good?"
    assert _status(live_server, story_id) is StoryStatus.PUBLISHED

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").first.click()
    expect(page).to_have_url(re.compile(r"/stories/$"))
    expect(page.locator(".flash-info")).to_contain_text("The story was deleted.")
    assert _status(live_server, story_id) is None


def test_without_javascript_the_receipt_link_is_plain_text_and_no_dead_button(
    new_page: Any, live_server: LiveServer
) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(live_server("/share/"))
    page.get_by_label("A short title").fill("Quiet help without scripts")
    page.get_by_label("Your story").fill("Someone helped me and I could not run JavaScript.")
    page.get_by_label("How did you contact us?").select_option(label="Chat")
    page.get_by_label("You may share my story inside the company.").check()
    page.get_by_role("button", name="Send my story").click()
    link = page.get_by_test_id("status-url")
    expect(link).to_be_visible()
    assert "/share/status/" in link.input_value()
    expect(page.get_by_test_id("copy-link")).to_be_hidden()
    status_url = link.input_value()
    page.goto(status_url)
    page.get_by_label("Yes, erase my story and my details for good.").check()
    page.get_by_role("button", name="Take my story back").click()
    expect(page.get_by_test_id("status")).to_contain_text("Taken back and erased")
