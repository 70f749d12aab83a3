"""Cached weekly counts: used when current, never stale after answers change (ORM writes,
the importer's bulk insert, deletes, a deleted team, another time zone)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import delete, func, select

from storyboard.db import db
from storyboard.models import NpsWeekCount, NpsWeekRollup, SeededChannel, SurveyAnswer, Team
from storyboard.nps import rollup
from storyboard.nps.importer import ImportOptions, import_answers
from storyboard.weeks import IsoWeek
from tests.factories import add_answers

AMS = ZoneInfo("Europe/Amsterdam")
WEEKS = [IsoWeek(2026, 45), IsoWeek(2026, 46), IsoWeek(2026, 47)]
MONDAY_46 = datetime(2026, 11, 9, tzinfo=AMS)  # Monday 00:00 of 2026-W46, Amsterdam


def totals(
    app: Flask,
    team_id: int | None = None,
    channel: SeededChannel | None = None,
    zone: ZoneInfo = AMS,
) -> dict[str, tuple[int, int, int]]:
    """Promoters, passives, detractors per week through the cache."""
    with app.app_context():
        rows = rollup.week_counts(WEEKS, zone, team_id, channel)
    out: Counter[tuple[str, int]] = Counter()
    for row in rows:
        out[(str(row.week), 0)] += row.promoters
        out[(str(row.week), 1)] += row.passives
        out[(str(row.week), 2)] += row.detractors
    return {
        str(week): (out[(str(week), 0)], out[(str(week), 1)], out[(str(week), 2)]) for week in WEEKS
    }


def cached_weeks(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(NpsWeekRollup)) or 0


def seed(app: Flask) -> None:
    add_answers(
        app,
        [
            (
                MONDAY_46.astimezone(UTC) - timedelta(minutes=1),
                10,
                "Retail",
                SeededChannel.PHONE,
                "",
            ),
            (MONDAY_46.astimezone(UTC), 0, "Retail", SeededChannel.CHAT, ""),
            (MONDAY_46.astimezone(UTC) + timedelta(days=2), 8, "Business", None, ""),
        ],
    )


def test_counts_are_cached_and_the_cache_gives_the_same_numbers(app: Flask) -> None:
    seed(app)
    assert cached_weeks(app) == 0
    first = totals(app)
    assert first == {"2026-W45": (1, 0, 0), "2026-W46": (0, 1, 1), "2026-W47": (0, 0, 0)}
    assert cached_weeks(app) == 3
    assert totals(app) == first
    with app.app_context():
        retail = db.session.scalar(select(Team.id).where(Team.name == "Retail"))
    assert totals(app, team_id=retail)["2026-W46"] == (0, 0, 1)
    assert totals(app, channel=SeededChannel.CHAT)["2026-W46"] == (0, 0, 1)
    assert totals(app, channel=SeededChannel.EMAIL)["2026-W46"] == (0, 0, 0)


def test_a_new_answer_through_the_orm_is_counted_at_once(app: Flask) -> None:
    seed(app)
    totals(app)
    add_answers(
        app,
        [(MONDAY_46.astimezone(UTC) + timedelta(hours=5), 9, "Retail", SeededChannel.PHONE, "")],
    )
    assert totals(app)["2026-W46"] == (1, 1, 1)


def test_an_import_invalidates_the_cache_and_a_rolled_back_one_does_not(app: Flask) -> None:
    seed(app)
    totals(app)
    csv = (
        b"external_id,answered_at,score,team,channel\n"
        b"a1,2026-11-17T10:00,10,Retail,phone\n"
        b"a2,2026-11-18T10:00,3,Retail,chat\n"
    )
    with app.app_context():
        version = rollup.current_version(db.session)
        report = import_answers(io.BytesIO(csv), ImportOptions(source="t"))
        assert report.imported == 2
        db.session.rollback()
        assert rollup.current_version(db.session) == version
    assert totals(app)["2026-W47"] == (0, 0, 0)
    with app.app_context():
        import_answers(io.BytesIO(csv), ImportOptions(source="t"))
        db.session.commit()
        assert rollup.current_version(db.session) == version + 1
    assert totals(app)["2026-W47"] == (1, 0, 1)


def test_deleted_and_changed_answers_are_not_counted_any_more(app: Flask) -> None:
    seed(app)
    totals(app)
    with app.app_context():
        answer = db.session.scalars(select(SurveyAnswer).where(SurveyAnswer.score == 0)).one()
        answer.score = 7
        db.session.commit()
    assert totals(app)["2026-W46"] == (0, 2, 0)
    with app.app_context():
        db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.score == 7))
        db.session.commit()
    assert totals(app)["2026-W46"] == (0, 1, 0)


def test_a_deleted_team_takes_its_answers_and_counts_along(app: Flask) -> None:
    seed(app)
    totals(app)
    with app.app_context():
        db.session.delete(db.session.scalars(select(Team).where(Team.name == "Business")).one())
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(NpsWeekCount)) == 2
    assert totals(app)["2026-W46"] == (0, 0, 1)


def test_each_time_zone_has_its_own_weeks(app: Flask) -> None:
    seed(app)
    # 23:59 Sunday in Amsterdam is 22:59 UTC: still week 45 there, but in Tokyo it is
    # already Monday 07:59 of week 46.
    assert totals(app)["2026-W45"] == (1, 0, 0)
    tokyo = totals(app, zone=ZoneInfo("Asia/Tokyo"))
    assert tokyo["2026-W45"] == (0, 0, 0) and tokyo["2026-W46"] == (1, 1, 1)
    assert totals(app)["2026-W45"] == (1, 0, 0)


def test_a_cache_of_an_older_version_is_recounted(app: Flask) -> None:
    seed(app)
    totals(app)
    with app.app_context():
        # Answers written behind the session's back (raw SQL) need a manual bump.
        db.session.execute(db.text("UPDATE survey_answers SET score = 9 WHERE score = 0"))
        assert rollup.current_version(db.session) >= 1
        rollup.bump_version(db.session)
        db.session.commit()
    assert totals(app)["2026-W46"] == (1, 1, 0)


def test_an_import_counts_the_dashboards_weeks_right_away(app: Flask, tmp_path) -> None:
    add_answers(
        app, [(datetime.now(UTC) - timedelta(days=1), 9, "Retail", SeededChannel.PHONE, "")]
    )
    csv = tmp_path / "answers.csv"
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
    csv.write_text(f"external_id,answered_at,score,team\nx1,{yesterday},10,Retail\n")
    result = app.test_cli_runner().invoke(args=["import-nps", str(csv)])
    assert result.exit_code == 0, result.output
    assert cached_weeks(app) == 27
    with app.app_context():
        assert rollup.warm() == 0  # nothing left to count
