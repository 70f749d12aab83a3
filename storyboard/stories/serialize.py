"""A story as JSON values: the one home of the fields and the date format that the API
(``storyboard.api.serialize``) and the webhooks' payload (``storyboard.webhooks.events``)
share, so a story reads the same wherever it is sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storyboard.models import Story


def when(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 with ``Z`` for UTC (``2026-11-22T14:05:00Z``); None stays."""
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def story_fields(story: Story, team: str | None) -> dict[str, Any]:
    """The fields every JSON shape of a story has. ``team`` is the team's slug, passed in
    because the caller knows how to get it (a loaded relation, or a query while a
    session flushes)."""
    return {
        "id": story.id,
        "title": story.title,
        "team": team,
        "channel": str(story.channel),
        "language": str(story.language),
        "author_kind": str(story.author_kind),
        "published_at": when(story.published_at),
    }
