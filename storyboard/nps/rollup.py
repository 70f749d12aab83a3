"""Weekly NPS counts, cached: counting a million answers on every dashboard view is far
too slow (a 26-week range is ~250,000 rows, 0.2–0.8 s in SQLite), but a week's
promoters, passives and detractors per team and channel are a few dozen numbers.

How the cache stays right:

- ``survey_data_version.version`` goes up in every transaction that writes survey
  answers: ORM changes (``before_flush``) and statements run through the session such as
  the importer's bulk ``INSERT`` (``do_orm_execute``) mark the session, and the bump is
  made in ``before_commit``, inside that same transaction. A team deleted with its
  answers takes its cached counts with it (foreign key, ``ON DELETE CASCADE``).
- A cached week (``nps_week_rollups``) is used only when it was computed at the current
  version and for the configured zone. Missing or older weeks are counted from the
  answers and stored again, in one transaction of their own that first reads the
  version, so the numbers stored always belong to the version stored with them
  (SQLite's snapshot, or on PostgreSQL a version read before the answers: never newer
  data under an older version, so the worst case is one recount too many).
- Storing is best effort: when another process wins the race or holds the write lock,
  the numbers just counted are still returned, only not cached this time.

So the first dashboard view after an import counts once, and every later view, for any
filter, reads at most 27 weeks × teams × channels small rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import ORMExecuteState, Session

from storyboard.db import db, listen_once, utcnow
from storyboard.models.nps import NpsWeekCount, NpsWeekRollup, SurveyAnswer, SurveyDataVersion
from storyboard.nps.math import DETRACTOR_MAX, PROMOTER_MIN
from storyboard.weeks import IsoWeek, app_timezone, last_weeks

CHANGED_KEY = "storyboard.survey_answers_changed"
NO_CHANNEL = ""


@dataclass(frozen=True)
class CountRow:
    """One week's counts for one team and channel (``None``: the answer named none)."""

    week: IsoWeek
    team_id: int
    channel: str | None  # a channel key
    promoters: int
    passives: int
    detractors: int


# -- the version ------------------------------------------------------------------------
def _touches_answers(state: ORMExecuteState) -> bool:
    if not (state.is_insert or state.is_update or state.is_delete):
        return False
    table = getattr(state.statement, "table", None)
    return getattr(table, "name", None) == SurveyAnswer.__tablename__


def _mark_statement(state: ORMExecuteState) -> None:
    if _touches_answers(state):
        state.session.info[CHANGED_KEY] = True


