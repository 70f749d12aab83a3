"""Bringing a story to a reader: "Share with…" and links signed per recipient.

A manager or the story's author shares a published story with colleagues and one line on
why it matters; each recipient gets a notification (and, through
``storyboard send-notifications``, one e-mail per share). Links in those e-mails and in
the digest are signed for their recipient (``reader_link``): opening one counts as a
read of whoever is signed in when it is opened — a click is a read, no tracking pixel.

Functions change the session but never commit; the caller is the unit of work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from storyboard.db import db
from storyboard.errors import UserError
from storyboard.models import Notification, Role, Story, StoryShare, StoryStatus, User
from storyboard.text import clean_line

NOTE_MAX = 200
MAX_RECIPIENTS = 10
# A signed link keeps working this long (a digest read a few weeks later still counts).
LINK_DAYS = 120
_SEPARATORS = re.compile(r"[,;\n]+")


class ShareError(UserError):
    """A share that cannot be made as asked; the message says why."""


class BadReaderLink(ValueError):
    """A signed link that was altered, is not ours, or has expired."""


def can_share(person: User, story: Story) -> bool:
    """Managers and the story's author share published stories."""
    return story.status is StoryStatus.PUBLISHED and (
        person.role is Role.MANAGER
        or (person.id == story.author_id and person.role in (Role.AGENT, Role.MANAGER))
    )


def share_candidates(sender: User) -> list[User]:
    """Active colleagues a story can be shared with, by name (the typeahead's list)."""
    return list(
        db.session.scalars(
            select(User).where(User.active, User.id != sender.id).order_by(User.display_name)
        )
    )


def resolve_recipients(typed: str, sender: User) -> list[User]:
    """The colleagues named in ``typed`` (e-mail addresses or full names, separated by
    commas), or ``ShareError`` naming the first one that cannot receive a share."""
    names = [clean_line(part) for part in _SEPARATORS.split(typed or "")]
    names = list(dict.fromkeys(name for name in names if name))
    if not names:
        raise ShareError(str(_l("Choose at least one colleague to share the story with.")))
    if len(names) > MAX_RECIPIENTS:
        raise ShareError(
            str(_l("Share with at most %(max)s colleagues at a time.", max=MAX_RECIPIENTS))
        )
    found: list[User] = []
    for name in names:
        lowered = name.lower()
        person = db.session.scalar(
            select(User)
            .where((func.lower(User.email) == lowered) | (func.lower(User.display_name) == lowered))
            .order_by(User.active.desc(), User.id)
            .limit(1)
        )
        if person is None:
            raise ShareError(
                str(
                    _l(
                        "No colleague is called “%(name)s”. Pick a name from the list.",
                        name=name[:80],
                    )
                )
            )
        if not person.active:
            raise ShareError(
                str(_l("%(name)s's account is no longer active.", name=person.display_name))
            )
        if person.id == sender.id:
            raise ShareError(str(_l("You cannot share a story with yourself.")))
        if person not in found:
            found.append(person)
    return found


def clean_note(note: str) -> str:
    text = clean_line(note)
    if not text:
        raise ShareError(str(_l("Add one line on why this story matters to them.")))
    if len(text) > NOTE_MAX:
        raise ShareError(
            str(
                _l(
                    "Keep the note to one line of at most %(max)s characters "
                    "(this one has %(length)s).",
                    max=NOTE_MAX,
                    length=len(text),
                )
            )
        )
    return text


@dataclass(frozen=True)
class ShareResult:
    shared: list[User]
    already: list[User]  # had this story from this sender already: nothing sent again


def share_story(story: Story, sender: User, recipients: list[User], note: str) -> ShareResult:
    """Share ``story`` with each recipient once (a repeat sends nothing)."""
    if not can_share(sender, story):
        raise ShareError(
            str(_l("Only published stories can be shared, by their author or a manager."))
        )
    text = clean_note(note)
    already_ids = set(
        db.session.scalars(
            select(StoryShare.recipient_id).where(
                StoryShare.story_id == story.id,
                StoryShare.sender_id == sender.id,
                StoryShare.recipient_id.in_([person.id for person in recipients]),
            )
        )
    )
    shared, already = [], []
    for person in recipients:
        if person.id in already_ids:
            already.append(person)
            continue
        db.session.add(StoryShare(story=story, sender=sender, recipient=person, note=text))
        db.session.add(
            Notification(user_id=person.id, kind="share", story_id=story.id, actor_id=sender.id)
        )
        shared.append(person)
    return ShareResult(shared, already)


def shares_for(notes: list[Notification]) -> dict[int, StoryShare]:
    """The share behind each "share" notification (by notification id), for its note."""
    wanted = [note for note in notes if note.kind == "share" and note.story_id]
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(StoryShare).where(
            StoryShare.recipient_id.in_({note.user_id for note in wanted}),
            StoryShare.story_id.in_({note.story_id for note in wanted}),
        )
    )
    by_key = {(row.story_id, row.sender_id, row.recipient_id): row for row in rows}
    return {
        note.id: by_key[key]
        for note in wanted
        if (key := (note.story_id, note.actor_id, note.user_id)) in by_key
    }


def shared_with(person: User, limit: int = 10) -> list[StoryShare]:
    """The newest published stories shared with ``person``, one per story."""
    rows = db.session.scalars(
        select(StoryShare)
        .join(Story, Story.id == StoryShare.story_id)
        .where(StoryShare.recipient_id == person.id, Story.status == StoryStatus.PUBLISHED)
        .options(selectinload(StoryShare.story), selectinload(StoryShare.sender))
        .order_by(StoryShare.created_at.desc(), StoryShare.id.desc())
        .limit(limit * 3)
    )
    seen: set[int] = set()
    unique = []
    for row in rows:
        if row.story_id not in seen:
            seen.add(row.story_id)
            unique.append(row)
    return unique[:limit]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.config["SECRET_KEY"]), salt="reader-link")


def reader_token(story_id: int, recipient_id: int, via: str) -> str:
    """The signed part of a link to a story for one recipient (``via``: digest, share)."""
    return _serializer().dumps([story_id, recipient_id, via])


def open_reader_token(token: str) -> tuple[int, str]:
    """The story id and ``via`` of a signed link, or ``BadReaderLink``."""
    try:
        value = _serializer().loads(token, max_age=LINK_DAYS * 24 * 3600)
    except SignatureExpired as error:
        raise BadReaderLink("expired") from error
    except (BadSignature, UnicodeDecodeError) as error:
        raise BadReaderLink("altered") from error
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not isinstance(value[0], int)
        or not isinstance(value[2], str)
    ):
        raise BadReaderLink("altered")
    return value[0], value[2]
