"""Where checked survey answers are stored: the one place that knows which answers are
already in the database and inserts new ones, for the CSV importer
(``storyboard.nps.importer``) and the API's push (``storyboard.api.nps_push``).

An answer is known by its source and the survey tool's id (``(source, external_id)``,
unique in ``survey_answers``). The rows are the values ``answer_rows.parse_row`` makes.
Nothing here commits: the caller is the unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import insert, select

from storyboard.db import db, table_of
from storyboard.models import SurveyAnswer

# External ids per lookup query: well within the bound-parameter limits of SQLite and
# PostgreSQL, and a whole importer batch in one query.
LOOKUP_CHUNK = 5_000

AnswerKey = tuple[str, str]  # (source, external_id)


def answer_key(row: Mapping[str, Any]) -> AnswerKey:
    """The identity of a parsed answer row."""
    return (row["source"], row["external_id"])


def stored_keys(keys: Iterable[AnswerKey]) -> set[AnswerKey]:
    """Those of ``keys`` already stored."""
    wanted = set(keys)
    sources = {source for source, _external_id in wanted}
    ids = sorted({external_id for _source, external_id in wanted})
    found: set[AnswerKey] = set()
    for start in range(0, len(ids), LOOKUP_CHUNK):
        query = select(SurveyAnswer.source, SurveyAnswer.external_id).where(
            SurveyAnswer.external_id.in_(ids[start : start + LOOKUP_CHUNK])
        )
        if len(sources) == 1:  # the usual case: the unique index is read by its prefix
            query = query.where(SurveyAnswer.source == next(iter(sources)))
        found.update(
            (source, external_id)
            for source, external_id in db.session.execute(query)
            if (source, external_id) in wanted
        )
    return found


def store_answers(rows: list[dict[str, Any]]) -> int:
    """Insert answer rows (none of them stored yet) in one ``executemany``; how many."""
    if rows:
        db.session.execute(insert(table_of(SurveyAnswer)), rows)
    return len(rows)


def known_sources() -> set[str]:
    """Every source that has answers (a handful: one per survey system)."""
    return set(db.session.scalars(select(SurveyAnswer.source).distinct()))


def keys_under_other_sources(
    rows: Iterable[Mapping[str, Any]], sources: Iterable[str]
) -> dict[AnswerKey, set[str]]:
    """Those of ``rows`` whose external id is stored under another of ``sources`` than
    the row names (the same answer, counted twice if stored), with those sources. Each
    query reads the unique index by its (source) prefix."""
    by_source: dict[str, set[str]] = {}
    for row in rows:
        by_source.setdefault(row["source"], set()).add(row["external_id"])
    found: dict[AnswerKey, set[str]] = {}
    for source in sources:
        ids = sorted({i for other, ids in by_source.items() if other != source for i in ids})
        for start in range(0, len(ids), LOOKUP_CHUNK):
            stored = set(
                db.session.scalars(
                    select(SurveyAnswer.external_id).where(
                        SurveyAnswer.source == source,
                        SurveyAnswer.external_id.in_(ids[start : start + LOOKUP_CHUNK]),
                    )
                )
            )
            for row_source, row_ids in by_source.items():
                if row_source == source:
                    continue
                for external_id in row_ids & stored:
                    found.setdefault((row_source, external_id), set()).add(source)
    return found
