"""How the search index stands, for the admin page and ``storyboard doctor``: which
backend serves and why, whether its index is usable, what waits in the outbox, and
whether a Whoosh archive has outgrown Whoosh (``STORYBOARD_WHOOSH_STORY_LIMIT``).

Nothing here builds or repairs an index (``service.backend()`` would): a check must
report a missing index, not hide it by rebuilding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storyboard.models import IndexOutbox
from storyboard.search import service, switch
from storyboard.search.backend import INDEX_FORMAT, SearchBackend
from storyboard.search.whoosh_store import current_generation, index_format

MISSING = "missing"
OLD_FORMAT = "old format"
UNREADABLE = "unreadable"
USABLE = "ok"


@dataclass(frozen=True)
class IndexCondition:
    """``state`` is one of USABLE, MISSING, OLD_FORMAT, UNREADABLE; ``found_format`` is
    the format a Whoosh index on disk was written in (None when unknown)."""

    state: str
    found_format: str | None = None

    @property
    def usable(self) -> bool:
        return self.state == USABLE


def index_condition(app: Flask, name: str, engine: SearchBackend) -> IndexCondition:
    """Whether ``engine`` (the backend called ``name``) can answer searches as it is."""
    if engine.is_healthy():
        return IndexCondition(USABLE)
    if name != "whoosh":  # PostgreSQL: missing tables and an older stamp look alike
        return IndexCondition(UNREADABLE)
    generation = current_generation(Path(app.config["INDEX_DIR"]))
    if generation is None:
        return IndexCondition(MISSING)
    found = index_format(generation)
    if found != INDEX_FORMAT:
        return IndexCondition(OLD_FORMAT, found_format=found)
    return IndexCondition(UNREADABLE, found_format=found)


@dataclass(frozen=True)
class OutboxState:
    """Changes committed to the database but not yet in the index."""

    pending: int
    oldest_at: datetime | None


def outbox_state(session: Session) -> OutboxState:
    pending, oldest = session.execute(
        select(func.count(IndexOutbox.id), func.min(IndexOutbox.created_at))
    ).one()
    return OutboxState(pending=int(pending or 0), oldest_at=oldest)


@dataclass(frozen=True)
class Capacity:
    """The archive's size against what the backend in use is measured to handle."""

    backend: str
    stories: int
    limit: int
    on_postgresql: bool

    @property
    def outgrown(self) -> bool:
        """A Whoosh archive beyond the size where its measured p95 passes 250 ms."""
        return self.backend == "whoosh" and self.stories > self.limit


def capacity(app: Flask, session: Session, backend_name: str) -> Capacity:
    return Capacity(
        backend=backend_name,
        stories=service.count_published(session),
        limit=int(app.config["WHOOSH_STORY_LIMIT"]),
        on_postgresql=switch.on_postgresql(app.config),
    )


def move_advice(capacity: Capacity) -> str:
    """How to move a Whoosh archive that has outgrown Whoosh (the admin page and
    ``storyboard doctor`` say the same)."""
    if capacity.on_postgresql:
        return _(
            "Move to PostgreSQL search: `storyboard search use postgresql` builds its index "
            "while the portal keeps serving, then switches."
        )
    return _(
        "Move the database to PostgreSQL (STORYBOARD_DATABASE_URL), then run `storyboard "
        "search use postgresql`."
    )


@dataclass(frozen=True)
class Overview:
    """What the admin's search page shows."""

    choice: switch.BackendChoice
    condition: IndexCondition
    indexed: int | None
    outbox: OutboxState
    capacity: Capacity


def overview(app: Flask) -> Overview:
    """The search's state for the admin page and the doctor, read without building
    anything, in a session of its own."""
    with service.new_session() as session:
        choice = switch.choose_backend(app.config, session)
        # A backend object of its own: the app's keeps an index open that may have been
        # deleted or replaced on disk since.
        engine = service.make_backend(app, choice.name)
        condition = index_condition(app, choice.name, engine)
        return Overview(
            choice=choice,
            condition=condition,
            indexed=engine.doc_count() if condition.usable else None,
            outbox=outbox_state(session),
            capacity=capacity(app, session, choice.name),
        )
