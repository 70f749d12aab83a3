"""ISO weeks in the organisation's time zone; pure functions, no request.

NPS numbers, featured stories and the weekly digest are all counted per ISO week. A week
runs from Monday 00:00 to the next Monday 00:00 *local* time (default Europe/Amsterdam,
``app.config["BABEL_DEFAULT_TIMEZONE"]``). Its bounds are returned as UTC instants, so a
week that contains a DST change is 167 or 169 hours long, and database queries use
``start <= moment < end``. ISO years have 52 or 53 weeks; the week of 1 January may
belong to the previous ISO year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storyboard.db import utcnow

DEFAULT_TIMEZONE = "Europe/Amsterdam"
_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


def app_timezone() -> ZoneInfo:
    """The configured zone when an app is active, else Europe/Amsterdam."""
    from flask import current_app, has_app_context

    if has_app_context():
        return ZoneInfo(str(current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_TIMEZONE)))
    return ZoneInfo(DEFAULT_TIMEZONE)


def _zone(zone: str | ZoneInfo | None) -> ZoneInfo:
    if zone is None:
        return app_timezone()
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def weeks_in_year(year: int) -> int:
    """52 or 53: 28 December always lies in the last ISO week of its year."""
    return date(year, 12, 28).isocalendar()[1]


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week (Monday to Sunday), e.g. ``IsoWeek(2026, 53)``; ordered by time."""

    year: int
    week: int

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9998:
            raise ValueError(f"year out of range: {self.year}")
        if not 1 <= self.week <= weeks_in_year(self.year):
            raise ValueError(f"{self.year} has no ISO week {self.week}")

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def at(cls, moment: datetime, zone: str | ZoneInfo | None = None) -> IsoWeek:
        """The week a moment falls in, as seen in ``zone`` (a Sunday 23:30 in Amsterdam
        is still that week, although it is Sunday 22:30 UTC or Monday in Tokyo)."""
        if moment.tzinfo is None:
            raise ValueError("naive datetime given; pass a timezone-aware moment")
        return cls.of(moment.astimezone(_zone(zone)).date())

    @classmethod
    def current(cls, zone: str | ZoneInfo | None = None) -> IsoWeek:
        return cls.at(utcnow(), zone)

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """``2026-W48`` (what ``<input type=week>`` sends), ``2026W48`` or ``2026-w8``;
        raises ``ValueError`` for anything else or a week the year does not have."""
        match = _WEEK.match(text or "")
        if not match:
            raise ValueError(f"not an ISO week: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def key(self) -> int:
        """``year * 100 + week``: sorts like the weeks, handy in SQL comparisons."""
        return self.year * 100 + self.week

    def plus(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def next(self) -> IsoWeek:
        return self.plus(1)

    def previous(self) -> IsoWeek:
        return self.plus(-1)

    def start(self, zone: str | ZoneInfo | None = None) -> datetime:
        """Monday 00:00 local time of this week, as a UTC instant."""
        return datetime.combine(self.monday, time(0), _zone(zone)).astimezone(UTC)

    def end(self, zone: str | ZoneInfo | None = None) -> datetime:
        """The next Monday 00:00 local time, as a UTC instant (exclusive)."""
        return self.next().start(zone)


def iso_week_of(moment: datetime, zone: str | ZoneInfo | None = None) -> IsoWeek:
    """The ISO week in which ``moment`` (timezone-aware) falls, in the given zone."""
    return IsoWeek.at(moment, zone)


def last_weeks(count: int, until: datetime, zone: str | ZoneInfo | None = None) -> list[IsoWeek]:
    """The ``count`` weeks ending with the week of ``until``, oldest first."""
    last = iso_week_of(until, zone)
    return [last.plus(-offset) for offset in range(count - 1, -1, -1)]


def running_week(now: datetime | None = None) -> IsoWeek:
    """The week that is running ``now`` (default: the clock), in the configured zone:
    what the digest menu opens."""
    return IsoWeek.at(now or utcnow(), app_timezone())


def last_complete_week(now: datetime | None = None) -> IsoWeek:
    """The most recent week that has ended, in the configured zone: what is sent."""
    return running_week(now).previous()
