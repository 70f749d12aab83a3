"""The dashboard page: access, landing page, numbers with n and margin and their meaning in
words, the running week, the chart, the featured story cards and the team rows that link
to them, filters kept in the URL, and the "How we count" page.

The clock is fixed at Wednesday 25 November 2026, 15:00 in Amsterdam (2026-W48)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from storyboard.db import db
from storyboard.models import AuthorKind, FeatureKind, Role, SeededChannel, Story, User
from storyboard.weeks import IsoWeek
from tests.conftest import Auth
from tests.factories import add_answers, add_feature, add_story, add_team

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=AMS).astimezone(UTC)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("storyboard.dashboard.views.utcnow", lambda: NOW)


def this_week() -> IsoWeek:
    return IsoWeek(2026, 48)


def seed_this_week(app: Flask) -> None:
    start = this_week().start("Europe/Amsterdam")
    add_answers(
        app,
        [
            (
                start + timedelta(minutes=1),
                10,
                "Retail",
                SeededChannel.PHONE,
                "She called back herself",
            ),
            (start + timedelta(minutes=2), 9, "Retail", SeededChannel.CHAT, ""),
            (start + timedelta(minutes=3), 7, "Retail", SeededChannel.PHONE, ""),
            (
                start + timedelta(minutes=4),
                3,
                "Retail",
                SeededChannel.CHAT,
                "Nobody <b>listened</b>",
            ),
        ],
    )


@pytest.mark.parametrize("role", [Role.STAKEHOLDER, Role.MANAGER, Role.ADMIN])
def test_stakeholders_managers_and_admins_open_the_dashboard(
    auth: Auth, users: dict[Role, int], role: Role
) -> None:
    auth.login_as(role)
    response = auth.client.get("/dashboard/")
    assert response.status_code == 200
    assert 'href="/dashboard/"' in response.get_data(as_text=True)  # nav link


def test_agents_are_refused_and_anonymous_visitors_sent_to_sign_in(
    client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    auth.login_as(Role.AGENT)
    assert client.get("/dashboard/").status_code == 403
    assert 'href="/dashboard/"' not in client.get("/stories/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.STAKEHOLDER, "/dashboard/"),
        (Role.MANAGER, "/dashboard/"),
        (Role.AGENT, "/stories/"),
        (Role.ADMIN, "/stories/"),
    ],
)
def test_home_is_the_dashboard_for_stakeholders_and_managers(
    auth: Auth, users: dict[Role, int], role: Role, landing: str
) -> None:
    auth.login_as(role)
    assert auth.client.get("/").headers["Location"] == landing


def test_no_answers_shows_no_data_never_zero(auth: Auth, users: dict[Role, int]) -> None:
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/dashboard/").get_data(as_text=True)
    headline = re.search(r'data-testid="organisation-nps">(.*?)</p>', html, re.S)
    assert headline and "no data" in headline.group(1)
    assert 'data-change="no_data"' in html


def test_numbers_come_with_n_and_margin(app: Flask, auth: Auth, users: dict[Role, int]) -> None:
    seed_this_week(app)
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/dashboard/").get_data(as_text=True)
    # 2 promoters, 1 passive, 1 detractor of 4: NPS 25; its margin (± 81) is a normal
    # approximation that means little for 4 answers, so "few answers" stands instead.
    headline = re.search(r'data-testid="organisation-nps">(.*?)</p>', html, re.S)
    assert headline
    assert "+25" in headline.group(1) and "few answers" in headline.group(1)
    assert "±" not in headline.group(1)
    assert "n = 4" in headline.group(1)
    assert "She called back herself" in html
    assert "Nobody &lt;b&gt;listened&lt;/b&gt;" in html


def test_chart_is_accessible_svg_without_scripts_or_inline_styles(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    seed_this_week(app)
    auth.login_as(Role.STAKEHOLDER)
    response = auth.client.get("/dashboard/")
    html = response.get_data(as_text=True)
    svg = re.search(r"<svg class=\"nps-chart\".*?</svg>", html, re.S)
    assert svg, "no chart"
    assert 'role="img"' in svg.group(0) and "<title" in svg.group(0)
    assert "<desc" in svg.group(0)
    assert 'class="nps-error"' in svg.group(0)  # the margin of a lone week
    # An image with nothing focusable inside; the week links are in the table.
    assert "<a " not in svg.group(0) and "tabindex" not in svg.group(0)
    assert "nps-point-running" in svg.group(0) and "so far" in svg.group(0)
    # No inline style or script (the header's menu script is a file, loaded with defer).
    assert "style=" not in html and re.search(r"<script(?![^>]*\bsrc=)", html) is None
    week = this_week()
    sunday = week.monday + timedelta(days=6)
    link = f"/search?from={week.monday.isoformat()}&amp;to={sunday.isoformat()}"
    assert link in html  # the table next to the chart
    table = re.search(r'<details class="chart-table">(.*?)</details>', html, re.S)
    assert table and "running, so far" in table.group(1)


def _feature(
    app: Flask,
    title: str,
    team_slug: str | None,
    *,
    story_team: str = "Retail",
    kind: FeatureKind = FeatureKind.PRAISE,
    note: str = "A note",
    author_kind: AuthorKind = AuthorKind.AGENT,
    kudos: int = 0,
    week: IsoWeek | None = None,
) -> tuple[int, int]:
    """A published story featured for a team (None: the organisation); (story, feature)."""
    story_id = add_story(app, title, team=story_team, author_kind=author_kind)
    with app.app_context():
        story = db.session.get(Story, story_id)
        assert story is not None
        story.body_html = (
            f"<h2>What happened</h2><p>{title}: the customer asked where his "
            "order was. It was a present for his daughter.</p>"
        )
        story.kudos_count = kudos
        db.session.commit()
    return story_id, add_feature(
        app,
        story_id,
        team=team_slug,
        week=week or this_week(),
        kind=kind,
        note=note,
        featured_by="manager@example.nl",
    )


def _card(html: str, feature_id: int) -> str:
    card = re.search(
        rf'<article class="feature-card[^"]*" id="feature-{feature_id}"(.*?)</article>', html, re.S
    )
    assert card, f"no card for feature {feature_id}"
    return card.group(1)


def test_featured_story_is_a_card_and_its_team_row_links_to_it(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    seed_this_week(app)
    story_id, feature_id = _feature(
        app, "A present for his daughter", "retail", note="One father, not a 99% score", kudos=3
    )
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/dashboard/").get_data(as_text=True)
    row = re.search(r'<tr role="row" data-team="retail">(.*?)</tr>', html, re.S)
    assert row
    assert f'href="#feature-{feature_id}"' in row.group(1)
    assert "A present for his daughter" in row.group(1)
    assert "n = 4" in row.group(1)
    card = _card(html, feature_id)
    assert f'href="/stories/{story_id}"' in card
    assert "A present for his daughter" in card
    assert "the customer asked where his order was" in card  # the excerpt
    assert "What happened" not in card  # without the story frame's headings
    assert "Praise" in card
    assert "Told by Agent Tester, an agent" in card
    assert "Team Retail" in card
    assert "One father, not a 99% score" in card
    assert "3 kudos" in card
    # The cards stand beside the number, before the trend and the tables.
    assert html.index(f'id="feature-{feature_id}"') < html.index('id="trend-heading"')
    # No box on the dashboard scrolls sideways.
    assert "table-wrap" not in html


def test_card_of_a_customer_story_of_an_earlier_week(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    _story_id, feature_id = _feature(
        app,
        "The birthday parcel",
        "retail",
        kind=FeatureKind.LESSON,
        author_kind=AuthorKind.CUSTOMER,
        week=this_week().previous(),
    )
    auth.login_as(Role.STAKEHOLDER)
    card = _card(auth.client.get("/dashboard/").get_data(as_text=True), feature_id)
    assert "Lesson" in card
    assert "Told by a customer" in card
    assert "latest featured, week 47, 2026" in card
    assert "0 kudos" in card


def test_team_filter_puts_its_features_first_and_hides_the_organisation_feature(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    add_team(app, "Business")
    _s, org = _feature(app, "For everyone", None, story_team="Business")
    _s, business = _feature(app, "Business story", "business", story_team="Business")
    _s, retail = _feature(app, "Retail story", "retail")
    auth.login_as(Role.STAKEHOLDER)

    def order(query: str) -> list[int]:
        html = auth.client.get(f"/dashboard/{query}").get_data(as_text=True)
        return [
            int(i)
            for i in re.findall(r'<article class="feature-card[^"]*" id="feature-(\d+)"', html)
        ]

    assert order("") == [org, business, retail]
    assert order("?team=retail") == [retail, business]
    assert order("?team=business") == [org, business, retail]
    html = auth.client.get("/dashboard/").get_data(as_text=True)
    assert "Featured for the whole organisation" in _card(html, org)


@pytest.mark.parametrize(
    "query",
    [
        "team=retail&channel=phone&period=4",
        "team=nowhere&channel=fax&period=1000",
        "period=-1&channel=&team=%00",
        "period=26",
    ],
)
def test_filters_are_read_from_the_url_and_unknown_values_ignored(
    app: Flask, auth: Auth, users: dict[Role, int], query: str
) -> None:
    seed_this_week(app)
    auth.login_as(Role.STAKEHOLDER)
    response = auth.client.get(f"/dashboard/?{query}")
    assert response.status_code == 200


def test_filters_change_the_numbers_and_stay_selected(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    seed_this_week(app)
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/dashboard/?channel=phone&period=4").get_data(as_text=True)
    headline = re.search(r'data-testid="organisation-nps">(.*?)</p>', html, re.S)
    assert headline and "n = 2" in headline.group(1)  # a 10 and a 7 by phone
    assert '<option value="phone" selected>' in html
    assert '<option value="4" selected>' in html
    assert html.count("<circle") <= 5  # four weeks and this one
    assert "Nobody" not in html  # the chat detractor's comment is filtered out


def test_a_single_answer_is_flagged_as_few_answers_not_shown_as_exact(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    start = this_week().start("Europe/Amsterdam")
    add_answers(
        app,
        [
            (
                start - timedelta(days=7, hours=-9),
                10,
                "Retail",
                SeededChannel.PHONE,
                "",
            ),  # last Monday
            (start + timedelta(hours=9), 0, "Retail", SeededChannel.PHONE, ""),  # this Monday
        ],
    )
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/dashboard/").get_data(as_text=True)
    headline = re.search(r'data-testid="organisation-nps">(.*?)</p>', html, re.S)
    assert headline
    assert "few answers" in headline.group(1) and "± 0" not in headline.group(1)
    # From +100 to −100 on one answer each: too few to call a drop, and no delta shown.
    change = re.search(r'<p class="nps-change" data-change="too_few">(.*?)</p>', html, re.S)
    assert change
    assert "too few answers to tell" in change.group(1)
    assert "200" not in change.group(1)
    assert "Only 1 answer so far" in html


def _seed_comparable_weeks(app: Flask) -> None:
    """40 answers on the same days of last week (+50) and 40 so far this week (+30);
    last Thursday's answers must not be compared."""
    start = this_week().start("Europe/Amsterdam")
    last = start - timedelta(days=7)
    rows = [
        (
            last + timedelta(hours=1 + i),
            10 if i < 25 else 8 if i < 35 else 0,
            "Retail",
            SeededChannel.PHONE,
            "",
        )
        for i in range(40)
    ]
    rows += [
        (last + timedelta(days=3, minutes=i), 0, "Retail", SeededChannel.PHONE, "")
        for i in range(60)
    ]
    rows += [
        (
            start + timedelta(hours=1 + i),
            10 if i < 20 else 8 if i < 32 else 2,
            "Retail",
            SeededChannel.CHAT,
            "",
        )
        for i in range(40)
    ]
    add_answers(app, rows)


