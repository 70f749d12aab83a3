"""The outbox: every story change writes "reindex story N" in the same transaction.

``after_flush`` adds the rows (so autoflushed changes are caught too, unlike a
``before_commit`` hook); ``after_commit`` asks for a drain. If the drain cannot run
(index locked by another process, process killed), the rows stay in the database and a
later drain applies them: no story is lost or left unsearchable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, insert, inspect, select
from sqlalchemy.orm import Session, selectinload

from storyboard.db import listen_once, table_of
from storyboard.models import Feature, IndexOutbox, Story, Team, Theme, User, story_themes
from storyboard.search.backend import Changes, SearchBackend
from storyboard.search.documents import document_for, featured_story_ids, is_searchable

BATCH_SIZE = 500
PENDING_KEY = "storyboard.index_pending"

# Called after a commit that wrote outbox rows; set by the app (see search.service).
after_commit_hooks: list[Callable[[], None]] = []


def enqueue(session: Session, story_ids: set[int]) -> None:
    """Record that these stories need (re)indexing, in the session's transaction."""
    if story_ids:
        session.connection().execute(
            insert(table_of(IndexOutbox)), [{"story_id": sid} for sid in sorted(story_ids)]
        )
        session.info[PENDING_KEY] = True


# Attributes of related rows that indexed documents copy: renaming a team, a theme or
# an author must refresh every story that shows the old name.
_COPIED_ATTRIBUTES: dict[type, tuple[str, ...]] = {
    Team: ("name", "slug"),
    Theme: ("slug",),
    User: ("display_name",),
}


def _stories_showing(session: Session, obj: object) -> set[int]:
    if isinstance(obj, Team):
        query = select(Story.id).where(Story.team_id == obj.id)
    elif isinstance(obj, Theme):
        query = select(story_themes.c.story_id).where(story_themes.c.theme_id == obj.id)
    else:
        assert isinstance(obj, User)
        query = select(Story.id).where(Story.author_id == obj.id)
    return set(session.connection().scalars(query))


def _copied_attribute_changed(obj: object) -> bool:
    names = _COPIED_ATTRIBUTES.get(type(obj), ())
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _story_changes_to_outbox(session: Session, flush_context: Any) -> None:
    touched = {
        obj.id
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, Story) and obj.id is not None
    }
    # Featuring or withdrawing a story changes its document's "featured" flag.
    touched |= {
        obj.story_id
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, Feature) and obj.story_id is not None
    }
    for obj in session.dirty:
        if type(obj) in _COPIED_ATTRIBUTES and _copied_attribute_changed(obj):
            touched |= _stories_showing(session, obj)
    enqueue(session, touched)


def _drain_after_commit(session: Session) -> None:
    if session.info.pop(PENDING_KEY, False):
        for hook in after_commit_hooks:
            hook()


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


def _load_changes(session: Session, limit: int) -> Changes:
    rows = session.execute(
        select(IndexOutbox.id, IndexOutbox.story_id).order_by(IndexOutbox.id).limit(limit)
    ).all()
    story_ids = {story_id for _, story_id in rows}
    stories = {
        story.id: story
        for story in session.scalars(
            select(Story)
            .where(Story.id.in_(story_ids))
            .options(
                selectinload(Story.team), selectinload(Story.themes), selectinload(Story.author)
            )
        )
    }
    featured = featured_story_ids(session, stories)
    upserts, removals = [], []
    for story_id in sorted(story_ids):
        story = stories.get(story_id)
        if is_searchable(story):
            assert story is not None
            upserts.append(document_for(story, featured=story_id in featured))
        else:
            removals.append(story_id)
    return Changes(upserts=upserts, removals=removals, outbox_ids=[row_id for row_id, _ in rows])


def drain(
    session_factory: Callable[[], Session],
    backend: SearchBackend,
    timeout: float,
    limit: int = BATCH_SIZE,
    max_batches: int | None = None,
    guard: Callable[[Session], bool] | None = None,
) -> int:
    """Apply pending outbox rows to the index, batch by batch; returns rows applied.

    Raises ``IndexBusy`` when the index stays locked; the rows then wait for the next
    drain. Rows are deleted only after the index commit, so a crash in between means
    they are applied again (indexing is idempotent), never lost. ``guard`` is asked
    under the index lock, before rows are read; when it says no, nothing is taken.
    """
    applied = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        with session_factory() as session:

            def load(session: Session = session) -> Changes:
                if guard is not None and not guard(session):
                    return Changes(upserts=[], removals=[], outbox_ids=[])
                return _load_changes(session, limit)

            changes = backend.apply(load, timeout)
            if not changes.outbox_ids:
                break
            session.execute(delete(IndexOutbox).where(IndexOutbox.id.in_(changes.outbox_ids)))
            session.commit()
        applied += len(changes.outbox_ids)
        batches += 1
        if len(changes.outbox_ids) < limit:
            break
    return applied


def pending_count(session: Session) -> int:
    from sqlalchemy import func

    return int(session.scalar(select(func.count()).select_from(IndexOutbox)) or 0)


def listen() -> None:
    """Register the outbox's session listeners (``storyboard.search.init_app``): a
    flush that touches a story queues it; a commit after one runs the drain hooks."""
    listen_once(Session, "after_flush", _story_changes_to_outbox)
    listen_once(Session, "after_commit", _drain_after_commit)
    listen_once(Session, "after_rollback", _forget_after_rollback)
