"""``storyboard demo``: the plan is deterministic and believable, the command loads it
once (a second run adds nothing), and a printed account can sign in."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from storyboard.db import db, utcnow
from storyboard.demo import content
from storyboard.demo.generator import GENERATED_STORIES, THEME_SLUGS, build_plan
from storyboard.demo.loader import local_zone, moment_to_datetime
from storyboard.demo.people import DEMO_PASSWORD, PEOPLE, TEAMS, showcase_accounts
from storyboard.demo.spec import Moment
from storyboard.models import (
    AuthorKind,
    Language,
    Role,
    SeededChannel,
    Story,
    StoryStatus,
    Team,
    Theme,
    User,
)
from storyboard.privacy.scrub import PLACEHOLDERS_BY_LANGUAGE
from storyboard.search import outbox, service

SIXTEEN_WEEKS = timedelta(weeks=16)
PLAN = build_plan()
HANDWRITTEN = content.handwritten()
BIRTHDAY_TITLE = content.story(content.BIRTHDAY).title


def _words(text: str) -> int:
    return len(text.split())


# -- the plan, without a database ------------------------------------------------------


def test_plan_is_the_same_every_time() -> None:
    assert build_plan() == PLAN


def test_plan_has_five_teams_and_people_of_every_role() -> None:
    assert len(TEAMS) == 5
    assert len(PEOPLE) >= 25
    assert len({person.email for person in PEOPLE}) == len(PEOPLE)
    roles = Counter(person.role for person in PEOPLE)
    assert set(roles) == set(Role)
    assert roles[Role.AGENT] > roles[Role.MANAGER] + roles[Role.STAKEHOLDER] + roles[Role.ADMIN]
    assert all(person.email.endswith("@demo.storyboard.nl") for person in PEOPLE)
    assert [person.role for person in showcase_accounts()] == list(Role)


def test_plan_stories_are_varied() -> None:
    stories = PLAN.stories
    assert len(stories) >= 300
    assert len({story.title for story in stories}) == len(stories)
    languages = Counter(story.language for story in stories)
    assert 0.55 <= languages[Language.NL] / len(stories) <= 0.65
    assert set(Counter(story.channel for story in stories)) == set(SeededChannel)
    assert {story.team for story in stories} == {team.slug for team in TEAMS}
    assert {theme for story in stories for theme in story.themes} == set(THEME_SLUGS)
    statuses = Counter(story.status for story in stories)
    assert 3 <= statuses[StoryStatus.DRAFT] <= 10
    assert 3 <= sum(story.author is None for story in stories) <= 10


def test_every_agent_story_is_written_by_an_agent_of_its_team() -> None:
    people = {person.email: person for person in PEOPLE}
    for story in PLAN.stories:
        if story.author is not None:
            author = people[story.author]
            assert author.role is Role.AGENT, story.title
            assert author.team == story.team, story.title


def test_generated_stories_are_filled_framed_markdown_of_the_right_length() -> None:
    generated = PLAN.stories[len(HANDWRITTEN) :]
    assert len(generated) == GENERATED_STORIES
    for story in generated:
        assert "{" not in story.title + story.body and "}" not in story.title + story.body
        assert 120 <= _words(story.body) <= 400, story.title
        assert "Lorem" not in story.body
    bodies = [story.body for story in generated]
    assert any("## What I did" in body for body in bodies)
    assert any("## Wat ik deed" in body for body in bodies)
    assert any("\n> " in body for body in bodies)
    assert any("\n- " in body for body in bodies)
    assert sum("**" in body for body in bodies) > len(bodies) // 2


def test_the_birthday_story_is_written_out() -> None:
    birthday = next(story for story in PLAN.stories if story.title == BIRTHDAY_TITLE)
    assert birthday.status is StoryStatus.PUBLISHED
    for words in ("daughter", "birthday", "today", "tomorrow"):
        assert words in birthday.body


@pytest.mark.parametrize("hour", [0, 7, 12, 23])
def test_moments_fall_in_the_last_sixteen_weeks_never_in_the_future(hour: int) -> None:
    zone = local_zone("Europe/Amsterdam")
    now = datetime(2025, 3, 30, hour, 30, tzinfo=UTC)  # the day the clocks change
    for days in (0, 1, 110):
        for at in (time(8, 0), time(20, 59)):
            value = moment_to_datetime(Moment(days, at), now, zone)
            assert now - SIXTEEN_WEEKS < value <= now
            assert value.tzinfo is UTC


def test_an_unknown_zone_falls_back_to_utc() -> None:
    assert local_zone("Nowhere/Atlantis") is UTC


# -- the command, on a fresh database ---------------------------------------------------


def _counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Team)) or 0,
            db.session.scalar(select(func.count()).select_from(User)) or 0,
            db.session.scalar(select(func.count()).select_from(Story)) or 0,
        )


def test_demo_loads_once_prints_accounts_and_serves(
    app: Flask, runner: Any, auth: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert re.search(
        r"Added 5 teams, 25 users, 3\d\d stories, \d+ featured stories and \d+ survey "
        r"answers in [\d.]+ s\.",
        result.output,
    )
    for person in showcase_accounts():
        assert re.search(
            rf"{person.role.value.title()}\s+{person.name}\s+.*{re.escape(person.email)}"
            rf"\s+{DEMO_PASSWORD}",
            result.output,
        ), result.output
    before = _counts(app)
    assert before[:2] == (5, 25) and before[2] >= 300

    with app.app_context():
        _assert_demo_content()

    # A second run adds nothing, and (with --serve) serves plain http on 127.0.0.1:5000.
    served: dict[str, Any] = {}
    monkeypatch.setattr(
        "werkzeug.serving.run_simple",
        lambda host, port, application, **kw: served.update(
            host=host, port=port, app=application, **kw
        ),
    )
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert "already loaded: nothing added" in again.output
    assert _counts(app) == before
    assert served == {
        "host": "127.0.0.1",
        "port": 5000,
        "app": app,
        "threaded": True,
        "use_reloader": False,
    }
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["REMEMBER_COOKIE_SECURE"] is False
    assert "Secure cookies are off" in again.output

    # The printed password works on the real sign-in form.
    response = auth.login(showcase_accounts()[0].email, DEMO_PASSWORD)
    assert response.status_code == 302
    with app.app_context():
        birthday_id = db.session.scalar(select(Story.id).where(Story.title == BIRTHDAY_TITLE))
    page = auth.client.get(f"/stories/{birthday_id}")
    assert page.status_code == 200
    assert "her birthday today" in page.get_data(as_text=True)


def _assert_demo_content() -> None:
    users = list(db.session.scalars(select(User)))
    assert {user.role for user in users} == set(Role)
    stories = list(db.session.scalars(select(Story)))
    assert {story.language for story in stories} == set(Language)
    assert {story.channel for story in stories} == set(SeededChannel)
    assert len({theme.slug for story in stories for theme in story.themes}) == len(THEME_SLUGS)

    now = utcnow()
    published = [story for story in stories if story.status is StoryStatus.PUBLISHED]
    assert len(published) >= 300
    for story in published:
        assert story.published_at is not None
        assert now - SIXTEEN_WEEKS < story.published_at <= now
        assert story.created_at <= story.published_at
    weeks = {(now - story.published_at).days // 7 for story in published if story.published_at}
    assert weeks == set(range(16))  # every one of the sixteen weeks has stories
    drafts = [story for story in stories if story.status is StoryStatus.DRAFT]
    assert drafts and all(story.published_at is None for story in drafts)

    customers = [story for story in stories if story.author_kind is AuthorKind.CUSTOMER]
    assert customers and all(story.author_id is None for story in customers)
    # Published ones, and two waiting for a moderator (scrubbed already).
    pending = [story for story in customers if story.status is StoryStatus.PENDING]
    # Masks are in the story's own language: "[phone]", "[telefoonnummer]".
    assert len(pending) == 2 and all(
        PLACEHOLDERS_BY_LANGUAGE[story.language.value]["phone"] in story.body for story in pending
    )
    assert all(story.status in (StoryStatus.PUBLISHED, StoryStatus.PENDING) for story in customers)

    # Recognition: kudos, comments and three learning moments at different stages.
    from storyboard.models import Comment, Kudo, Lesson

    kudos = db.session.scalar(select(func.count()).select_from(Kudo)) or 0
    assert kudos >= 40
    assert sum(story.kudos_count for story in stories) == kudos
    assert db.session.scalar(select(func.count()).select_from(Comment))
    assert sorted(lesson.status.value for lesson in db.session.scalars(select(Lesson))) == [
        "changed",
        "in_progress",
        "open",
    ]

    birthday = db.session.scalar(select(Story).where(Story.title == BIRTHDAY_TITLE))
    assert birthday is not None and birthday.is_published
    assert birthday.author is not None and birthday.author.role is Role.AGENT
    assert "<h2>What the customer needed</h2>" in birthday.body_html
    assert "<blockquote>" in birthday.body_html
    assert {theme.slug for theme in birthday.themes} >= {"real-conversation", "stand-up"}
    assert db.session.scalar(select(func.count()).select_from(Theme)) == len(THEME_SLUGS)
    # Every theme the demo tags has a Dutch and an English name (migration 0023).
    names = {
        theme.slug: (theme.name_nl, theme.name_en) for theme in db.session.scalars(select(Theme))
    }
    assert names["stand-up"] == ("Opkomen voor de klant", "Stand up")
    assert all(dutch and english for dutch, english in names.values())
    # Every story reached the search index: nothing waits in the outbox.
    with service.new_session() as session:
        assert outbox.pending_count(session) == 0
