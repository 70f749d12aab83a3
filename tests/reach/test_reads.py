"""Reads: a person's first opening of a published story, counted by role, shown as counts
to the author and managers, folded after 13 months, anonymised on deactivation."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from storyboard.db import db, utcnow
from storyboard.models import Role, Story, StoryRead, StoryReadTally, StoryStatus, User
from storyboard.reach import service as reach
from tests.conftest import Auth, create_user, post_form
from tests.factories import add_story


def reader(app: Flask, role: Role, email: str | None = None) -> Auth:
    auth = Auth(app.test_client())
    if email:
        assert auth.login(email).status_code == 302
    else:
        auth.login_as(role)
    return auth


def reads(app: Flask, story_id: int) -> list[tuple[int | None, str]]:
    with app.app_context():
        return [
            (user_id, role.value)
            for user_id, role in db.session.execute(
                select(StoryRead.user_id, StoryRead.role)
                .where(StoryRead.story_id == story_id)
                .order_by(StoryRead.id)
            )
        ]


def test_a_read_is_recorded_once_per_person_and_not_for_the_author(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "The ferry rebooked at midnight")  # by agent@example.nl
    path = f"/stories/{story}"
    author = reader(app, Role.AGENT)
    assert author.client.get(path).status_code == 200
    stakeholder = reader(app, Role.STAKEHOLDER)
    stakeholder.client.get(path)
    stakeholder.client.get(path)  # a second opening
    reader(app, Role.MANAGER).client.get(path)
    assert reads(app, story) == [
        (users[Role.STAKEHOLDER], "stakeholder"),
        (users[Role.MANAGER], "manager"),
    ]


def test_link_previews_crawlers_and_prefetches_are_no_readers(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "A parcel found in the rain")
    stakeholder = reader(app, Role.STAKEHOLDER)
    path = f"/stories/{story}"
    for headers in (
        {"User-Agent": "Slackbot-LinkExpanding 1.0"},
        {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"},
        {"User-Agent": "Mozilla/5.0", "Sec-Purpose": "prefetch"},
        {"User-Agent": ""},
    ):
        assert stakeholder.client.get(path, headers=headers).status_code == 200
    assert reads(app, story) == []
    stakeholder.client.get(path, headers={"User-Agent": "Mozilla/5.0 (X11; Linux) Chrome"})
    assert len(reads(app, story)) == 1


def test_the_role_at_the_time_of_reading_counts(app: Flask, users: dict[Role, int]) -> None:
    story = add_story(app, "The refund before the complaint")
    reader(app, Role.STAKEHOLDER).client.get(f"/stories/{story}")
    with app.app_context():
        db.session.get(User, users[Role.STAKEHOLDER]).role = Role.MANAGER
        db.session.commit()
        counts = reach.reach_of(db.session.get(Story, story))
    assert counts.stakeholders == 1 and counts.by_role == {Role.STAKEHOLDER: 1}


def test_drafts_and_unpublished_stories_record_nothing(app: Flask, users: dict[Role, int]) -> None:
    draft = add_story(app, "Not yet", status=StoryStatus.DRAFT)
    manager = reader(app, Role.MANAGER)
    manager.client.get(f"/stories/{draft}")
    assert reads(app, draft) == []


def test_the_author_and_managers_see_counts_by_role_and_never_names(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "Birthday present delivered today")
    path = f"/stories/{story}"
    create_user(app, Role.STAKEHOLDER, email="board@example.nl")
    reader(app, Role.STAKEHOLDER).client.get(path)
    reader(app, Role.STAKEHOLDER, "board@example.nl").client.get(path)
    reader(app, Role.MANAGER).client.get(path)
    author_page = reader(app, Role.AGENT).client.get(path).get_data(as_text=True)
    assert "Read by 3 colleagues, 2 of them stakeholders" in author_page
    assert "Stakeholder Tester" not in author_page
    manager_page = reader(app, Role.MANAGER).client.get(path).get_data(as_text=True)
    assert "Read by 3 colleagues, 2 of them stakeholders" in manager_page
    other_agent = create_user(app, Role.AGENT, email="colleague@example.nl")
    assert other_agent
    colleague_page = reader(app, Role.AGENT, "colleague@example.nl").client.get(path)
    assert 'data-testid="story-reach"' not in colleague_page.get_data(as_text=True)
    stakeholder_page = reader(app, Role.STAKEHOLDER).client.get(path).get_data(as_text=True)
    assert 'data-testid="story-reach"' not in stakeholder_page


def test_reads_older_than_thirteen_months_are_folded_into_counts(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "An old favourite")
    reader(app, Role.STAKEHOLDER).client.get(f"/stories/{story}")
    reader(app, Role.MANAGER).client.get(f"/stories/{story}")
    with app.app_context():
        old = db.session.scalars(select(StoryRead).where(StoryRead.role == Role.STAKEHOLDER)).one()
        old.read_at = utcnow() - timedelta(days=400)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-originals"])
    assert result.exit_code == 0, result.output
    assert "Folded 1 story read older than 13 months into counts." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoryRead)) == 1
        tally = db.session.get(StoryReadTally, (story, Role.STAKEHOLDER))
        assert tally is not None and tally.reads == 1
        counts = reach.reach_of(db.session.get(Story, story))
    assert counts.by_role == {Role.STAKEHOLDER: 1, Role.MANAGER: 1}


def test_deactivating_a_person_anonymises_their_reads_and_keeps_the_counts(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "The courier who waited")
    reader(app, Role.STAKEHOLDER).client.get(f"/stories/{story}")
    admin = reader(app, Role.ADMIN)
    response = post_form(
        admin.client,
        f"/admin/users/{users[Role.STAKEHOLDER]}/edit",
        {
            "email": "stakeholder@example.nl",
            "display_name": "Stakeholder Tester",
            "role": "stakeholder",
            "team_id": "",
            "password": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert reads(app, story) == [(None, "stakeholder")]
    with app.app_context():
        assert reach.reach_of(db.session.get(Story, story)).stakeholders == 1


def test_deleting_a_story_deletes_its_reads(app: Flask, users: dict[Role, int]) -> None:
    story = add_story(app, "Soon gone")
    reader(app, Role.STAKEHOLDER).client.get(f"/stories/{story}")
    with app.app_context():
        db.session.delete(db.session.get(Story, story))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(StoryRead)) == 0


def test_managers_see_in_the_digest_which_featured_stories_stakeholders_opened(
    app: Flask, users: dict[Role, int]
) -> None:
    from tests.curation.test_views import feature_form, post_feature

    read = add_story(app, "The birthday present that arrived today")
    unread = add_story(app, "The ferry that waited for a wheelchair")
    manager = reader(app, Role.MANAGER)
    for story in (read, unread):
        assert post_feature(manager.client, story, **feature_form(app)).status_code == 302
    reader(app, Role.STAKEHOLDER).client.get(f"/stories/{read}")
    page = manager.client.get("/digest", follow_redirects=True).get_data(as_text=True)
    assert "read by 1 stakeholder this week" in page
    assert "read by 0 stakeholders this week" in page
    unread_line = page.split('data-testid="digest-unread"')[1].split("</p>")[0]
    assert "The ferry that waited" in unread_line and "birthday" not in unread_line
    stakeholder_page = (
        reader(app, Role.STAKEHOLDER)
        .client.get("/digest", follow_redirects=True)
        .get_data(as_text=True)
    )
    assert "digest-stakeholder-reads" not in stakeholder_page


def test_the_author_hears_once_a_week_how_many_stakeholders_read_the_story(
    app: Flask, users: dict[Role, int], smtp_server
) -> None:
    from storyboard.models import Notification
    from storyboard.weeks import app_timezone, last_complete_week

    story = add_story(app, "The cake that arrived on time")
    create_user(app, Role.STAKEHOLDER, email="board@example.nl")
    for email in ("stakeholder@example.nl", "board@example.nl"):
        reader(app, Role.STAKEHOLDER, email).client.get(f"/stories/{story}")
    reader(app, Role.MANAGER).client.get(f"/stories/{story}")  # not a stakeholder
    with app.app_context():
        last_week = last_complete_week()
        moment = last_week.start(app_timezone()) + timedelta(days=2)
        for row in db.session.scalars(select(StoryRead)):
            row.read_at = moment
        db.session.commit()
    for _ in range(2):  # every run; the week is told once
        result = app.test_cli_runner().invoke(args=["send-notifications"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        notes = db.session.scalars(select(Notification).where(Notification.kind == "reach")).all()
        assert [(n.user_id, n.story_id, n.detail) for n in notes] == [
            (users[Role.AGENT], story, f"{last_week}:2")
        ]
    [message] = smtp_server.to("agent@example.nl")
    assert "Your story was read by 2 stakeholders last week" in message.get_content()
    page = reader(app, Role.AGENT).client.get("/notifications").get_data(as_text=True)
    assert "Your story was read by 2 stakeholders last week" in page


def test_managers_see_the_weekly_reach_figure_and_stakeholders_what_to_read_next(
    app: Flask, users: dict[Role, int]
) -> None:
    from tests.curation.test_views import feature_form, post_feature

    read = add_story(app, "The birthday present that arrived today")
    unread = add_story(app, "The ferry that waited for a wheelchair")
    shared = add_story(app, "The refund before the complaint")
    manager = reader(app, Role.MANAGER)
    for story in (read, unread):
        assert post_feature(manager.client, story, **feature_form(app)).status_code == 302
    post_form(
        manager.client,
        f"/stories/{shared}/share",
        {"recipients": "stakeholder@example.nl", "note": "Before the board meeting"},
    )
    stakeholder = reader(app, Role.STAKEHOLDER)
    before = stakeholder.client.get("/dashboard/").get_data(as_text=True)
    for_you = before.split('data-testid="for-you"')[1].split("</section>")[0]
    assert "The birthday present" in for_you and "The ferry that waited" in for_you
    assert "The refund before the complaint" in for_you and "Before the board meeting" in for_you
    stakeholder.client.get(f"/stories/{read}")
    after = stakeholder.client.get("/dashboard/").get_data(as_text=True)
    for_you = after.split('data-testid="for-you"')[1].split("</section>")[0]
    assert "The birthday present" not in for_you and "The ferry that waited" in for_you
    assert 'data-testid="reach-figure"' not in after

    figure = manager.client.get("/dashboard/").get_data(as_text=True)
    block = figure.split('data-testid="reach-figure"')[1].split("</section>")[0]
    assert "1 of 2 stories featured this week were opened by at least one stakeholder" in block
    assert "1 stakeholder read at least one story this week" in block
    assert 'data-testid="for-you"' not in figure


def test_weekly_reach_counts_the_running_week_each_time_and_shares_past_weeks(
    app: Flask, users: dict[Role, int]
) -> None:
    from storyboard import page_cache
    from storyboard.weeks import IsoWeek, app_timezone

    story_id = add_story(app, "The parcel that came back")
    second = create_user(app, Role.STAKEHOLDER, email="second@example.nl")
    third = create_user(app, Role.STAKEHOLDER, email="third@example.nl")
    with app.app_context():
        zone = app_timezone()
        week = IsoWeek.at(utcnow(), zone)
        story = db.session.get(Story, story_id)
        first_reader = db.session.get(User, users[Role.STAKEHOLDER])
        two_weeks_ago = week.plus(-2).start(zone) + timedelta(hours=9)
        assert reach.record_read(story, first_reader, now=two_weeks_ago)
        db.session.commit()
        assert [w.stakeholders_reading for w in reach.weekly_reach(week, 4, zone)] == [0, 1, 0, 0]

        # A read now counts at once: the running week is counted on every call.
        assert reach.record_read_now(story, db.session.get(User, second))
        assert [w.stakeholders_reading for w in reach.weekly_reach(week, 4, zone)] == [0, 1, 0, 1]

        # Past weeks are shared for a short time: a read that lands in one (only an
        # import or a restore writes such a read) shows once the shared copy expires.
        with db.engine.begin() as connection:
            late = db.session.get(User, third)
            assert reach.record_read(story, late, now=two_weeks_ago, connection=connection)
        assert [w.stakeholders_reading for w in reach.weekly_reach(week, 4, zone)] == [0, 1, 0, 1]
        page_cache.cache_of(app).clear()
        assert [w.stakeholders_reading for w in reach.weekly_reach(week, 4, zone)] == [0, 2, 0, 1]
