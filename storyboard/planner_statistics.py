"""The SQLite query planner's statistics, kept up to date.

PostgreSQL's autovacuum analyses tables as they change; SQLite never does, and without
``ANALYZE`` its planner guesses which index narrows a query. Measured at 100,000
stories, a million survey answers and a million reads (bench/RESULTS.md): the story list
filtered by channel took 224 ms of CPU without statistics and 57 ms with them, the
dashboard 141 ms and 56 ms. SQLite 3.40's ``PRAGMA optimize`` with an analysis limit
left estimates that still chose the slow plan (187 ms), so this runs a full ``ANALYZE``
(0.7 s on that database) when the statistics are missing or a watched table has grown
or shrunk ``CHANGE_FACTOR`` times since they were taken. ``storyboard serve`` checks at
start, the worker every ``CHECK_EVERY_SECONDS``, the survey import after each file.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

# The tables whose size decides the plans of the pages people open most.
WATCHED = ("stories", "survey_answers", "story_reads", "kudos", "comments", "users")
CHANGE_FACTOR = 2.0
CHECK_EVERY_SECONDS = 600.0
# Tables smaller than this plan well on guesses; analysing them would only churn.
SMALL_TABLE_ROWS = 1_000


@dataclass(frozen=True)
class Staleness:
    """Which watched tables have no statistics or outgrew them: (table, then, now)."""

    tables: tuple[tuple[str, int | None, int], ...]

    def __bool__(self) -> bool:
        return bool(self.tables)


def _analysed_rows(connection: Connection) -> dict[str, int]:
    """Row counts as the last ``ANALYZE`` saw them (the first number of a table's
    ``sqlite_stat1`` rows), per table."""
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).first()
    if exists is None:
        return {}
    rows: dict[str, int] = {}
    for table, stat in connection.exec_driver_sql("SELECT tbl, stat FROM sqlite_stat1"):
        first = str(stat or "").split(" ", 1)[0]
        if first.isdigit():
            rows[str(table)] = max(rows.get(str(table), 0), int(first))
    return rows


def staleness(connection: Connection) -> Staleness:
    """What ``refresh`` would analyse now (nothing on a small database)."""
    analysed = _analysed_rows(connection)
    stale = []
    for table in WATCHED:
        now = int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
        then = analysed.get(table)
        if now < SMALL_TABLE_ROWS and (then or 0) < SMALL_TABLE_ROWS:
            continue
        low, high = sorted((max(now, 1), max(then or 0, 1)))
        if then is None or high >= CHANGE_FACTOR * low:
            stale.append((table, then, now))
    return Staleness(tuple(stale))


def refresh(engine: Engine, force: bool = False) -> Staleness:
    """``ANALYZE`` a SQLite database whose statistics are missing or out of date (all
    of it: the statistics of one table are compared with the others'), and say why;
    nothing on PostgreSQL or when they are current."""
    if engine.dialect.name != "sqlite":
        return Staleness(())
    with engine.connect() as connection:
        found = staleness(connection)
        if found or force:
            connection.exec_driver_sql("PRAGMA analysis_limit = 0")
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    return found
