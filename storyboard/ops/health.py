"""``/healthz``: can this app host serve? A load balancer asks it every few seconds, so
the checks are cheap, say which part failed, and never leak error details."""

from __future__ import annotations

from dataclasses import dataclass

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from storyboard.access import public
from storyboard.db import MIGRATIONS_DIR, db
from storyboard.search import service

bp = Blueprint("ops", __name__)

OK = "ok"


@dataclass(frozen=True)
class HealthReport:
    """One word per part: ``ok`` or what is wrong with it."""

    database: str
    index: str

    @property
    def healthy(self) -> bool:
        return self.database == OK and self.index == OK

    def as_dict(self) -> dict[str, str]:
        return {
            "status": OK if self.healthy else "unavailable",
            "database": self.database,
            "index": self.index,
        }


def _head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def database_revision() -> tuple[str | None, str | None]:
    """(the database's migration, the code's head); raises ``SQLAlchemyError`` when
    the database does not answer."""
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        current = MigrationContext.configure(connection).get_current_revision()
    return current, _head_revision()


def check_database() -> str:
    """``ok`` when the database answers and its schema is at the code's migration head."""
    try:
        current, head = database_revision()
    except SQLAlchemyError:
        current_app.logger.exception("health check: database unreachable")
        return "unreachable"
    if current != head:
        return "not migrated"
    return OK


def check_index() -> str:
    """``ok`` when the search index opens. On a host's first check a missing index is
    built from the database (as on its first search), so a new host reports healthy
    once it can really answer searches."""
    try:
        healthy = service.backend().is_healthy()
    except Exception:
        current_app.logger.exception("health check: index unreadable")
        healthy = False
    return OK if healthy else "missing or unreadable"


def check_health() -> HealthReport:
    return HealthReport(database=check_database(), index=check_index())


@bp.get("/healthz")
@public
def healthz() -> tuple[Response, int]:
    report = check_health()
    response = jsonify(report.as_dict())
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if report.healthy else 503
