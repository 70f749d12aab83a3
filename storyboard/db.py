"""Database wiring: the declarative base, a constraint naming convention, SQLite pragmas.

The naming convention keeps Alembic migrations stable on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Engine, MetaData, Table, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# The Alembic scripts: the only way tables are made (see ``upgrade_database``).
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _FlaskModel

    class Model(_FlaskModel, Base):
        """What a type checker sees of ``db.Model``: an attribute of ``db`` is not a valid
        base class for mypy, and Flask-SQLAlchemy builds it at run time from ``Base``
        and its own ``Model`` (``query`` and friends)."""

        __abstract__ = True
else:
    Model = db.Model


def table_of(model: type[Base]) -> Table:
    """A model's ``Table`` for Core statements (bulk ``insert``): declarative types
    ``__table__`` as any ``FromClause``."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def utcnow() -> datetime:
    """The current moment, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware.

    SQLite drops the offset; without this, comparisons between stored and fresh
    timestamps raise ``TypeError`` (naive vs aware).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use storyboard.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL lets readers work while one writer commits; the busy timeout waits for locks."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def listen_once(target: Any, identifier: str, listener: Any) -> None:
    """Register a SQLAlchemy event listener unless it is there already: ``create_app``
    wires listeners and may run many times in one process (tests, the CLI)."""
    if not event.contains(target, identifier, listener):
        event.listen(target, identifier, listener)


def listen_for_sqlite_connections() -> None:
    """Set the pragmas on every new SQLite connection (``create_app`` calls this)."""
    listen_once(Engine, "connect", _sqlite_pragmas)


def upgrade_database() -> None:
    """Apply every Alembic migration (inside an app context). The only way tables are
    made: never ``create_all``, so every database matches the migration history."""
    from flask_migrate import upgrade

    upgrade(directory=str(MIGRATIONS_DIR))


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block changed, or roll all of it back when the block raises
    (and let the exception go on to the caller, which tells the person). Views and
    commands are the unit of work; services change the session and never commit."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
