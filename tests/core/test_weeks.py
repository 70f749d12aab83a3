"""ISO weeks in Amsterdam time: boundaries, DST changes and week 53."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from storyboard.weeks import IsoWeek, iso_week_of, last_weeks, weeks_in_year

AMS = ZoneInfo("Europe/Amsterdam")


def test_sunday_2359_and_monday_0000_amsterdam_fall_in_different_weeks() -> None:
    sunday = datetime(2026, 11, 22, 23, 59, tzinfo=AMS)
    monday = datetime(2026, 11, 23, 0, 0, tzinfo=AMS)
    assert iso_week_of(sunday, AMS) == IsoWeek(2026, 47)
    assert iso_week_of(monday, AMS) == IsoWeek(2026, 48)
    # In UTC both moments are still Sunday: the zone decides, not UTC.
    assert monday.astimezone(UTC).weekday() == 6
    assert iso_week_of(monday.astimezone(UTC), AMS) == IsoWeek(2026, 48)
    assert iso_week_of(monday.astimezone(UTC), ZoneInfo("UTC")) == IsoWeek(2026, 47)


def test_week_bounds_are_utc_instants_of_local_midnight() -> None:
    week = IsoWeek(2026, 48)
    assert week.start(AMS) == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    assert week.end(AMS) == datetime(2026, 11, 29, 23, 0, tzinfo=UTC)
    assert week.start(AMS) <= datetime(2026, 11, 23, 0, 0, tzinfo=AMS) < week.end(AMS)
    assert not (week.start(AMS) <= datetime(2026, 11, 22, 23, 59, tzinfo=AMS))


def test_week_with_spring_dst_change_is_167_hours() -> None:
    week = IsoWeek(2026, 13)  # Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST
    assert week.start(AMS) == datetime(2026, 3, 22, 23, 0, tzinfo=UTC)
    assert week.end(AMS) == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert week.end(AMS) - week.start(AMS) == timedelta(hours=167)
    assert iso_week_of(datetime(2026, 3, 29, 23, 59, tzinfo=AMS), AMS) == week
    assert iso_week_of(datetime(2026, 3, 30, 0, 0, tzinfo=AMS), AMS) == week.next()


def test_week_with_autumn_dst_change_is_169_hours() -> None:
    week = IsoWeek(2026, 43)  # Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET
    assert week.end(AMS) - week.start(AMS) == timedelta(hours=169)
    # The repeated hour: both 02:30s lie in the same week.
    first = datetime(2026, 10, 25, 2, 30, tzinfo=AMS, fold=0)
    second = datetime(2026, 10, 25, 2, 30, tzinfo=AMS, fold=1)
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    assert iso_week_of(first, AMS) == iso_week_of(second, AMS) == week


def test_iso_week_53() -> None:
    assert weeks_in_year(2026) == 53
    assert weeks_in_year(2027) == 52
    week = IsoWeek(2026, 53)
    assert week.monday.isoformat() == "2026-12-28"
    # 1 January 2027 (a Friday) still belongs to ISO year 2026.
    assert iso_week_of(datetime(2027, 1, 1, 12, tzinfo=AMS), AMS) == week
    assert week.next() == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).previous() == week
    assert str(week) == "2026-W53"
    with pytest.raises(ValueError):
        IsoWeek(2027, 53)


def test_last_weeks_cross_the_year_boundary() -> None:
    weeks = last_weeks(3, datetime(2027, 1, 5, tzinfo=AMS), AMS)
    assert weeks == [IsoWeek(2026, 52), IsoWeek(2026, 53), IsoWeek(2027, 1)]


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError):
        iso_week_of(datetime(2026, 11, 22), AMS)


def test_the_app_zone_is_used_by_default(tmp_path: object) -> None:
    from pathlib import Path

    from tests.conftest import make_app

    moment = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # Monday 00:30 in Amsterdam
    assert isinstance(tmp_path, Path)
    app: Flask = make_app(tmp_path, TIMEZONE="America/New_York")
    with app.app_context():
        assert iso_week_of(moment) == IsoWeek(2026, 47)  # still Sunday in New York
    assert iso_week_of(moment) == IsoWeek(2026, 48)  # no app: Europe/Amsterdam


# -- how a week is written: number and Monday–Sunday, from the ISO week itself --------------
@pytest.mark.parametrize(
    ("week", "locale", "expected"),
    [
        (IsoWeek(2026, 48), "en", "week 48, 23–29 November 2026"),
        (IsoWeek(2026, 48), "nl", "week 48, 23–29 november 2026"),
        (IsoWeek(2026, 13), "en", "week 13, 23–29 March 2026"),  # summer time starts on the 29th
        (IsoWeek(2026, 14), "nl", "week 14, 30 maart – 5 april 2026"),
        (IsoWeek(2026, 43), "en", "week 43, 19–25 October 2026"),  # summer time ends on the 25th
        (IsoWeek(2026, 44), "nl", "week 44, 26 oktober – 1 november 2026"),
        (IsoWeek(2026, 53), "en", "week 53, 28 December 2026 – 3 January 2027"),
        (IsoWeek(2026, 53), "nl", "week 53, 28 december 2026 – 3 januari 2027"),
        (IsoWeek(2027, 1), "en", "week 1, 4–10 January 2027"),
        (IsoWeek(2027, 1), "nl", "week 1, 4–10 januari 2027"),
    ],
)
def test_a_week_is_written_with_its_own_number_and_days(
    app: Flask, week: IsoWeek, locale: str, expected: str
) -> None:
    from flask_babel import force_locale

    from storyboard.i18n.formatting import week_range

    with app.test_request_context(), force_locale(locale):
        assert week_range(week) == expected
        assert week_range(week.monday + timedelta(days=6)) == expected  # its Sunday


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "week 49, 30 November – 6 December 2026 (running: up to and including today)"),
        ("nl", "week 49, 30 november – 6 december 2026 (loopt nog: tot en met vandaag)"),
    ],
)
def test_a_running_week_is_written_as_running(app: Flask, locale: str, expected: str) -> None:
    from flask_babel import force_locale

    from storyboard.i18n.formatting import week_range

    with app.test_request_context(), force_locale(locale):
        assert week_range(IsoWeek(2026, 49), running=True) == expected


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "Pacific/Auckland", "America/New_York"])
def test_a_week_bound_cannot_be_written_as_a_week(app: Flask, zone: str) -> None:
    """The start of week 48 is Sunday 22 November in UTC (for Amsterdam and Auckland);
    writing that instant as a week named week 47. A datetime is refused instead."""
    from storyboard.i18n.formatting import week_range

    start = IsoWeek(2026, 48).start(zone)
    assert start.astimezone(ZoneInfo(zone)).date().isoformat() == "2026-11-23"
    with app.test_request_context(), pytest.raises(TypeError):
        week_range(start)
