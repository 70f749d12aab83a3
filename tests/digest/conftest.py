"""Digest fixtures: a fixed week of answers, stories and features, and a real SMTP
server that refuses every sign-in (``smtp_server``, which can refuse one address, is in
tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from storyboard.db import db
from storyboard.models import Role, SeededChannel, StoryStatus, Team
from storyboard.weeks import IsoWeek
from tests.conftest import free_port
from tests.factories import add_answers, add_feature, add_story, theme_slugs
from tests.mail_server import MailServer, start_mail_server

AMS = ZoneInfo("Europe/Amsterdam")
WEEK = IsoWeek(2026, 46)  # Monday 9 to Sunday 15 November 2026
NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


def at(week: IsoWeek, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A moment in ``week`` (day 0 = Monday), Amsterdam wall-clock time, as UTC."""
    monday = week.start(AMS).astimezone(AMS).date() + timedelta(days=day)
    return datetime(monday.year, monday.month, monday.day, hour, minute, tzinfo=AMS).astimezone(UTC)


@pytest.fixture
def week_data(app: Flask, users: dict[Role, int]) -> dict[str, int]:
    """Week 46: 10 answers (Retail 6, Business 4), two stories, one featured; week 45:
    4 answers, for the change. Returns story ids by short name."""
    with app.app_context():
        db.session.add(Team(name="Business", slug="business"))
        db.session.commit()
    themes = theme_slugs(app)
    add_answers(
        app,
        [
            # Week 45: Retail 9, 10, 3, 8 -> NPS +25
            (at(WEEK.previous(), 0), 9, "Retail", SeededChannel.PHONE, ""),
            (at(WEEK.previous(), 1), 10, "Retail", SeededChannel.PHONE, ""),
            (at(WEEK.previous(), 2), 3, "Retail", SeededChannel.CHAT, ""),
            (
                at(WEEK.previous(), 6, 23, 59),
                8,
                "Retail",
                SeededChannel.CHAT,
                "Sunday night, week 45",
            ),
            # Week 46, Retail: 10, 10, 9, 7, 2, 0 -> 3 promoters, 1 passive, 2 detractors
            (
                at(WEEK, 0, 0, 0),
                10,
                "Retail",
                SeededChannel.PHONE,
                "Monday midnight: she solved it",
            ),
            (at(WEEK, 1), 10, "Retail", SeededChannel.PHONE, "Called back as promised"),
            (at(WEEK, 2), 9, "Retail", SeededChannel.CHAT, ""),
            (at(WEEK, 3), 7, "Retail", SeededChannel.CHAT, ""),
            (at(WEEK, 4), 2, "Retail", SeededChannel.PHONE, "Three transfers, nobody listened"),
            (at(WEEK, 5), 0, "Retail", SeededChannel.EMAIL, "Still no refund"),
            # Week 46, Business: 9, 8, 8, 6 -> 1 promoter, 2 passives, 1 detractor
            (at(WEEK, 1), 9, "Business", SeededChannel.EMAIL, ""),
            (at(WEEK, 2), 8, "Business", SeededChannel.EMAIL, ""),
            (at(WEEK, 3), 8, "Business", None, ""),
            (at(WEEK, 6, 23, 59), 6, "Business", SeededChannel.PHONE, "Slow, but fine in the end"),
        ],
    )
    ids = {
        "ferry": add_story(
            app,
            "The ferry rebooked at midnight",
            published_at=at(WEEK, 1),
            team="Retail",
            themes=(themes[0],),
        ),
        "router": add_story(
            app,
            "A router delivered by hand",
            published_at=at(WEEK, 3),
            team="Business",
            themes=(themes[0], themes[1]),
        ),
        "old": add_story(
            app, "Last week's story", published_at=at(WEEK.previous(), 3), team="Retail"
        ),
        "draft": add_story(
            app, "A draft nobody sees", published_at=None, team="Retail", status=StoryStatus.DRAFT
        ),
    }
    add_feature(
        app, ids["router"], week=WEEK, team="Business", note="Went the extra mile, literally"
    )
    add_feature(app, ids["ferry"], week=WEEK, team=None, note="Everyone should read this one")
    return ids


# -- a real SMTP server that refuses every sign-in ----------------------------------------
@pytest.fixture
def refusing_login_server(app: Flask) -> Iterator[MailServer]:
    """A server that demands a sign-in and refuses every one."""
    from aiosmtpd.smtp import AuthResult

    def refuse_all(*_args: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)

    server = MailServer(port=free_port())
    controller = start_mail_server(
        server, auth_required=True, auth_require_tls=False, authenticator=refuse_all
    )
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=server.port,
        SMTP_SECURITY="none",
        SMTP_USER="storyboard",
        SMTP_PASSWORD="wrong",
        BASE_URL="https://stories.example.nl",
    )
    yield server
    controller.stop()
