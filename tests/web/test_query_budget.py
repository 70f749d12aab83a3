"""Query budgets: each page loads what it shows in a fixed number of SQL statements,
however many comments, kudos, stories, teams or notifications there are.

Counts, never time (``tests/query_count.py``). The budgets are today's counts for the
seeded world; a page that needs one more query raises its budget in the same commit
and says why. The second request of each pair is measured, so the shared values of
``storyboard.page_cache`` (teams, themes, the moderation badge) are warm, as they are
for every request but the first few of a worker.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from storyboard.db import db
from storyboard.models import (
    Comment,
    Kudo,
    Notification,
    Role,
    Story,
    Team,
    User,
)
from storyboard.weeks import IsoWeek
from tests.conftest import post_form, signed_in
from tests.factories import add_feature, add_story, add_team, create_user
from tests.query_count import QueryCounter, count_queries


def queries_for(app: Flask, client: Any, path: str) -> QueryCounter:
    """The statements of one GET of ``path``, after one unmeasured GET (warm caches)."""
    assert client.get(path).status_code == 200
    with count_queries(app) as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter


def add_colleagues(app: Flask, count: int) -> list[int]:
    with app.app_context():
        team = db.session.scalar(db.select(Team).where(Team.slug == "retail"))
        people = [
            User(
                email=f"colleague{n}@example.nl",
                display_name=f"Colleague {n}",
                role=Role.AGENT,
                team=team,
                password_hash="not-used",
            )
            for n in range(count)
        ]
        db.session.add_all(people)
        db.session.commit()
        return [person.id for person in people]


def add_reactions(app: Flask, story_id: int, people: list[int]) -> None:
    """A comment and a kudo from each of ``people``, and the notifications they send."""
    with app.app_context():
        author = db.session.get(Story, story_id).author_id  # type: ignore[union-attr]
        for person in people:
            db.session.add(
                Comment(story_id=story_id, author_id=person, body="Mooi", body_html="<p>Mooi</p>")
            )
            db.session.add(Kudo(story_id=story_id, user_id=person))
            db.session.add(
                Notification(user_id=author, kind="kudos", story_id=story_id, actor_id=person)
            )
        story = db.session.get(Story, story_id)
        assert story is not None
        story.kudos_count = len(people)
        db.session.commit()


# What a stakeholder, an agent and a manager see of each page: the number of statements
# for the seeded world (signed-in user, page data, navigation badges).
BUDGETS: dict[str, dict[Role, int]] = {
    "/stories/{story}": {Role.STAKEHOLDER: 11, Role.AGENT: 12, Role.MANAGER: 13},
    "/stories/": {Role.STAKEHOLDER: 6, Role.AGENT: 6, Role.MANAGER: 6},
    "/search?q=present": {Role.STAKEHOLDER: 2, Role.AGENT: 2, Role.MANAGER: 2},
    # The week's features and past weeks' reach are shared for a short time.
    "/dashboard/": {Role.STAKEHOLDER: 7, Role.MANAGER: 6},
    "/digest/2026-W40": {Role.STAKEHOLDER: 12, Role.MANAGER: 12},
    "/notifications": {Role.STAKEHOLDER: 5, Role.AGENT: 5, Role.MANAGER: 5},
    "/profile/": {Role.STAKEHOLDER: 6, Role.AGENT: 6, Role.MANAGER: 6},
    "/lessons": {Role.STAKEHOLDER: 3, Role.AGENT: 3, Role.MANAGER: 3},
}


@pytest.mark.parametrize("path", BUDGETS)
def test_every_page_stays_within_its_query_budget(app, users, path):
    story = add_story(app, "A present for today", team="Retail", index=True)
    add_feature(app, story, team="Retail", note="Why it matters")
    for role, budget in BUDGETS[path].items():
        client = signed_in(app, role).client
        counter = queries_for(app, client, path.format(story=story))
        assert len(counter) <= budget, f"{role.value} {path}: {len(counter)} > {budget}\n{counter}"


@pytest.mark.parametrize("role", [Role.STAKEHOLDER, Role.AGENT, Role.MANAGER])
def test_story_page_makes_as_many_queries_with_200_comments_and_kudos_as_with_none(
    app, users, role
):
    quiet = add_story(app, "Nobody reacted", team="Retail")
    busy = add_story(app, "Everybody reacted", team="Retail")
    add_reactions(app, busy, add_colleagues(app, 200))
    client = signed_in(app, role).client
    none = queries_for(app, client, f"/stories/{quiet}")
    many = queries_for(app, client, f"/stories/{busy}")
    assert len(many) == len(none), f"0 reactions:\n{none}\n200 reactions:\n{many}"
    page = client.get(f"/stories/{busy}").get_data(as_text=True)
    assert "and 195 more" in page  # the kudos: five names and the rest counted
    assert page.count("Mooi") == 200  # every comment shown


def test_story_list_makes_as_many_queries_for_50_stories_as_for_5(app, users):
    app.config["STORIES_PER_PAGE"] = 50
    client = signed_in(app, Role.STAKEHOLDER).client
    for n in range(5):
        add_story(app, f"Story {n}", team="Retail")
    few = queries_for(app, client, "/stories/")
    for n in range(5, 50):
        add_story(app, f"Story {n}", team=f"Team {n % 7}", author="manager@example.nl")
    many = queries_for(app, client, "/stories/")
    assert len(many) == len(few), f"5 stories:\n{few}\n50 stories:\n{many}"


def test_dashboard_makes_as_many_queries_for_seven_teams_as_for_one(app, users):
    """Each team's row shows its latest featured story: one query for all teams."""
    story = add_story(app, "Featured for Retail", team="Retail")
    add_feature(app, story, team="Retail", week=IsoWeek(2026, 1))
    for role in (Role.STAKEHOLDER, Role.MANAGER):
        client = signed_in(app, role).client
        one = queries_for(app, client, "/dashboard/")
        for n in range(6):
            name = f"Team {n}"
            add_team(app, name)
            teller = f"teller-{role.value}-{n}@example.nl"
            create_user(app, Role.AGENT, email=teller, team=name)
            other = add_story(app, f"Featured for {name}", team=name, author=teller)
            add_reactions(app, other, [users[Role.MANAGER]])  # among the most appreciated
            add_feature(app, other, team=name, week=IsoWeek(2026, 1 + n))
        seven = queries_for(app, client, "/dashboard/")
        assert len(seven) == len(one), f"1 team:\n{one}\n7 teams:\n{seven}"
        with app.app_context():  # the next role starts from one team again
            db.session.execute(db.delete(Team).where(Team.name.like("Team %")))
            db.session.commit()


