"""The templates' date, time and number filters write exactly what Flask-Babel's
functions write, in both languages and in any configured zone, only faster."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask_babel import force_locale, format_date, format_datetime, format_decimal

from storyboard.i18n.formatting import date_text, datetime_text, number_text
from tests.conftest import make_app

MOMENTS = [
    datetime(2026, 12, 1, 13, 5, 9, tzinfo=UTC),
    datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # the hour before summer time
    datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC),  # summer time begins
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the hour that happens twice
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # already next year in Amsterdam
    datetime(2027, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=-5))),
    datetime(2026, 7, 4, 9, 0),  # naive: read as UTC
]
NUMBERS = [0, 7, 999, 1000, 12345, 1_000_000, 987_654_321, -1, -12345, 3.5, 1234.56, 0.125]


@pytest.mark.parametrize(
    ("zone", "hours"),
    [("Europe/Amsterdam", ("14", "2")), ("America/New_York", ("08", "8")), ("UTC", ("13", "1"))],
)
@pytest.mark.parametrize("locale", ["nl", "en"])
def test_dates_and_times_as_flask_babel_writes_them(
    tmp_path: Path, locale: str, zone: str, hours: tuple[str, str]
) -> None:
    app = make_app(tmp_path, TIMEZONE=zone)
    with app.test_request_context("/"), force_locale(locale):
        # The configured zone is used (English writes 12-hour times).
        hour = hours[0] if locale == "nl" else hours[1]
        assert f" {hour}:05:09" in datetime_text(MOMENTS[0])
        for moment in MOMENTS:
            assert datetime_text(moment) == format_datetime(moment, "medium"), moment
            assert date_text(moment) == format_date(moment, "medium"), moment
            for size in ("short", "long"):
                assert datetime_text(moment, size) == format_datetime(moment, size), moment
        assert date_text(date(2026, 2, 28)) == format_date(date(2026, 2, 28), "medium")


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_numbers_as_flask_babel_writes_them(tmp_path: Path, locale: str) -> None:
    app = make_app(tmp_path)
    with app.test_request_context("/"), force_locale(locale):
        for number in NUMBERS:
            assert number_text(number) == format_decimal(number), number
        assert number_text(12345) == ("12.345" if locale == "nl" else "12,345")


def test_empty_values_write_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    with app.test_request_context("/"):
        assert date_text(None) == datetime_text(None) == ""
