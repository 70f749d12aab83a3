"""Search as the app uses it: one backend per app, outbox drains, rebuilds, queries."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from flask import Flask, current_app, has_app_context, request
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from storyboard.channels import channel_list
from storyboard.db import db
from storyboard.models import Story, StoryStatus
from storyboard.search import outbox, switch
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
    """Per-app search objects; created on first use, not in the factory. ``name`` is
    the backend in use, which follows a switch recorded by ``storyboard search use``."""

    backend: SearchBackend
    name: str = "whoosh"
    ready: bool = False
    last_drain: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def make_backend(app: Flask, name: str) -> SearchBackend:
    """A backend object for ``name`` (it opens nothing yet)."""
    if name == "postgresql":
        with app.app_context():
            return PostgresBackend(db.engine)
    return WhooshBackend(app.config["INDEX_DIR"])


def current_choice(app: Flask) -> switch.BackendChoice:
    """The backend this deployment uses now (the recorded switch, else the setting);
    the setting when the database cannot be read (down, or not migrated yet)."""
    try:
        with app.app_context(), new_session() as session:
            return switch.choose_backend(app.config, session)
    except SQLAlchemyError:
        return switch.from_setting(app.config)


def state_for(app: Flask) -> SearchState:
    state = app.extensions.get(EXTENSION_KEY)
    if state is None:
        name = current_choice(app).name
        state = SearchState(backend=make_backend(app, name), name=name, lock=threading.Lock())
        app.extensions[EXTENSION_KEY] = state
    return state


def follow_switch(app: Flask, choice: switch.BackendChoice) -> bool:
    """Use ``choice``'s backend from now on if this process still uses another; True
    if it changed. The new backend is checked (and rebuilt if broken) on first use."""
    state = state_for(app)
    if choice.name == state.name:
        return False
    with state.lock:
        if choice.name != state.name:
            app.logger.warning(
                "search backend switched from %s to %s (storyboard search use)",
                state.name,
                choice.name,
            )
            state.backend = make_backend(app, choice.name)
            state.name = choice.name
            state.ready = False
    return True


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
    """Rebuild a missing or unreadable index from the database; True if it rebuilt.
    An index of an earlier layout that can be brought up to date in place is."""
    if engine.is_healthy():
        return False
    if engine.upgrade():
        current_app.logger.warning("search index brought up to this version's layout in place")
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


@dataclass(frozen=True)
class SwitchSummary:
    """What ``switch_backend`` did: stories built into the new backend, outbox rows it
    applied after switching, and the time it all took."""

    previous: str
    backend: str
    stories: int
    caught_up: int
    seconds: float


def switch_backend(
    target: str, progress: Progress | None = None, timeout: float = COMMAND_WRITE_TIMEOUT
) -> SwitchSummary:
    """Build ``target``'s index from the database, then make every process use it.

    Searches keep running on the current backend while the new one is built. Its
    writers' lock is held meanwhile (as ``rebuild_index`` does), so saves wait in the
    outbox instead of being consumed for the old backend; the switch is then recorded,
    and the outbox drained into the new backend before that lock is let go. Processes
    follow at their next drain (which checks the switch under the index lock) or
    within ``PERIODIC_DRAIN_SECONDS``. Raises ``switch.SwitchRefused`` when ``target``
    cannot serve here or already does.
    """
    app = current_app
    choice = current_choice(app)
    switch.refuse_unless_possible(app.config, target, choice.name)
    follow_switch(app, choice)
    old = state_for(app).backend
    new = make_backend(app, target)
    started = time.perf_counter()
    with old.hold_writes(timeout=timeout):
        with new.hold_writes(timeout=timeout), new_session() as session:
            count = new.rebuild(published_documents(session), progress)
        with new_session() as session:
            switch.record_backend(session, target)
            session.commit()
        caught_up = outbox.drain(new_session, new, timeout=timeout)
    follow_switch(app, current_choice(app))
    return SwitchSummary(
        previous=choice.name,
        backend=target,
        stories=count,
        caught_up=caught_up,
        seconds=time.perf_counter() - started,
    )


def _rebuild_if_broken(engine: SearchBackend) -> bool:
    """Rebuild an index that was deleted or damaged while the app was running (start-up
    checks it once; this catches it later); True if it rebuilt."""
    with state_for(current_app).lock:
        return ensure_index(engine)


def drain_pending(timeout: float = REQUEST_WRITE_TIMEOUT) -> int:
    """Apply what the outbox holds; when the index is locked, leave it for later; when
    it is missing or unreadable, rebuild it (the rebuild applies the outbox too).

    Under the index lock, before taking any row, the drain checks that its backend is
    still the chosen one: after ``storyboard search use`` switched, a process that has
    not noticed yet must leave the rows to the new backend, not consume them for the old
    one. It then follows the switch and drains again."""
    app = current_app
    engine = backend()
    name = state_for(app).name
    moved: list[switch.BackendChoice] = []

    def still_chosen(session: Session) -> bool:
        choice = switch.choose_backend(app.config, session)
        if choice.name != name:
            moved.append(choice)
        return not moved

    try:
        applied = outbox.drain(new_session, engine, timeout=timeout, guard=still_chosen)
    except IndexBusy:
        current_app.logger.info("search index busy; pending changes stay in the outbox")
        return 0
    except Exception:
        if not _rebuild_if_broken(engine):
            raise
        return 0
    if moved and follow_switch(app, moved[-1]):
        return applied + drain_pending(timeout)
    return applied


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
    """``before_request``: pick up rows left by a crashed or locked-out process, and a
    backend switch recorded by ``storyboard search use`` (so every worker follows it
    within ``PERIODIC_DRAIN_SECONDS``, with one primary-key read)."""
    if request.endpoint in NO_DRAIN_ENDPOINTS:
        return
    state = state_for(current_app)
    now = time.monotonic()
    if now - state.last_drain < PERIODIC_DRAIN_SECONDS:
        return
    state.last_drain = now
    with new_session() as session:
        pending = outbox.pending_count(session)
        choice = switch.choose_backend(current_app.config, session)
    follow_switch(current_app, choice)
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
