"""Search as the app uses it: one backend per app, outbox drains, rebuilds, queries."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from flask import Flask, current_app, has_app_context, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from storyboard.channels import channel_list
from storyboard.db import db
from storyboard.models import Story, StoryStatus
from storyboard.search import outbox
from storyboard.search.backend import (
    IndexBusy,
    Progress,
    SearchBackend,
    SearchRequest,
    SearchResults,
)
from storyboard.search.documents import StoryDocument, document_for, featured_story_ids
from storyboard.search.pg_backend import PostgresBackend
from storyboard.search.whoosh_backend import WhooshBackend

EXTENSION_KEY = "storyboard.search"
# A save waits this long for another writer before leaving the work to a later drain.
REQUEST_WRITE_TIMEOUT = 0.25
COMMAND_WRITE_TIMEOUT = 30.0
PERIODIC_DRAIN_SECONDS = 30.0
# Requests that must not touch the database first: static files, and the load
# balancer's probe, which has to answer 503 (not fail) when the database is down.
NO_DRAIN_ENDPOINTS = frozenset({"static", "ops.healthz"})
REBUILD_CHUNK = 1000


@dataclass
class SearchState:
    """Per-app search objects; created on first use, not in the factory."""

    backend: SearchBackend
    ready: bool = False
    last_drain: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _make_backend(app: Flask) -> SearchBackend:
    if app.config.get("SEARCH_BACKEND") == "postgresql":
        with app.app_context():
            return PostgresBackend(db.engine)
    return WhooshBackend(app.config["INDEX_DIR"])


def state_for(app: Flask) -> SearchState:
    state = app.extensions.get(EXTENSION_KEY)
    if state is None:
        state = SearchState(backend=_make_backend(app), lock=threading.Lock())
        app.extensions[EXTENSION_KEY] = state
    return state


def backend() -> SearchBackend:
    """The app's search backend, with the index checked (and rebuilt) on first use."""
    state = state_for(current_app)
    if not state.ready:
        with state.lock:
            if not state.ready:
                ensure_index(state.backend)
                state.ready = True
    return state.backend


def new_session() -> Session:
    """A session of its own: drains run after another session's commit."""
    return Session(db.engine)


def ensure_index(engine: SearchBackend) -> bool:
    """Rebuild a missing or unreadable index from the database; True if it rebuilt."""
    if engine.is_healthy():
        return False
    current_app.logger.warning(
        "search index missing or unreadable in %s: rebuilding it from the database",
        current_app.config["INDEX_DIR"],
    )
    summary = rebuild_index(engine, only_if_broken=True)
    if summary is None:
        current_app.logger.warning("search index was rebuilt meanwhile by another process")
        return False
    current_app.logger.warning(
        "search index rebuilt: %d stories in %.1f s", summary.stories, summary.seconds
    )
    return True


def published_documents(session: Session) -> Iterator[StoryDocument]:
    """Every published story as a document, read in id order in bounded chunks."""
    last_id = 0
    while True:
        chunk = session.scalars(
            select(Story)
            .where(Story.status == StoryStatus.PUBLISHED, Story.id > last_id)
            .order_by(Story.id)
            .limit(REBUILD_CHUNK)
            .options(
                selectinload(Story.team), selectinload(Story.themes), selectinload(Story.author)
            )
        ).all()
        if not chunk:
            return
        featured = featured_story_ids(session, (story.id for story in chunk))
        for story in chunk:
            yield document_for(story, featured=story.id in featured)
        last_id = chunk[-1].id
        session.expunge_all()


def count_published(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(Story).where(Story.status == StoryStatus.PUBLISHED)
        )
        or 0
    )


@dataclass(frozen=True)
class RebuildSummary:
    stories: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.stories / self.seconds if self.seconds else 0.0


def rebuild_index(
    engine: SearchBackend, progress: Progress | None = None, only_if_broken: bool = False
) -> RebuildSummary | None:
    """Rebuild into a fresh generation and swap it in; searches keep working meanwhile.

    The live index's writer lock is held for the whole rebuild, so concurrent saves
    leave their outbox rows in place; the drain at the end applies them to the new
    generation, so nothing saved during the rebuild is missing afterwards.
    With ``only_if_broken`` it does nothing (returns None) when the index turns out to be
    healthy once the lock is ours: another process repaired it first.
    """
    started = time.perf_counter()
    with engine.hold_writes():
        if only_if_broken and engine.is_healthy():
            return None
        with new_session() as session:
            count = engine.rebuild(published_documents(session), progress)
    outbox.drain(new_session, engine, timeout=COMMAND_WRITE_TIMEOUT)
    return RebuildSummary(stories=count, seconds=time.perf_counter() - started)


def _rebuild_if_broken(engine: SearchBackend) -> bool:
    """Rebuild an index that was deleted or damaged while the app was running (start-up
    checks it once; this catches it later); True if it rebuilt."""
    with state_for(current_app).lock:
        return ensure_index(engine)


def drain_pending(timeout: float = REQUEST_WRITE_TIMEOUT) -> int:
    """Apply what the outbox holds; when the index is locked, leave it for later; when
    it is missing or unreadable, rebuild it (the rebuild applies the outbox too)."""
    engine = backend()
    try:
        return outbox.drain(new_session, engine, timeout=timeout)
    except IndexBusy:
        current_app.logger.info("search index busy; pending changes stay in the outbox")
        return 0
    except Exception:
        if not _rebuild_if_broken(engine):
            raise
        return 0


def _drain_quietly() -> None:
    """Drain for a request. The story itself is already committed and its outbox row
    stays until the index has it, so a failing index must not turn a successful save
    (or any page) into an error: log it, and let a later drain retry."""
    try:
        drain_pending()
    except Exception:
        current_app.logger.exception("search index update failed; changes stay in the outbox")


def _drain_after_commit() -> None:
    if has_app_context():
        _drain_quietly()
        state_for(current_app).last_drain = time.monotonic()


def periodic_drain() -> None:
    """``before_request``: pick up rows left by a crashed or locked-out process."""
    if request.endpoint in NO_DRAIN_ENDPOINTS:
        return
    state = state_for(current_app)
    now = time.monotonic()
    if now - state.last_drain < PERIODIC_DRAIN_SECONDS:
        return
    state.last_drain = now
    with new_session() as session:
        pending = outbox.pending_count(session)
    if pending:
        _drain_quietly()


def search_stories(request: SearchRequest) -> SearchResults:
    """Run ``request`` on the app's backend within the app's ``SEARCH_TIME_BUDGET``."""
    request = replace(
        request,
        filters=_channel_by_key(request.filters),
        time_budget=float(current_app.config["SEARCH_TIME_BUDGET"]),
    )
    engine = backend()
    try:
        return engine.search(request)
    except Exception:
        # Only a broken index is ours to repair; any other error is a bug to report.
        if not _rebuild_if_broken(engine):
            raise
    return engine.search(request)


def _channel_by_key(filters: dict[str, str]) -> dict[str, str]:
    """The index holds a channel's key; a filter may name the channel by any of its
    names or aliases (``?channel=Telefoon``), and an unknown value stays as it is (it
    matches nothing)."""
    value = filters.get("channel")
    found = channel_list().find(value) if value else None
    return {**filters, "channel": found.key} if found else filters


def configure_search(app: Flask) -> None:
    if _drain_after_commit not in outbox.after_commit_hooks:
        outbox.after_commit_hooks.append(_drain_after_commit)
    app.before_request(periodic_drain)
