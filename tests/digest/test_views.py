"""Digest pages: who may read them, the last complete week, any week, bad weeks, the
archive, a team's digest, print-friendliness."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from storyboard.models import Role
from storyboard.weeks import running_week
from tests.conftest import Auth
from tests.digest.conftest import WEEK


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAKEHOLDER, Role.ADMIN])
def test_readers_open_the_running_week(
    app: Flask, auth: Auth, users: dict[Role, int], role: Role
) -> None:
    auth.login_as(role)
    with app.app_context():
        before = running_week()
    response = auth.client.get("/digest/")
    with app.app_context():
        after = running_week()  # the same, unless the week turned during the request
    assert response.status_code == 302
    assert response.headers["Location"] in {f"/digest/{before}", f"/digest/{after}"}
    page = auth.client.get(response.headers["Location"])
    assert page.status_code == 200 and 'href="/digest/"' in page.get_data(as_text=True)


def test_agents_and_strangers_are_kept_out(
    client: FlaskClient, auth: Auth, users: dict[Role, int]
) -> None:
    assert client.get(f"/digest/{WEEK}").status_code == 302
    auth.login_as(Role.AGENT)
    assert client.get(f"/digest/{WEEK}").status_code == 403
    assert client.get("/digest/archive").status_code == 403


def test_a_week_shows_its_numbers_stories_and_quotes(
    app: Flask, auth: Auth, week_data: dict[str, int]
) -> None:
    auth.login_as(Role.MANAGER)
    html = auth.client.get(f"/digest/{WEEK}").get_data(as_text=True)
    assert "NPS +10 (n = 10), too few answers to compare; 2 new stories; 2 featured." in html
    assert f'href="/stories/{week_data["router"]}"' in html
    assert "Went the extra mile, literally" in html
    assert "Still no refund" in html and "Called back as promised" in html
    assert "A draft nobody sees" not in html and "Last week&#39;s story" not in html
    assert f'rel="prev" class="button button-quiet" href="/digest/{WEEK.previous()}"' in html
    assert f'href="/digest/{WEEK.next()}"' in html


def test_a_team_digest_and_an_unknown_team(
    app: Flask, auth: Auth, week_data: dict[str, int]
) -> None:
    auth.login_as(Role.MANAGER)
    html = auth.client.get(f"/digest/{WEEK}?team=business").get_data(as_text=True)
    assert "Week 46 · Business" in html and "Slow, but fine in the end" in html
    assert "Still no refund" not in html
    assert f'href="/digest/{WEEK.previous()}?team=business"' in html
    html = auth.client.get(f"/digest/{WEEK}?team=%3Cscript%3E").get_data(as_text=True)
    assert "That team does not exist" in html and "<script>" not in html


def test_a_week_without_data_says_so(auth: Auth, users: dict[Role, int]) -> None:
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/digest/2025-W10").get_data(as_text=True)
    assert "No survey answers, no new stories and nothing featured in this week." in html


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("2026-W99", "is not a week"),
        ("2026-W00", "is not a week"),
        ("abc", "is not a week"),
        ("2025-W53", "is not a week"),
        ("2099-W01", "has not started yet"),
        ("x" * 500, "is not a week"),
        ("2026-W47%00", "is not a week"),
    ],
)
def test_bad_and_future_weeks_get_a_clear_404(
    auth: Auth, users: dict[Role, int], week: str, message: str
) -> None:
    auth.login_as(Role.MANAGER)
    response = auth.client.get(f"/digest/{week}")
    assert response.status_code == 404
    assert message in response.get_data(as_text=True)


def test_the_archive_lists_weeks_by_year(auth: Auth, week_data: dict[str, int]) -> None:
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/digest/archive").get_data(as_text=True)
    assert f'href="/digest/{WEEK}"' in html and 'id="year-2026"' in html
    assert f'href="/digest/{WEEK.previous().previous()}"' not in html  # before the data


def test_printing_leaves_out_navigation(auth: Auth, users: dict[Role, int]) -> None:
    auth.login_as(Role.MANAGER)
    html = auth.client.get(f"/digest/{WEEK}").get_data(as_text=True)
    assert 'class="digest-nav no-print"' in html and 'class="filters no-print"' in html
    from pathlib import Path

    static = Path(auth.client.application.static_folder or "")
    css = (static / "css" / "storyboard.css").read_text(encoding="utf-8")
    print_rules = css[css.rindex("@media print") :]
    assert ".no-print" in print_rules and "display: none" in print_rules
    assert ".site-header" in css[css.index("@media print") :]
