"""Survey answers: one customer's NPS score (0–10) with where and when it was given."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storyboard.db import Model, UTCDateTime, utcnow
from storyboard.models.channels import CHANNEL_KEY_MAX
from storyboard.models.people import Team, User, enum_column
from storyboard.models.stories import Language

SOURCE_MAX = 80
EXTERNAL_ID_MAX = 120


class SurveyAnswer(Model):
    """One answer to "how likely are you to recommend us?", imported from a survey tool.

    ``(source, external_id)`` is unique, so importing the same export twice adds nothing.
    The indexes serve the dashboard's filters: period, team and channel.
    """

    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_survey_answers_source_external_id"),
        CheckConstraint("score >= 0 AND score <= 10", name="score_0_to_10"),
        Index("ix_survey_answers_team_answered", "team_id", "answered_at"),
        Index("ix_survey_answers_channel_answered", "channel", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(SOURCE_MAX))
    external_id: Mapped[str] = mapped_column(String(EXTERNAL_ID_MAX))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str | None] = mapped_column(String(CHANNEL_KEY_MAX))  # a channel's key
    language: Mapped[Language | None] = mapped_column(enum_column(Language, length=5))
    comment: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()
    agent: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<SurveyAnswer {self.source}:{self.external_id} {self.score}>"


class SurveyDataVersion(Model):
    """One row whose ``version`` goes up in every transaction that adds, changes or
    deletes survey answers (see ``storyboard/nps/rollup.py``), so cached weekly counts
    made from an older version are never used."""

    __tablename__ = "survey_data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class NpsWeekRollup(Model):
    """A week whose counts were computed from the answers at ``version``, for weeks
    counted in ``zone``; its ``NpsWeekCount`` rows hold the numbers."""

    __tablename__ = "nps_week_rollups"

    zone: Mapped[str] = mapped_column(String(64), primary_key=True)
    week_key: Mapped[int] = mapped_column(Integer, primary_key=True)  # IsoWeek.key
    version: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NpsWeekCount(Model):
    """Promoters, passives and detractors of one week, team and channel (``""`` for
    answers without a channel). Goes with its team when the team is deleted, as the
    team's answers do."""

    __tablename__ = "nps_week_counts"

    zone: Mapped[str] = mapped_column(String(64), primary_key=True)
    week_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    promoters: Mapped[int] = mapped_column(Integer)
    passives: Mapped[int] = mapped_column(Integer)
    detractors: Mapped[int] = mapped_column(Integer)


class NpsImportMapping(Model):
    """The column mapping last given for a source (``{"Cijfer": "score"}`` as JSON), so
    the next export from the same survey tool needs no mapping again."""

    __tablename__ = "nps_import_mappings"

    source: Mapped[str] = mapped_column(String(SOURCE_MAX), primary_key=True)
    mapping: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NpsImportFile(Model):
    """A file kept for a day for the person who uploaded it: an upload waiting for
    their confirmation (``kind`` "upload") or the full list of refused rows of an
    upload (``kind`` "report"), downloadable from the report."""

    __tablename__ = "nps_import_files"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
