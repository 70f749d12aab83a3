"""Counting the SQL statements one request makes: the query budgets of the pages.

``count_queries(app)`` listens to the app's engine (``before_cursor_execute``) for the
length of a ``with`` block and keeps every statement; a test makes one request inside it
and asserts on ``len(counter)``, never on time. The statements themselves
(``counter.statements``) are in the failure message, so a repeated query shows at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event

from storyboard.db import db


class QueryCounter:
    """The statements sent to the database while it listened."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)

    def __str__(self) -> str:
        return "\n".join(
            f"{n:3}. {' '.join(sql.split())[:300]}" for n, sql in enumerate(self.statements, 1)
        )

    def record(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)


@contextmanager
def count_queries(app: Flask) -> Iterator[QueryCounter]:
    """Count the statements ``app``'s engine executes inside the block."""
    with app.app_context():
        engine = db.engine
    counter = QueryCounter()
    event.listen(engine, "before_cursor_execute", counter.record)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter.record)
