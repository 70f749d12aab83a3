"""Which week the digest names, and its dates: the page heading, the archive, the e-mail,
in both languages and in more than one configured zone (Monday 00:00 in Amsterdam or
Auckland is still Sunday in UTC, which once labelled every digest a week early)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask_babel import force_locale

from storyboard.digest.builder import archive_weeks, build_digest
from storyboard.digest.sending import compose
from storyboard.models import Role
from storyboard.weeks import IsoWeek, last_complete_week, running_week
from tests.conftest import Auth
from tests.digest.conftest import WEEK

ZONES = ["Europe/Amsterdam", "America/New_York", "Pacific/Auckland"]
RUNNING = "(running: up to and including today)"
_LEAD = re.compile(r'data-testid="digest-days">([^<]*)</p>')
_H1 = re.compile(r'<h1 id="digest-title">([^<]*)</h1>')


def lead(html: str) -> str:
    match = _LEAD.search(html)
    assert match, "the digest page has no date line"
    return match.group(1)


def heading(html: str) -> str:
    match = _H1.search(html)
    assert match, "the digest page has no heading"
    return match.group(1).strip()


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    ("locale", "h1", "days"),
    [
        ("en", "Week 48", "week 48, 23–29 November 2026"),
        ("nl", "Week 48", "week 48, 23–29 november 2026"),
    ],
)
def test_week_48_is_23_to_29_november(
    app: Flask, auth: Auth, users: dict[Role, int], zone: str, locale: str, h1: str, days: str
) -> None:
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    auth.login_as(Role.MANAGER)
    page = auth.client.get("/digest/2026-W48", headers={"Accept-Language": locale})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert heading(html) == h1
    assert lead(html) == days
    assert 'method="get" action="/digest/2026-W48"' in html  # the team filter stays there


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    ("week", "days"),
    [
        # Summer time starts on Sunday 29 March 2026 (in Auckland it ends on 5 April).
        ("2026-W13", "week 13, 23–29 March 2026"),
        ("2026-W14", "week 14, 30 March – 5 April 2026"),
        # Summer time ends on Sunday 25 October 2026 (1 November in New York).
        ("2026-W43", "week 43, 19–25 October 2026"),
        ("2026-W44", "week 44, 26 October – 1 November 2026"),
        # A past year boundary with a week 53 (2026's is checked in the e-mail below).
        ("2020-W53", "week 53, 28 December 2020 – 3 January 2021"),
        ("2021-W01", "week 1, 4–10 January 2021"),
    ],
)
def test_weeks_around_dst_changes_and_new_year(
    app: Flask, auth: Auth, users: dict[Role, int], zone: str, week: str, days: str
) -> None:
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get(f"/digest/{week}").get_data(as_text=True)
    assert heading(html) == f"Week {IsoWeek.parse(week).week}"
    assert lead(html) == days


@pytest.mark.parametrize("zone", ZONES)
def test_the_menu_opens_the_running_week_labelled_as_running(
    app: Flask, auth: Auth, users: dict[Role, int], zone: str
) -> None:
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    auth.login_as(Role.MANAGER)
    page = auth.client.get("/digest/", follow_redirects=True)
    html = page.get_data(as_text=True)
    week = IsoWeek.parse(page.request.path.rsplit("/", 1)[-1])
    with app.test_request_context():
        assert week in {running_week(), running_week().previous()}  # a week may just turn
    assert heading(html) == f"Week {week.week}"
    assert lead(html).startswith(f"week {week.week}, ") and lead(html).endswith(RUNNING)
    assert 'rel="next"' not in html
    dutch = auth.client.get(page.request.path, headers={"Accept-Language": "nl"})
    assert lead(dutch.get_data(as_text=True)).endswith("(loopt nog: tot en met vandaag)")


def test_a_complete_week_is_not_labelled_running(auth: Auth, users: dict[Role, int]) -> None:
    auth.login_as(Role.MANAGER)
    assert RUNNING not in auth.client.get(f"/digest/{WEEK}").get_data(as_text=True)


@pytest.mark.parametrize("zone", ZONES)
def test_the_archive_lists_the_running_week_first(
    app: Flask, auth: Auth, zone: str, week_data: dict[str, int]
) -> None:
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    auth.login_as(Role.STAKEHOLDER)
    html = auth.client.get("/digest/archive").get_data(as_text=True)
    entries = re.findall(r'<li><a href="/digest/([^"]+)">([^<]*)</a></li>', html)
    with app.test_request_context():
        running = running_week()
    newest, label = entries[0]
    assert IsoWeek.parse(newest) in {running, running.previous()}  # a week may just turn
    assert label.endswith(RUNNING)
    assert sum(RUNNING in text for _week, text in entries) == 1
    assert (str(WEEK), "week 46, 9–15 November 2026") in entries
    assert entries[-1][0] == str(WEEK.previous())  # the oldest week with data


# -- the same facts from the functions the pages use, at a chosen moment ------------------
SUNDAY_EVENING_UTC = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # Monday 09:00 in Auckland
MONDAY_EARLY_UTC = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # Sunday 22:00 in New York


@pytest.mark.parametrize(
    ("zone", "now", "running"),
    [
        ("Europe/Amsterdam", SUNDAY_EVENING_UTC, IsoWeek(2026, 48)),
        ("Pacific/Auckland", SUNDAY_EVENING_UTC, IsoWeek(2026, 49)),
        ("America/New_York", SUNDAY_EVENING_UTC, IsoWeek(2026, 48)),
        ("Europe/Amsterdam", MONDAY_EARLY_UTC, IsoWeek(2026, 49)),
        ("America/New_York", MONDAY_EARLY_UTC, IsoWeek(2026, 48)),
        ("Europe/Amsterdam", datetime(2027, 1, 3, 22, 59, tzinfo=UTC), IsoWeek(2026, 53)),
        ("Europe/Amsterdam", datetime(2027, 1, 3, 23, 0, tzinfo=UTC), IsoWeek(2027, 1)),
        ("Pacific/Auckland", datetime(2027, 1, 3, 11, 0, tzinfo=UTC), IsoWeek(2027, 1)),
    ],
)
def test_the_running_and_the_last_complete_week_in_the_configured_zone(
    app: Flask, zone: str, now: datetime, running: IsoWeek
) -> None:
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    with app.app_context():
        assert running_week(now) == running
        assert last_complete_week(now) == running.previous()  # what send-digest sends


def test_the_archive_runs_from_the_running_week_back_across_new_year() -> None:
    years = archive_weeks(IsoWeek(2026, 52), IsoWeek(2027, 2))
    assert years == {
        2027: [IsoWeek(2027, 2), IsoWeek(2027, 1)],
        2026: [IsoWeek(2026, 53), IsoWeek(2026, 52)],
    }
    assert archive_weeks(None, IsoWeek(2027, 1)) == {2027: [IsoWeek(2027, 1)]}
    # Data "from the future" (a clock that was wrong) still lists the running week.
    assert archive_weeks(IsoWeek(2027, 5), IsoWeek(2027, 1)) == {2027: [IsoWeek(2027, 1)]}


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    ("week", "locale", "subject", "days"),
    [
        (IsoWeek(2026, 53), "en", "Storyboard, week 53: ", "28 December 2026 – 3 January 2027"),
        (IsoWeek(2026, 53), "nl", "Storyboard, week 53: ", "28 december 2026 – 3 januari 2027"),
        (IsoWeek(2027, 1), "en", "Storyboard, week 1: ", "4–10 January 2027"),
        (IsoWeek(2027, 1), "nl", "Storyboard, week 1: ", "4–10 januari 2027"),
    ],
)
def test_the_email_names_the_week_and_its_days_across_new_year(
    app: Flask,
    users: dict[Role, int],
    zone: str,
    week: IsoWeek,
    locale: str,
    subject: str,
    days: str,
) -> None:
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    app.config["BABEL_DEFAULT_LOCALE"] = locale
    with app.test_request_context():
        digest = build_digest(week, now=datetime(2027, 2, 1, tzinfo=UTC))
        message = compose(digest, "reader@example.nl", None)
    assert message["Subject"].startswith(subject)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.splitlines()[1] == days
    assert f">{days}</p>" in html


def test_a_running_week_in_the_email_says_so(app: Flask, users: dict[Role, int]) -> None:
    with app.test_request_context(), force_locale("en"):
        digest = build_digest(IsoWeek(2026, 53), now=datetime(2026, 12, 31, tzinfo=UTC))
        text = compose(digest, "reader@example.nl", None).get_body(("plain",)).get_content()
    assert text.splitlines()[:2] == [
        "Storyboard: week 53 (still running)",
        "28 December 2026 – 3 January 2027",
    ]
