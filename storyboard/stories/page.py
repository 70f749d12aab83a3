"""The story page, assembled from panels.

Kudos, comments, the learning moment, featuring, reach and the survey answer each show
something on a story's page. Those features add a *panel* (a function from the story to
template values) and, where reading a story matters to them, a *shown hook* while the
app is wired (``storyboard.<feature>.init_app``), so the stories package imports none of
them and a feature can be added or removed without touching this page's code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, abort, current_app, render_template
from flask_login import current_user
from sqlalchemy.orm import joinedload

from storyboard.db import db
from storyboard.forms import CsrfOnlyForm
from storyboard.labels import channel_names
from storyboard.models import AuthorKind, Role, Story
from storyboard.stories import naming, service

# A story's id in an address; the upper bound keeps it inside a 32-bit integer column.
STORY_ID = "<int(max=2147483647):story_id>"

Panel = Callable[[Story], Mapping[str, Any]]
ShownHook = Callable[[Story], None]


@dataclass
class StoryPage:
    """What features added to the story page of one app."""

    panels: list[Panel] = field(default_factory=list)
    shown_hooks: list[ShownHook] = field(default_factory=list)


def story_page(app: Flask) -> StoryPage:
    return app.extensions.setdefault("storyboard.story_page", StoryPage())


def add_panel(app: Flask, panel: Panel) -> None:
    """Show ``panel``'s values on every story page of ``app``."""
    story_page(app).panels.append(panel)


def when_shown(app: Flask, hook: ShownHook) -> None:
    """Call ``hook`` each time a person opens a story's page."""
    story_page(app).shown_hooks.append(hook)


def visible_story_or_404(story_id: int) -> Story:
    """The story, when the signed-in person may see it; otherwise 404 (not 403: an
    invisible story's existence is not revealed)."""
    story = db.session.get(
        Story,
        story_id,
        # What every story page shows, in one query: a story has a few themes, so
        # joining them repeats its row a few times, cheaper than a second statement.
        options=[joinedload(Story.team), joinedload(Story.author), joinedload(Story.themes)],
    )
    if story is None or not service.can_view(current_user, story):
        abort(404)
    return story


def story_shown(story: Story) -> None:
    for hook in story_page(current_app).shown_hooks:
        hook(story)


def render_story_page(story: Story, status: int = 200, **overrides: Any) -> tuple[str, int]:
    """The story page; ``overrides`` replace panel values (a form with its errors)."""
    context: dict[str, Any] = {}
    for panel in story_page(current_app).panels:
        context.update(panel(story))
    context.update(named_panel(story))
    context.update(overrides)
    return render_template(
        "stories/show.html",
        story=story,
        can_edit=service.can_edit(current_user, story),
        can_delete=service.can_delete(current_user, story),
        channels=channel_names(),
        **context,
    ), status


def named_panel(story: Story) -> dict[str, Any]:
    """For managers, on a customer's story: the colleagues the customer named."""
    if current_user.role is not Role.MANAGER or story.author_kind is not AuthorKind.CUSTOMER:
        return {"named": None}
    linked, candidates = naming.linked_and_candidates(story)
    return {"named": {"linked": linked, "candidates": candidates, "form": CsrfOnlyForm()}}
