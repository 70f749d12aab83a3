"""Reach: did the people who decide read the stories that matter?

A read is a signed-in person's first opening of a published story, with their role at
that moment; the author's own openings, link previews and prefetches do not count. What
is shown is counts by role, never names: reach, not surveillance. Reads older than
``RETENTION`` are folded into per-story counts (``fold_old_reads``) and a deactivated or
deleted person's reads are anonymised.

Functions change the session but never commit; the caller is the unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, delete, false, func, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from werkzeug.datastructures import Headers

from storyboard import page_cache
from storyboard.db import db, utcnow
from storyboard.models import (
    Feature,
    Notification,
    Role,
    Story,
    StoryRead,
    StoryReadTally,
    StoryShare,
    StoryStatus,
    User,
)
from storyboard.reach.sharing import shared_with
from storyboard.weeks import IsoWeek

# Thirteen months: a year of weekly comparisons plus the month it is reported in.
RETENTION = timedelta(days=396)
VIAS = ("page", "digest", "share")
# Link previews (chat apps unfurling a pasted link) and crawlers are no readers. They
# rarely carry a session, but a signed digest or share link may reach one.
_NOT_A_READER = (
    "bot",
    "crawler",
    "spider",
    "preview",
    "facebookexternalhit",
    "whatsapp",
    "embedly",
    "curl/",
    "python-requests",
    "wget/",
)
_PREFETCH_HEADERS = ("Purpose", "Sec-Purpose", "X-Purpose", "X-Moz")


def is_a_person(headers: Headers | Mapping[str, str]) -> bool:
    """False for link previews, crawlers and prefetches (which nobody reads)."""
    agent = (headers.get("User-Agent") or "").lower()
    if not agent or any(marker in agent for marker in _NOT_A_READER):
        return False
    return not any(
        "prefetch" in (headers.get(name) or "").lower()
        or "preview" in (headers.get(name) or "").lower()
        for name in _PREFETCH_HEADERS
    )


def record_read(
    story: Story,
    reader: User,
    via: str = "page",
    now: datetime | None = None,
    connection: Connection | None = None,
) -> bool:
    """Record ``reader``'s first opening of ``story``; True when this was the first.

    One statement that does nothing when the row exists (the unique constraint decides,
    so two tabs opening at once still make one read). Pages pass a ``connection`` of its
    own transaction (``record_read_now``): committing the request's session would expire
    every object the page is about to render and load them all again."""
    if (
        story.status is not StoryStatus.PUBLISHED
        or story.author_id == reader.id
        or not reader.active
    ):
        return False
    values = {
        "story_id": story.id,
        "user_id": reader.id,
        "role": reader.role.value,
        "via": via if via in VIAS else "page",
        "read_at": now or utcnow(),
    }
    dialect = (connection or db.session.get_bind()).dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(StoryRead)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["story_id", "user_id"])
    )
    result = (connection or db.session).execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


def record_read_now(story: Story, reader: User, via: str = "page") -> bool:
    """``record_read`` committed at once in a transaction of its own (for pages)."""
    with db.engine.begin() as connection:
        return record_read(story, reader, via, connection=connection)


@dataclass(frozen=True)
class Reach:
    """How many people read a story, by their role when they read it."""

    by_role: dict[Role, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_role.values())

    @property
    def stakeholders(self) -> int:
        return self.by_role.get(Role.STAKEHOLDER, 0)


def reach_of_stories(story_ids: Iterable[int]) -> dict[int, Reach]:
    """Reach per story (folded counts included), for the given stories."""
    ids = list(set(story_ids))
    counts: dict[int, dict[Role, int]] = {story_id: {} for story_id in ids}
    if not ids:
        return {}
    live = (
        select(StoryRead.story_id, StoryRead.role, func.count())
        .where(StoryRead.story_id.in_(ids))
        .group_by(StoryRead.story_id, StoryRead.role)
    )
    folded = select(StoryReadTally.story_id, StoryReadTally.role, StoryReadTally.reads).where(
        StoryReadTally.story_id.in_(ids)
    )
    # One round trip for both (a story page asks for its reach on every manager's view).
    for story_id, role, count in db.session.execute(union_all(live, folded)):
        by_role = counts[story_id]
        by_role[Role(role)] = by_role.get(Role(role), 0) + int(count)
    return {story_id: Reach(by_role) for story_id, by_role in counts.items()}


def reach_of(story: Story) -> Reach:
    return reach_of_stories([story.id]).get(story.id, Reach())


def may_see_reach(viewer: User, story: Story) -> bool:
    """The author and managers (and admins) see a story's reach counts."""
    return viewer.id == story.author_id or viewer.role in (Role.MANAGER, Role.ADMIN)


