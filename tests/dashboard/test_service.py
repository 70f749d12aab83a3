"""Dashboard numbers against an independent count over the same rows, week boundaries in
Amsterdam time (DST changes and ISO week 53 included), filters and comments."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from storyboard.dashboard.service import DashboardFilters, dashboard_data
from storyboard.db import db
from storyboard.models import Channel, Team
from storyboard.nps.math import NO_DATA, NpsResult
from tests.dashboard.conftest import add_answers

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # Wednesday of 2026-W48


def local(*args: int) -> datetime:
    """An Amsterdam wall-clock time as an aware datetime."""
    return datetime(*args, tzinfo=AMS)  # type: ignore[misc]


def by_hand(scores: list[int]) -> tuple[int, int, int, float | None, float | None]:
    """Promoters, passives, detractors, NPS and 95 % margin, computed from scratch."""
    pro = sum(1 for s in scores if s in (9, 10))
    pas = sum(1 for s in scores if s in (7, 8))
    det = sum(1 for s in scores if 0 <= s <= 6)
    n = len(scores)
    if n == 0:
        return 0, 0, 0, None, None
    p, d = pro / n, det / n
    return pro, pas, det, 100 * (p - d), 196 * math.sqrt((p + d - (p - d) ** 2) / n)


def assert_matches(result: NpsResult, scores: list[int]) -> None:
    pro, pas, det, score, margin = by_hand(scores)
    assert (result.promoters, result.passives, result.detractors) == (pro, pas, det)
    assert result.n == len(scores)
    if score is None:
        assert result.score is None and result.margin is None
    else:
        assert result.score == pytest.approx(score)
        assert result.margin == pytest.approx(margin)


def test_numbers_equal_an_independent_count_over_the_same_rows(app: Flask) -> None:
    rng = random.Random(48)
    teams, channels = ["Retail", "Business"], [Channel.PHONE, Channel.CHAT, None]
    first = local(2026, 8, 31)  # Monday of 2026-W36, 12 weeks before W48
    rows = []
    # Some answers before the period and after "now" must not be counted.
    for _ in range(600):
        moment = first - timedelta(days=10) + timedelta(minutes=rng.randrange(130 * 24 * 60))
        rows.append((moment.astimezone(UTC), rng.randrange(0, 11), rng.choice(teams),
                     rng.choice(channels), ""))
    add_answers(app, rows)

    with app.app_context():
        data = dashboard_data(DashboardFilters(), NOW, AMS)

    assert [str(w.week) for w in data.weeks][0] == "2026-W36"
    assert str(data.current.week) == "2026-W48"
    for bucket in data.weeks:
        week = (bucket.week.year, bucket.week.week)
        in_week = [r for r in rows if r[0].astimezone(AMS).isocalendar()[:2] == week]
        assert_matches(bucket.total, [r[1] for r in in_week])
    in_period = [r for r in rows if first <= r[0] < local(2026, 11, 30)]
    assert sum(bucket.total.n for bucket in data.weeks) == len(in_period) < len(rows)
    with app.app_context():
        ids = {t.name: t.id for t in db.session.query(Team)}
    this_week = [r for r in rows if r[0].astimezone(AMS).isocalendar()[:2] == (2026, 48)]
    for name in teams:
        assert_matches(data.current.by_team.get(ids[name], NO_DATA),
                       [r[1] for r in this_week if r[2] == name])
        row = next(t for t in data.teams if t.team.name == name)
        assert_matches(row.nps, [r[1] for r in this_week if r[2] == name])
    for channel, result in data.channels:
        assert_matches(result, [r[1] for r in this_week if r[3] == channel])


@pytest.mark.parametrize(("now", "sunday", "monday", "weeks"), [
    # an ordinary week
    (NOW, local(2026, 11, 22, 23, 59), local(2026, 11, 23, 0, 0), ("2026-W47", "2026-W48")),
    # the week in which summer time ends (Sunday 25 October 2026)
    (datetime(2026, 10, 28, tzinfo=UTC), local(2026, 10, 25, 23, 59), local(2026, 10, 26),
     ("2026-W43", "2026-W44")),
    # the week in which summer time starts (Sunday 29 March 2026)
    (datetime(2026, 4, 1, tzinfo=UTC), local(2026, 3, 29, 23, 59), local(2026, 3, 30),
     ("2026-W13", "2026-W14")),
    # ISO week 53 of 2026 runs to Sunday 3 January 2027
    (datetime(2027, 1, 6, tzinfo=UTC), local(2027, 1, 3, 23, 59), local(2027, 1, 4),
     ("2026-W53", "2027-W01")),
])
def test_week_boundary_is_monday_midnight_amsterdam(app: Flask, now: datetime,
                                                     sunday: datetime, monday: datetime,
                                                     weeks: tuple[str, str]) -> None:
    add_answers(app, [(sunday.astimezone(UTC), 10, "Retail", Channel.PHONE, ""),
                      (monday.astimezone(UTC), 0, "Retail", Channel.PHONE, "")])
    with app.app_context():
        data = dashboard_data(DashboardFilters(period=4), now, AMS)
    assert (str(data.previous.week), str(data.current.week)) == weeks
    assert (data.previous.total.promoters, data.previous.total.n) == (1, 1)
    assert (data.current.total.detractors, data.current.total.n) == (1, 1)
    assert sum(w.total.n for w in data.weeks) == 2


def test_no_answers_is_no_data_not_zero(app: Flask) -> None:
    with app.app_context():
        data = dashboard_data(DashboardFilters(), NOW, AMS)
    assert len(data.weeks) == 13
    assert all(w.total.score is None for w in data.weeks)
    assert data.change.kind.value == "no_data"


def test_filters_narrow_numbers_and_comments(app: Flask) -> None:
    at = local(2026, 11, 24, 10).astimezone(UTC)
    add_answers(app, [
        (at, 10, "Retail", Channel.PHONE, "Retail phone praise"),
        (at + timedelta(minutes=1), 2, "Retail", Channel.CHAT, "Retail chat complaint"),
        (at + timedelta(minutes=2), 9, "Business", Channel.PHONE, "Business phone praise"),
        (at + timedelta(minutes=3), 8, "Business", Channel.CHAT, "passive, not shown"),
    ])
    with app.app_context():
        everything = dashboard_data(DashboardFilters(), NOW, AMS)
        retail = dashboard_data(DashboardFilters(team="retail"), NOW, AMS)
        phone = dashboard_data(DashboardFilters(channel=Channel.PHONE), NOW, AMS)
    assert everything.current.total.n == 4
    assert_matches(retail.current.total, [10, 2])
    assert [row.team.slug for row in retail.teams] == ["retail"]
    assert_matches(phone.current.total, [10, 9])
    assert [c for c, _r in phone.channels] == [Channel.PHONE]
    assert [c.text for c in everything.promoter_comments] == [
        "Business phone praise", "Retail phone praise"]
    assert [c.text for c in everything.detractor_comments] == ["Retail chat complaint"]
    assert [c.text for c in retail.promoter_comments] == ["Retail phone praise"]
    assert phone.detractor_comments == []


def test_only_the_latest_three_comments_of_each_kind(app: Flask) -> None:
    at = local(2026, 11, 24, 10).astimezone(UTC)
    add_answers(app, [(at + timedelta(minutes=i), 10, "Retail", Channel.PHONE, f"praise {i}")
                      for i in range(5)] + [(at, 10, "Retail", Channel.PHONE, "")])
    with app.app_context():
        data = dashboard_data(DashboardFilters(), NOW, AMS)
    assert [c.text for c in data.promoter_comments] == ["praise 4", "praise 3", "praise 2"]


@pytest.mark.parametrize(("args", "expected"), [
    ({}, DashboardFilters()),
    ({"team": "retail", "channel": "chat", "period": "4"},
     DashboardFilters("retail", Channel.CHAT, 4)),
    ({"team": "nope", "channel": "fax", "period": "13"}, DashboardFilters()),
    ({"period": "abc", "channel": " phone "}, DashboardFilters(channel=Channel.PHONE)),
    ({"period": "26", "team": ""}, DashboardFilters(period=26)),
])
def test_filters_from_url_ignore_unknown_values(args: dict[str, str],
                                                expected: DashboardFilters) -> None:
    assert DashboardFilters.from_args(args, {"retail"}) == expected
