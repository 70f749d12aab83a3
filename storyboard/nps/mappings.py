"""The column mapping last given per source, so the next export from the same survey
tool imports without it (``NpsImportMapping``). No commit: the import's caller commits."""

from __future__ import annotations

import json

from storyboard.db import db, utcnow
from storyboard.models import NpsImportMapping


def remembered(source: str) -> dict[str, str]:
    """The mapping last used for ``source`` (empty when none)."""
    row = db.session.get(NpsImportMapping, source)
    if row is None:
        return {}
    try:
        value = json.loads(row.mapping)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def remember(source: str, mapping: dict[str, str]) -> None:
    """Keep ``mapping`` for ``source``; an empty mapping keeps the one remembered."""
    if not mapping:
        return
    text = json.dumps(mapping, ensure_ascii=False, sort_keys=True)
    row = db.session.get(NpsImportMapping, source)
    if row is None:
        db.session.add(NpsImportMapping(source=source, mapping=text, updated_at=utcnow()))
    else:
        row.mapping, row.updated_at = text, utcnow()
