"""ISO weeks in the organisation's time zone; pure functions, no request.

A week runs from Monday 00:00 to the next Monday 00:00 *local* time (default
Europe/Amsterdam, ``app.config["BABEL_DEFAULT_TIMEZONE"]``). Its bounds are returned as
UTC instants, so a week that contains a DST change is 167 or 169 hours long, and
database queries use ``start <= answered_at < end``. ISO years have 52 or 53 weeks;
the week of 1 January may belong to the previous ISO year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/Amsterdam"


def app_timezone() -> ZoneInfo:
    """The configured zone when an app is active, else Europe/Amsterdam."""
    from flask import current_app, has_app_context

    if has_app_context():
        return ZoneInfo(str(current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_TIMEZONE)))
    return ZoneInfo(DEFAULT_TIMEZONE)


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO year and week number, e.g. ``IsoWeek(2026, 53)``."""

    year: int
    week: int

    def __post_init__(self) -> None:
        if not 1 <= self.week <= weeks_in_year(self.year):
            raise ValueError(f"{self.year} has no ISO week {self.week}")

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def start(self, tz: ZoneInfo | None = None) -> datetime:
        """Monday 00:00 local time of this week, as a UTC instant."""
        zone = tz or app_timezone()
        return datetime.combine(self.monday, time(0), zone).astimezone(UTC)

    def end(self, tz: ZoneInfo | None = None) -> datetime:
        """The next Monday 00:00 local time, as a UTC instant (exclusive)."""
        return self.next().start(tz)

    def next(self) -> IsoWeek:
        return IsoWeek(*(self.monday + timedelta(weeks=1)).isocalendar()[:2])

    def previous(self) -> IsoWeek:
        return IsoWeek(*(self.monday - timedelta(weeks=1)).isocalendar()[:2])


def weeks_in_year(year: int) -> int:
    """52 or 53: 28 December always lies in the last ISO week of its year."""
    return date(year, 12, 28).isocalendar()[1]


def iso_week_of(moment: datetime, tz: ZoneInfo | None = None) -> IsoWeek:
    """The ISO week in which ``moment`` (timezone-aware) falls, in the given zone."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; pass a timezone-aware moment")
    local = moment.astimezone(tz or app_timezone())
    year, week, _ = local.isocalendar()
    return IsoWeek(year, week)


def last_weeks(count: int, until: datetime, tz: ZoneInfo | None = None) -> list[IsoWeek]:
    """The ``count`` weeks ending with the week of ``until``, oldest first."""
    weeks = [iso_week_of(until, tz)]
    while len(weeks) < count:
        weeks.append(weeks[-1].previous())
    return weeks[::-1]
