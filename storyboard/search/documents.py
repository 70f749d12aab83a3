"""What the index knows about a story, built from the database row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storyboard.models import Story, StoryStatus
from storyboard.rendering import html_to_text


@dataclass(frozen=True)
class StoryDocument:
    """A published story, flattened for indexing. Only published stories are indexed:
    whatever else exists can never leak through search."""

    story_id: int
    title: str
    text: str
    language: str
    team: str | None
    team_name: str | None
    channel: str
    themes: tuple[str, ...]
    author_kind: str
    author_name: str | None
    published_at: datetime
    kudos: int = 0
    featured: bool = False


def is_searchable(story: Story | None) -> bool:
    return story is not None and story.status is StoryStatus.PUBLISHED


def document_for(story: Story) -> StoryDocument:
    """Flatten a published story (its team, themes and author must be loadable)."""
    return StoryDocument(
        story_id=story.id,
        title=story.title,
        text=html_to_text(story.body_html),
        language=story.language.value,
        team=story.team.slug if story.team else None,
        team_name=story.team.name if story.team else None,
        channel=story.channel.value,
        themes=tuple(theme.slug for theme in story.themes),
        author_kind=story.author_kind.value,
        author_name=story.author.display_name if story.author else None,
        published_at=story.published_at or story.created_at,
    )
