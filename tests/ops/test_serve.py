"""``storyboard serve`` starts gunicorn workers that answer; ProxyFix only when a proxy
count is configured."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask import Flask

from storyboard.db import db
from storyboard.ops.serve import MAX_DEFAULT_WORKERS, default_workers
from tests.conftest import copy_database, free_port, make_app


def test_default_workers_follow_the_cores_within_limits() -> None:
    assert default_workers(1) == 3
    assert default_workers(2) == 5
    assert default_workers(64) == MAX_DEFAULT_WORKERS



@pytest.mark.slow
def test_serve_runs_gunicorn_workers_that_answer(tmp_path: Path, migrated_db: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    copy_database(migrated_db, instance / "storyboard.db")
    port = free_port()
    env = {**os.environ, "STORYBOARD_INSTANCE_PATH": str(instance),
           "STORYBOARD_SECRET_KEY": "serve-test", "STORYBOARD_SECURE_COOKIES": "false",
           "STORYBOARD_DEFAULT_LOCALE": "en"}
    server = subprocess.Popen(
        [sys.executable, "-c", "from storyboard.cli import main; main()", "serve",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-access-log"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/login", timeout=5) as r:
            assert b"Sign in" in r.read()
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert "with 2 workers" in output
    assert output.count("Booting worker") == 2


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    app = make_app(tmp_path / "instance")
    result = app.test_cli_runner().invoke(args=["serve", "--bind", "127.0.0.1:1"])
    assert result.exit_code == 1
    assert "storyboard db upgrade" in result.output


def test_forwarded_headers_count_only_behind_a_configured_proxy(app: Flask,
                                                                tmp_path: Path) -> None:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    direct = app.test_client().get("/auth/login", headers=headers)
    assert "Strict-Transport-Security" not in direct.headers

    proxied = make_app(Path(app.instance_path), PROXY_COUNT=1,
                       DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    response = proxied.test_client().get("/auth/login", headers=headers)
    with proxied.app_context():
        db.engine.dispose()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
