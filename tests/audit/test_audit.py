"""The audit log: administrative actions are recorded with who, what and when, in the
same transaction as the change, and admins read them on /admin/audit."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import AuditEvent, Role, StoryStatus, User
from tests.admin.test_admin import user_form
from tests.conftest import Auth, post_form
from tests.factories import add_story
from tests.nps.test_upload_page import CSV, upload


def events(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            (e.actor_label, e.action, e.detail)
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_account_changes_are_logged_with_what_changed(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.ADMIN)
    post_form(auth.client, "/admin/users/new", user_form())
    with app.app_context():
        new_id = db.session.scalar(select(User.id).where(User.email == "new.agent@example.nl"))
    path = f"/admin/users/{new_id}/edit"
    post_form(
        auth.client, path, user_form(role="manager", active=None, password="another long password")
    )
    post_form(auth.client, path, user_form(role="manager", active=None, password=""))  # no-op
    assert events(app) == [
        ("admin@example.nl", "user.create", "new.agent@example.nl as agent"),
        (
            "admin@example.nl",
            "user.update",
            "role: agent → manager; active: True → False; password changed",
        ),
    ]


def test_a_refused_change_logs_nothing(app: Flask, auth: Auth, users: dict[Role, int]) -> None:
    auth.login_as(Role.ADMIN)
    response = post_form(
        auth.client, "/admin/users/new", user_form(email="agent@example.nl")
    )  # taken
    assert response.status_code == 400
    assert events(app) == []


def test_teams_features_stories_and_imports_are_logged(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.ADMIN)
    post_form(auth.client, "/admin/teams/new", {"name": "Web care"})
    auth.logout()
    auth.login_as(Role.MANAGER)
    story = add_story(app, "A story to feature")
    from tests.web.test_access import FEATURE_FORM

    post_form(
        auth.client, f"/stories/{story}/feature", FEATURE_FORM, token_from=f"/stories/{story}"
    )
    post_form(auth.client, f"/stories/{story}/delete", {}, token_from=f"/stories/{story}")
    upload(auth.client, CSV)
    actions = [(who, action) for who, action, _detail in events(app)]
    assert actions == [
        ("admin@example.nl", "team.create"),
        ("manager@example.nl", "feature.create"),
        ("manager@example.nl", "story.delete"),
        ("manager@example.nl", "nps.import"),
    ]
    details = [detail for _who, _action, detail in events(app)]
    assert details[2].startswith("published agent story")
    assert "A story to feature" not in " ".join(details)  # no content in the log
    assert details[3] == (
        "source survey: 2 read, 1 imported, 0 already there, 0 duplicates in the file, "
        "1 rejected, encoding UTF-8 (BOM)"
    )


def test_an_author_deleting_their_own_draft_is_not_an_admin_action(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    draft = add_story(app, "My draft", status=StoryStatus.DRAFT)
    auth.login_as(Role.AGENT)
    post_form(auth.client, f"/stories/{draft}/delete", {}, token_from=f"/stories/{draft}")
    assert events(app) == []


def test_commands_are_logged_as_the_command_line(
    app: Flask, tmp_path: Any, users: dict[Role, int]
) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "cli@example.nl",
            "--role",
            "stakeholder",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    answers = tmp_path / "a.csv"
    answers.write_bytes(CSV)
    runner.invoke(args=["import-nps", str(answers)])
    assert [(who, action) for who, action, _ in events(app)] == [
        ("command line", "user.create"),
        ("command line", "nps.import"),
    ]


def test_admins_read_and_filter_the_log(app: Flask, auth: Auth, users: dict[Role, int]) -> None:
    auth.login_as(Role.ADMIN)
    post_form(auth.client, "/admin/teams/new", {"name": "Web care"})
    post_form(auth.client, "/admin/themes/new", {"name_nl": "Geduld", "name_en": "Patience"})
    page = auth.client.get("/admin/audit").get_data(as_text=True)
    assert "team.create" in page and "theme.create" in page and "2 events" in page
    only = auth.client.get("/admin/audit?action=team.").get_data(as_text=True)
    assert "1 event" in only and "theme.create</code>" not in only
    nobody = auth.client.get("/admin/audit?actor=%25").get_data(as_text=True)
    assert "0 events" in nobody  # % is searched for literally
