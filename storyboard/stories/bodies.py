"""Which images a story may load in readers' browsers, and bringing stored bodies in line.

Customers write through a public form, so an image in their story would let anyone put
a tracking pixel in front of the moderator and every reader: customer stories load no
external image at all. Colleagues' stories and comments may show ``https`` images from
the hosts in ``STORYBOARD_IMAGE_HOSTS`` (none by default). Everything else is shown as a
link (``storyboard.rendering.images_as_links``).

Bodies are rendered once on save, so a body stored under an older rule (or before
``IMAGE_HOSTS`` changed) keeps its old HTML until ``rerender_stored_bodies`` runs; the
Content-Security-Policy blocks what such HTML would load in the meantime.

Functions change the session but never commit; the caller is the unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from storyboard.db import db
from storyboard.models import AuthorKind, Comment, Language, Story
from storyboard.rendering import (
    MarkdownTooComplex,
    MarkdownTooLong,
    configured_image_hosts,
    render_markdown,
)


def image_hosts_for(author_kind: AuthorKind) -> tuple[str, ...]:
    """Hosts whose images may load in a story of this kind: none for customers."""
    return () if author_kind is AuthorKind.CUSTOMER else configured_image_hosts()


def render_story_body(text: str, author_kind: AuthorKind, language: Language) -> str:
    """A story body under its image rule; the label of an image shown as a link is in
    the story's own language (readers of a Dutch story read Dutch)."""
    with force_locale(language.value):
        return render_markdown(text, image_hosts=image_hosts_for(author_kind))


@dataclass(frozen=True)
class RerenderReport:
    """What ``rerender_stored_bodies`` did: rows changed, and rows left as they were
    because they can no longer be rendered (too long or too complex)."""

    stories: int
    comments: int
    skipped: int


# Only a body with an image can render differently under another image rule.
def _may_have_images(column: InstrumentedAttribute[str]) -> ColumnElement[bool]:
    return or_(column.contains("!["), column.ilike("%<img%"))


def rerender_stored_bodies() -> RerenderReport:
    """Render every stored story and comment that may contain an image again, under
    today's rule; rows whose HTML does not change are not touched (a changed story gets
    a new ``updated_at`` and goes through the search outbox like any edit)."""
    stories = comments = skipped = 0
    for story in db.session.scalars(select(Story).where(_may_have_images(Story.body))):
        try:
            html = render_story_body(story.body, story.author_kind, story.language)
        except (MarkdownTooComplex, MarkdownTooLong):
            skipped += 1
            continue
        if html != story.body_html:
            story.body_html = html
            stories += 1
    for comment in db.session.scalars(select(Comment).where(_may_have_images(Comment.body))):
        try:
            html = render_markdown(comment.body)
        except (MarkdownTooComplex, MarkdownTooLong):
            skipped += 1
            continue
        if html != comment.body_html:
            comment.body_html = html
            comments += 1
    return RerenderReport(stories, comments, skipped)
