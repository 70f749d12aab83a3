"""Where a contact happened: the organisation's own list of channels.

Stories, customer submissions and survey answers store a channel by its ``key``, a
stable slug that never changes once made: renaming a channel changes only its names,
so every old story and answer follows. The reference is kept by the application
(``storyboard.channels``), not by a foreign key: SQLite can add one only by rebuilding
the stories table, whose cascades would empty the tables that point at it.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from storyboard.db import Model, UTCDateTime, utcnow

CHANNEL_KEY_MAX = 20  # the width the channel columns have had since the first schema
CHANNEL_NAME_MAX = 80


class SeededChannel(enum.StrEnum):
    """The keys of the five channels migration 0025 made (today's names may differ: an
    admin may rename or deactivate them). Demo data and tests use them; code that
    serves people reads the ``channels`` table instead."""

    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"
    SOCIAL = "social"
    STORE = "store"


class Channel(Model):
    """A channel with a name per interface language and the other names exports use
    for it (``aliases``, one per line), matched without case or accents."""

    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(CHANNEL_KEY_MAX), unique=True)
    name_nl: Mapped[str] = mapped_column(String(CHANNEL_NAME_MAX), unique=True)
    name_en: Mapped[str] = mapped_column(String(CHANNEL_NAME_MAX), unique=True)
    aliases: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A deactivated channel keeps its stories and answers but is offered nowhere new.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def name_in(self, language: str) -> str:
        """The name in ``language`` ("nl" or "en"); Dutch for any other."""
        return self.name_en if language == "en" else self.name_nl

    @property
    def alias_list(self) -> list[str]:
        return [line for line in self.aliases.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<Channel {self.key}>"
