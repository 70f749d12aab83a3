"""Stories and the themes they are tagged with."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storyboard.db import Model, UTCDateTime, db, utcnow
from storyboard.models.channels import CHANNEL_KEY_MAX
from storyboard.models.people import Team, User, enum_column

if TYPE_CHECKING:
    from storyboard.models.nps import SurveyAnswer


class StoryStatus(enum.StrEnum):
    """Life cycle: agents draft and publish; customer stories wait as pending."""

    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class AuthorKind(enum.StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"


class Language(enum.StrEnum):
    NL = "nl"
    EN = "en"


class ThemeKind(enum.StrEnum):
    """Seeded themes come from the humanification habits and the 6 T's."""

    HABIT = "habit"
    SIX_T = "six_t"
    CUSTOM = "custom"


story_themes = Table(
    "story_themes",
    db.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


class Theme(Model):
    """A tag that groups stories by what they show. It has a name (and a description)
    in each interface language, so a Dutch page never shows an English theme; pages
    read them through ``storyboard.labels.theme_name``."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_nl: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[ThemeKind] = mapped_column(enum_column(ThemeKind), default=ThemeKind.CUSTOM)
    description_nl: Mapped[str] = mapped_column(String(500), default="")
    description_en: Mapped[str] = mapped_column(String(500), default="")

    def name_in(self, language: str) -> str:
        """The name in ``language`` ("nl" or "en"); Dutch for any other."""
        return self.name_en if language == Language.EN.value else self.name_nl

    def description_in(self, language: str) -> str:
        return self.description_en if language == Language.EN.value else self.description_nl

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"


class Story(Model):
    """A service story. ``body`` is the author's Markdown; ``body_html`` is its
    sanitized rendering, made once on save so views never render Markdown."""

    __tablename__ = "stories"
    __table_args__ = (Index("ix_stories_status_published_at", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # A channel's key (storyboard.models.channels): renaming the channel keeps it.
    channel: Mapped[str] = mapped_column(String(CHANNEL_KEY_MAX))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    author_kind: Mapped[AuthorKind] = mapped_column(enum_column(AuthorKind))
    status: Mapped[StoryStatus] = mapped_column(enum_column(StoryStatus))
    language: Mapped[Language] = mapped_column(enum_column(Language, length=5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A one-time key from the form: a double-clicked "Publish" makes one story, not two.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # How many colleagues gave kudos: kept equal to the kudos rows by
    # ``storyboard/recognition/service.py``, so lists and the index need no count query.
    kudos_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A customer's first name, shown only when they consented (customer stories).
    customer_first_name: Mapped[str | None] = mapped_column(String(60))
    # The survey answer that inspired the story; the story outlives the answer.
    survey_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_answers.id", ondelete="SET NULL"), index=True
    )

    team: Mapped[Team | None] = relationship()
    author: Mapped[User | None] = relationship(back_populates="stories")
    themes: Mapped[list[Theme]] = relationship(secondary=story_themes, order_by="Theme.slug")
    survey_answer: Mapped[SurveyAnswer | None] = relationship()

    @property
    def is_published(self) -> bool:
        return self.status is StoryStatus.PUBLISHED

    @property
    def teller_name(self) -> str | None:
        """The name readers see: the agent who told it, or the customer's first name
        when they allowed it. A customer's story never shows the colleague who drafted
        or moderated it."""
        if self.author_kind is AuthorKind.CUSTOMER:
            return self.customer_first_name or None
        if self.author is None:
            return None
        return self.author.display_name

    def __repr__(self) -> str:
        return f"<Story {self.id} {self.status}>"
