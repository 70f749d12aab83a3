"""Week ranges written the way people say them: "week 47, 16–22 november 2026".

Babel's interval formats abbreviate the months and, in English, put the day after the
month; a week in a heading reads better whole, day first, in both languages.
"""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import get_month_names
from flask_babel import get_locale, gettext


def _day_month(day: date, months: dict[int, str]) -> str:
    return f"{day.day} {months[day.month]}"


def week_range(monday: date) -> str:
    """"week 47, 16–22 november 2026"; across a month or a year boundary the months
    (and years) are written on both sides: "week 49, 30 november – 6 december 2026"."""
    sunday = monday + timedelta(days=6)
    months = get_month_names("wide", locale=get_locale() or "en")
    if monday.month == sunday.month:
        span = f"{monday.day}–{sunday.day} {months[sunday.month]} {sunday.year}"
    elif monday.year == sunday.year:
        span = f"{_day_month(monday, months)} – {_day_month(sunday, months)} {sunday.year}"
    else:
        span = (f"{_day_month(monday, months)} {monday.year} – "
                f"{_day_month(sunday, months)} {sunday.year}")
    return gettext("week %(number)s, %(days)s", number=monday.isocalendar().week, days=span)


def week_label(year: int, number: int) -> str:
    """"week 47, 2026": the short form for lists and badges, where the whole range
    would crowd the line; the ISO code (2026-W47) stays for URLs and forms."""
    return gettext("week %(number)s, %(year)s", number=number, year=year)
