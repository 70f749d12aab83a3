"""The ``storyboard create-user`` command (and ``db upgrade`` on a fresh instance)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import inspect, select

from storyboard.db import db
from storyboard.models import Role, User
from tests.conftest import PASSWORD_HASH_PREFIX, make_app
from tests.factories import add_team, create_user

SECRET = "a very long secret password"


def create(runner, *args: str, password: str | None = SECRET, confirm: str | None = None):
    """Run create-user, typing the password (twice) at the prompt."""
    typed = None
    if password is not None:
        typed = f"{password}\n{confirm if confirm is not None else password}\n"
    return runner.invoke(args=["create-user", *args], input=typed)


def user_by_email(app: Flask, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


@pytest.fixture
def retail(app: Flask) -> int:
    return add_team(app, "Retail")


def test_create_user_prompts_for_the_password_and_never_echoes_it(app, runner, retail):
    result = create(
        runner,
        "--email",
        "first.admin@example.nl",
        "--role",
        "admin",
        "--name",
        "First Admin",
        "--team",
        "retail",
    )
    assert result.exit_code == 0, result.output
    assert "Password:" in result.output
    assert "Repeat for confirmation:" in result.output
    assert SECRET not in result.output
    assert "Created admin first.admin@example.nl" in result.output

    user = user_by_email(app, "first.admin@example.nl")
    assert user.role is Role.ADMIN
    assert user.display_name == "First Admin"
    assert user.team_id == retail
    assert user.active
    assert user.password_hash.startswith(PASSWORD_HASH_PREFIX)
    with app.app_context():
        assert db.session.get(User, user.id).check_password(SECRET)


def test_the_new_user_can_sign_in(app, runner, auth):
    assert create(runner, "--email", "agent@example.nl", "--role", "agent").exit_code == 0
    assert auth.login("agent@example.nl", SECRET).status_code == 302


def test_name_defaults_to_the_e_mail_name(app, runner):
    assert create(runner, "--email", "sam@example.nl", "--role", "stakeholder").exit_code == 0
    assert user_by_email(app, "sam@example.nl").display_name == "sam"


def test_duplicate_e_mail_is_a_clear_error(app, runner):
    create_user(app, Role.AGENT, email="taken@example.nl")
    result = create(runner, "--email", "Taken@Example.nl", "--role", "manager")
    assert result.exit_code != 0
    assert "Someone already has that e-mail address." in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 1


def test_unknown_team_is_a_clear_error(app, runner):
    result = create(runner, "--email", "x@example.nl", "--role", "agent", "--team", "nowhere")
    assert result.exit_code != 0
    assert "no team with slug 'nowhere'" in result.output
    assert "--team" in result.output
    assert user_by_email(app, "x@example.nl") is None


def test_unknown_role_is_refused(app, runner):
    result = create(runner, "--email", "x@example.nl", "--role", "superuser")
    assert result.exit_code != 0
    assert "superuser" in result.output
    assert user_by_email(app, "x@example.nl") is None


def test_short_password_is_refused(app, runner):
    result = create(runner, "--email", "x@example.nl", "--role", "agent", password="short")
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert user_by_email(app, "x@example.nl") is None


def test_mismatched_confirmation_asks_again(app, runner):
    typed = f"{SECRET}\nsomething else\n{SECRET}\n{SECRET}\n"
    result = runner.invoke(
        args=["create-user", "--email", "x@example.nl", "--role", "agent"], input=typed
    )
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert SECRET not in result.output
    assert user_by_email(app, "x@example.nl") is not None


def test_db_upgrade_works_on_a_fresh_instance_folder(tmp_path: Path):
    """With the secret key configured, nothing but the app itself makes the folder."""
    instance = tmp_path / "new-host" / "instance"
    app = make_app(instance)
    try:
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            assert "stories" in inspect(db.engine).get_table_names()
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("email", ["not an address", "", "@example.nl"])
def test_invalid_e_mail_is_refused(app, runner, email):
    result = create(runner, "--email", email, "--role", "agent")
    assert result.exit_code != 0
    assert "--email" in result.output
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []
