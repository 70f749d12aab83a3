"""Opaque pagination cursors for ``GET /stories``.

A cursor is a signed (itsdangerous) pair: the page to fetch next and a fingerprint of
the query it belongs to, so a forged cursor, or one reused with another query, is
refused with a clear 422 instead of giving wrong pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from storyboard.problems import ApiProblem

_SALT = "storyboard-api-cursor"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def fingerprint(args: Mapping[str, str]) -> str:
    """Identifies a query: every parameter but the cursor itself."""
    parts = sorted((key, value) for key, value in args.items() if key != "cursor")
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def make_cursor(page: int, query: str) -> str:
    return str(_serializer().dumps({"p": page, "q": query}))


def read_cursor(cursor: str | None, query: str) -> int:
    """The page a cursor points at (1 without a cursor)."""
    if not cursor:
        return 1
    try:
        data = _serializer().loads(cursor[:500])
    except BadSignature:
        data = None
    if not (
        isinstance(data, dict) and isinstance(data.get("p"), int) and 1 <= data["p"] <= 100_000
    ):
        raise ApiProblem(
            422,
            "The cursor is not one this API gave out; start again without a cursor.",
            errors=[{"field": "cursor", "message": "is not valid"}],
        )
    if data.get("q") != query:
        raise ApiProblem(
            422,
            "This cursor belongs to another query; keep the same "
            "parameters while paging, or start again without a cursor.",
            errors=[{"field": "cursor", "message": "belongs to another query"}],
        )
    return int(data["p"])