def stakeholder_reads_in_week(
    story_ids: Iterable[int], week: IsoWeek, zone: str | ZoneInfo
) -> dict[int, int]:
    """Stakeholders who read each story during ``week`` (first openings in that week)."""
    ids = list(set(story_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(StoryRead.story_id, func.count())
        .where(
            StoryRead.story_id.in_(ids),
            StoryRead.role == Role.STAKEHOLDER,
            StoryRead.read_at >= week.start(zone),
            StoryRead.read_at < week.next().start(zone),
        )
        .group_by(StoryRead.story_id)
    )
    found = {story_id: int(count) for story_id, count in rows}
    return {story_id: found.get(story_id, 0) for story_id in ids}


def stakeholder_reads_of_features(
    features: Iterable[Feature], zone: str | ZoneInfo
) -> dict[int, int]:
    """Per feature id: stakeholders who read its story during the feature's week."""
    by_week: dict[IsoWeek, list[Feature]] = {}
    for feature in features:
        by_week.setdefault(IsoWeek(feature.iso_year, feature.iso_week), []).append(feature)
    counts: dict[int, int] = {}
    for week, listed in by_week.items():
        reads = stakeholder_reads_in_week((f.story_id for f in listed), week, zone)
        counts.update({f.id: reads.get(f.story_id, 0) for f in listed})
    return counts


def _features_in(first: IsoWeek, last: IsoWeek) -> list[tuple[int, int, int]]:
    """(year, week, story id) of the active features of published stories in the range."""
    key = Feature.iso_year * 100 + Feature.iso_week
    return [
        (int(y), int(w), int(s))
        for y, w, s in db.session.execute(
            select(Feature.iso_year, Feature.iso_week, Feature.story_id)
            .join(Story, Story.id == Feature.story_id)
            .where(
                Feature.withdrawn_at.is_(None),
                Story.status == StoryStatus.PUBLISHED,
                key >= first.key,
                key <= last.key,
            )
            .distinct()
        )
    ]


@dataclass(frozen=True)
class WeekReach:
    """One week's reach: featured stories, how many of them a stakeholder opened, and
    how many stakeholders opened at least one story (any story) that week."""

    week: IsoWeek
    featured: int
    featured_read: int
    stakeholders_reading: int

    @property
    def share(self) -> float | None:
        """Share of the featured stories read by at least one stakeholder (None: none)."""
        return self.featured_read / self.featured if self.featured else None


# What past weeks' reach is counted from. Reads are recorded on a connection of their
# own (``record_read_now``), so opening a story does not make the dashboard count again;
# a new read only ever lands in the running week, which is counted on every request.
REACH_TABLES = frozenset({"features", "stories", "users", "story_reads"})


def _reach_of_week(week: IsoWeek, stories: set[int], zone: str | ZoneInfo) -> WeekReach:
    """One week's reach in one counting query."""
    read_featured = (
        func.count(func.distinct(StoryRead.story_id)).filter(StoryRead.story_id.in_(stories))
        if stories
        else func.count().filter(false())
    )
    readers, featured_read = db.session.execute(
        select(func.count(func.distinct(StoryRead.user_id)), read_featured).where(
            StoryRead.role == Role.STAKEHOLDER,
            StoryRead.read_at >= week.start(zone),
            StoryRead.read_at < week.next().start(zone),
        )
    ).one()
    return WeekReach(week, len(stories), int(featured_read or 0), int(readers or 0))


def weekly_reach(last: IsoWeek, weeks: int, zone: str | ZoneInfo) -> list[WeekReach]:
    """Reach of the ``weeks`` weeks up to and including ``last``, oldest first: one
    query for the features and one counting query per week (the database counts; a
    million reads never travel to Python). Anonymised readers are not counted as
    distinct stakeholders. The weeks before ``last`` are the same for every manager and
    no longer change with new reads: they are shared for a short time
    (``storyboard.page_cache``); ``last`` is counted each time."""
    first = last.plus(-(weeks - 1))
    zone_key = zone if isinstance(zone, str) else zone.key

    def featured_by_week() -> dict[int, set[int]]:
        featured: dict[int, set[int]] = {}
        for year, week_number, story_id in _features_in(first, last):
            featured.setdefault(IsoWeek(year, week_number).key, set()).add(story_id)
        return featured

    featured = page_cache.shared(
        f"reach_features:{first.key}:{last.key}", REACH_TABLES, featured_by_week
    )
    past_weeks = [first.plus(n) for n in range(weeks - 1)]
    past = page_cache.shared(
        f"reach_weeks:{zone_key}:{first.key}:{last.key}",
        REACH_TABLES,
        lambda: [_reach_of_week(w, featured.get(w.key, set()), zone) for w in past_weeks],
    )
    return [*past, _reach_of_week(last, featured.get(last.key, set()), zone)]


def unread_by(reader: User, story_ids: Iterable[int]) -> list[int]:
    """Those of ``story_ids`` that ``reader`` has not opened yet, in the given order."""
    ids = list(dict.fromkeys(story_ids))
    if not ids:
        return []
    read = set(
        db.session.scalars(
            select(StoryRead.story_id).where(
                StoryRead.user_id == reader.id, StoryRead.story_id.in_(ids)
            )
        )
    )
    return [story_id for story_id in ids if story_id not in read]


@dataclass(frozen=True)
class ForYou:
    """What a stakeholder should read next: this week's featured stories they have not
    opened, then stories colleagues shared with them that they have not opened."""

    featured: list[Feature]
    shared: list[StoryShare]

    @property
    def empty(self) -> bool:
        return not (self.featured or self.shared)


def for_you(
    person: User, week: IsoWeek, week_features: list[Feature], shared_limit: int = 5
) -> ForYou:
    """``week``'s featured stories ``person`` has not opened (the organisation's first,
    then the newest), then unread stories colleagues shared with them.
    ``week_features``: the week's active features with story, team and teller loaded
    (``curation.service.active_features``; the dashboard keeps them for a short time)."""
    features = sorted(
        (f for f in week_features if (f.iso_year, f.iso_week) == (week.year, week.week)),
        key=lambda f: (f.team_id is not None, -f.created_at.timestamp(), -f.id),
    )
    unread = set(unread_by(person, [f.story_id for f in features]))
    featured, seen = [], set()
    for feature in features:
        if feature.story_id in unread and feature.story_id not in seen:
            featured.append(feature)
            seen.add(feature.story_id)
    shares = [
        share for share in shared_with(person, limit=shared_limit * 2) if share.story_id not in seen
    ]
    unread_shares = set(unread_by(person, [share.story_id for share in shares]))
    return ForYou(featured, [s for s in shares if s.story_id in unread_shares][:shared_limit])


def notify_weekly_reach(week: IsoWeek, zone: str | ZoneInfo) -> int:
    """Tell each author, once per story and week, how many stakeholders read it that week
    (one notification per week, never one per read); returns how many were made. Safe to
    call on every run: a week already told is skipped."""
    prefix = f"{week}:"
    told = set(
        db.session.scalars(
            select(Notification.story_id).where(
                Notification.kind == "reach", Notification.detail.startswith(prefix)
            )
        )
    )
    rows = db.session.execute(
        select(StoryRead.story_id, Story.author_id, func.count())
        .join(Story, Story.id == StoryRead.story_id)
        .where(
            StoryRead.role == Role.STAKEHOLDER,
            Story.author_id.is_not(None),
            Story.status == StoryStatus.PUBLISHED,
            StoryRead.read_at >= week.start(zone),
            StoryRead.read_at < week.next().start(zone),
        )
        .group_by(StoryRead.story_id, Story.author_id)
    ).all()
    made = 0
    for story_id, author_id, count in rows:
        if story_id in told:
            continue
        db.session.add(
            Notification(
                user_id=author_id, kind="reach", story_id=story_id, detail=f"{prefix}{int(count)}"
            )
        )
        made += 1
    return made


def reach_note_count(detail: str | None) -> int:
    """The number of stakeholders in a "reach" notification's detail ("2026-W48:3")."""
    count = (detail or "").rpartition(":")[2]
    return int(count) if count.isdigit() else 0


def fold_old_reads(now: datetime | None = None) -> int:
    """Fold reads older than ``RETENTION`` into per-story counts and delete them;
    returns how many were folded."""
    cutoff = (now or utcnow()) - RETENTION
    old = and_(StoryRead.read_at < cutoff)
    rows = db.session.execute(
        select(StoryRead.story_id, StoryRead.role, func.count())
        .where(old)
        .group_by(StoryRead.story_id, StoryRead.role)
    ).all()
    folded = 0
    for story_id, role, count in rows:
        tally = db.session.get(StoryReadTally, (story_id, Role(role)))
        if tally is None:
            db.session.add(StoryReadTally(story_id=story_id, role=Role(role), reads=int(count)))
        else:
            tally.reads += int(count)
        folded += int(count)
    db.session.execute(delete(StoryRead).where(old))
    return folded


def anonymise_reads(person: User) -> int:
    """Keep a person's reads as counts, without them (deactivation); returns how many."""
    result = db.session.execute(
        update(StoryRead).where(StoryRead.user_id == person.id).values(user_id=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
