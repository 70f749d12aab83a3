"""Curation: stories a manager features for a team (or the whole organisation) and a week."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storyboard.db import Model, UTCDateTime, utcnow
from storyboard.models.people import Team, User, enum_column
from storyboard.models.stories import Story


class FeatureKind(enum.StrEnum):
    """What a featured story stands for in the balance: good news or something to learn."""

    PRAISE = "praise"  # a promoter, a good experience
    LESSON = "lesson"  # a detractor, something that went wrong


# "Active" means not withdrawn. SQLite and PostgreSQL both treat NULLs as distinct in a
# unique index, so features for the whole organisation (team_id NULL) get their own index.
_ACTIVE_FOR_TEAM = "withdrawn_at IS NULL AND team_id IS NOT NULL"
_ACTIVE_FOR_ORGANISATION = "withdrawn_at IS NULL AND team_id IS NULL"


class Feature(Model):
    """A published story featured for one ISO week (in the configured time zone), for one
    team or, with ``team`` None, for the whole organisation. Withdrawn features are kept
    (``withdrawn_at``) so the history stays honest; at most one *active* feature exists
    per story, team and week, enforced by the database."""

    __tablename__ = "features"
    __table_args__ = (
        CheckConstraint("iso_week BETWEEN 1 AND 53", name="iso_week_range"),
        CheckConstraint("iso_year BETWEEN 2000 AND 9999", name="iso_year_range"),
        Index("ix_features_iso_year_iso_week", "iso_year", "iso_week"),
        Index(
            "uq_features_active_team_week",
            "story_id",
            "team_id",
            "iso_year",
            "iso_week",
            unique=True,
            sqlite_where=text(_ACTIVE_FOR_TEAM),
            postgresql_where=text(_ACTIVE_FOR_TEAM),
        ),
        Index(
            "uq_features_active_organisation_week",
            "story_id",
            "iso_year",
            "iso_week",
            unique=True,
            sqlite_where=text(_ACTIVE_FOR_ORGANISATION),
            postgresql_where=text(_ACTIVE_FOR_ORGANISATION),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    # A feature for a team that is deleted goes with it (it must not silently become
    # a feature for the whole organisation).
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    iso_year: Mapped[int] = mapped_column(Integer)
    iso_week: Mapped[int] = mapped_column(Integer)
    kind: Mapped[FeatureKind] = mapped_column(enum_column(FeatureKind))
    note: Mapped[str] = mapped_column(String(200))
    featured_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    story: Mapped[Story] = relationship()
    team: Mapped[Team | None] = relationship()
    featured_by: Mapped[User | None] = relationship(foreign_keys=[featured_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def week(self) -> tuple[int, int]:
        return (self.iso_year, self.iso_week)

    def __repr__(self) -> str:
        scope = self.team_id if self.team_id is not None else "org"
        return f"<Feature story={self.story_id} {scope} {self.iso_year}-W{self.iso_week:02d}>"
