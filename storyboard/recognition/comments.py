"""Comments on published stories: written by any colleague, rendered by the story
renderer (same sanitizing), editable and deletable by their author for
``EDIT_WINDOW`` after writing, deletable by managers at any time.

Functions change the session but never commit; the view is the unit of work.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from storyboard.db import db, utcnow
from storyboard.errors import UserError
from storyboard.models import Comment, Role, Story, User
from storyboard.recognition.service import notify_author
from storyboard.rendering import render_markdown
from storyboard.text import clean_body

COMMENT_MAX = 2_000
EDIT_WINDOW = timedelta(minutes=15)


class CommentError(UserError):
    """A comment change that cannot be done; the message says why."""


def _clean(body: str) -> str:
    text = clean_body(body).strip()
    if not text:
        raise CommentError(_l("Write something first: the comment is empty."))
    if len(text) > COMMENT_MAX:
        raise CommentError(
            _l(
                "Keep comments under %(max)s characters (this one has %(length)s).",
                max=format_decimal(COMMENT_MAX),
                length=format_decimal(len(text)),
            )
        )
    return text


def add_comment(story: Story, author: User, body: str) -> Comment:
    if not story.is_published:
        raise CommentError(_l("Comments are for published stories."))
    text = _clean(body)
    comment = Comment(
        story_id=story.id, author_id=author.id, body=text, body_html=render_markdown(text)
    )
    db.session.add(comment)
    notify_author(story, author, "comment")
    return comment


def can_edit(comment: Comment, user: User, now: datetime | None = None) -> bool:
    return comment.author_id == user.id and (now or utcnow()) - comment.created_at <= EDIT_WINDOW


def can_delete(comment: Comment, user: User, now: datetime | None = None) -> bool:
    return user.role is Role.MANAGER or can_edit(comment, user, now)


def edit_comment(comment: Comment, user: User, body: str, now: datetime | None = None) -> None:
    if not can_edit(comment, user, now):
        raise CommentError(
            _l(
                "Comments can be changed by their writer for %(minutes)s minutes.",
                minutes=int(EDIT_WINDOW.total_seconds() // 60),
            )
        )
    text = _clean(body)
    comment.body, comment.body_html = text, render_markdown(text)
    comment.edited_at = now or utcnow()


def delete_comment(comment: Comment, user: User, now: datetime | None = None) -> None:
    if not can_delete(comment, user, now):
        raise CommentError(_l("Only a manager can delete this comment now."))
    db.session.delete(comment)


def comments_on(story: Story) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.story_id == story.id)
            # Joined, not a second query: the page makes as many queries with no
            # comment as with two hundred.
            .options(joinedload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
        )
    )
