"""Survey answers: one customer's NPS score (0–10) with where and when it was given."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storyboard.db import UTCDateTime, db, utcnow
from storyboard.models.people import Team, User, enum_column
from storyboard.models.stories import Channel, Language

SOURCE_MAX = 80
EXTERNAL_ID_MAX = 120


class SurveyAnswer(db.Model):  # type: ignore[name-defined,misc]
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
    channel: Mapped[Channel | None] = mapped_column(enum_column(Channel))
    language: Mapped[Language | None] = mapped_column(enum_column(Language, length=5))
    comment: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()
    agent: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<SurveyAnswer {self.source}:{self.external_id} {self.score}>"
