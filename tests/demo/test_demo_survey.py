"""``storyboard demo`` survey answers and features: sixteen believable weeks of NPS per
team (one improving, one dipping while new hires settle in), featured stories per team
and the birthday present for the whole organisation, all loaded once."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from storyboard.curation.service import current_week, featured_for
from storyboard.db import db, utcnow
from storyboard.demo import content
from storyboard.demo.features import FEATURE_WEEKS
from storyboard.demo.loader import answer_to_datetime, local_zone
from storyboard.demo.people import BUSINESS, DELIVERY, ONLINE, PEOPLE, RETAIL, SOCIAL
from storyboard.demo.survey import DIP_WEEKS, FULL_WEEKS, PROFILES, SOURCE, build_answers
from storyboard.models import Feature, FeatureKind, Language, Role, SurveyAnswer, Team, User
from storyboard.nps.math import NpsResult, nps_with_margin
from storyboard.weeks import IsoWeek

ANSWERS = build_answers()
BIRTHDAY_TITLE = content.story(content.BIRTHDAY).title


# -- the plan, without a database ------------------------------------------------------


def test_answers_are_the_same_every_time_with_unique_ids() -> None:
    assert build_answers() == ANSWERS
    assert len({answer.external_id for answer in ANSWERS}) == len(ANSWERS)
    assert all(answer.external_id.startswith(f"demo-{answer.team}-") for answer in ANSWERS)


def test_answers_match_their_team() -> None:
    profiles = {profile.team: profile for profile in PROFILES}
    team_of = {person.email: person.team for person in PEOPLE}
    assert set(profiles) == {RETAIL, DELIVERY, ONLINE, BUSINESS, SOCIAL}
    for answer in ANSWERS:
        profile = profiles[answer.team]
        assert answer.channel in profile.channels
        assert answer.weekday in profile.days
        assert profile.hours[0] <= answer.at.hour <= profile.hours[1]
        assert 0 <= answer.score <= 10
        assert answer.agent is None or team_of[answer.agent] == answer.team
    languages = Counter(answer.language for answer in ANSWERS)
    assert 0.7 <= languages[Language.NL] / len(ANSWERS) <= 0.9
    commented = [answer for answer in ANSWERS if answer.comment]
    assert 0.15 <= len(commented) / len(ANSWERS) <= 0.4
    assert any("Bezorging was te laat" in answer.comment for answer in commented)
    assert any("dacht echt mee" in answer.comment for answer in commented)
    assert {answer.language for answer in commented} == set(Language)
    assert 0.3 <= sum(answer.agent is not None for answer in ANSWERS) / len(ANSWERS) <= 0.6


def test_answers_in_the_current_week_fall_in_it() -> None:
    zone = local_zone("Europe/Amsterdam")
    now = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)  # the Sunday the clocks change
    week = IsoWeek.at(now, zone)
    for answer in ANSWERS[:500]:
        moment = answer_to_datetime(answer, now, zone)
        assert moment.tzinfo is UTC
        assert IsoWeek.at(moment, zone) == week.plus(-answer.weeks_ago)
        assert 8 <= moment.astimezone(zone).hour <= 21


# -- the command, on a fresh database ---------------------------------------------------


def _nps(scores: dict[IsoWeek, list[int]], weeks: list[IsoWeek]) -> NpsResult:
    return nps_with_margin(score for week in weeks for score in scores[week])


def _feature_count(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(SurveyAnswer)) or 0,
            db.session.scalar(select(func.count()).select_from(Feature)) or 0,
        )


def test_demo_loads_sixteen_weeks_of_answers_and_features_once(app: Flask, runner: Any) -> None:
    result = runner.invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    match = re.search(r"(\d+) featured stories and (\d+) survey answers", result.output)
    assert match, result.output
    counts = _feature_count(app)
    assert counts == (int(match.group(2)), int(match.group(1)))

    with app.app_context():
        _assert_answers()
        _assert_features()

    again = runner.invoke(args=["demo", "--no-serve"])
    assert again.exit_code == 0, again.output
    assert "already loaded: nothing added" in again.output
    assert _feature_count(app) == counts


def _assert_answers() -> None:
    now = utcnow()
    this_week = current_week()
    full_weeks = [this_week.plus(-ago) for ago in range(FULL_WEEKS, 0, -1)]
    rows = db.session.execute(
        select(
            Team.slug,
            SurveyAnswer.answered_at,
            SurveyAnswer.score,
            SurveyAnswer.source,
            SurveyAnswer.agent_id,
            SurveyAnswer.comment,
        ).join(Team, SurveyAnswer.team_id == Team.id)
    ).all()
    scores: dict[str, dict[IsoWeek, list[int]]] = defaultdict(lambda: defaultdict(list))
    for slug, answered_at, score, source, _agent, _comment in rows:
        assert source == SOURCE
        assert answered_at.tzinfo is not None and answered_at <= now
        week = IsoWeek.at(answered_at)
        assert full_weeks[0] <= week <= this_week
        scores[slug][week].append(score)
    assert set(scores) == {profile.team for profile in PROFILES}
    for slug, weekly in scores.items():
        for week in full_weeks:
            assert 10 <= len(weekly[week]) <= 500, (slug, week)
        assert len(weekly[this_week]) <= 500
        whole = _nps(weekly, full_weeks).score
        assert whole is not None and 5 <= whole <= 65, (slug, whole)
    assert any(agent for *_rest, agent, _comment in rows)
    assert any(comment for *_rest, comment in rows)

    # Bezorging dips while the new hires settle in, and recovers.
    delivery = scores[DELIVERY]
    dip = _nps(delivery, [full_weeks[index] for index in DIP_WEEKS]).score
    before = _nps(delivery, full_weeks[: DIP_WEEKS[0]]).score
    after = _nps(delivery, full_weeks[DIP_WEEKS[-1] + 2 :]).score
    assert dip is not None and before is not None and after is not None
    assert dip < before - 15 and dip < after - 15

    # Two teams improve; Retail stays high.
    for slug in (ONLINE, SOCIAL):
        first = _nps(scores[slug], full_weeks[:4]).score
        last = _nps(scores[slug], full_weeks[-4:]).score
        assert first is not None and last is not None and last > first + 10, slug
    retail = _nps(scores[RETAIL], full_weeks).score
    assert retail is not None and retail >= 45


def _assert_features() -> None:
    this_week = current_week()
    birthday = featured_for(None, this_week)
    assert birthday is not None and birthday.week == (this_week.year, this_week.week)
    assert birthday.story.title == BIRTHDAY_TITLE
    features = list(db.session.scalars(select(Feature)))
    kinds = Counter(feature.kind for feature in features)
    assert kinds[FeatureKind.PRAISE] and kinds[FeatureKind.LESSON]
    per_team = Counter(feature.team.slug for feature in features if feature.team is not None)
    assert set(per_team) == {profile.team for profile in PROFILES}
    assert all(2 <= count <= 4 for count in per_team.values()), per_team
    first = this_week.plus(-(FEATURE_WEEKS - 1))
    for feature in features:
        week = IsoWeek(feature.iso_year, feature.iso_week)
        assert first <= week <= this_week
        assert feature.story.is_published and feature.note
        assert feature.featured_by is not None
        assert isinstance(feature.featured_by, User) and feature.featured_by.role is Role.MANAGER
        if feature.team is not None:
            assert feature.story.team_id == feature.team_id
            assert feature.story.published_at is not None
            assert feature.story.published_at < week.end()
