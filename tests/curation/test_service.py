"""Featuring rules through the service: only published stories, no duplicates, withdrawal,
``featured_for`` and its fallback, and the balance with each of its warnings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from storyboard.curation import service
from storyboard.curation.service import AlreadyFeatured, FeatureError
from storyboard.db import db
from storyboard.models import (
    AuthorKind,
    Feature,
    FeatureKind,
    Role,
    Story,
    StoryStatus,
    Team,
    User,
)
from storyboard.weeks import IsoWeek
from tests.factories import add_story, add_team

PRAISE, LESSON = FeatureKind.PRAISE, FeatureKind.LESSON
TODAY = IsoWeek(2026, 48)


@pytest.fixture
def ctx(app: Flask, users: dict[Role, int]) -> Iterator[Flask]:
    with app.app_context():
        yield app


def manager() -> User:
    user = db.session.scalar(select(User).where(User.role == Role.MANAGER))
    assert user is not None
    return user


def team(name: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.name == name))
    assert team is not None
    return team


def story(story_id: int) -> Story:
    found = db.session.get(Story, story_id)
    assert found is not None
    return found


def feature(
    story_id: int,
    team_name: str | None = "Retail",
    week: IsoWeek = TODAY,
    kind: FeatureKind = PRAISE,
    note: str = "One father, not a 99% score",
) -> Feature:
    made = service.feature_story(
        story(story_id),
        team(team_name) if team_name else None,
        week,
        note,
        kind,
        manager(),
        today=TODAY,
    )
    db.session.commit()
    return made


def feature_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Feature)) or 0


# -- featuring ---------------------------------------------------------------------
def test_a_published_story_is_featured_for_a_team_and_week(ctx: Flask) -> None:
    made = feature(
        add_story(ctx, team="Retail"), note="  The   birthday present,\u200b delivered today  "
    )
    assert (made.iso_year, made.iso_week, made.kind) == (2026, 48, PRAISE)
    assert made.team is not None and made.team.name == "Retail"
    assert made.note == "The birthday present, delivered today"
    assert made.featured_by is not None and made.featured_by.role is Role.MANAGER
    assert made.is_active and made.created_at is not None


def test_a_story_is_featured_for_the_whole_organisation(ctx: Flask) -> None:
    made = feature(add_story(ctx, team="Retail"), team_name=None)
    assert made.team is None and made.team_id is None


@pytest.mark.parametrize(
    "status", [StoryStatus.DRAFT, StoryStatus.PENDING, StoryStatus.REJECTED, StoryStatus.WITHDRAWN]
)
def test_only_published_stories_can_be_featured(ctx: Flask, status: StoryStatus) -> None:
    with pytest.raises(FeatureError, match="Only published"):
        feature(add_story(ctx, status=status, team="Retail"))
    db.session.rollback()
    assert feature_count() == 0


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "one line"),
        ("   ", "one line"),
        ("\u200b", "one line"),
        ("\x00", "one line"),
        ("x" * 201, "too long"),
        ("x" * 20_000, "too long"),
    ],
)
def test_the_note_is_one_line_of_at_most_200_characters(
    ctx: Flask, note: str, message: str
) -> None:
    with pytest.raises(FeatureError, match=message):
        feature(add_story(ctx, team="Retail"), note=note)
    db.session.rollback()
    assert feature_count() == 0


def test_a_note_of_exactly_200_characters_and_emoji_are_fine(ctx: Flask) -> None:
    assert len(feature(add_story(ctx, team="Retail"), note="🎂" * 200).note) == 200


@pytest.mark.parametrize("week", [TODAY.plus(-53), TODAY.plus(5), IsoWeek(2000, 1)])
def test_weeks_far_from_now_are_refused(ctx: Flask, week: IsoWeek) -> None:
    with pytest.raises(FeatureError, match="Pick a week"):
        feature(add_story(ctx, team="Retail"), week=week)


def test_past_and_next_weeks_within_the_window_are_fine(ctx: Flask) -> None:
    story_id = add_story(ctx, team="Retail")
    assert feature(story_id, week=TODAY.plus(-52)).week == (2025, 48)
    assert feature(story_id, week=TODAY.plus(4)).week == (2026, 52)


def test_featuring_twice_for_the_same_team_and_week_is_refused(ctx: Flask) -> None:
    story_id = add_story(ctx, team="Retail")
    feature(story_id)
    with pytest.raises(AlreadyFeatured, match="already featured for Retail in week 48, 2026"):
        feature(story_id)
    db.session.rollback()
    with pytest.raises(AlreadyFeatured, match="whole organisation"):
        feature(story_id, team_name=None)
        feature(story_id, team_name=None)
    db.session.rollback()
    assert feature_count() == 2


def test_the_same_story_may_be_featured_for_other_teams_and_weeks(ctx: Flask) -> None:
    add_team(ctx, "Webshop")
    story_id = add_story(ctx, team="Retail")
    feature(story_id)
    feature(story_id, team_name="Webshop")
    feature(story_id, team_name=None)
    feature(story_id, week=TODAY.plus(-1))
    assert feature_count() == 4


@pytest.mark.parametrize("team_name", ["Retail", None])
def test_the_database_refuses_a_duplicate_that_races_past_the_check(
    ctx: Flask, team_name: str | None
) -> None:
    story_id = add_story(ctx, team="Retail")
    feature(story_id, team_name=team_name)
    duplicate = Feature(
        story_id=story_id,
        team=team(team_name) if team_name else None,
        iso_year=2026,
        iso_week=48,
        kind=LESSON,
        note="again",
    )
    db.session.add(duplicate)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert feature_count() == 1


def test_withdraw_keeps_the_record_and_allows_featuring_again(ctx: Flask) -> None:
    story_id = add_story(ctx, team="Retail")
    first = feature(story_id)
    service.withdraw_feature(first, manager())
    db.session.commit()
    assert first.withdrawn_at is not None and first.withdrawn_by is not None
    assert not first.is_active
    assert service.active_features(story=story(story_id)) == []
    with pytest.raises(FeatureError, match="already withdrawn"):
        service.withdraw_feature(first, manager())
    again = feature(story_id)
    assert service.active_features(story=story(story_id)) == [again]
    assert service.features_of(story(story_id)) == [again]
    assert feature_count() == 2


def test_a_story_page_s_features_are_its_active_ones_newest_week_first(ctx: Flask) -> None:
    story_id, other = add_story(ctx, "this", team="Retail"), add_story(ctx, "other")
    old = feature(story_id, week=TODAY.plus(-10))
    whole = feature(story_id, team_name=None)
    service.withdraw_feature(feature(story_id, week=TODAY.plus(-3)), manager())
    feature(other)
    db.session.commit()
    found = service.features_of(story(story_id))
    assert found == [whole, old]
    assert [f.team.name if f.team else None for f in found] == [None, "Retail"]


def test_active_features_leave_out_unpublished_stories_and_filter_weeks(ctx: Flask) -> None:
    kept = add_story(ctx, "kept", team="Retail")
    unpublished = add_story(ctx, "unpublished", team="Retail")
    recent = feature(kept)
    old = feature(kept, week=TODAY.plus(-10))
    feature(unpublished)
    story(unpublished).status = StoryStatus.DRAFT
    db.session.commit()
    assert service.active_features() == [recent, old]
    assert service.active_features(first=TODAY.plus(-7), last=TODAY) == [recent]
    assert service.active_features(first=TODAY.plus(-12), last=TODAY.plus(-8)) == [old]


def test_deleting_a_story_deletes_its_features(ctx: Flask) -> None:
    story_id = add_story(ctx, team="Retail")
    feature(story_id)
    db.session.delete(story(story_id))
    db.session.commit()
    assert feature_count() == 0


# -- featured_for --------------------------------------------------------------------
def test_featured_for_gives_the_week_s_feature_else_the_latest_earlier_one(ctx: Flask) -> None:
    add_team(ctx, "Webshop")
    a, b, c = (add_story(ctx, title, team="Retail") for title in ("a", "b", "c"))
    older = feature(a, week=TODAY.plus(-3))
    this_week = feature(b)
    feature(c, week=TODAY.plus(2))  # planned: never shown early
    retail = team("Retail")
    assert service.featured_for(retail, TODAY) == this_week
    assert service.featured_for(retail, TODAY.plus(-1)) == older  # fallback
    assert service.featured_for(retail, TODAY.plus(-4)) is None  # nothing before
    assert service.featured_for(team("Webshop"), TODAY) is None  # other team
    assert service.featured_for(None, TODAY) is None  # organisation has none


def test_featured_for_prefers_the_newest_of_a_week_and_skips_withdrawn(ctx: Flask) -> None:
    first, second = add_story(ctx, "first", team="Retail"), add_story(ctx, "second", team="Retail")
    older = feature(first, team_name=None)
    newer = feature(second, team_name=None)
    assert service.featured_for(None, TODAY) == newer
    service.withdraw_feature(newer, manager())
    db.session.commit()
    assert service.featured_for(None, TODAY) == older


# -- balance -------------------------------------------------------------------------
def test_balance_counts_praise_lessons_and_writers_per_team_over_8_weeks(ctx: Flask) -> None:
    add_team(ctx, "Webshop")
    agent_story = add_story(ctx, "agent", team="Retail")
    customer_story = add_story(ctx, "customer", author_kind=AuthorKind.CUSTOMER, team="Retail")
    feature(agent_story, kind=PRAISE)
    feature(customer_story, kind=LESSON, week=TODAY.plus(-7))  # oldest week still in
    feature(customer_story, team_name="Webshop", kind=PRAISE)
    feature(agent_story, team_name=None, kind=LESSON)
    feature(agent_story, week=TODAY.plus(-8))  # one week too old
    withdrawn = feature(customer_story, team_name="Webshop", week=TODAY.plus(-1))
    service.withdraw_feature(withdrawn, manager())
    db.session.commit()

    balance = service.feature_balance(TODAY)
    assert (balance.first, balance.last) == (TODAY.plus(-7), TODAY)
    rows = {row.team.name if row.team else None: row for row in balance.teams}
    assert list(rows) == ["Retail", "Webshop", None]  # teams by name, organisation last
    counts = {
        name: (r.praise, r.lessons, r.customer_written, r.agent_written) for name, r in rows.items()
    }
    assert counts == {"Retail": (1, 1, 1, 1), "Webshop": (1, 0, 1, 0), None: (0, 1, 0, 1)}
    total = balance.total
    assert (total.praise, total.lessons) == (2, 2)
    assert (total.customer_written, total.agent_written) == (2, 2)
    assert balance.judged and balance.warnings == []


def codes(balance: service.Balance) -> list[str]:
    return [warning.code for warning in balance.warnings]


def test_one_team_with_more_than_half_of_the_features_is_warned_about(ctx: Flask) -> None:
    add_team(ctx, "Webshop")
    stories = [
        add_story(ctx, f"s{i}", author_kind=AuthorKind.CUSTOMER, team="Retail") for i in range(4)
    ]
    feature(stories[0], kind=LESSON)
    feature(stories[1])
    feature(stories[2], team_name="Webshop")
    feature(stories[3], team_name=None)
    assert codes(service.feature_balance(TODAY)) == []  # Retail has 2 of 4: half is fine
    feature(stories[3])
    balance = service.feature_balance(TODAY)
    assert codes(balance) == ["team_dominates"]  # 3 of 5
    assert "Retail has 3 of the 5 features" in balance.warnings[0].message


def test_a_single_team_organisation_cannot_be_dominated(ctx: Flask) -> None:
    for i, kind in enumerate((PRAISE, LESSON, PRAISE)):
        feature(add_story(ctx, f"s{i}", author_kind=AuthorKind.CUSTOMER, team="Retail"), kind=kind)
    assert codes(service.feature_balance(TODAY)) == []


def test_only_praise_and_no_customer_stories_are_warned_about(ctx: Flask) -> None:
    add_team(ctx, "Webshop")
    for i, name in enumerate(("Retail", "Webshop", None)):
        feature(add_story(ctx, f"s{i}", team="Retail"), team_name=name)
    balance = service.feature_balance(TODAY)
    assert codes(balance) == ["only_praise", "no_customer_stories"]
    assert "Only praise" in balance.warnings[0].message


def test_too_few_features_give_no_warnings(ctx: Flask) -> None:
    add_team(ctx, "Webshop")
    feature(add_story(ctx, "one", team="Retail"))
    feature(add_story(ctx, "two", team="Retail"))
    balance = service.feature_balance(TODAY)
    assert not balance.judged and balance.warnings == []
    assert service.feature_balance(TODAY).total.total == 2


def test_an_empty_period_is_an_empty_balance(ctx: Flask) -> None:
    balance = service.feature_balance(TODAY)
    assert balance.teams == [] and balance.total.total == 0 and balance.warnings == []


# -- weeks -------------------------------------------------------------------------
def test_iso_weeks_parse_shift_and_refuse_nonsense() -> None:
    assert IsoWeek.parse("2026-W48") == IsoWeek.parse("2026w48") == IsoWeek(2026, 48)
    assert str(IsoWeek(2026, 1)) == "2026-W01"
    assert IsoWeek(2026, 53).plus(1) == IsoWeek(2027, 1)  # 2026 has 53 weeks
    assert IsoWeek(2027, 1).plus(-1) == IsoWeek(2026, 53)
    for bad in ("2025-W53", "2026-W00", "2026-W54", "abc", "", "2026-48", "0000-W01", "99999-W01"):
        with pytest.raises(ValueError):
            IsoWeek.parse(bad)


def test_the_week_turns_at_monday_midnight_amsterdam_time() -> None:
    from datetime import UTC, datetime

    sunday_late = datetime(2026, 11, 29, 22, 59, tzinfo=UTC)  # 23:59 in Amsterdam
    monday = datetime(2026, 11, 29, 23, 0, tzinfo=UTC)  # 00:00 Monday in Amsterdam
    assert IsoWeek.at(sunday_late, "Europe/Amsterdam") == IsoWeek(2026, 48)
    assert IsoWeek.at(monday, "Europe/Amsterdam") == IsoWeek(2026, 49)
    assert IsoWeek.at(monday, "UTC") == IsoWeek(2026, 48)


def test_current_week_uses_the_configured_time_zone(app: Flask) -> None:
    from datetime import UTC, datetime

    app.config["BABEL_DEFAULT_TIMEZONE"] = "Pacific/Kiritimati"  # UTC+14
    sunday_noon_utc = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    with app.app_context():
        assert service.current_week(sunday_noon_utc) == IsoWeek(2026, 49)
    app.config["BABEL_DEFAULT_TIMEZONE"] = "UTC"
    with app.app_context():
        assert service.current_week(sunday_noon_utc) == IsoWeek(2026, 48)
