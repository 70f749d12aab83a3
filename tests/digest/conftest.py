"""Digest fixtures: a fixed week of answers, stories and features, and a real SMTP
server (aiosmtpd) on loopback that can refuse one address or every sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import (
    AuthorKind,
    Channel,
    Feature,
    FeatureKind,
    Language,
    Role,
    Story,
    StoryStatus,
    Team,
    Theme,
    User,
)
from storyboard.weeks import IsoWeek
from tests.conftest import free_port
from tests.dashboard.conftest import add_answers

AMS = ZoneInfo("Europe/Amsterdam")
WEEK = IsoWeek(2026, 46)  # Monday 9 to Sunday 15 November 2026
NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


def at(week: IsoWeek, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A moment in ``week`` (day 0 = Monday), Amsterdam wall-clock time, as UTC."""
    monday = week.start(AMS).astimezone(AMS).date() + timedelta(days=day)
    return datetime(monday.year, monday.month, monday.day, hour, minute,
                    tzinfo=AMS).astimezone(UTC)


def add_story(app: Flask, title: str, published_at: datetime | None, team: str = "Retail",
              themes: tuple[str, ...] = (), status: StoryStatus = StoryStatus.PUBLISHED,
              author: str = "agent@example.nl") -> int:
    with app.app_context():
        story = Story(
            title=title, body=title, body_html=f"<p>{title}</p>", channel=Channel.PHONE,
            language=Language.EN, author_kind=AuthorKind.AGENT, status=status,
            author=db.session.scalar(select(User).where(User.email == author)),
            team=db.session.scalar(select(Team).where(Team.name == team)),
            themes=list(db.session.scalars(select(Theme).where(Theme.slug.in_(themes)))),
            published_at=published_at,
        )
        db.session.add(story)
        db.session.commit()
        return story.id


def feature(app: Flask, story_id: int, week: IsoWeek, team: str | None, note: str,
            kind: FeatureKind = FeatureKind.PRAISE) -> None:
    with app.app_context():
        db.session.add(Feature(
            story_id=story_id, iso_year=week.year, iso_week=week.week, kind=kind, note=note,
            team=db.session.scalar(select(Team).where(Team.name == team)) if team else None))
        db.session.commit()


@pytest.fixture
def week_data(app: Flask, users: dict[Role, int]) -> dict[str, int]:
    """Week 46: 10 answers (Retail 6, Business 4), two stories, one featured; week 45:
    4 answers, for the change. Returns story ids by short name."""
    with app.app_context():
        db.session.add(Team(name="Business", slug="business"))
        db.session.commit()
        themes = list(db.session.scalars(select(Theme.slug).order_by(Theme.id)))
    add_answers(app, [
        # Week 45: Retail 9, 10, 3, 8 -> NPS +25
        (at(WEEK.previous(), 0), 9, "Retail", Channel.PHONE, ""),
        (at(WEEK.previous(), 1), 10, "Retail", Channel.PHONE, ""),
        (at(WEEK.previous(), 2), 3, "Retail", Channel.CHAT, ""),
        (at(WEEK.previous(), 6, 23, 59), 8, "Retail", Channel.CHAT, "Sunday night, week 45"),
        # Week 46, Retail: 10, 10, 9, 7, 2, 0 -> 3 promoters, 1 passive, 2 detractors
        (at(WEEK, 0, 0, 0), 10, "Retail", Channel.PHONE, "Monday midnight: she solved it"),
        (at(WEEK, 1), 10, "Retail", Channel.PHONE, "Called back as promised"),
        (at(WEEK, 2), 9, "Retail", Channel.CHAT, ""),
        (at(WEEK, 3), 7, "Retail", Channel.CHAT, ""),
        (at(WEEK, 4), 2, "Retail", Channel.PHONE, "Three transfers, nobody listened"),
        (at(WEEK, 5), 0, "Retail", Channel.EMAIL, "Still no refund"),
        # Week 46, Business: 9, 8, 8, 6 -> 1 promoter, 2 passives, 1 detractor
        (at(WEEK, 1), 9, "Business", Channel.EMAIL, ""),
        (at(WEEK, 2), 8, "Business", Channel.EMAIL, ""),
        (at(WEEK, 3), 8, "Business", None, ""),
        (at(WEEK, 6, 23, 59), 6, "Business", Channel.PHONE, "Slow, but fine in the end"),
    ])
    ids = {
        "ferry": add_story(app, "The ferry rebooked at midnight", at(WEEK, 1), "Retail",
                           themes=(themes[0],)),
        "router": add_story(app, "A router delivered by hand", at(WEEK, 3), "Business",
                            themes=(themes[0], themes[1])),
        "old": add_story(app, "Last week's story", at(WEEK.previous(), 3), "Retail"),
        "draft": add_story(app, "A draft nobody sees", None, "Retail",
                           status=StoryStatus.DRAFT),
    }
    feature(app, ids["router"], WEEK, "Business", "Went the extra mile, literally")
    feature(app, ids["ferry"], WEEK, None, "Everyone should read this one")
    return ids


# -- a real SMTP server -------------------------------------------------------------------
@dataclass
class MailServer:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:
        if address in self.server.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.server.messages.append(
            message_from_bytes(envelope.original_content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted"


def _start(server: MailServer, **options: Any) -> Any:
    from aiosmtpd.controller import Controller

    controller = Controller(_Handler(server), hostname="127.0.0.1", port=server.port,
                            **options)
    controller.start()  # pyproject.toml ignores its AUTH-without-TLS warning
    return controller


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[MailServer]:
    server = MailServer(port=free_port())
    controller = _start(server)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_SECURITY="none",
                      SMTP_USER="", SMTP_FROM="digest@storyboard.example",
                      BASE_URL="https://stories.example.nl")
    yield server
    controller.stop()


@pytest.fixture
def refusing_login_server(app: Flask) -> Iterator[MailServer]:
    """A server that demands a sign-in and refuses every one."""
    from aiosmtpd.smtp import AuthResult

    def refuse_all(*_args: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)

    server = MailServer(port=free_port())
    controller = _start(server, auth_required=True, auth_require_tls=False,
                        authenticator=refuse_all)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_SECURITY="none",
                      SMTP_USER="storyboard", SMTP_PASSWORD="wrong",
                      BASE_URL="https://stories.example.nl")
    yield server
    controller.stop()
