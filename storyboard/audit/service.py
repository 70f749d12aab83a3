"""Recording and reading the audit log.

``record`` adds an event to the session of the change it describes, so the event is
committed (or rolled back) together with the change: the log never claims something
that did not happen, and nothing that happened goes unlogged.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from storyboard.db import db
from storyboard.models.audit import AuditEvent
from storyboard.models.people import User
from storyboard.pagination import Page

COMMAND_LINE = "command line"
DETAIL_MAX = 500


def record(
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None = None,
    detail: str = "",
    actor_label: str | None = None,
) -> AuditEvent:
    """Log ``action`` (e.g. ``user.update``) on a target; ``actor`` None means a command
    run on the server unless ``actor_label`` names who else acted (a customer through
    their private link). Call it before the caller's commit."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else (actor_label or COMMAND_LINE),
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail[:DETAIL_MAX],
    )
    db.session.add(event)
    return event


def changes(before: dict[str, object], after: dict[str, object]) -> str:
    """ "role: agent → manager; active: True → False" for the fields that changed."""
    return "; ".join(
        f"{key}: {before[key]} → {after[key]}" for key in after if before.get(key) != after[key]
    )


@dataclass(frozen=True)
class AuditFilters:
    action: str | None = None  # a prefix: "user." or "user.update"
    actor: str | None = None  # part of the actor's e-mail


def list_events(filters: AuditFilters, page: int, per_page: int) -> Page[AuditEvent]:
    """Newest first; the page is clamped to the last one."""
    query = select(AuditEvent)
    if filters.action:
        query = query.where(AuditEvent.action.startswith(filters.action[:60], autoescape=True))
    if filters.actor:
        query = query.where(AuditEvent.actor_label.contains(filters.actor[:254], autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = min(page, max(1, -(-total // per_page)))
    rows = db.session.scalars(
        query.options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page(list(rows), page, per_page, total)


def action_names() -> list[str]:
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )
