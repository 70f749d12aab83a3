"""Which search backend serves: ``STORYBOARD_SEARCH_BACKEND``, or the switch that
``storyboard search use`` recorded.

Precedence: a switch recorded in the database (``ops_state``, key ``search.backend``)
wins over the setting, which chooses only until the first switch (set it to the same
name afterwards, or ``storyboard doctor`` warns that the two disagree). The switch is kept in the database, not in a host's
instance folder, because every app host and worker must follow the same one. A recorded
``postgresql`` on a database that is not PostgreSQL (a restored SQLite copy) is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from storyboard.config import SEARCH_BACKENDS
from storyboard.db import utcnow
from storyboard.models import OpsState

BACKEND_KEY = "search.backend"
SETTING = "setting"
SWITCH = "switch"


class SwitchRefused(ValueError):
    """``storyboard search use`` cannot switch to that backend here; the message says why."""


@dataclass(frozen=True)
class BackendChoice:
    """The backend in use and why: ``source`` is ``setting`` or ``switch``."""

    name: str
    source: str
    configured: str
    switched_at: datetime | None = None

    @property
    def disagrees(self) -> bool:
        """The recorded switch overrides a setting that names the other backend."""
        return self.source == SWITCH and self.name != self.configured


def on_postgresql(config: dict[str, Any] | Any) -> bool:
    return str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql")


def from_setting(config: dict[str, Any] | Any) -> BackendChoice:
    """The choice when nothing is recorded (or the database cannot be read)."""
    name = str(config["SEARCH_BACKEND"])
    return BackendChoice(name=name, source=SETTING, configured=name)


def choose_backend(config: dict[str, Any] | Any, session: Session) -> BackendChoice:
    """The backend this deployment uses now; one primary-key read."""
    fallback = from_setting(config)
    row = session.get(OpsState, BACKEND_KEY)
    if row is None or row.value not in SEARCH_BACKENDS:
        return fallback
    if row.value == "postgresql" and not on_postgresql(config):
        return fallback
    return BackendChoice(
        name=row.value, source=SWITCH, configured=fallback.name, switched_at=row.updated_at
    )


def refuse_unless_possible(config: dict[str, Any] | Any, target: str, current: str) -> None:
    """Raise ``SwitchRefused`` when ``target`` cannot serve this deployment, or already
    does (``current``)."""
    if target not in SEARCH_BACKENDS:
        raise SwitchRefused(
            _(
                "unknown search backend %(name)s: choose %(names)s",
                name=target,
                names=", ".join(SEARCH_BACKENDS),
            )
        )
    if target == "postgresql" and not on_postgresql(config):
        raise SwitchRefused(
            _(
                "PostgreSQL search lives in the database, and this database is not "
                "PostgreSQL (STORYBOARD_DATABASE_URL). Move the database to PostgreSQL first."
            )
        )
    if target == current:
        raise SwitchRefused(
            _("search already uses %(name)s; `storyboard reindex` rebuilds its index", name=target)
        )


def record_backend(session: Session, name: str) -> None:
    """Record the switch in the session's transaction (the caller commits)."""
    row = session.get(OpsState, BACKEND_KEY)
    if row is None:
        session.add(OpsState(key=BACKEND_KEY, value=name, updated_at=utcnow()))
    else:
        row.value = name
        row.updated_at = utcnow()
