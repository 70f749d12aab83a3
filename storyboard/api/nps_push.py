"""``POST /nps-responses``: survey answers pushed as JSON, checked exactly like CSV rows.

Each item goes through the importer's ``parse_row`` (same messages, same rules: known
team, score 0–10, no future dates …) and is idempotent on source + external id: a
replayed item is reported as ``duplicate`` and adds nothing. Results come per item, in
the order sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from storyboard.api.payload import json_type
from storyboard.audit import service as audit
from storyboard.db import db, utcnow
from storyboard.models import User
from storyboard.nps.answer_rows import FIELDS, Columns, Lookups, RowRejected, parse_row
from storyboard.nps.importer import CLOCK_SKEW
from storyboard.nps.store import (
    answer_key,
    keys_under_other_sources,
    known_sources,
    store_answers,
    stored_keys,
)
from storyboard.weeks import app_timezone

BATCH_MAX = 1_000
BODY_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_API_SOURCE = "api"
_COLUMNS = Columns(positions={name: index for index, name in enumerate(FIELDS)}, width=len(FIELDS))


@dataclass
class PushResult:
    items: list[dict[str, Any]] = field(default_factory=list)
    created: int = 0
    duplicates: int = 0
    rejected: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "results": self.items,
        }


def _record(item: object) -> list[str]:
    """The item as a CSV-like record in ``FIELDS`` order; wrong types are refused here,
    the values are checked by ``parse_row``."""
    if not isinstance(item, dict):
        raise RowRejected(f"an answer must be a JSON object, not {json_type(item)}")
    problems = [f"{str(name)[:40]!r} is not a known field" for name in item if name not in FIELDS]
    record = []
    for name in FIELDS:
        value = item.get(name)
        if value is None:
            record.append("")
        elif name == "score" and isinstance(value, int) and not isinstance(value, bool):
            record.append(str(value))
        elif isinstance(value, str):
            record.append(value)
        else:
            kind = "a whole number" if name == "score" else "a string"
            problems.append(f"{name} must be {kind}, not {json_type(value)}")
            record.append("")
    if problems:
        raise RowRejected("; ".join(problems))
    return record


def push_answers(items: list[object], by: User) -> PushResult:
    """Check and store a batch; commits. Items already stored (same source and external
    id, before or earlier in this batch) are duplicates."""
    result = PushResult()
    lookups = Lookups(create_teams=False, asked_by="api")
    now = utcnow()
    tz = app_timezone()
    rows: list[dict[str, Any]] = []
    positions: list[int] = []
    for index, item in enumerate(items):
        warnings: list[str] = []
        try:
            row = parse_row(
                _record(item),
                index,
                _COLUMNS,
                DEFAULT_API_SOURCE,
                lookups,
                warnings_into(warnings),
                tz,
                now + CLOCK_SKEW,
                now,
            )
        except RowRejected as error:
            result.items.append(
                {"index": index, "status": "rejected", "errors": str(error).split("; ")}
            )
            result.rejected += 1
            continue
        entry: dict[str, Any] = {
            "index": index,
            "source": row["source"],
            "external_id": row["external_id"],
        }
        if warnings:
            entry["warnings"] = warnings
        result.items.append(entry)
        rows.append(row)
        positions.append(len(result.items) - 1)

    existing = stored_keys(answer_key(row) for row in rows)
    fresh: list[dict[str, Any]] = []
    fresh_positions: list[int] = []
    for row, position in zip(rows, positions, strict=True):
        key = answer_key(row)
        if key in existing:
            result.items[position]["status"] = "duplicate"
            result.duplicates += 1
        else:
            existing.add(key)
            result.items[position]["status"] = "created"
            fresh.append(row)
            fresh_positions.append(position)
    # The same answer may have come in as CSV (source "import") before: say so, so the
    # client can send the source those answers already have (docs/nps.md, sources).
    elsewhere = keys_under_other_sources(fresh, known_sources()) if fresh else {}
    for row, position in zip(fresh, fresh_positions, strict=True):
        others = elsewhere.get(answer_key(row))
        if others:
            result.items[position].setdefault("warnings", []).append(
                f"external_id {row['external_id'][:40]!r} is also stored under source "
                f"{', '.join(sorted(others))}; this answer may now be counted twice"
            )
    result.created = store_answers(fresh)
    audit.record(
        by,
        "nps.api_push",
        "survey_answers",
        None,
        f"{len(items)} sent, {result.created} created, {result.duplicates} "
        f"duplicates, {result.rejected} rejected",
    )
    db.session.commit()
    return result


def warnings_into(found: list[str]) -> Callable[[int, str], None]:
    """A row parser's warning callback that collects the messages in ``found``."""

    def warn(_line: int, message: str) -> None:
        found.append(message)

    return warn
