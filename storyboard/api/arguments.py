"""Query parameters and headers of API requests, read strictly: a value that is there
but wrong is a 422 naming it, never silently ignored (a tool would not notice)."""

from __future__ import annotations

import hashlib
from datetime import date

from flask import request
from sqlalchemy import select

from storyboard.api.auth import api_user
from storyboard.channels import channel_list
from storyboard.db import db
from storyboard.models import Team
from storyboard.problems import ApiProblem
from storyboard.weeks import IsoWeek


def date_arg(name: str) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10]) if len(raw) == 10 else date.fromisoformat(raw)
    except ValueError:
        raise ApiProblem(
            422,
            f"{name} must be a date like 2026-11-24.",
            errors=[{"field": name, "message": "is not a YYYY-MM-DD date"}],
        ) from None


def week_arg(name: str, default: IsoWeek) -> IsoWeek:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    try:
        return IsoWeek.parse(raw[:20])
    except ValueError:
        raise ApiProblem(
            422,
            f"{name} must be an ISO week like 2026-W47.",
            errors=[{"field": name, "message": "is not an ISO week"}],
        ) from None


def team_arg() -> Team | None:
    slug = (request.args.get("team") or "").strip()
    if not slug:
        return None
    team = db.session.scalar(select(Team).where(Team.slug == slug[:80]))
    if team is None:
        raise ApiProblem(
            422,
            f"No team {slug[:80]!r}; use a team's slug, e.g. 'retail'.",
            errors=[{"field": "team", "message": "is not a team"}],
        )
    return team


def channel_arg() -> str | None:
    """A channel's key from its key, name or alias (deactivated ones too: their old
    answers can still be asked for)."""
    name = (request.args.get("channel") or "").strip()
    if not name:
        return None
    found = channel_list().find(name[:80])
    if found is None:
        raise ApiProblem(
            422,
            f"No channel {name[:80]!r}; use one of: {known_channel_keys()}.",
            errors=[{"field": "channel", "message": "is not a channel"}],
        )
    return found.key


def known_channel_keys() -> str:
    """The keys of the channels in use, for a message (names and aliases work too)."""
    return ", ".join(info.key for info in channel_list().active())


def idempotency_key() -> str | None:
    """``Idempotency-Key`` header → the story's submission key (per user, so two users'
    keys never collide)."""
    raw = request.headers.get("Idempotency-Key", "").strip()
    if not raw:
        return None
    if len(raw) > 200:
        raise ApiProblem(422, "Idempotency-Key is longer than 200 characters.")
    user = api_user()
    return hashlib.sha256(f"api:{user.id}:{raw}".encode("utf-8", "surrogatepass")).hexdigest()


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high]; 422 otherwise."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw.strip()) if len(raw) <= 20 else None
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ApiProblem(
            422,
            f"{name} must be a whole number from {low} to {high}.",
            errors=[{"field": name, "message": f"must be from {low} to {high}"}],
        )
    return value
