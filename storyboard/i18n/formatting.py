"""Week ranges written the way people say them: "week 47, 16–22 november 2026".

Babel's interval formats abbreviate the months and, in English, put the day after the
month; a week in a heading reads better whole, day first, in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from babel.dates import get_month_names
from flask_babel import get_locale, gettext

from storyboard.weeks import IsoWeek


def _day_month(day: date, months: Mapping[int, str]) -> str:
    return f"{day.day} {months[day.month]}"


def week_days(week: IsoWeek) -> str:
    """Monday to Sunday of ``week`` in the reader's language: "23–29 November 2026";
    across a month or a year boundary the months (and years) are written on both sides:
    "30 November – 6 December 2026", "28 december 2026 – 3 januari 2027"."""
    monday = week.monday
    sunday = monday + timedelta(days=6)
    months = get_month_names("wide", locale=get_locale() or "en")
    if monday.month == sunday.month:
        return f"{monday.day}–{sunday.day} {months[sunday.month]} {sunday.year}"
    if monday.year == sunday.year:
        return f"{_day_month(monday, months)} – {_day_month(sunday, months)} {sunday.year}"
    return (
        f"{_day_month(monday, months)} {monday.year} – {_day_month(sunday, months)} {sunday.year}"
    )


def week_range(week: IsoWeek | date, running: bool = False) -> str:
    """ "week 48, 23–29 November 2026" (with ``running``: "…, (running: up to and
    including today)"). Number and dates both come from the ISO week, so they cannot
    disagree. A calendar ``date`` names the week it lies in. A ``datetime`` is refused:
    week bounds are UTC instants, and the date of Monday 00:00 Amsterdam in UTC is the
    Sunday before, which labelled every digest one week early."""
    if isinstance(week, datetime):
        raise TypeError(
            "week_range takes an IsoWeek or a local calendar date, not a "
            "datetime; use IsoWeek.at(moment, zone)"
        )
    if isinstance(week, date):
        week = IsoWeek.of(week)
    if running:
        return gettext(
            "week %(number)s, %(days)s (running: up to and including today)",
            number=week.week,
            days=week_days(week),
        )
    return gettext("week %(number)s, %(days)s", number=week.week, days=week_days(week))


def week_label(year: int, number: int) -> str:
    """ "week 47, 2026": the short form for lists and badges, where the whole range
    would crowd the line; the ISO code (2026-W47) stays for URLs and forms."""
    return gettext("week %(number)s, %(year)s", number=number, year=year)
