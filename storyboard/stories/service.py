"""Story rules without a request: who may see and edit what, and how a story is saved.

Functions change the session but never commit; the view or command that calls them is
the unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from storyboard import page_cache
from storyboard.audit import service as audit
from storyboard.channels import ChannelError, resolve_channel
from storyboard.db import db, utcnow
from storyboard.errors import UserError
from storyboard.labels import reader_language
from storyboard.models import (
    AuthorKind,
    Language,
    Role,
    Story,
    StoryStatus,
    SurveyAnswer,
    Team,
    Theme,
    User,
)
from storyboard.pagination import Page
from storyboard.stories.bodies import render_story_body
from storyboard.stories.naming import tell_named_agents


class StoryError(UserError):
    """A story change the user asked for that cannot be done; the message says why."""


@dataclass(frozen=True)
class StoryInput:
    """What an author submits; ids are checked against the database on save."""

    title: str
    body: str
    channel: str  # a channel key, name or alias (storyboard.channels)
    language: Language
    team_id: int | None
    theme_ids: tuple[int, ...] = ()
    publish: bool = False
    submission_key: str | None = None


@dataclass(frozen=True)
class StoryFilters:
    """List filters; unknown values simply match nothing."""

    team: str | None = None
    channel: str | None = None
    theme: str | None = None
    author_kind: str | None = None
    author_id: int | None = None
    statuses: tuple[StoryStatus, ...] = (StoryStatus.PUBLISHED,)


def can_view(user: User, story: Story) -> bool:
    """Published stories are for every signed-in user; others for author and managers."""
    if story.status is StoryStatus.PUBLISHED:
        return True
    if user.role is Role.MANAGER:
        return True
    return story.author_id == user.id and story.status in (
        StoryStatus.DRAFT,
        StoryStatus.WITHDRAWN,
    )


def can_edit(user: User, story: Story) -> bool:
    """Agents edit their own stories; managers edit any."""
    if user.role is Role.MANAGER:
        return True
    return user.role is Role.AGENT and story.author_id == user.id


def can_delete(user: User, story: Story) -> bool:
    """Managers delete any story; agents only their own drafts."""
    if user.role is Role.MANAGER:
        return True
    return can_edit(user, story) and story.status is StoryStatus.DRAFT


def _load_team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = db.session.get(Team, team_id)
    if team is None:
        raise StoryError(_l("That team does not exist (any more)."))
    return team


def _channel_key(value: str, current: str | None) -> str:
    """The key of the channel ``value`` names; a story keeps its current channel even
    after an admin deactivated it."""
    try:
        return resolve_channel(value, reader_language(), keep=current)
    except ChannelError as error:
        raise StoryError(str(error)) from error


def _load_themes(theme_ids: tuple[int, ...]) -> list[Theme]:
    if not theme_ids:
        return []
    themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(set(theme_ids)))))
    if len(themes) != len(set(theme_ids)):
        raise StoryError(_l("One of the chosen themes does not exist (any more)."))
    return themes


def _apply(story: Story, data: StoryInput) -> None:
    story.title = data.title
    story.body = data.body
    # A customer's story keeps the customer rule for images when a manager edits it.
    story.body_html = render_story_body(data.body, story.author_kind, data.language)
    story.channel = _channel_key(data.channel, story.channel)
    story.language = data.language
    story.team = _load_team(data.team_id)
    story.themes = _load_themes(data.theme_ids)
    # Stamped even when only the themes changed (a row of their own, not the story's):
    # a list's kept card is found by the story's id and updated_at.
    story.updated_at = utcnow()
    if data.publish and story.status is not StoryStatus.PUBLISHED:
        story.status = StoryStatus.PUBLISHED
        tell_named_agents(story)  # colleagues a customer named, linked while a draft
        story.published_at = story.published_at or utcnow()


def find_by_submission_key(key: str | None, author: User) -> Story | None:
    """The story this author already made with this form key (a double submit)."""
    if not key:
        return None
    return db.session.scalar(
        select(Story).where(Story.submission_key == key, Story.author_id == author.id)
    )


def build_story(
    data: StoryInput,
    *,
    author: User | None,
    author_kind: AuthorKind,
    status: StoryStatus,
    survey_answer: SurveyAnswer | None = None,
) -> Story:
    """The one way a story is made (the editor and the API, the customer form, a survey
    comment): the body rendered under its kind's image rule, team and themes checked,
    published when asked. Raises ``StoryError`` or a rendering error; nothing is added
    to the session then."""
    story = Story(
        author=author,
        author_kind=author_kind,
        status=status,
        submission_key=data.submission_key,
        survey_answer=survey_answer,
    )
    # The new story hangs off its author (and team) before it is added; a query in
    # _apply must not autoflush that half-built graph (SQLAlchemy warns and skips it).
    with db.session.no_autoflush:
        _apply(story, data)
    db.session.add(story)
    return story


def create_story(author: User, data: StoryInput) -> Story:
    """A new story by a colleague, as a draft or published."""
    return build_story(data, author=author, author_kind=AuthorKind.AGENT, status=StoryStatus.DRAFT)


def update_story(story: Story, data: StoryInput) -> Story:
    """Apply an edit. A published story stays published."""
    _apply(story, data)
    return story


def unpublish_story(story: Story) -> None:
    """Take a story off the archive; its author can still edit and republish it."""
    if story.status is StoryStatus.PUBLISHED:
        story.status = StoryStatus.DRAFT


def delete_story(story: Story, by: User | None = None) -> None:
    """Delete for good. Deleting someone else's story, or a published one, is logged
    in the audit log (without its text)."""
    if by is not None and (story.author_id != by.id or story.is_published):
        audit.record(
            by,
            "story.delete",
            "story",
            story.id,
            f"{story.status.value} {story.author_kind.value} story"
            f" by user {story.author_id or '-'}",
        )
    db.session.delete(story)


_Query = TypeVar("_Query", bound=Select)


def _filtered(query: _Query, filters: StoryFilters) -> _Query:
    query = query.where(Story.status.in_(filters.statuses))
    if filters.team:
        query = query.join(Team, Story.team_id == Team.id).where(Team.slug == filters.team)
    if filters.channel:
        query = query.where(Story.channel == filters.channel)
    if filters.author_kind:
        query = query.where(Story.author_kind == _enum_or_none(AuthorKind, filters.author_kind))
    if filters.theme:
        query = query.where(Story.themes.any(Theme.slug == filters.theme))
    if filters.author_id is not None:
        query = query.where(Story.author_id == filters.author_id)
    return query


def _enum_or_none(enum_type: type[AuthorKind], value: str) -> object:
    try:
        return enum_type(value)
    except ValueError:
        return None  # compares to nothing: an unknown filter value lists no stories


def _count(filters: StoryFilters) -> int:
    """How many stories the filters match. The everyone's lists (published stories,
    nobody's own) are counted once per ``PAGE_CACHE_SECONDS`` and again after a story
    changes: counting 100,000 index entries costs more than the rest of the page."""

    def count() -> int:
        query = _filtered(select(func.count(Story.id)), filters)
        return db.session.scalar(query) or 0

    if filters.author_id is not None or filters.statuses != (StoryStatus.PUBLISHED,):
        return count()
    key = f"story_count:{filters.team}:{filters.channel}:{filters.theme}:{filters.author_kind}"
    return page_cache.shared(key, {"stories", "story_themes", "teams", "themes"}, count)


def list_stories(filters: StoryFilters, page: int, per_page: int) -> Page[Story]:
    """Newest first (published date, else creation), with the page clamped to the last."""
    versions = list_versions(filters, page, per_page)
    stories = stories_by_id([id_ for id_, _updated in versions.items])
    return Page(stories, versions.number, versions.per_page, versions.total)


def list_versions(filters: StoryFilters, page: int, per_page: int) -> Page[tuple[int, datetime]]:
    """``list_stories``' page as ``(id, updated_at)`` pairs: what a list needs to find
    each story's card already rendered (``storyboard.stories.cards``)."""
    total = _count(filters)
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    if filters.statuses == (StoryStatus.PUBLISHED,):
        # Every published story has its date: the index on (status, published_at)
        # gives the page without sorting the archive.
        newest: tuple[Any, ...] = (Story.published_at.desc().nulls_last(), Story.id.desc())
    else:
        newest = (func.coalesce(Story.published_at, Story.created_at).desc(), Story.id.desc())
    query = (
        _filtered(select(Story.id, Story.updated_at), filters)
        .order_by(*newest)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = [(row.id, row.updated_at) for row in db.session.execute(query)]
    return Page(rows, page, per_page, total)


def stories_by_id(ids: list[int]) -> list[Story]:
    """The stories of ``ids`` in that order, with what a card shows loaded."""
    if not ids:
        return []
    query = select(Story).where(Story.id.in_(ids))
    query = query.options(
        selectinload(Story.team), selectinload(Story.author), selectinload(Story.themes)
    )
    by_id = {story.id: story for story in db.session.scalars(query)}
    return [by_id[id_] for id_ in ids if id_ in by_id]
