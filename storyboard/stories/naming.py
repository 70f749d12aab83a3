"""Colleagues a customer named: find the agents a customer story (or a survey comment
turned into one) mentions by first name, and let a manager link the one meant.

Matching is by first name only (the first word of ``display_name``), as a whole word,
ignoring case and accents ("Loïs" matches "lois", "Zoë" written with a combining
diaeresis matches "Zoe"). It only proposes: a manager decides, because a first name is
not an identity (two Lottes in one team, "Mark" the verb, a customer naming a colleague
of another organisation). Not caught: nicknames ("Bas" for Sebastiaan), misspellings,
last names only.

The agent is told (a ``named`` notification) once the story is published: at link time
for a published story, on approval for links made while it was pending.

Functions change the session but never commit; the caller is the unit of work.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from storyboard.db import db
from storyboard.errors import UserError
from storyboard.models import (
    AuthorKind,
    Notification,
    Role,
    Story,
    StoryNamedAgent,
    StoryStatus,
    Team,
    User,
)

NOTIFICATION_KIND = "named"
# People a customer can have spoken to; stakeholders and admins do not take contacts.
NAMEABLE_ROLES = (Role.AGENT, Role.MANAGER)
# Stories a link still makes sense for: not rejected, not erased.
LINKABLE_STATUSES = (StoryStatus.DRAFT, StoryStatus.PENDING, StoryStatus.PUBLISHED)


class NamingError(UserError):
    """A link that cannot be made; the message says why."""


def _folded(text: str) -> str:
    """Lower case without accents, so NFC and NFD spellings compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).casefold()


def first_name(user: User) -> str:
    words = (user.display_name or "").split()
    return words[0] if words else ""


def _names_in(folded_text: str, name: str) -> bool:
    folded = _folded(name).strip(".,;:!?\"'()")
    if len(folded) < 2:
        return False
    return re.search(rf"(?<!\w){re.escape(folded)}(?!\w)", folded_text) is not None


def named_candidates(text: str, team: Team | None) -> list[User]:
    """Active agents and managers of ``team`` (of every team when it is None) whose first
    name occurs in ``text`` as a whole word, by name."""
    folded_text = _folded(text or "")
    if not folded_text.strip():
        return []
    query = select(User).where(User.active.is_(True), User.role.in_(NAMEABLE_ROLES))
    if team is not None:
        query = query.where(User.team_id == team.id)
    people = db.session.scalars(query.options(selectinload(User.team)))
    named = [person for person in people if _names_in(folded_text, first_name(person))]
    # Sorted here, not by the database, so the order is the same on every collation.
    return sorted(named, key=lambda person: (_folded(person.display_name), person.id))


def story_text(story: Story, helped_by: str | None = None) -> str:
    """What a customer wrote that may name a colleague: title, body and "who helped"."""
    return "\n".join(part for part in (story.title, story.body, helped_by or "") if part)


def named_links(story: Story) -> list[StoryNamedAgent]:
    """The colleagues linked to ``story``, in the order they were linked."""
    return list(
        db.session.scalars(
            select(StoryNamedAgent)
            .where(StoryNamedAgent.story_id == story.id)
            .options(selectinload(StoryNamedAgent.user))
            .order_by(StoryNamedAgent.id)
        )
    )


def _tell(story: Story, agent_id: int, by_id: int | None) -> None:
    """One ``named`` notification per agent and story, however often it is linked."""
    told = db.session.scalar(
        select(Notification.id).where(
            Notification.user_id == agent_id,
            Notification.story_id == story.id,
            Notification.kind == NOTIFICATION_KIND,
        )
    )
    if told is None:
        db.session.add(
            Notification(
                kind=NOTIFICATION_KIND, user_id=agent_id, story_id=story.id, actor_id=by_id
            )
        )


def link_named_agent(story: Story, agent: User, by: User) -> StoryNamedAgent:
    """Link ``agent`` as the colleague the customer named; linking again changes nothing.
    A published story tells the agent now; a pending one when it is approved."""
    if story.author_kind is not AuthorKind.CUSTOMER:
        raise NamingError(_l("Only a customer's story can name a colleague."))
    if story.status not in LINKABLE_STATUSES:
        raise NamingError(_l("This story was already decided on or withdrawn."))
    if not agent.active or agent.role not in NAMEABLE_ROLES:
        raise NamingError(
            _l(
                "%(name)s cannot be linked: only active agents and managers.",
                name=agent.display_name,
            )
        )
    if story.id is None:
        db.session.flush()
    link = db.session.scalar(
        select(StoryNamedAgent).where(
            StoryNamedAgent.story_id == story.id, StoryNamedAgent.user_id == agent.id
        )
    )
    if link is None:
        link = StoryNamedAgent(story_id=story.id, user_id=agent.id, linked_by_id=by.id)
        db.session.add(link)
    if story.status is StoryStatus.PUBLISHED:
        _tell(story, agent.id, by.id)
    return link


def unlink_named_agent(story: Story, agent: User) -> bool:
    """Remove the link (a wrong guess) and the notification it caused; False when there
    was none."""
    removed = db.session.execute(
        delete(StoryNamedAgent).where(
            StoryNamedAgent.story_id == story.id, StoryNamedAgent.user_id == agent.id
        )
    )
    db.session.execute(
        delete(Notification).where(
            Notification.user_id == agent.id,
            Notification.story_id == story.id,
            Notification.kind == NOTIFICATION_KIND,
        )
    )
    return bool(removed.rowcount)  # type: ignore[attr-defined]


def tell_named_agents(story: Story) -> None:
    """On publishing: tell every colleague linked while the story waited."""
    for link in named_links(story):
        _tell(story, link.user_id, link.linked_by_id)


def named_in(user: User, limit: int | None = None) -> list[Story]:
    """Published stories in which a customer named ``user``, newest first."""
    return list(
        db.session.scalars(
            select(Story)
            .join(StoryNamedAgent, StoryNamedAgent.story_id == Story.id)
            .where(StoryNamedAgent.user_id == user.id, Story.status == StoryStatus.PUBLISHED)
            .order_by(Story.published_at.desc(), Story.id.desc())
            .limit(limit)
        )
    )


def linked_and_candidates(
    story: Story, helped_by: str | None = None
) -> tuple[list[User], list[User]]:
    """The colleagues linked to the story, and those its text names who are not yet."""
    linked = [link.user for link in named_links(story)]
    linked_ids = {user.id for user in linked}
    return linked, [
        user
        for user in named_candidates(story_text(story, helped_by), story.team)
        if user.id not in linked_ids
    ]