def test_notifications_make_as_many_queries_for_41_as_for_one(app, users):
    story = add_story(app, "Kudos for this", team="Retail", author="agent@example.nl")
    client = signed_in(app, Role.AGENT).client
    people = add_colleagues(app, 41)
    add_reactions(app, story, people[:1])
    one = queries_for(app, client, "/notifications")
    add_reactions(app, story, people[1:])
    many = queries_for(app, client, "/notifications")
    assert len(many) == len(one), f"1:\n{one}\n41:\n{many}"


def test_shared_values_are_loaded_once_and_fresh_after_a_change(app, users):
    """Teams and themes (the filters) come from the page cache; a team made through a
    page is in the next page at once."""
    client = signed_in(app, Role.STAKEHOLDER).client
    admin = signed_in(app, Role.ADMIN).client
    warm = queries_for(app, client, "/stories/")
    assert not any("FROM teams ORDER BY" in sql for sql in warm.statements), warm
    response = post_form(admin, "/admin/teams/new", {"name": "Night shift", "description": ""})
    assert response.status_code == 302
    assert "Night shift" in client.get("/stories/").get_data(as_text=True)


def test_the_moderation_badge_counts_a_new_submission_at_once(app, users):
    manager = signed_in(app, Role.MANAGER).client
    before = queries_for(app, manager, "/stories/")
    assert not any("customer_submissions" in sql for sql in before.statements), before
    public = app.test_client()
    response = post_form(
        public,
        "/share/",
        {
            "title": "The courier waited for me",
            "channel": "phone",
            "language": "en",
            "body": "He waited in the rain until I was home.",
            "consent_share": "y",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    page = manager.get("/stories/").get_data(as_text=True)
    assert 'data-testid="pending-count"' in page and ">1</span>" in page


def test_no_page_cache_with_zero_seconds(app, users):
    """``PAGE_CACHE_SECONDS = 0`` turns the cache off: every page asks again."""
    app.extensions.pop("storyboard.page_cache", None)
    app.config["PAGE_CACHE_SECONDS"] = 0
    client = signed_in(app, Role.STAKEHOLDER).client
    counter = queries_for(app, client, "/stories/")
    assert any("FROM teams ORDER BY" in sql for sql in counter.statements), counter
