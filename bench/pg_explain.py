"""EXPLAIN (ANALYZE, BUFFERS) of what the PostgreSQL search backend runs for a query.

Runs each search once through ``search_stories`` on a database the search benchmark
built (``--postgres-database``), records every statement it sent with its parameters,
then runs each again under ``EXPLAIN (ANALYZE, BUFFERS)`` and prints the plans, longest
statement first. For docs/search.md; run by hand::

    .venv/bin/python bench/pg_explain.py --database bench_pgsearch klant '"klant bedankte"'
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from typing import Any

from sqlalchemy import event

from storyboard import create_app
from storyboard.db import db
from storyboard.search import service
from storyboard.search.backend import SearchRequest

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def explain(app: Any, query: str, sort: str, **extra: Any) -> list[tuple[float, str, str]]:
    """(milliseconds, statement, plan) for each statement the search ran."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            started = time.perf_counter()
            results = service.search_stories(SearchRequest(text=query, sort=sort, **extra))
            took = (time.perf_counter() - started) * 1000
        finally:
            event.remove(engine, "before_cursor_execute", record)
        print(f"\n## `{query}` ({sort}): {results.total:,} matches, {took:.0f} ms in all\n")
        plans = []
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement, parameters in seen:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                ms = float(plan.rsplit("Execution Time: ", 1)[-1].split(" ")[0])
                plans.append((ms, statement, plan))
            raw.rollback()
        finally:
            raw.close()
    return sorted(plans, key=lambda item: -item[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("queries", nargs="+")
    parser.add_argument("--database", required=True)
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--sort", default="relevance", choices=("relevance", "newest"))
    parser.add_argument("--top", type=int, default=2, help="plans shown per query")
    parser.add_argument("--from", dest="date_from", type=date.fromisoformat, default=None)
    parser.add_argument("--to", dest="date_to", type=date.fromisoformat, default=None)
    parser.add_argument(
        "--filter", action="append", default=[], help="facet filter as name=value (repeatable)"
    )
    args = parser.parse_args(argv)
    app = create_app(
        {
            "INSTANCE_PATH": "/tmp/storyboard-pg-explain",
            "SECRET_KEY": "explain",
            "DATABASE_URL": f"{args.server}/{args.database}",
            "SEARCH_BACKEND": "postgresql",
        }
    )
    for query in args.queries:
        filters = dict(item.split("=", 1) for item in args.filter)
        extra = {"date_from": args.date_from, "date_to": args.date_to, "filters": filters}
        for ms, statement, plan in explain(app, query, args.sort, **extra)[: args.top]:
            print(f"Statement ({ms:.1f} ms): `{' '.join(statement.split())[:160]}…`\n")
            print("```\n" + plan + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
