"""The digest builder on a fixed dataset: exact figures, exact stories, and the weeks
that trip calendars up (an empty week, one answer, ISO week 53, a DST change)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from storyboard.digest.builder import build_digest
from storyboard.models import Role, SeededChannel
from storyboard.nps.math import ChangeKind
from storyboard.weeks import IsoWeek, last_complete_week
from tests.digest.conftest import AMS, NOW, WEEK, at
from tests.factories import add_answers, add_story


def test_the_week_in_exact_figures(app: Flask, week_data: dict[str, int]) -> None:
    with app.app_context():
        digest = build_digest(WEEK, now=NOW)
        assert digest.complete and not digest.is_empty
        nps = digest.nps
        assert (nps.promoters, nps.passives, nps.detractors) == (4, 3, 3)
        assert nps.score == pytest.approx(10)
        assert nps.margin == pytest.approx(196 * math.sqrt((0.7 - 0.01) / 10))
        previous = digest.previous_nps
        assert (previous.promoters, previous.passives, previous.detractors) == (2, 1, 1)
        assert digest.change.kind is ChangeKind.TOO_FEW and digest.change.delta == -15
        teams = {line.team.name: line for line in digest.teams}
        assert [line.team.name for line in digest.teams] == ["Business", "Retail"]
        assert (
            teams["Retail"].nps.promoters,
            teams["Retail"].nps.passives,
            teams["Retail"].nps.detractors,
        ) == (3, 1, 2)
        assert teams["Business"].nps.score == 0 and teams["Business"].new_stories == 1
        assert teams["Retail"].new_stories == 1
        channels = dict(digest.channels)
        assert channels[SeededChannel.EMAIL].n == 3 and channels[SeededChannel.PHONE].n == 4
        assert channels[SeededChannel.CHAT].n == 2 and not channels[SeededChannel.SOCIAL].has_data

        assert [
            (f.story.title, f.team.name if f.team else None, f.note) for f in digest.featured
        ] == [
            ("The ferry rebooked at midnight", None, "Everyone should read this one"),
            ("A router delivered by hand", "Business", "Went the extra mile, literally"),
        ]
        assert [s.title for s in digest.appreciated] == [
            "A router delivered by hand",
            "The ferry rebooked at midnight",
        ]
        assert digest.new_story_count == 2
        assert next((g.count, [s.title for s in g.stories]) for g in digest.themes) == (
            2,
            ["A router delivered by hand", "The ferry rebooked at midnight"],
        )
        assert [q.text for q in digest.promoter_quotes] == [
            "Called back as promised",
            "Monday midnight: she solved it",
        ]
        assert [q.text for q in digest.detractor_quotes] == [
            "Still no refund",
            "Three transfers, nobody listened",
            "Slow, but fine in the end",
        ]
        assert digest.learning_moments == ()
        assert digest.summary == (
            "NPS +10 (n = 10), too few answers to compare; 2 new stories; 2 featured."
        )


def test_a_team_digest_keeps_to_that_team_and_the_organisations_feature(
    app: Flask, week_data: dict[str, int]
) -> None:
    from storyboard.db import db
    from storyboard.models import Team

    with app.app_context():
        business = db.session.query(Team).filter_by(slug="business").one()
        digest = build_digest(WEEK, business, now=NOW)
        assert digest.nps.n == 4 and digest.nps.score == 0
        assert [line.team.name for line in digest.teams] == ["Business"]
        assert [f.story.title for f in digest.featured] == [
            "The ferry rebooked at midnight",
            "A router delivered by hand",
        ]
        assert [s.title for s in digest.appreciated] == ["A router delivered by hand"]
        assert [q.text for q in digest.detractor_quotes] == ["Slow, but fine in the end"]


def test_an_empty_week_says_so(app: Flask, week_data: dict[str, int]) -> None:
    with app.app_context():
        digest = build_digest(IsoWeek(2026, 30), now=NOW)
        assert digest.is_empty
        assert not digest.nps.has_data and digest.change.kind is ChangeKind.NO_DATA
        assert digest.featured == () and digest.appreciated == () and digest.themes == ()
        assert digest.summary == "No survey answers; 0 new stories."


def test_a_week_with_one_answer(app: Flask, users: dict[Role, int]) -> None:
    week = IsoWeek(2026, 40)
    add_answers(app, [(at(week, 2), 9, "Retail", SeededChannel.PHONE, "Lovely")])
    with app.app_context():
        digest = build_digest(week, now=NOW)
        assert digest.nps.n == 1 and digest.nps.score == 100 and digest.nps.few_answers
        assert digest.change.kind is ChangeKind.NO_DATA
        assert [q.text for q in digest.promoter_quotes] == ["Lovely"]
        assert digest.summary == "NPS +100 (n = 1); 0 new stories."


def test_iso_week_53(app: Flask, users: dict[Role, int]) -> None:
    week = IsoWeek(2020, 53)  # Monday 28 December 2020 to Sunday 3 January 2021
    add_answers(
        app,
        [
            (datetime(2020, 12, 27, 22, 59, tzinfo=UTC), 0, "Retail", None, ""),  # Sun 23:59, W52
            (datetime(2020, 12, 27, 23, 0, tzinfo=UTC), 10, "Retail", None, ""),  # Mon 00:00
            (datetime(2021, 1, 3, 22, 59, tzinfo=UTC), 10, "Retail", None, ""),  # Sun 23:59
            (datetime(2021, 1, 3, 23, 0, tzinfo=UTC), 0, "Retail", None, ""),  # 2021-W01
        ],
    )
    story = add_story(
        app,
        "New Year's Eve on the phone",
        team="Retail",
        published_at=datetime(2020, 12, 31, 20, tzinfo=UTC),
    )
    with app.app_context():
        digest = build_digest(week, now=NOW)
        assert (digest.nps.n, digest.nps.score) == (2, 100)
        assert digest.previous_nps.n == 1 and digest.previous_nps.score == -100
        assert [s.id for s in digest.appreciated] == [story]
        assert build_digest(week.next(), now=NOW).nps.score == -100


def test_the_week_summer_time_ends(app: Flask, users: dict[Role, int]) -> None:
    """2026-W43 ends on Sunday 25 October, when clocks go back: 169 hours long."""
    week = IsoWeek(2026, 43)
    assert week.end(AMS) - week.start(AMS) == timedelta(hours=169)
    add_answers(
        app,
        [
            (
                datetime(2026, 10, 18, 21, 59, tzinfo=UTC),
                0,
                "Retail",
                None,
                "",
            ),  # W42, Sun 23:59 CEST
            (
                datetime(2026, 10, 18, 22, 0, tzinfo=UTC),
                9,
                "Retail",
                None,
                "",
            ),  # W43, Mon 00:00 CEST
            (
                datetime(2026, 10, 25, 22, 59, tzinfo=UTC),
                9,
                "Retail",
                None,
                "",
            ),  # W43, Sun 23:59 CET
            (
                datetime(2026, 10, 25, 23, 0, tzinfo=UTC),
                0,
                "Retail",
                None,
                "",
            ),  # W44, Mon 00:00 CET
        ],
    )
    with app.app_context():
        digest = build_digest(week, now=NOW)
        assert (digest.nps.n, digest.nps.promoters) == (2, 2)
        assert digest.previous_nps.detractors == 1
        assert build_digest(week.next(), now=NOW).nps.detractors == 1


def test_a_running_week_is_marked_incomplete(app: Flask, users: dict[Role, int]) -> None:
    with app.app_context():
        current = IsoWeek.at(NOW, AMS)
        assert not build_digest(current, now=NOW).complete
        assert last_complete_week(NOW) == current.previous()
