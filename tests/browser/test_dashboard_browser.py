"""The dashboard in a real browser: a stakeholder lands on it, sees the chart and the
featured story next to a team's NPS, and filters by channel."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from storyboard.db import db, utcnow
from storyboard.models import (
    AuthorKind,
    Channel,
    Feature,
    FeatureKind,
    Language,
    Role,
    Story,
    StoryStatus,
    Team,
    User,
)
from storyboard.models.nps import SurveyAnswer
from storyboard.weeks import IsoWeek
from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser


def _seed(server: LiveServer) -> int:
    """This week: three phone answers and two chat answers for Retail, and a featured
    story for Retail; returns the story's id."""
    week = IsoWeek.current("Europe/Amsterdam")
    start = week.start("Europe/Amsterdam")
    with server.app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == "retail"))
        manager = db.session.scalar(select(User).where(User.role == Role.MANAGER))
        assert team is not None
        ids = itertools.count()
        for channel, scores in ((Channel.PHONE, (10, 9, 4)), (Channel.CHAT, (10, 8))):
            for score in scores:
                db.session.add(SurveyAnswer(
                    source="dashboard-browser", external_id=f"{channel.value}-{next(ids)}",
                    answered_at=start + timedelta(minutes=next(ids)), score=score, team=team,
                    channel=channel, comment=""))
        story = Story(title="The birthday parcel", body="Today.", body_html="<p>Today.</p>",
                      channel=Channel.PHONE, language=Language.EN, team=team,
                      author_kind=AuthorKind.CUSTOMER, status=StoryStatus.PUBLISHED,
                      published_at=utcnow())
        db.session.add_all([story, Feature(
            story=story, team=team, iso_year=week.year, iso_week=week.week,
            kind=FeatureKind.PRAISE, note="One father, not a percentage", featured_by=manager)])
        db.session.commit()
        return int(story.id)


def _clean_up(server: LiveServer, story_id: int) -> None:
    """The live server is shared by the session: leave no feature or answers behind
    for the other browser tests."""
    with server.app.app_context():
        db.session.execute(delete(Feature).where(Feature.story_id == story_id))
        db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.source == "dashboard-browser"))
        story = db.session.get(Story, story_id)
        if story is not None:
            db.session.delete(story)
        db.session.commit()


@pytest.fixture
def seeded(live_server: LiveServer) -> Iterator[None]:
    story_id = _seed(live_server)
    try:
        yield
    finally:
        _clean_up(live_server, story_id)


def test_stakeholder_sees_chart_and_featured_story_and_filters_by_channel(
        new_page: Any, live_server: LiveServer, seeded: None) -> None:
    page = new_page()
    sign_in(page, live_server, Role.STAKEHOLDER)
    expect(page).to_have_url(live_server("/dashboard/"))  # the landing page

    chart = page.get_by_role("img", name=re.compile("Weekly NPS"))
    expect(chart).to_be_visible()
    retail = page.locator('tr[data-team="retail"]')
    expect(retail).to_contain_text("The birthday parcel")
    expect(retail).to_contain_text("One father, not a percentage")
    expect(retail).to_contain_text("n = 5")

    folder = os.environ.get("STORYBOARD_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/dashboard.png", full_page=True)

    filters = page.get_by_role("form", name="Filter the dashboard")
    filters.get_by_label("Channel").select_option("chat")
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"channel=chat"))
    expect(page.get_by_test_id("organisation-nps")).to_contain_text("n = 2")
    expect(page.get_by_role("form", name="Filter the dashboard").get_by_label("Channel")
           ).to_have_value("chat")
    expect(page.get_by_role("img", name=re.compile("Weekly NPS"))).to_be_visible()
