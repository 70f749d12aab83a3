"""The dashboard in a real browser: a stakeholder lands on it, sees the number with its
meaning and the featured story cards beside it (1366×900) or below it (390×844, without
any sideways scrolling), opens a card's story, and filters by channel."""

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
    Feature,
    FeatureKind,
    Language,
    Role,
    SeededChannel,
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
        for channel, scores in ((SeededChannel.PHONE, (10, 9, 4)), (SeededChannel.CHAT, (10, 8))):
            for score in scores:
                db.session.add(
                    SurveyAnswer(
                        source="dashboard-browser",
                        external_id=f"{channel.value}-{next(ids)}",
                        answered_at=start + timedelta(minutes=next(ids)),
                        score=score,
                        team=team,
                        channel=channel,
                        comment="",
                    )
                )
        body = (
            "A customer asked where his order was. It was a present for his daughter, "
            "whose birthday was today, so we had it delivered today."
        )
        story = Story(
            title="The birthday parcel",
            body=body,
            body_html=f"<p>{body}</p>",
            channel=SeededChannel.PHONE,
            language=Language.EN,
            team=team,
            author_kind=AuthorKind.CUSTOMER,
            status=StoryStatus.PUBLISHED,
            published_at=utcnow(),
        )
        db.session.add_all(
            [
                story,
                Feature(
                    story=story,
                    team=team,
                    iso_year=week.year,
                    iso_week=week.week,
                    kind=FeatureKind.PRAISE,
                    note="One father, not a percentage",
                    featured_by=manager,
                ),
            ]
        )
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


# Boxes inside <main> that scroll or clip their content sideways. Visually hidden text
# (1×1 px, clipped on purpose for screen readers) is not content anyone has to scroll to.
SIDEWAYS_OVERFLOW = """() => {
  const boxes = [];
  for (const el of document.querySelectorAll('main *')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) continue;
    if (el.clientWidth <= 1 || style.clipPath === 'inset(50%)') continue;
    if (el.scrollWidth > el.clientWidth) {
      boxes.push(`${el.tagName}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
    }
  }
  return boxes;
}"""


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return box  # type: ignore[no-any-return]


def _sees_number_meaning_and_card(page: Any) -> Any:
    number = page.get_by_test_id("organisation-nps")
    expect(number).to_be_visible()
    expect(number).to_contain_text("n = 5")
    meaning = page.get_by_test_id("nps-meaning")
    expect(meaning).to_contain_text(
        "NPS is the percentage of promoters minus the percentage of detractors"
    )
    expect(meaning).to_contain_text("60% promoters (9–10)")  # 3 of 5
    expect(meaning).to_contain_text("The week is still running")
    expect(meaning.get_by_role("link", name=re.compile("How we count"))).to_be_visible()
    featured = page.get_by_role("region", name="Featured stories this week")
    card = featured.get_by_role("article", name="The birthday parcel")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Praise")
    expect(card).to_contain_text("Told by a customer")
    expect(card).to_contain_text("One father, not a percentage")
    expect(card).to_contain_text("a present for his daughter")
    return card


def test_stakeholder_sees_the_number_with_its_meaning_and_the_stories_beside_it(
    new_page: Any, live_server: LiveServer, seeded: None
) -> None:
    page = new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, live_server, Role.STAKEHOLDER)
    expect(page).to_have_url(live_server("/dashboard/"))  # the landing page
    card = _sees_number_meaning_and_card(page)
    number, card_box = _box(page.get_by_test_id("organisation-nps")), _box(card)
    assert card_box["x"] > number["x"] + number["width"]  # beside the number…
    assert card_box["y"] < 900  # …and above the fold
    folder = os.environ.get("STORYBOARD_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/dashboard-1366.png", full_page=True)

    # The team's row leads to its card.
    page.locator('tr[data-team="retail"]').get_by_role("link", name="The birthday parcel").click()
    expect(page).to_have_url(re.compile(r"#feature-\d+$"))

    # How we count, and back.
    page.get_by_role("link", name=re.compile("How we count")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How we count")
    page.get_by_role("link", name=re.compile("Back to the dashboard")).click()

    # And the story itself.
    card = page.get_by_role("article", name="The birthday parcel")
    card.get_by_role("link", name="The birthday parcel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The birthday parcel")


def test_on_a_phone_everything_stacks_without_sideways_scrolling(
    new_page: Any, live_server: LiveServer, seeded: None
) -> None:
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(page, live_server, Role.STAKEHOLDER)
    expect(page).to_have_url(live_server("/dashboard/"))
    card = _sees_number_meaning_and_card(page)
    number, meaning = (
        _box(page.get_by_test_id("organisation-nps")),
        _box(page.get_by_test_id("nps-meaning")),
    )
    card_box = _box(card)
    assert number["y"] < meaning["y"] < card_box["y"]  # stacked: number, meaning, cards
    assert card_box["x"] >= 0 and card_box["x"] + card_box["width"] <= 390

    # The teams table is a stack of cards: the NPS is on screen, not off to the right.
    retail = page.locator('tr[data-team="retail"]')
    nps_cell = retail.locator("td").first
    expect(nps_cell).to_contain_text("n = 5")
    cell = _box(nps_cell)
    assert cell["x"] >= 0 and cell["x"] + cell["width"] <= 390
    folder = os.environ.get("STORYBOARD_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/dashboard-390-first-screen.png")
    page.get_by_text("The numbers of the chart as a table").click()  # open it too

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(SIDEWAYS_OVERFLOW) == []
    if folder:
        page.screenshot(path=f"{folder}/dashboard-390.png", full_page=True)
        page.locator(".dashboard-featured").screenshot(path=f"{folder}/dashboard-390-cards.png")
        page.locator(".dashboard-teams").screenshot(path=f"{folder}/dashboard-390-teams.png")

    card.get_by_role("link", name="The birthday parcel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The birthday parcel")


def test_stakeholder_sees_chart_and_filters_by_channel(
    new_page: Any, live_server: LiveServer, seeded: None
) -> None:
    page = new_page()
    sign_in(page, live_server, Role.STAKEHOLDER)
    expect(page).to_have_url(live_server("/dashboard/"))  # the landing page

    chart = page.get_by_role("img", name=re.compile("Weekly NPS"))
    expect(chart).to_be_visible()
    retail = page.locator('tr[data-team="retail"]')
    expect(retail).to_contain_text("The birthday parcel")
    expect(retail).to_contain_text("n = 5")

    filters = page.get_by_role("form", name="Filter the dashboard")
    filters.get_by_label("Channel").select_option("chat")
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"channel=chat"))
    expect(page.get_by_test_id("organisation-nps")).to_contain_text("n = 2")
    expect(
        page.get_by_role("form", name="Filter the dashboard").get_by_label("Channel")
    ).to_have_value("chat")
    expect(page.get_by_role("img", name=re.compile("Weekly NPS"))).to_be_visible()
