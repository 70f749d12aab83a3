"""Values every page shows to everyone, kept in the process for a few seconds.

The navigation's badge of customer stories waiting for moderation, the teams and themes
of the filters and the search facets' labels are the same for every reader, yet each
page asked the database for them again. ``shared(name, tables, load)`` keeps the value
``load()`` returns for ``PAGE_CACHE_SECONDS`` (30 by default, 0 switches the cache off)
per app and process, and forgets it as soon as this process commits a change to one of
``tables`` (a flush, or an ``insert``/``update``/``delete`` statement sent through the
session), so whoever made the change sees it on the next page. Other processes (gunicorn
workers, other hosts, a command-line import) are seen when the copy expires: at most
``PAGE_CACHE_SECONDS`` late, which is what "for a short time" means here.

Per-person values (unread notifications, a person's drafts) are never put here. Cached
ORM rows are detached from every session: read their loaded columns, never change them
or follow a relationship that was not loaded.

``fragment(name, tables, render)`` keeps rendered HTML the same way: a part of a page that
everyone with the same filters and language sees (the dashboard's numbers, a story's
card in a list). What differs per reader is left as a named hole (``hole("reach")``),
filled on every request; a form's CSRF field is the hole ``csrf``, filled with the
reader's own token.

Why not Flask-Caching or Redis: one more dependency and a network hop for a handful of
small values that are cheap to load; and a shared store would still need the same
invalidation on commit. A dictionary per app is all this needs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import ORMExecuteState, Session

from storyboard.db import db, listen_once
from storyboard.models import Team, Theme

T = TypeVar("T")

_TOUCHED = "storyboard.page_cache.touched"
# Values kept per app at most; names can come from a page's filters, so a visitor
# trying many filter values must not grow the cache without bound. A full cache
# forgets its oldest values first.
MAX_ENTRIES = 2000


@dataclass
class _Entry:
    value: Any
    tables: frozenset[str]
    expires: float


@dataclass
class PageCache:
    """One app's shared values, by name."""

    seconds: float
    entries: dict[str, _Entry] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def forget(self, tables: Iterable[str]) -> None:
        """Drop every value that was read from one of ``tables``."""
        touched = set(tables)
        with self.lock:
            for name in [n for n, e in self.entries.items() if e.tables & touched]:
                del self.entries[name]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def cache_of(app: Flask) -> PageCache:
    cache: PageCache | None = app.extensions.get("storyboard.page_cache")
    if cache is None:
        cache = PageCache(float(app.config.get("PAGE_CACHE_SECONDS", 30)))
        app.extensions["storyboard.page_cache"] = cache
    return cache


def _kept(cache: PageCache, name: str, now: float) -> _Entry | None:
    """The entry under ``name`` while it is fresh."""
    entry = cache.entries.get(name)
    return entry if entry is not None and entry.expires > now else None


def shared(name: str, tables: Iterable[str], load: Callable[[], T]) -> T:
    """``load()``'s value, from this process's copy when it is younger than
    ``PAGE_CACHE_SECONDS`` and none of ``tables`` changed since."""
    cache = cache_of(current_app)
    if cache.seconds <= 0:
        return load()
    now = time.monotonic()
    entry = _kept(cache, name, now)
    if entry is not None:
        return entry.value
    value = load()
    with cache.lock:
        cache.entries.pop(name, None)  # re-inserted last: the dict's order is the age
        while len(cache.entries) >= MAX_ENTRIES:
            del cache.entries[next(iter(cache.entries))]
        cache.entries[name] = _Entry(value, frozenset(tables), now + cache.seconds)
    return value


# -- rendered fragments --------------------------------------------------------------------
def hole(name: str) -> Markup:
    """Where a fragment leaves room for what differs per reader. An HTML comment: text
    a person typed is escaped and Markdown is sanitized without comments, so no content
    can make one."""
    return Markup(f"<!--storyboard-hole:{name}-->")


def _fragment_key(name: str) -> str:
    return f"fragment:{get_locale()}:{name}"


