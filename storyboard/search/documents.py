"""What the index knows about a story, built from the database row."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from storyboard.models import Feature, Story, StoryStatus
from storyboard.rendering import html_pieces_to_text, html_to_text

# Where a block of the rendered story ends: its text stays on a line of its own, so a
# snippet keeps a heading apart from the paragraph under it (``search.snippets``).
_BLOCK_END = re.compile(r"(?i)(</(?:h[1-6]|p|li|blockquote|pre|tr|div|dd|dt)>|<br\s*/?>)")

# Marks a block's end for the one-pass conversion; never in a story's own HTML there.
_LINE_MARK = "\ue003"


def searchable_text(body_html: str) -> str:
    """The story's plain text for the index: one line per block, no markup.

    One sanitizer pass over the whole story with each block's end marked, then split at
    the marks: a pass per block was half of a rebuild's reading time. A table takes the
    pass per block (the HTML parser moves what stands between a table's cells, marks
    included), as does HTML that already holds the mark. Both ways give the same text
    (``tests/search/test_documents.py``).
    """
    if _LINE_MARK in body_html or "<table" in body_html.lower():
        parts = [html_to_text(part) for part in _BLOCK_END.split(body_html)]
    else:
        marked = _BLOCK_END.sub(lambda end: end.group(0) + _LINE_MARK, body_html)
        parts = html_pieces_to_text(marked, _LINE_MARK)
    return "\n".join(part for part in parts if part)


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


def featured_story_ids(session: Session, story_ids: Iterable[int]) -> set[int]:
    """Which of these stories have an active (not withdrawn) feature, in one query."""
    ids = list(story_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(Feature.story_id)
            .distinct()
            .where(Feature.story_id.in_(ids), Feature.withdrawn_at.is_(None))
        )
    )


def document_for(story: Story, featured: bool | None = None) -> StoryDocument:
    """Flatten a published story (its team, themes and author must be loadable).
    ``featured`` is looked up in the story's session unless the caller, indexing many
    stories, already knows it (see ``featured_story_ids``)."""
    if featured is None:
        session = object_session(story)
        featured = session is not None and story.id in featured_story_ids(session, [story.id])
    return StoryDocument(
        story_id=story.id,
        title=story.title,
        text=searchable_text(story.body_html),
        language=story.language.value,
        team=story.team.slug if story.team else None,
        team_name=story.team.name if story.team else None,
        channel=story.channel,
        themes=tuple(theme.slug for theme in story.themes),
        author_kind=story.author_kind.value,
        author_name=story.teller_name,
        kudos=story.kudos_count or 0,
        published_at=story.published_at or story.created_at,
        featured=featured,
    )
