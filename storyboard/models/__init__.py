"""All models, importable from one place (Alembic needs them all loaded)."""

from storyboard.models.people import Role, Team, User
from storyboard.models.search import IndexOutbox
from storyboard.models.stories import (
    AuthorKind,
    Channel,
    Language,
    Story,
    StoryStatus,
    Theme,
    ThemeKind,
    story_themes,
)

__all__ = [
    "AuthorKind",
    "Channel",
    "IndexOutbox",
    "Language",
    "Role",
    "Story",
    "StoryStatus",
    "Team",
    "Theme",
    "ThemeKind",
    "User",
    "story_themes",
]
