"""Comments: sanitized like stories, only on published stories, editable by their writer
for a while, deletable by managers; the author hears of them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from storyboard.db import db, utcnow
from storyboard.models import Comment, Role, StoryStatus, User
from storyboard.recognition import comments
from tests.conftest import detached_rows, post_form, signed_in
from tests.factories import add_story

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "![x](javascript:alert(1))",
    '"><script>alert(1)</script>',
    "<iframe src=https://evil.example></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
]


def comment_rows(app: Flask) -> list[Comment]:
    return detached_rows(app, Comment)


@pytest.mark.parametrize("hostile", XSS)
def test_comments_are_sanitized_like_stories(
    app: Flask, users: dict[Role, int], hostile: str
) -> None:
    story = add_story(app, "A story to react to")
    manager = signed_in(app, Role.MANAGER)
    post_form(
        manager.client,
        f"/stories/{story}/comments",
        {"body": f"Great! {hostile}"},
        token_from=f"/stories/{story}",
    )
    [row] = comment_rows(app)
    lowered = row.body_html.lower()
    for bad in ("<script", "onerror", "onload", "javascript:", "<iframe", "data:text"):
        assert bad not in lowered
    page = manager.client.get(f"/stories/{story}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


def test_a_comment_notifies_the_author_and_shows_on_the_story(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "Worth a word")
    stakeholder = signed_in(app, Role.STAKEHOLDER)
    post_form(
        stakeholder.client,
        f"/stories/{story}/comments",
        {"body": "This is *exactly* why we do this."},
        token_from=f"/stories/{story}",
    )
    page = stakeholder.client.get(f"/stories/{story}").get_data(as_text=True)
    assert "<em>exactly</em>" in page and "1 comment" in page
    author = signed_in(app, Role.AGENT)
    assert "Stakeholder Tester commented on your story" in author.client.get(
        "/notifications"
    ).get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "the comment is empty"),
        ("   \u200b ", "the comment is empty"),
        ("x" * 2001, "under 2,000 characters"),
    ],
)
def test_empty_and_huge_comments_are_refused(
    app: Flask, users: dict[Role, int], body: str, message: str
) -> None:
    story = add_story(app, "Quiet story")
    manager = signed_in(app, Role.MANAGER)
    response = post_form(
        manager.client, f"/stories/{story}/comments", {"body": body}, token_from=f"/stories/{story}"
    )
    assert message in manager.client.get(response.headers["Location"]).get_data(as_text=True)
    assert comment_rows(app) == []


def test_no_comments_on_unpublished_stories(app: Flask, users: dict[Role, int]) -> None:
    draft = add_story(app, "Not yet", status=StoryStatus.DRAFT)
    author = signed_in(app, Role.AGENT)
    post_form(
        author.client,
        f"/stories/{draft}/comments",
        {"body": "Me first"},
        token_from=f"/stories/{draft}",
    )
    assert comment_rows(app) == []
    stakeholder = signed_in(app, Role.STAKEHOLDER)
    assert (
        post_form(
            stakeholder.client, f"/stories/{draft}/comments", {"body": "Hi"}, token_from="/stories/"
        ).status_code
        == 404
    )


def test_the_writer_edits_and_deletes_within_the_window_then_only_managers_delete(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "Talked about")
    stakeholder = signed_in(app, Role.STAKEHOLDER)
    post_form(
        stakeholder.client,
        f"/stories/{story}/comments",
        {"body": "Fisrt draft"},
        token_from=f"/stories/{story}",
    )
    [row] = comment_rows(app)
    post_form(
        stakeholder.client,
        f"/comments/{row.id}/edit",
        {"body": "First draft"},
        token_from=f"/stories/{story}",
    )
    [row] = comment_rows(app)
    assert row.body == "First draft" and row.edited_at is not None
    other = signed_in(app, Role.AGENT)
    post_form(
        other.client,
        f"/comments/{row.id}/edit",
        {"body": "Hijacked"},
        token_from=f"/stories/{story}",
    )
    post_form(other.client, f"/comments/{row.id}/delete", {}, token_from=f"/stories/{story}")
    assert [c.body for c in comment_rows(app)] == ["First draft"]

    with app.app_context():  # the window closes
        db.session.get(Comment, row.id).created_at = utcnow() - timedelta(minutes=16)
        db.session.commit()
    response = post_form(
        stakeholder.client,
        f"/comments/{row.id}/edit",
        {"body": "Late"},
        token_from=f"/stories/{story}",
    )
    page = stakeholder.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "for 15 minutes" in page
    post_form(stakeholder.client, f"/comments/{row.id}/delete", {}, token_from=f"/stories/{story}")
    assert len(comment_rows(app)) == 1
    manager = signed_in(app, Role.MANAGER)
    post_form(manager.client, f"/comments/{row.id}/delete", {}, token_from=f"/stories/{story}")
    assert comment_rows(app) == []
    assert (
        post_form(
            manager.client, "/comments/999999/delete", {}, token_from=f"/stories/{story}"
        ).status_code
        == 404
    )


def test_edit_window_rule(app: Flask, users: dict[Role, int]) -> None:
    with app.app_context():
        writer = db.session.get(User, users[Role.AGENT])
        manager = db.session.get(User, users[Role.MANAGER])
        written = utcnow()
        comment = Comment(
            story_id=0, author_id=writer.id, body="x", body_html="x", created_at=written
        )
        assert comments.can_edit(comment, writer, written + timedelta(minutes=15))
        assert not comments.can_edit(comment, writer, written + timedelta(minutes=15, seconds=1))
        assert comments.can_delete(comment, manager, written + timedelta(days=400))
        assert not comments.can_edit(comment, manager, written)
