"""A list's story cards, rendered once per version of a story and kept.

A card (``card_html.story_card``) is the same for every reader: the
story's title, tags, excerpt, teller and date, in the reader's language. Rendering
twenty of them was about a third of the story list's CPU, and loading their stories
with teams, authors and themes another third. The list now asks only for its stories'
ids and ``updated_at``; a card kept under ``card:<id>:<updated_at>`` is used as is,
and only the stories without one are loaded and rendered. An edit stamps a new
``updated_at`` (``service._apply``, moderation, withdrawing), so an edited story's old
card is never found again. What a card shows from other tables (a team's or theme's
name, a channel's label, the teller's name) is dropped with the table, at once in the
process that changed it and within ``PAGE_CACHE_SECONDS`` elsewhere.
"""

from __future__ import annotations

from markupsafe import Markup

from storyboard import page_cache
from storyboard.labels import channel_names
from storyboard.pagination import Page
from storyboard.stories import service
from storyboard.stories.card_html import story_card

CARD_TABLES = frozenset({"teams", "themes", "channels", "users"})


def card_page(filters: service.StoryFilters, page: int, per_page: int) -> Page[Markup]:
    """One page of ``filters``' stories as rendered cards, newest first."""
    versions = service.list_versions(filters, page, per_page)
    names = [f"card:{id_}:{updated.isoformat()}" for id_, updated in versions.items]

    def render(missing: list[int]) -> list[str]:
        ids = [versions.items[index][0] for index in missing]
        by_id = {story.id: story for story in service.stories_by_id(ids)}
        channels = channel_names()
        # A story deleted between the two queries leaves no card.
        return [str(story_card(by_id[id_], channels)) if id_ in by_id else "" for id_ in ids]

    cards = page_cache.fragments(names, CARD_TABLES, render)
    return Page(cards, versions.number, versions.per_page, versions.total)
