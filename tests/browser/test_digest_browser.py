"""The weekly digest in a real browser: a manager opens the digest (the running week),
steps back a week and opens the story featured there."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import (
    AuthorKind,
    Feature,
    FeatureKind,
    Language,
    Role,
    SeededChannel,
    Story,
    StoryStatus,
    User,
)
from storyboard.weeks import app_timezone, running_week
from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser


def test_manager_reads_this_weeks_digest_and_the_week_before(
    new_page: Any, live_server: LiveServer
) -> None:
    with live_server.app.app_context():
        week = running_week().previous()  # the week before the one /digest shows
        author = db.session.scalar(select(User).where(User.role == Role.AGENT))
        story = Story(
            title="The bike courier who waited",
            body="He waited.",
            body_html="<p>He waited.</p>",
            channel=SeededChannel.PHONE,
            language=Language.EN,
            author=author,
            author_kind=AuthorKind.AGENT,
            status=StoryStatus.PUBLISHED,
            team=author.team if author else None,
            published_at=week.start(app_timezone()),
        )
        feature = Feature(
            story=story,
            team=None,
            iso_year=week.year,
            iso_week=week.week,
            kind=FeatureKind.PRAISE,
            note="Patience is a service too",
        )
        db.session.add_all([story, feature])
        db.session.commit()
        story_id, feature_id = story.id, feature.id
    try:
        page = new_page()
        sign_in(page, live_server, Role.MANAGER)
        page.get_by_role("link", name="Digest").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Week {running_week().week}")
        page.get_by_role("navigation", name="Other weeks").get_by_role(
            "link", name=f"Week {week.week}"
        ).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Week {week.week}")
        featured = page.get_by_role("region", name="Featured this week")
        expect(featured).to_contain_text("Patience is a service too")
        featured.get_by_role("link", name="The bike courier who waited").first.click()
        expect(page).to_have_url(live_server(f"/stories/{story_id}"))
        expect(page.get_by_role("heading", level=1)).to_have_text("The bike courier who waited")
    finally:
        with live_server.app.app_context():
            db.session.delete(db.session.get(Feature, feature_id))
            db.session.delete(db.session.get(Story, story_id))
            db.session.commit()
