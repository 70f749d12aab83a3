"""The dashboard page: access, landing page, numbers with n and margin, the chart, the
featured story next to its team, filters kept in the URL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import Channel, Feature, FeatureKind, Role, Team, User
from storyboard.weeks import IsoWeek
from tests.conftest import Auth
from tests.curation.conftest import add_story
from tests.dashboard.conftest import add_answers


def this_week() -> IsoWeek:
    return IsoWeek.current("Europe/Amsterdam")


def seed_this_week(app: Flask) -> None:
    start = this_week().start("Europe/Amsterdam")
    add_answers(app, [
        (start + timedelta(minutes=1), 10, "Retail", Channel.PHONE, "She called back herself"),
        (start + timedelta(minutes=2), 9, "Retail", Channel.CHAT, ""),
        (start + timedelta(minutes=3), 7, "Retail", Channel.PHONE, ""),
        (start + timedelta(minutes=4), 3, "Retail", Channel.CHAT, "Nobody <b>listened</b>"),
    ])


@pytest.mark.parametrize("role", [Role.STAKEHOLDER, Role.MANAGER, Role.ADMIN])
def test_stakeholders_managers_and_admins_open_the_dashboard(
        auth: Auth, users: dict[Role, int], role: Role) -> None:
    auth.login_as(role)
    response = auth.client.get("/dashboard/")
    assert response.status_code == 200
    assert 'href="/dashboard/"' in response.get_data(as_text=True)  # nav link


def test_agents_are_refused_and_anonymous_visitors_sent_to_sign_in(
        client: FlaskClient, auth: Auth, users: dict[Role, int]) -> None:
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    auth.login_as(Role.AGENT)
    assert client.get("/dashboard/").status_code == 403
    assert 'href="/dashboard/"' not in client.get("/stories/").get_data(as_text=True)


@pytest.mark.parametrize(("role", "landing"), [
    (Role.STAKEHOLDER, "/dashboard/"), (Role.MANAGER, "/dashboard/"),
    (Role.AGENT, "/stories/"), (Role.ADMIN, "/stories/"),
])
def test_home_is_the_dashboard_for_stakeholders_and_managers(
        auth: Auth, users: dict[Role, int], role: Role, landing: str) -> None:
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
    # 2 promoters, 1 passive, 1 detractor of 4: NPS 25, margin 1.96*sqrt((.75-.0625)/4)*100
    headline = re.search(r'data-testid="organisation-nps">(.*?)</p>', html, re.S)
    assert headline
    assert "+25" in headline.group(1) and "± 81" in headline.group(1)
    assert "n = 4" in headline.group(1)
    assert "She called back herself" in html
    assert "Nobody &lt;b&gt;listened&lt;/b&gt;" in html


def test_chart_is_accessible_svg_without_scripts_or_inline_styles(
        app: Flask, auth: Auth, users: dict[Role, int]) -> None:
    seed_this_week(app)
    auth.login_as(Role.STAKEHOLDER)
    response = auth.client.get("/dashboard/")
    html = response.get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg, "no chart"
    assert 'role="img"' in svg.group(0) and "<title" in svg.group(0)
    assert 'class="nps-error"' in svg.group(0)  # the margin of a lone week
    assert "style=" not in html and "<script" not in html
    week = this_week()
    sunday = week.monday + timedelta(days=6)
    link = f"/search?from={week.monday.isoformat()}&amp;to={sunday.isoformat()}"
    assert link in svg.group(0)  # the chart's week labels
    assert html.count(link) >= 2  # and the table fallback


def test_featured_story_stands_next_to_its_team(app: Flask, auth: Auth,
                                                 users: dict[Role, int]) -> None:
    seed_this_week(app)
    story_id = add_story(app, "A present for his daughter")
    with app.app_context():
        week = this_week()
        db.session.add(Feature(
            story_id=story_id, team=db.session.scalar(select(Team).where(Team.slug == "retail")),
            iso_year=week.year, iso_week=week.week, kind=FeatureKind.PRAISE,
            note="One father, not a 99% score",
            featured_by=db.session.scalar(select(User).where(User.role == Role.MANAGER)),
        ))
        db.session.commit()
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/dashboard/").get_data(as_text=True)
    row = re.search(r'<tr data-team="retail">(.*?)</tr>', html, re.S)
    assert row
    assert f'href="/stories/{story_id}"' in row.group(1)
    assert "A present for his daughter" in row.group(1)
    assert "One father, not a 99% score" in row.group(1)
    assert "n = 4" in row.group(1)


@pytest.mark.parametrize("query", [
    "team=retail&channel=phone&period=4",
    "team=nowhere&channel=fax&period=1000",
    "period=-1&channel=&team=%00",
    "period=26",
])
def test_filters_are_read_from_the_url_and_unknown_values_ignored(
        app: Flask, auth: Auth, users: dict[Role, int], query: str) -> None:
    seed_this_week(app)
    auth.login_as(Role.STAKEHOLDER)
    response = auth.client.get(f"/dashboard/?{query}")
    assert response.status_code == 200


def test_filters_change_the_numbers_and_stay_selected(
        app: Flask, auth: Auth, users: dict[Role, int]) -> None:
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
        app: Flask, auth: Auth, users: dict[Role, int]) -> None:
    start = this_week().start("Europe/Amsterdam")
    add_answers(app, [
        (start - timedelta(days=2), 10, "Retail", Channel.PHONE, ""),  # last week
        (start + timedelta(minutes=1), 0, "Retail", Channel.PHONE, ""),  # this week
    ])
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/dashboard/").get_data(as_text=True)
    headline = re.search(r'data-testid="organisation-nps">(.*?)</p>', html, re.S)
    assert headline
    assert "few answers" in headline.group(1) and "± 0" not in headline.group(1)
    # From +100 to −100 on one answer each: too few to call a drop.
    assert 'data-change="too_few"' in html
    assert "too few answers to tell" in html
