"""Dashboard numbers against an independent count over the same rows, week boundaries in
Amsterdam time (DST changes and ISO week 53 included), filters and comments; the split in
percentages, the running week compared with the same days of last week, and the week's
featured stories in the order the page shows them."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from storyboard.channels import load_channels
from storyboard.dashboard.service import DashboardFilters, Split, dashboard_data
from storyboard.db import db
from storyboard.models import FeatureKind, SeededChannel, Team
from storyboard.nps.math import NO_DATA, NpsResult, compare_periods, nps_from_counts
from storyboard.weeks import IsoWeek
from tests.factories import add_answers, add_feature, add_story, add_team

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
    teams, channels = ["Retail", "Business"], [SeededChannel.PHONE, SeededChannel.CHAT, None]
    first = local(2026, 8, 31)  # Monday of 2026-W36, 12 weeks before W48
    rows = []
    # Some answers before the period and after "now" must not be counted.
    for _ in range(600):
        moment = first - timedelta(days=10) + timedelta(minutes=rng.randrange(130 * 24 * 60))
        rows.append(
            (
                moment.astimezone(UTC),
                rng.randrange(0, 11),
                rng.choice(teams),
                rng.choice(channels),
                "",
            )
        )
    add_answers(app, rows)

    with app.app_context():
        data = dashboard_data(DashboardFilters(), NOW, AMS)

    assert next(str(w.week) for w in data.weeks) == "2026-W36"
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
        assert_matches(
            data.current.by_team.get(ids[name], NO_DATA), [r[1] for r in this_week if r[2] == name]
        )
        row = next(t for t in data.teams if t.team.name == name)
        assert_matches(row.nps, [r[1] for r in this_week if r[2] == name])
    for channel, result in data.channels:
        assert_matches(result, [r[1] for r in this_week if r[3] == channel])


@pytest.mark.parametrize(
    ("now", "sunday", "monday", "weeks"),
    [
        # an ordinary week
        (NOW, local(2026, 11, 22, 23, 59), local(2026, 11, 23, 0, 0), ("2026-W47", "2026-W48")),
        # the week in which summer time ends (Sunday 25 October 2026)
        (
            datetime(2026, 10, 28, tzinfo=UTC),
            local(2026, 10, 25, 23, 59),
            local(2026, 10, 26),
            ("2026-W43", "2026-W44"),
        ),
        # the week in which summer time starts (Sunday 29 March 2026)
        (
            datetime(2026, 4, 1, tzinfo=UTC),
            local(2026, 3, 29, 23, 59),
            local(2026, 3, 30),
            ("2026-W13", "2026-W14"),
        ),
        # ISO week 53 of 2026 runs to Sunday 3 January 2027
        (
            datetime(2027, 1, 6, tzinfo=UTC),
            local(2027, 1, 3, 23, 59),
            local(2027, 1, 4),
            ("2026-W53", "2027-W01"),
        ),
    ],
)
def test_week_boundary_is_monday_midnight_amsterdam(
    app: Flask, now: datetime, sunday: datetime, monday: datetime, weeks: tuple[str, str]
) -> None:
    add_answers(
        app,
        [
            (sunday.astimezone(UTC), 10, "Retail", SeededChannel.PHONE, ""),
            (monday.astimezone(UTC), 0, "Retail", SeededChannel.PHONE, ""),
        ],
    )
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
    add_answers(
        app,
        [
            (at, 10, "Retail", SeededChannel.PHONE, "Retail phone praise"),
            (at + timedelta(minutes=1), 2, "Retail", SeededChannel.CHAT, "Retail chat complaint"),
            (
                at + timedelta(minutes=2),
                9,
                "Business",
                SeededChannel.PHONE,
                "Business phone praise",
            ),
            (at + timedelta(minutes=3), 8, "Business", SeededChannel.CHAT, "passive, not shown"),
        ],
    )
    with app.app_context():
        everything = dashboard_data(DashboardFilters(), NOW, AMS)
        retail = dashboard_data(DashboardFilters(team="retail"), NOW, AMS)
        phone = dashboard_data(DashboardFilters(channel=SeededChannel.PHONE), NOW, AMS)
    assert everything.current.total.n == 4
    assert_matches(retail.current.total, [10, 2])
    assert [row.team.slug for row in retail.teams] == ["retail"]
    assert_matches(phone.current.total, [10, 9])
    assert [c for c, _r in phone.channels] == [SeededChannel.PHONE]
    assert [c.text for c in everything.promoter_comments] == [
        "Business phone praise",
        "Retail phone praise",
    ]
    assert [c.text for c in everything.detractor_comments] == ["Retail chat complaint"]
    assert [c.text for c in retail.promoter_comments] == ["Retail phone praise"]
    assert phone.detractor_comments == []


def test_only_the_latest_three_comments_of_each_kind(app: Flask) -> None:
    at = local(2026, 11, 24, 10).astimezone(UTC)
    add_answers(
        app,
        [
            (at + timedelta(minutes=i), 10, "Retail", SeededChannel.PHONE, f"praise {i}")
            for i in range(5)
        ]
        + [(at, 10, "Retail", SeededChannel.PHONE, "")],
    )
    with app.app_context():
        data = dashboard_data(DashboardFilters(), NOW, AMS)
    assert [c.text for c in data.promoter_comments] == ["praise 4", "praise 3", "praise 2"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, DashboardFilters()),
        (
            {"team": "retail", "channel": "chat", "period": "4"},
            DashboardFilters("retail", SeededChannel.CHAT, 4),
        ),
        ({"team": "nope", "channel": "fax", "period": "13"}, DashboardFilters()),
        ({"period": "abc", "channel": " phone "}, DashboardFilters(channel=SeededChannel.PHONE)),
        ({"period": "26", "team": ""}, DashboardFilters(period=26)),
    ],
)
def test_filters_from_url_ignore_unknown_values(
    app: Flask, args: dict[str, str], expected: DashboardFilters
) -> None:
    with app.app_context():
        channels = load_channels()
    assert DashboardFilters.from_args(args, {"retail"}, channels) == expected


def test_a_channel_filter_may_name_the_channel(app: Flask) -> None:
    """A link written by hand (?channel=Telefoon) filters like the key."""
    with app.app_context():
        channels = load_channels()
    for name in ("Telefoon", "TEL.", "phone"):
        assert DashboardFilters.from_args({"channel": name}, set(), channels).channel == "phone"


# -- the number's meaning: percentages, and the running week compared like for like ------
@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((50, 30, 20), (50, 30, 20)),
        ((1, 0, 0), (100, 0, 0)),
        ((0, 0, 3), (0, 0, 100)),
        # 57.6 % − 15.2 % = +42.4, shown as +42: promoters 58 %, detractors 58 − 42 = 16 %.
        ((144, 68, 38), (58, 27, 16)),
    ],
)
def test_split_is_whole_percentages_whose_difference_is_the_nps_shown(
    counts: tuple[int, int, int], expected: tuple[int, int, int]
) -> None:
    result = nps_from_counts(*counts)
    split = Split.of(result)
    assert split is not None
    assert (split.promoters, split.passives, split.detractors) == expected
    assert result.score is not None
    assert split.promoters - split.detractors == int(f"{result.score:.0f}")
    for shown, count in zip(expected, counts, strict=True):
        assert abs(shown - count / result.n * 100) <= 1


def test_split_of_no_answers_is_none() -> None:
    assert Split.of(NO_DATA) is None


WEDNESDAY_3PM = local(2026, 11, 25, 15, 0)  # 2026-W48, running since Monday 23 November


def test_running_week_is_compared_with_the_same_days_of_last_week(app: Flask) -> None:
    last_monday = local(2026, 11, 16)
    rows = []
    # Last week, Monday to Wednesday before 15:00: 30 promoters and 10 detractors (+50).
    for i in range(40):
        moment = last_monday + timedelta(hours=1 + i)  # Monday 01:00 … Tuesday 16:00
        rows.append(
            (moment.astimezone(UTC), 10 if i < 30 else 2, "Retail", SeededChannel.PHONE, "")
        )
    # Not the same days: Wednesday 15:00 itself, Thursday, Sunday (all detractors).
    for moment in (local(2026, 11, 18, 15, 0), local(2026, 11, 19, 9), local(2026, 11, 22, 20)):
        rows += [(moment.astimezone(UTC), 0, "Retail", SeededChannel.PHONE, "")] * 1
    rows += [
        (local(2026, 11, 20, 9, m).astimezone(UTC), 0, "Retail", SeededChannel.PHONE, "")
        for m in range(40)
    ]
    # This week so far: 20 promoters, 10 passives, 10 detractors (+25).
    this_monday = local(2026, 11, 23)
    rows += [
        (
            (this_monday + timedelta(hours=1 + i)).astimezone(UTC),
            10 if i < 20 else 8 if i < 30 else 3,
            "Retail",
            SeededChannel.PHONE,
            "",
        )
        for i in range(40)
    ]
    add_answers(app, rows)

    with app.app_context():
        data = dashboard_data(DashboardFilters(), WEDNESDAY_3PM.astimezone(UTC), AMS)
    running = data.running
    assert running is not None
    assert str(running.week) == "2026-W48"
    assert running.base_from == last_monday.astimezone(UTC)
    assert running.base_until == local(2026, 11, 18, 15, 0).astimezone(UTC)
    assert (running.base.promoters, running.base.passives, running.base.detractors) == (30, 0, 10)
    assert data.previous.total.n == 83  # last week's full week: far more answers
    assert data.current.total.n == 40
    change = data.change
    assert change.delta == pytest.approx(25 - 50)
    assert change.noise == pytest.approx(
        math.hypot(running.base.margin or 0, data.current.total.margin or 0)
    )
    assert change.kind.value == "within_noise"
    assert data.comparable
    # Against last week's full week it would have been a different comparison altogether.
    assert compare_periods(data.previous.total, data.current.total).delta != change.delta


def test_same_days_last_week_respects_filters(app: Flask) -> None:
    monday = local(2026, 11, 16, 9)
    add_answers(
        app,
        [
            (monday.astimezone(UTC), 10, "Retail", SeededChannel.PHONE, ""),
            (monday.astimezone(UTC), 0, "Retail", SeededChannel.CHAT, ""),
            (monday.astimezone(UTC), 9, "Business", SeededChannel.PHONE, ""),
        ],
    )
    with app.app_context():
        retail = dashboard_data(DashboardFilters(team="retail"), WEDNESDAY_3PM, AMS)
        phone = dashboard_data(DashboardFilters(channel=SeededChannel.PHONE), WEDNESDAY_3PM, AMS)
    assert retail.running is not None and phone.running is not None
    assert (retail.running.base.promoters, retail.running.base.detractors) == (1, 1)
    assert (phone.running.base.promoters, phone.running.base.n) == (2, 2)


def test_same_time_of_day_last_week_is_local_time_across_a_dst_change(app: Flask) -> None:
    # Summer time ended on Sunday 25 October 2026: Wednesday 15:00 is 14:00 UTC this
    # week and was 13:00 UTC a week earlier.
    now = local(2026, 10, 28, 15, 0)
    with app.app_context():
        data = dashboard_data(DashboardFilters(period=4), now.astimezone(UTC), AMS)
    assert data.running is not None
    assert data.running.base_until == datetime(2026, 10, 21, 13, 0, tzinfo=UTC)
    assert data.running.base_from == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)


def test_no_comparison_when_the_same_days_last_week_have_too_few_answers(app: Flask) -> None:
    rows = []
    # Last week: 10 answers on Monday, 100 later in the week (after Wednesday 15:00).
    rows += [
        (local(2026, 11, 16, 10, i).astimezone(UTC), 10, "Retail", SeededChannel.PHONE, "")
        for i in range(10)
    ]
    rows += [
        (local(2026, 11, 20, 10, i % 60).astimezone(UTC), 0, "Retail", SeededChannel.PHONE, "")
        for i in range(100)
    ]
    rows += [
        (local(2026, 11, 23, 10, i).astimezone(UTC), 9, "Retail", SeededChannel.PHONE, "")
        for i in range(50)
    ]
    add_answers(app, rows)
    with app.app_context():
        data = dashboard_data(DashboardFilters(), WEDNESDAY_3PM, AMS)
    assert data.running is not None and data.running.base.n == 10
    assert data.previous.total.n == 110 and data.current.total.n == 50
    assert data.change.kind.value == "too_few"
    assert not data.comparable


def test_no_comparison_without_answers_on_the_same_days_last_week(app: Flask) -> None:
    add_answers(
        app,
        [
            (local(2026, 11, 19, 10, i).astimezone(UTC), 10, "Retail", SeededChannel.PHONE, "")
            for i in range(40)
        ]  # last Thursday: too late
        + [
            (local(2026, 11, 23, 10, i).astimezone(UTC), 10, "Retail", SeededChannel.PHONE, "")
            for i in range(40)
        ],
    )
    with app.app_context():
        data = dashboard_data(DashboardFilters(), WEDNESDAY_3PM, AMS)
    assert data.running is not None and data.running.base.n == 0
    assert data.change.kind.value == "no_data"


# -- the week's featured stories -------------------------------------------------------
def _feature(
    app: Flask,
    title: str,
    story_team: str | None,
    feature_team: str | None,
    week: IsoWeek,
    kind: FeatureKind = FeatureKind.PRAISE,
) -> int:
    story_id = add_story(app, title, team=story_team)
    return add_feature(
        app, story_id, team=feature_team, week=week, kind=kind, note=f"Note on {title}"
    )


def test_featured_stories_of_the_week_organisation_first_then_teams(app: Flask) -> None:
    week = IsoWeek(2026, 48)
    add_team(app, "Business")
    add_team(app, "Retail")
    org = _feature(app, "For everyone", "Business", None, week)
    retail = _feature(app, "Retail's story", "Retail", "Retail", week, FeatureKind.LESSON)
    business = _feature(app, "Business's story", "Business", "Business", week)
    _feature(app, "Next week's story", "Retail", "Retail", week.next())  # never early
    with app.app_context():
        data = dashboard_data(DashboardFilters(), WEDNESDAY_3PM, AMS)
        assert [f.id for f in data.features] == [org, business, retail]
        assert data.organisation_feature is not None and data.organisation_feature.id == org
        rows = {row.team.name: row.feature.id if row.feature else None for row in data.teams}
        assert rows == {"Business": business, "Retail": retail}


def test_team_filter_puts_its_features_first_and_hides_another_teams_headline(app: Flask) -> None:
    week = IsoWeek(2026, 48)
    add_team(app, "Business")
    add_team(app, "Retail")
    org = _feature(app, "For everyone", "Business", None, week)
    retail = _feature(app, "Retail's story", "Retail", "Retail", week)
    business = _feature(app, "Business's story", "Business", "Business", week)
    with app.app_context():
        data = dashboard_data(DashboardFilters(team="retail"), WEDNESDAY_3PM, AMS)
        assert [f.id for f in data.features] == [retail, business]
        assert data.organisation_feature is None
        # The organisation's story is Business's: under that filter it leads.
        ours = dashboard_data(DashboardFilters(team="business"), WEDNESDAY_3PM, AMS)
        assert [f.id for f in ours.features] == [org, business, retail]
        assert ours.organisation_feature is not None and ours.organisation_feature.id == org


def test_a_team_without_a_feature_this_week_shows_its_latest(app: Flask) -> None:
    week = IsoWeek(2026, 48)
    earlier = _feature(app, "Last week's story", "Retail", "Retail", week.previous())
    with app.app_context():
        data = dashboard_data(DashboardFilters(), WEDNESDAY_3PM, AMS)
        assert [f.id for f in data.features] == [earlier]
        assert data.features[0].week == (2026, 47)
        assert data.teams[0].feature is not None and data.teams[0].feature.id == earlier
