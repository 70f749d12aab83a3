"""The dashboard query on a real PostgreSQL server: the same week buckets and counts, and
the running week's same days of last week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from storyboard.dashboard.service import DashboardFilters, dashboard_data
from storyboard.db import db, upgrade_database
from storyboard.models import SeededChannel, Team
from tests.dashboard.test_service import AMS, assert_matches, local
from tests.factories import add_answers


@pytest.mark.postgres
def test_dashboard_counts_on_postgres(postgres_app: Flask) -> None:
    with postgres_app.app_context():
        upgrade_database()
    now = datetime(2026, 10, 28, tzinfo=UTC)  # the week after summer time ended
    sunday, monday = local(2026, 10, 25, 23, 59), local(2026, 10, 26)
    add_answers(
        postgres_app,
        [
            (sunday.astimezone(UTC), 10, "Retail", SeededChannel.PHONE, "Sunday praise"),
            (monday.astimezone(UTC), 0, "Retail", SeededChannel.CHAT, "Monday complaint"),
            (monday.astimezone(UTC) + timedelta(hours=1), 8, "Business", SeededChannel.PHONE, ""),
            (monday.astimezone(UTC) + timedelta(hours=2), 9, "Business", None, ""),
            # Last Tuesday, within the same days (the clock says Wednesday 01:00) …
            (local(2026, 10, 20, 12).astimezone(UTC), 3, "Retail", SeededChannel.PHONE, ""),
            # … and last Wednesday 01:00 summer time, just not.
            (local(2026, 10, 21, 1).astimezone(UTC), 10, "Retail", SeededChannel.PHONE, ""),
        ],
    )
    with postgres_app.app_context():
        data = dashboard_data(DashboardFilters(period=4), now, AMS)
        retail = db.session.query(Team).filter_by(slug="retail").one()
        phone = dashboard_data(DashboardFilters(channel=SeededChannel.PHONE, period=4), now, AMS)
    assert (str(data.previous.week), str(data.current.week)) == ("2026-W43", "2026-W44")
    assert_matches(data.previous.total, [10, 3, 10])
    assert data.running is not None
    assert_matches(data.running.base, [3])
    assert_matches(data.current.total, [0, 8, 9])
    assert_matches(data.current.by_team[retail.id], [0])
    assert_matches(data.current.by_channel[SeededChannel.PHONE], [8])
    assert_matches(phone.current.total, [8])
    assert [c.text for c in data.detractor_comments] == ["Monday complaint"]
