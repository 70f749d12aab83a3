"""Learning moments: who may raise them, only allowed transitions, each recorded with who
and when, the story shows the status, the author is told, the digest lists them."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from storyboard.db import db, utcnow
from storyboard.lessons import service
from storyboard.models import Lesson, LessonStatus, Notification, Role, StoryStatus, User
from tests.conftest import post_form, signed_in
from tests.factories import add_story

O, P, C, D = (  # noqa: E741 - the four statuses, short for the transition table
    LessonStatus.OPEN,
    LessonStatus.IN_PROGRESS,
    LessonStatus.CHANGED,
    LessonStatus.DECLINED,
)


def lesson_of(app: Flask, story_id: int) -> Lesson | None:
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.story_id == story_id))
        if lesson is not None:
            _ = [(e.from_status, e.to_status, e.by_id, e.at, e.note) for e in lesson.events]
            db.session.expunge_all()
        return lesson


def test_the_author_raises_a_lesson_and_a_manager_sees_it_through(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "The refund rule that hurt")
    path = f"/stories/{story}"
    author = signed_in(app, Role.AGENT)
    post_form(
        author.client,
        f"{path}/lesson",
        {"proposal": "Let agents refund up to 50 euro", "owner_id": str(users[Role.MANAGER])},
        token_from=path,
    )
    manager = signed_in(app, Role.MANAGER)
    lesson = lesson_of(app, story)
    assert lesson is not None and lesson.status is O
    for target, note in ((P, ""), (C, "New refund limit since Monday")):
        post_form(
            manager.client,
            f"/lessons/{lesson.id}/status",
            {"status": target.value, "note": note},
            token_from=path,
        )
    lesson = lesson_of(app, story)
    assert lesson is not None and lesson.status is C and lesson.closed_at is not None
    assert [(e.from_status, e.to_status, e.by_id) for e in lesson.events] == [
        (None, O, users[Role.AGENT]),
        (O, P, users[Role.MANAGER]),
        (P, C, users[Role.MANAGER]),
    ]
    assert all(e.at is not None for e in lesson.events)
    page = author.client.get(path).get_data(as_text=True)
    assert 'data-testid="lesson-status">Changed<' in page
    assert "New refund limit since Monday" in page
    with app.app_context():
        assert db.session.scalar(
            select(Notification.id).where(
                Notification.kind == "lesson", Notification.user_id == users[Role.AGENT]
            )
        )
    lessons = author.client.get("/lessons?status=changed").get_data(as_text=True)
    assert "Let agents refund up to 50 euro" in lessons


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ([O, P], True),
        ([O, D], True),
        ([O, P, O], True),
        ([O, P, D], True),
        ([O, P, C], True),
        ([O, C], False),
        ([O, P, C, O], False),
        ([O, D, P], False),
        ([O, O], False),
    ],
)
def test_only_allowed_transitions(
    app: Flask, users: dict[Role, int], path: list[LessonStatus], allowed: bool
) -> None:
    story = add_story(app, "State machine")
    with app.app_context():
        manager = db.session.get(User, users[Role.MANAGER])
        from storyboard.models import Story

        lesson = service.raise_lesson(db.session.get(Story, story), manager, "Change it", None)
        ok = True
        try:
            for target in path[1:]:
                service.move(lesson, target, manager, note="because")
        except service.LessonError:
            ok = False
        assert ok is allowed


def test_declining_needs_a_note_and_only_managers_move_lessons(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "Declined idea")
    path = f"/stories/{story}"
    manager = signed_in(app, Role.MANAGER)
    post_form(manager.client, f"{path}/lesson", {"proposal": "Open on Sundays"}, token_from=path)
    lesson = lesson_of(app, story)
    assert lesson is not None
    response = post_form(
        manager.client,
        f"/lessons/{lesson.id}/status",
        {"status": "declined", "note": ""},
        token_from=path,
    )
    assert "Say why" in manager.client.get(response.headers["Location"]).get_data(as_text=True)
    for status in ("nonsense", "changed"):
        post_form(
            manager.client, f"/lessons/{lesson.id}/status", {"status": status}, token_from=path
        )
    assert lesson_of(app, story).status is O  # type: ignore[union-attr]
    author = signed_in(app, Role.AGENT)
    assert (
        post_form(
            author.client,
            f"/lessons/{lesson.id}/status",
            {"status": "in_progress"},
            token_from=path,
        ).status_code
        == 403
    )


def test_who_may_raise(app: Flask, users: dict[Role, int]) -> None:
    story = add_story(app, "Someone else's")
    draft = add_story(app, "Draft", status=StoryStatus.DRAFT)
    stakeholder = signed_in(app, Role.STAKEHOLDER)
    assert (
        post_form(
            stakeholder.client,
            f"/stories/{story}/lesson",
            {"proposal": "x"},
            token_from=f"/stories/{story}",
        ).status_code
        == 403
    )
    author = signed_in(app, Role.AGENT)
    post_form(
        author.client, f"/stories/{draft}/lesson", {"proposal": "x"}, token_from=f"/stories/{story}"
    )
    post_form(
        author.client,
        f"/stories/{story}/lesson",
        {"proposal": "  "},
        token_from=f"/stories/{story}",
    )
    assert lesson_of(app, story) is None and lesson_of(app, draft) is None


def test_the_weeks_digest_lists_lessons_raised_and_closed(
    app: Flask, users: dict[Role, int]
) -> None:
    from storyboard.digest.builder import build_digest
    from storyboard.models import Story
    from storyboard.weeks import IsoWeek, app_timezone

    story = add_story(app, "Digest-worthy lesson")
    with app.app_context():
        manager = db.session.get(User, users[Role.MANAGER])
        lesson = service.raise_lesson(db.session.get(Story, story), manager, "Fix the form", None)
        service.move(lesson, D, manager, note="Out of scope")
        db.session.commit()
        digest = build_digest(IsoWeek.at(utcnow(), app_timezone()))
        assert [(item.proposal, what) for item, what in digest.learning_moments] == [
            ("Fix the form", "raised"),
            ("Fix the form", "closed"),
        ]
