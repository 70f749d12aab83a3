"""ISO weeks in the configured time zone (a private stand-in: the NPS area's week helpers
replace this module once they exist)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from storyboard.db import utcnow

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week (Monday to Sunday); ordered by time."""

    year: int
    week: int

    def __post_init__(self) -> None:
        # date.fromisocalendar refuses week 53 of a 52-week year, week 0 and the like.
        if not 1 <= self.year <= 9998:
            raise ValueError(f"year out of range: {self.year}")
        date.fromisocalendar(self.year, self.week, 1)

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def at(cls, moment: datetime, zone: str) -> IsoWeek:
        """The week a moment falls in, as seen in ``zone`` (a Sunday 23:30 in Amsterdam
        is still that week, although it is Sunday 22:30 UTC or Monday in Tokyo)."""
        return cls.of(moment.astimezone(ZoneInfo(zone)).date())

    @classmethod
    def current(cls, zone: str) -> IsoWeek:
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

    def plus(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    @property
    def key(self) -> int:
        """``year * 100 + week``: sorts like the weeks, handy in SQL comparisons."""
        return self.year * 100 + self.week

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"
