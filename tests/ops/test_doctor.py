"""``storyboard doctor``: one clear line per check, exit 1 when something is wrong.

Through the real command on a real database and Whoosh index; the broken states are
made the way they happen (an index folder deleted, a worker that stopped recording,
changes left in the outbox, a database URL that points nowhere).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from storyboard.db import db, utcnow
from storyboard.models import IndexOutbox, Story
from storyboard.ops import config_checks, findings
from storyboard.webhooks.heartbeat import last_round, record_round
from tests.conftest import free_port, make_app
from tests.factories import add_story
from tests.mail_server import MailServer


@pytest.fixture
def healthy(app: Flask, smtp_server: MailServer) -> Flask:
    """An instance with nothing wrong: stories indexed, a worker that just did a round,
    a real secret key, HTTPS cookies, a mail server that answers."""
    app.config.update(SECRET_KEY=secrets.token_hex(32), SESSION_COOKIE_SECURE=True)
    for title in ("The ferry rebooked at midnight", "A present for today"):
        add_story(app, title, index=True)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    return app


def run_doctor(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["doctor", "--workers", "1", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def line_of(output: str, check: str) -> str:
    """The one line about ``check`` (its label, as printed)."""
    lines = [line for line in output.splitlines() if re.match(rf"\[\w+\] +{check}: ", line)]
    assert len(lines) == 1, f"no single line for {check!r} in:\n{output}"
    return lines[0]


def test_a_healthy_instance_is_all_ok(healthy: Flask) -> None:
    code, output = run_doctor(healthy)
    assert code == 0, output
    for check in (
        "database",
        "search backend",
        "search index",
        "index contents",
        "archive size",
        "index outbox",
        "worker",
        "planner statistics",
        "secret key",
        "cookies",
        "rate limits",
        "e-mail",
        "base URL",
    ):
        assert line_of(output, check).startswith("[ok]"), output
    assert "2 stories, as many as the database's published stories" in output
    assert output.rstrip().endswith("13 checks ok, 0 warnings, 0 problems: all is well.")


def test_a_missing_index_is_a_problem_and_is_not_rebuilt_by_the_check(healthy: Flask) -> None:
    index_dir = Path(healthy.config["INDEX_DIR"])
    shutil.rmtree(index_dir)
    code, output = run_doctor(healthy)
    assert code == 1
    line = line_of(output, "search index")
    assert line.startswith("[problem]")
    assert f"no index in {index_dir}: run `storyboard reindex`" in line
    assert line_of(output, "index contents").startswith("[skipped]")
    assert "1 problem: fix the problems above." in output
    assert not index_dir.exists(), "the doctor only looks; it must not build the index"


def test_an_index_of_an_older_format_is_a_problem(healthy: Flask) -> None:
    from storyboard.search.backend import INDEX_FORMAT
    from storyboard.search.whoosh_store import FORMAT_FILE, current_generation

    generation = current_generation(Path(healthy.config["INDEX_DIR"]))
    assert generation is not None
    (generation / FORMAT_FILE).write_text("1", encoding="ascii")
    code, output = run_doctor(healthy)
    assert code == 1
    needs = f"written in format 1, this version needs {INDEX_FORMAT}"
    assert needs in line_of(output, "search index")


def _leave_in_outbox(app: Flask, age: timedelta) -> None:
    """Outbox rows for the stories, as a process that died before its drain leaves them."""
    with app.app_context():
        ids = list(db.session.scalars(select(Story.id)))
        db.session.add_all(IndexOutbox(story_id=sid, created_at=utcnow() - age) for sid in ids)
        db.session.commit()


def test_an_old_outbox_backlog_is_a_problem(healthy: Flask) -> None:
    _leave_in_outbox(healthy, timedelta(hours=2))
    code, output = run_doctor(healthy)
    assert code == 1
    line = line_of(output, "index outbox")
    assert line.startswith("[problem]")
    assert "2 changes wait, the oldest for 2 hours" in line
    assert "`storyboard index drain`" in line


def test_changes_being_applied_are_fine(healthy: Flask) -> None:
    _leave_in_outbox(healthy, timedelta(seconds=5))
    code, output = run_doctor(healthy)
    assert code == 0, output
    assert "2 changes being applied" in line_of(output, "index outbox")


def test_a_stopped_worker_is_a_problem(healthy: Flask) -> None:
    with healthy.app_context():
        record_round(db.session, interval=2.0, now=utcnow() - timedelta(hours=3))
        db.session.commit()
    code, output = run_doctor(healthy)
    assert code == 1
    line = line_of(output, "worker")
    assert line.startswith("[problem]")
    assert "the last round was 3 hours ago" in line
    assert "the worker has stopped. Start `storyboard worker` again" in line


def test_no_worker_ever_is_a_warning_and_strict_makes_it_fail(
    app: Flask, smtp_server: MailServer
) -> None:
    app.config.update(SECRET_KEY=secrets.token_hex(32), SESSION_COOKIE_SECURE=True)
    code, output = run_doctor(app)
    assert code == 0, output
    assert line_of(output, "worker").startswith("[warning]")
    assert "no `storyboard worker` has run on this database" in output
    assert "1 warning, 0 problems: nothing is broken" in output
    code, _ = run_doctor(app, "--strict")
    assert code == 1


def test_the_worker_records_its_rounds(app: Flask) -> None:
    import socket

    assert app.test_cli_runner().invoke(args=["worker", "--once"]).exit_code == 0
    with app.app_context():
        last = last_round(db.session)
    assert last is not None
    assert last.host == socket.gethostname()
    assert not last.is_stale(utcnow())
    assert last.is_stale(utcnow() + timedelta(minutes=11))


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql+psycopg://storyboard:pw@127.0.0.1:{port}/nothing", "Connection refused"),
        ("sqlite:////nonexistent-folder/storyboard.db", "unable to open database file"),
    ],
    ids=["server-down", "no-such-folder"],
)
def test_a_wrong_database_url_is_a_problem_and_the_rest_is_skipped(
    tmp_path: Path, url: str, says: str
) -> None:
    pytest.importorskip("psycopg")
    app = make_app(tmp_path / "instance", DATABASE_URL=url.format(port=free_port()))
    code, output = run_doctor(app)
    assert code == 1
    line = line_of(output, "database")
    assert line.startswith("[problem]")
    assert "cannot reach" in line and says in line
    assert "Check STORYBOARD_DATABASE_URL" in line
    assert ":pw@" not in output, "the password is never shown"
    for check in ("search index", "index outbox", "worker", "planner statistics"):
        assert line_of(output, check).startswith("[skipped]")
    with app.app_context():
        db.engine.dispose()


def test_an_unmigrated_database_says_to_upgrade(tmp_path: Path) -> None:
    app = make_app(tmp_path / "instance")
    code, output = run_doctor(app)
    assert code == 1
    assert "has no tables yet: run `storyboard db upgrade`" in line_of(output, "database")
    with app.app_context():
        db.engine.dispose()


def test_json_output(healthy: Flask) -> None:
    shutil.rmtree(healthy.config["INDEX_DIR"])
    code, output = run_doctor(healthy, "--json")
    assert code == 1
    report: dict[str, Any] = json.loads(output)
    assert report["status"] == "failed"
    statuses = {check["check"]: check["status"] for check in report["checks"]}
    assert statuses["index"] == "problem"
    assert statuses["database"] == "ok"
    assert set(statuses) >= {"outbox", "worker", "secret_key", "mail", "archive_size"}


# -- the archive size -----------------------------------------------------------------
def test_a_whoosh_archive_past_the_limit_is_told_how_to_move(healthy: Flask) -> None:
    healthy.config["WHOOSH_STORY_LIMIT"] = 1  # injected: the real limit is 40,000 stories
    code, output = run_doctor(healthy)
    assert code == 0, "a warning, not a failure"
    line = line_of(output, "archive size")
    assert line.startswith("[warning]")
    assert "2 published stories: past 1, where Whoosh's searches were measured" in line
    assert "`storyboard search use postgresql`" in line
    if healthy.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert "builds its index while the portal keeps serving" in line
    else:  # on SQLite the database has to move first
        assert "Move the database to PostgreSQL (STORYBOARD_DATABASE_URL)" in line


# -- configuration ----------------------------------------------------------------------
@pytest.fixture
def config_app(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.mark.parametrize("key", ["test-secret", "changeme", "x" * 20])
def test_a_weak_secret_key_is_a_problem(config_app: Flask, key: str) -> None:
    config_app.config["SECRET_KEY"] = key
    finding = config_checks.check_secret_key(config_app)
    assert finding.status == findings.PROBLEM
    assert "STORYBOARD_SECRET_KEY is short or a placeholder" in finding.message


def test_insecure_cookies_warn_and_on_https_are_a_problem(config_app: Flask) -> None:
    config_app.config.update(SESSION_COOKIE_SECURE=False, BASE_URL="http://127.0.0.1:5000")
    assert config_checks.check_cookies(config_app).status == findings.WARNING
    config_app.config["BASE_URL"] = "https://stories.example.nl"
    assert config_checks.check_cookies(config_app).status == findings.PROBLEM


def test_memory_rate_limits_with_several_workers_warn_as_serve_does(config_app: Flask) -> None:
    config_app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    finding = config_checks.check_rate_limits(config_app, workers=4)
    assert finding.status == findings.WARNING
    assert "with 4 workers and STORYBOARD_RATELIMIT_STORAGE_URI=memory://" in finding.message
    assert config_checks.check_rate_limits(config_app, workers=1).status == findings.OK


def test_rate_limit_storage_that_does_not_answer_is_a_problem(config_app: Flask) -> None:
    pytest.importorskip("redis")
    config_app.config["RATELIMIT_STORAGE_URI"] = f"redis://127.0.0.1:{free_port()}"
    finding = config_checks.check_rate_limits(config_app, workers=4)
    assert finding.status == findings.PROBLEM
    assert "does not answer" in finding.message


def test_mail_off_warns_and_a_mail_server_that_does_not_answer_is_a_problem(
    config_app: Flask,
) -> None:
    config_app.config["SMTP_HOST"] = ""
    assert config_checks.check_mail(config_app).status == findings.WARNING
    config_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_SECURITY="none")
    finding = config_checks.check_mail(config_app)
    assert finding.status == findings.PROBLEM
    assert "cannot use the mail server 127.0.0.1" in finding.message