def test_the_number_comes_with_its_meaning_in_words(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    _seed_comparable_weeks(app)
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/dashboard/").get_data(as_text=True)
    headline = re.search(r'data-testid="organisation-nps">(.*?)</p>', html, re.S)
    assert headline and "+30" in headline.group(1) and "± 24" in headline.group(1)
    meaning = re.search(r'data-testid="nps-meaning">(.*?)</section>', html, re.S)
    assert meaning
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", meaning.group(1)))
    # 20 promoters, 12 passives, 8 detractors of 40.
    assert (
        "NPS is the percentage of promoters minus the percentage of detractors: 50% − 20% = +30."
    ) in text
    assert "50% promoters (9–10) · 20 answers" in text
    assert "30% passives (7–8) · 12 answers" in text
    assert "20% detractors (0–6) · 8 answers" in text
    assert "± 24 is the 95% margin of error" in text and "between +6 and +54" in text
    assert (
        "The week is still running: answers from Monday up to Wednesday 15:00 so far (n = 40)."
    ) in text
    # Like for like: +30 now against +50 on the same days of last week (not -2 for the
    # whole of last week).
    assert (
        "-20 points vs the same days last week (+50, n = 40): within noise, as chance "
        "alone can make a difference of up to ±"
    ) in text
    assert 'data-change="within_noise"' in html
    assert "How we count" in text
    assert 'href="/dashboard/how-we-count"' in meaning.group(1)
    heading = re.search(r'<h2 id="now-heading">(.*?)</h2>', html, re.S)
    assert heading and "This week: week 48, 23–29 November 2026" in heading.group(1)
    assert "running" in heading.group(1)


def test_the_dashboard_speaks_dutch_to_a_dutch_reader(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    _seed_comparable_weeks(app)
    _s, feature_id = _feature(app, "Een cadeau voor vandaag", "retail", kudos=1)
    with app.app_context():
        user = db.session.get(User, users[Role.STAKEHOLDER])
        assert user is not None
        user.locale = "nl"
        db.session.commit()
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/dashboard/").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "NPS is het percentage promotors min het percentage criticasters" in html
    assert "van maandag tot woensdag 15:00" in html
    assert "binnen de ruis" in html
    assert "Zo tellen we" in html
    card = _card(html, feature_id)
    assert "Compliment" in card and "Verteld door Agent Tester, een agent" in card
    assert "1 kudo" in card
    page = auth.client.get("/dashboard/how-we-count").get_data(as_text=True)
    assert "<h1>Zo tellen we</h1>" in page and "De lopende week" in page


@pytest.mark.parametrize("role", [Role.STAKEHOLDER, Role.MANAGER, Role.ADMIN])
def test_how_we_count_explains_every_term(auth: Auth, users: dict[Role, int], role: Role) -> None:
    auth.login_as(role)
    response = auth.client.get("/dashboard/how-we-count")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    headings = re.findall(r"<h([12])[^>]*>(.*?)</h\1>", html)
    assert next(level for level, _text in headings) == "1"
    text = " ".join(t for _l, t in headings)
    for term in ("NPS", "margin of error", "Within noise", "Few answers", "running week"):
        assert term in text, term
    assert "percentage of promoters minus the percentage of detractors" in html
    assert "95% margin of error" in html
    assert "30 answers" in html  # small samples: the threshold
    assert "too few answers to tell" in html
    assert "same days of last week" in html
    # The worked example is the dashboard's own math: 20/12/8 of 40 is +30 ± 24.
    assert "40 answers give +30 ± 24" in html
    assert 'href="/dashboard/"' in html


def test_agents_may_not_read_how_we_count(auth: Auth, users: dict[Role, int]) -> None:
    auth.login_as(Role.AGENT)
    assert auth.client.get("/dashboard/how-we-count").status_code == 403


# -- the shared content (storyboard.page_cache.fragment) ------------------------------------
_TURN_INTO_STORY = re.compile(
    r'<form method="post" action="(/nps/answers/\d+/story)"[^>]*>\s*'
    r'<input type="hidden" name="csrf_token" value="([^"]+)">'
)


def test_each_manager_gets_buttons_with_their_own_token(app: Flask, users: dict[Role, int]) -> None:
    """The content is rendered once for all managers; each one's "Turn into a story"
    buttons carry their own session's token, and posting one works."""
    from tests.conftest import signed_in
    from tests.factories import create_user

    seed_this_week(app)
    create_user(app, Role.MANAGER, email="second.manager@example.nl")
    first = signed_in(app, Role.MANAGER)
    second = signed_in(app, Role.MANAGER, email="second.manager@example.nl")
    first_page = first.client.get("/dashboard/").get_data(as_text=True)
    second_page = second.client.get("/dashboard/").get_data(as_text=True)
    first_buttons = _TURN_INTO_STORY.findall(first_page)
    second_buttons = _TURN_INTO_STORY.findall(second_page)
    assert first_buttons and len(first_buttons) == len(second_buttons)
    assert first_buttons[0][1] != second_buttons[0][1]
    assert "storyboard-hole" not in second_page
    action, token = second_buttons[0]
    response = second.client.post(action, data={"csrf_token": token})
    assert response.status_code == 302 and "/stories/" in response.headers["Location"]


def test_a_stakeholder_after_a_manager_sees_no_manager_controls(
    app: Flask, users: dict[Role, int]
) -> None:
    from tests.conftest import signed_in

    seed_this_week(app)
    manager_page = signed_in(app, Role.MANAGER).client.get("/dashboard/").get_data(as_text=True)
    stakeholder = signed_in(app, Role.STAKEHOLDER).client.get("/dashboard/")
    stakeholder_page = stakeholder.get_data(as_text=True)
    assert _TURN_INTO_STORY.search(manager_page) and "/nps/answers" in manager_page
    assert not _TURN_INTO_STORY.search(stakeholder_page)
    assert "/nps/answers" not in stakeholder_page
    # Each keeps their own reach block: the manager's figure, the stakeholder's list.
    assert 'data-testid="reach-figure"' in manager_page
    assert 'data-testid="for-you"' in stakeholder_page
    assert 'data-testid="reach-figure"' not in stakeholder_page


def test_new_answers_show_at_once_in_the_process_that_saved_them(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.STAKEHOLDER)
    assert 'data-change="no_data"' in auth.client.get("/dashboard/").get_data(as_text=True)
    seed_this_week(app)
    html = auth.client.get("/dashboard/").get_data(as_text=True)
    assert "n = 4" in html and "She called back herself" in html