def csrf_field() -> Markup:
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


def fragments(
    names: Sequence[str], tables: Iterable[str], render: Callable[[list[int]], list[str]]
) -> list[Markup]:
    """Many fragments without holes at once (a list's cards): ``render(missing)`` gets
    the positions of the names not kept (or expired) and returns their HTML in that
    order, so the missing ones are loaded and rendered together."""
    cache = cache_of(current_app)
    keys = [_fragment_key(name) for name in names]
    now = time.monotonic()
    found: list[str | None] = []
    for key in keys:
        entry = _kept(cache, key, now) if cache.seconds > 0 else None
        found.append(entry.value if entry is not None else None)
    missing = [index for index, html in enumerate(found) if html is None]
    if missing:
        for index, html in zip(missing, render(missing), strict=True):
            found[index] = shared(keys[index], tables, partial(str, html))
    return [Markup(html) for html in found]


def fragment(
    name: str,
    tables: Iterable[str],
    render: Callable[[], str],
    holes: Mapping[str, str] | None = None,
) -> Markup:
    """``render()``'s HTML, rendered once per ``PAGE_CACHE_SECONDS`` for everyone who asks
    for ``name`` in the same language, with its holes filled for this request:
    ``holes`` by name, and ``hole("csrf")`` with this reader's CSRF field. ``name``
    must hold everything the HTML depends on besides the language (filters, the
    viewer's role, the minute when it shows the time)."""
    html = shared(_fragment_key(name), tables, lambda: str(render()))
    fill = dict(holes or {})
    if hole("csrf") in html:
        fill["csrf"] = csrf_field()
    for hole_name, content in fill.items():
        html = html.replace(hole(hole_name), str(content))
    return Markup(html)


def loaded_apart(load: Callable[[Session], T]) -> T:
    """``load(session)`` on a session of its own, closed before this returns: the rows
    it gives are detached with everything it loaded (eager-load what the pages read),
    while the request's session keeps its own rows. ``detached`` would take rows the
    request still uses (the signed-in person, when a row refers to them) out of its
    session with them."""
    with Session(db.engine) as session:
        return load(session)


def detached(rows: Iterable[T]) -> list[T]:
    """ORM rows taken out of the session, so a later commit does not expire them."""
    result = list(rows)
    for row in result:
        db.session.expunge(row)
    return result


# -- forgetting on write -------------------------------------------------------------------
def _note_flush(session: Session, _context: Any) -> None:
    touched: set[str] = session.info.setdefault(_TOUCHED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table:
            touched.add(table)


def _note_statement(state: ORMExecuteState) -> None:
    """``insert``/``update``/``delete`` statements sent through the session (bulk
    writes, the NPS importer's insert of answers) touch their table too."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if table:
            state.session.info.setdefault(_TOUCHED, set()).add(table)


def _after_commit(session: Session) -> None:
    touched = session.info.pop(_TOUCHED, None)
    if touched and has_app_context():
        cache_of(current_app).forget(touched)


def _after_rollback(session: Session) -> None:
    session.info.pop(_TOUCHED, None)


def init_app(app: Flask) -> None:
    """Make the app's cache and forget cached values when this process commits."""
    cache_of(app)
    listen_once(Session, "after_flush", _note_flush)
    listen_once(Session, "do_orm_execute", _note_statement)
    listen_once(Session, "after_commit", _after_commit)
    listen_once(Session, "after_rollback", _after_rollback)


# -- the values ------------------------------------------------------------------------------
def teams() -> list[Team]:
    """Every team by name (filters, the dashboard's rows, facet labels)."""
    return list(
        shared(
            "teams",
            {"teams"},
            lambda: detached(db.session.scalars(select(Team).order_by(Team.name))),
        )
    )


def themes() -> list[Theme]:
    """Every theme (filters, facet labels); callers sort them in the reader's language."""
    return list(
        shared(
            "themes",
            {"themes"},
            lambda: detached(db.session.scalars(select(Theme).order_by(Theme.id))),
        )
    )