def _mark_flush(session: Session, _context: Any, _instances: Any) -> None:
    if any(
        isinstance(obj, SurveyAnswer) for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        session.info[CHANGED_KEY] = True


def _bump_on_commit(session: Session) -> None:
    # Commit flushes only after this event: flush first, so changes still pending in
    # the session mark it too.
    if session._is_clean() is False:  # noqa: SLF001 - no public "has pending changes"
        session.flush()
    if session.info.pop(CHANGED_KEY, False):
        bump_version(session)


def _forget_on_rollback(session: Session) -> None:
    session.info.pop(CHANGED_KEY, None)


def bump_version(session: Session) -> None:
    """Invalidate every cached week (called for you when answers change; call it by
    hand only after writing answers outside a session, e.g. with raw SQL)."""
    updated = session.execute(
        update(SurveyDataVersion)
        .where(SurveyDataVersion.id == 1)
        .values(version=SurveyDataVersion.version + 1)
        .execution_options(synchronize_session=False)
    )
    if not updated.rowcount:  # type: ignore[attr-defined]
        session.execute(insert(SurveyDataVersion).values(id=1, version=1))


def current_version(session: Session) -> int:
    return session.scalar(select(SurveyDataVersion.version).where(SurveyDataVersion.id == 1)) or 0


# -- counting ----------------------------------------------------------------------------
def count_from_answers(session: Session, weeks: list[IsoWeek], zone: ZoneInfo) -> list[CountRow]:
    """Counts per week, team and channel straight from the answers, in one query. The
    weeks' UTC bounds are computed in Python and a ``CASE`` buckets each answer, so a
    week boundary (Sunday 23:59 vs Monday 00:00 local time, DST included) is exact on
    SQLite and PostgreSQL alike. ``weeks`` must be consecutive."""
    if not weeks:
        return []
    week_index = case(
        *((SurveyAnswer.answered_at < week.end(zone), index) for index, week in enumerate(weeks)),
        else_=len(weeks) - 1,
    ).label("week_index")
    bucketed = (
        select(week_index, SurveyAnswer.team_id, SurveyAnswer.channel, SurveyAnswer.score)
        .where(
            SurveyAnswer.answered_at >= weeks[0].start(zone),
            SurveyAnswer.answered_at < weeks[-1].end(zone),
        )
        .subquery()
    )

    def count_when(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    rows = session.execute(
        select(
            bucketed.c.week_index,
            bucketed.c.team_id,
            bucketed.c.channel,
            count_when(bucketed.c.score >= PROMOTER_MIN),
            count_when(and_(bucketed.c.score > DETRACTOR_MAX, bucketed.c.score < PROMOTER_MIN)),
            count_when(bucketed.c.score <= DETRACTOR_MAX),
        ).group_by(bucketed.c.week_index, bucketed.c.team_id, bucketed.c.channel)
    )
    return [
        CountRow(
            weeks[int(index)],
            team_id,
            channel or None,
            int(promoters),
            int(passives),
            int(detractors),
        )
        for index, team_id, channel, promoters, passives, detractors in rows
    ]


def _runs(weeks: Iterable[IsoWeek]) -> list[list[IsoWeek]]:
    """Consecutive stretches of the given weeks (each one query when counting)."""
    runs: list[list[IsoWeek]] = []
    for week in sorted(weeks, key=lambda w: w.key):
        if runs and runs[-1][-1].next() == week:
            runs[-1].append(week)
        else:
            runs.append([week])
    return runs


def _store(
    session: Session,
    zone_key: str,
    version: int,
    weeks: list[IsoWeek],
    rows: list[CountRow],
    now: datetime,
) -> None:
    keys = [week.key for week in weeks]
    session.execute(
        delete(NpsWeekCount).where(NpsWeekCount.zone == zone_key, NpsWeekCount.week_key.in_(keys))
    )
    session.execute(
        delete(NpsWeekRollup).where(
            NpsWeekRollup.zone == zone_key, NpsWeekRollup.week_key.in_(keys)
        )
    )
    session.execute(
        insert(NpsWeekRollup),
        [
            {"zone": zone_key, "week_key": key, "version": version, "computed_at": now}
            for key in keys
        ],
    )
    if rows:
        session.execute(
            insert(NpsWeekCount),
            [
                {
                    "zone": zone_key,
                    "week_key": row.week.key,
                    "team_id": row.team_id,
                    "channel": row.channel or NO_CHANNEL,
                    "promoters": row.promoters,
                    "passives": row.passives,
                    "detractors": row.detractors,
                }
                for row in rows
            ],
        )


def week_counts(
    weeks: list[IsoWeek], zone: ZoneInfo, team_id: int | None = None, channel: str | None = None
) -> list[CountRow]:
    """The counts of ``weeks`` (optionally one team's, one channel's), from the cache
    where it is current, counting and caching the rest. Runs in a session of its own,
    so a dashboard request never commits its own session's work by accident."""
    zone_key = zone.key
    with Session(db.engine) as session:
        version = current_version(session)
        cached = set(
            session.scalars(
                select(NpsWeekRollup.week_key).where(
                    NpsWeekRollup.zone == zone_key,
                    NpsWeekRollup.version == version,
                    NpsWeekRollup.week_key.in_([week.key for week in weeks]),
                )
            )
        )
        by_key = {week.key: week for week in weeks}
        query = select(NpsWeekCount).where(
            NpsWeekCount.zone == zone_key, NpsWeekCount.week_key.in_(cached)
        )
        if team_id is not None:
            query = query.where(NpsWeekCount.team_id == team_id)
        if channel is not None:
            query = query.where(NpsWeekCount.channel == channel)
        result = (
            [
                CountRow(
                    by_key[row.week_key],
                    row.team_id,
                    row.channel or None,
                    row.promoters,
                    row.passives,
                    row.detractors,
                )
                for row in session.scalars(query)
            ]
            if cached
            else []
        )

        missing = [week for week in weeks if week.key not in cached]
        fresh: list[CountRow] = []
        for run in _runs(missing):
            fresh += count_from_answers(session, run, zone)
        if missing:
            try:
                _store(session, zone_key, version, missing, fresh, utcnow())
                session.commit()
            except (IntegrityError, OperationalError):
                session.rollback()  # another process stored them, or holds the lock
    result += [
        row
        for row in fresh
        if (team_id is None or row.team_id == team_id)
        and (channel is None or row.channel == channel)
    ]
    return result


def warm(weeks: int = 27, now: datetime | None = None) -> int:
    """Count and cache the last ``weeks`` weeks now (after an import), so the next
    dashboard view is fast; returns how many weeks had to be counted. The default
    covers the dashboard's longest period (26 weeks) and the current week."""
    zone = app_timezone()
    wanted = last_weeks(weeks, now or utcnow(), zone)
    with Session(db.engine) as session:
        version = current_version(session)
        cached = set(
            session.scalars(
                select(NpsWeekRollup.week_key).where(
                    NpsWeekRollup.zone == zone.key, NpsWeekRollup.version == version
                )
            )
        )
    missing = [week for week in wanted if week.key not in cached]
    if missing:
        week_counts(missing, zone)
    return len(missing)


def listen() -> None:
    """Register the listeners that invalidate cached weekly figures whenever survey
    answers change (``storyboard.nps.init_app``)."""
    listen_once(Session, "do_orm_execute", _mark_statement)
    listen_once(Session, "before_flush", _mark_flush)
    listen_once(Session, "before_commit", _bump_on_commit)
    listen_once(Session, "after_rollback", _forget_on_rollback)
