"""The archive's facet counts, kept up to date by the PostgreSQL index's writers.

The search page opens on the empty query: every story, newest first, with the counts
of every facet. Counting them from ``search_facets`` reads every story's row (1.2 to
1.6 s at a million stories, bench/RESULTS.md), and clicking a team or a channel counts
most of them again. ``search_facet_counts`` holds how many stories each combination of
the label columns has (``theme = ''``), and how many of those carry each theme:
bounded by the labels and months, not by the stories (33,794 rows for 100,000 stories
over two years). A search without words, dates or a
theme filter adds up those rows instead (``facet_rows``).

Writers hold the index's advisory lock, so the counts change in the same transaction
as the rows they describe and never interleave: ``adjust`` takes the old rows of the
stories a write replaces or removes away and adds the new ones; a rebuild counts
everything once at the end (``recount``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, text

from storyboard.search.pg_schema import COUNTS_TABLE, FACETS_TABLE

# The label columns, in the order of the table's key (theme last).
LABELS = ("language", "team", "channel", "author_kind", "period")
_KEY = (*LABELS, "theme")
_Key = tuple[str, ...]

UPSERT = text(f"""
    INSERT INTO {COUNTS_TABLE} AS counts ({", ".join(_KEY)}, stories)
    VALUES ({", ".join(f":{column}" for column in _KEY)}, :stories)
    ON CONFLICT ({", ".join(_KEY)}) DO UPDATE SET stories = counts.stories + EXCLUDED.stories
""")


def _keys(row: Mapping[str, Any]) -> list[_Key]:
    """The rows of the summary one story counts in: its combination, and once per theme."""
    labels = tuple(str(row[column]) for column in LABELS)
    return [(*labels, ""), *((*labels, str(theme)) for theme in set(row["themes"]))]


def old_rows(connection: Connection, story_ids: Sequence[int]) -> list[Mapping[str, Any]]:
    """The indexed label columns and themes of ``story_ids`` (those that are indexed)."""
    if not story_ids:
        return []
    rows = connection.execute(
        text(f"SELECT {', '.join(LABELS)}, themes FROM {FACETS_TABLE} WHERE story_id = ANY(:ids)"),
        {"ids": list(story_ids)},
    ).mappings()
    return [dict(row) for row in rows]


def adjust(
    connection: Connection,
    removed: Iterable[Mapping[str, Any]],
    added: Iterable[Mapping[str, Any]] = (),
) -> None:
    """Count ``added`` rows in and ``removed`` ones out (each with the label columns and
    ``themes``), in one statement; rows that reach zero are deleted."""
    delta: Counter[_Key] = Counter()
    for row in added:
        delta.update(_keys(row))
    for row in removed:
        delta.subtract(_keys(row))
    changes = [
        {**dict(zip(_KEY, key, strict=True)), "stories": change}
        for key, change in delta.items()
        if change
    ]
    if not changes:
        return
    connection.execute(UPSERT, changes)
    if any(change < 0 for change in delta.values()):
        connection.execute(text(f"DELETE FROM {COUNTS_TABLE} WHERE stories <= 0"))


def recount(connection: Connection) -> None:
    """Count every indexed story again (after a rebuild or an upgrade): one pass."""
    labels = ", ".join(LABELS)
    connection.execute(text(f"DELETE FROM {COUNTS_TABLE}"))
    connection.execute(
        text(f"""
        INSERT INTO {COUNTS_TABLE} ({labels}, theme, stories)
        SELECT {labels}, '', count(*) FROM {FACETS_TABLE} GROUP BY {labels}
        UNION ALL
        SELECT {labels}, theme, count(*)
        FROM (SELECT DISTINCT story_id, {labels}, unnest(themes) AS theme
              FROM {FACETS_TABLE}) AS each_theme
        GROUP BY {labels}, theme""")
    )


def answers(filters: Mapping[str, str], columns: Mapping[str, str]) -> bool:
    """Whether the summary can count a search with these facet ``filters`` (name →
    value; ``columns`` maps a label filter to its column) and neither words nor dates:
    any label filters, but not a theme (which themes its stories also carry is not
    kept)."""
    return all(name in columns for name, value in filters.items() if value)


def facet_rows(
    connection: Connection, filters: Mapping[str, str], columns: Mapping[str, str]
) -> list[Any]:
    """The counts ``PostgresBackend._facets`` reads from the matches, from the summary:
    a row per label value (the other columns NULL), the total (all NULL), and a row per
    theme (its name in the last column but one)."""
    params = {f"f_{name}": value.lower() for name, value in filters.items() if value}
    where = " AND ".join(f"{columns[name[2:]]} = :{name}" for name in params) or "TRUE"
    sets = ", ".join(f"({column})" for column in columns.values())
    nulls = ", ".join("NULL" for _ in columns)
    return list(
        connection.execute(
            text(f"""
            SELECT {", ".join(columns.values())}, NULL, coalesce(sum(stories), 0)
            FROM {COUNTS_TABLE}
            WHERE theme = '' AND {where} GROUP BY GROUPING SETS ({sets}, ())
            UNION ALL
            SELECT {nulls}, theme, sum(stories) FROM {COUNTS_TABLE}
            WHERE theme <> '' AND {where} GROUP BY theme"""),
            params,
        ).all()
    )
