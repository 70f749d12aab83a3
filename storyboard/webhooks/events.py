"""Turn story changes into queued webhook deliveries, in the same transaction.

An ``after_flush`` listener (like the search outbox's) sees a story become published or
a feature being created and inserts one ``webhook_deliveries`` row per active webhook
that wants the event. If the transaction rolls back, so do the deliveries; if it
commits, ``storyboard worker`` sends them, however long the receiver takes.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session

from storyboard.db import listen_once, table_of, utcnow
from storyboard.models import (
    Feature,
    Story,
    StoryStatus,
    Team,
    Webhook,
    WebhookDelivery,
    WebhookDeliveryStatus,
)
from storyboard.stories.serialize import story_fields, when

PUBLISHED = "story.published"
FEATURED = "story.featured"
EVENTS = (PUBLISHED, FEATURED)


def _became_published(story: Story, is_new: bool) -> bool:
    if story.status != StoryStatus.PUBLISHED:
        return False
    if is_new:
        return True
    history = inspect(story).attrs.status.history
    return bool(history.added) and StoryStatus.PUBLISHED not in (history.deleted or ())


def _team_slug(connection: Any, team_id: int | None) -> str | None:
    """Read with the flushing connection: no lazy load while the session flushes."""
    if team_id is None:
        return None
    slug: str | None = connection.execute(select(Team.slug).where(Team.id == team_id)).scalar()
    return slug


def _story_payload(connection: Any, story: Story) -> dict[str, Any]:
    """The API's story fields and date format (``storyboard.stories.serialize``), plus
    the story page's path."""
    return {
        **story_fields(story, _team_slug(connection, story.team_id)),
        "path": f"/stories/{story.id}",
    }


def _events_of(session: Session) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    connection = session.connection()
    for obj in (*session.new, *session.dirty):
        if (
            isinstance(obj, Story)
            and obj.id is not None
            and _became_published(obj, obj in session.new)
        ):
            found.append((PUBLISHED, {"story": _story_payload(connection, obj)}))
    for obj in session.new:
        if isinstance(obj, Feature) and obj.story_id is not None:
            story = session.get(Story, obj.story_id)
            if story is None:
                continue
            found.append(
                (
                    FEATURED,
                    {
                        "story": _story_payload(connection, story),
                        "feature": {
                            "week": f"{obj.iso_year}-W{obj.iso_week:02d}",
                            "team": _team_slug(connection, obj.team_id),
                            "kind": str(obj.kind),
                            "note": obj.note,
                        },
                    },
                )
            )
    return found


def _queue_deliveries(session: Session, flush_context: Any) -> None:
    if not any(isinstance(obj, (Story, Feature)) for obj in (*session.new, *session.dirty)):
        return
    happened = _events_of(session)
    if not happened:
        return
    connection = session.connection()
    hooks = connection.execute(
        select(Webhook.id, Webhook.events).where(Webhook.active.is_(True))
    ).all()
    if not hooks:
        return
    now = utcnow()
    rows = []
    for name, data in happened:
        body = json.dumps(
            {"event": name, "occurred_at": when(now), **data},
            ensure_ascii=False,
            sort_keys=True,
        )
        for hook_id, wanted in hooks:
            if name in wanted.split():
                rows.append(
                    {
                        "webhook_id": hook_id,
                        "event": name,
                        "payload": body,
                        "status": WebhookDeliveryStatus.PENDING.value,
                        "attempts": 0,
                        "next_attempt_at": now,
                        "last_error": "",
                        "created_at": now,
                    }
                )
    if rows:
        connection.execute(insert(table_of(WebhookDelivery)), rows)


def listen() -> None:
    """Register the listener that queues webhook deliveries in the transaction that
    publishes or features a story (``storyboard.webhooks.init_app``)."""
    listen_once(Session, "after_flush", _queue_deliveries)
