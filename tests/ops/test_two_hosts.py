"""Two app servers on one PostgreSQL database, as two hosts behind a load balancer:
each has its own instance folder (no shared disk) and searches with the PostgreSQL
backend. A story saved through one is found through the other at once, both answer
every search identically, and a server killed mid-save loses nothing."""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storyboard.db import db, upgrade_database
from storyboard.models import IndexOutbox, Role, Story, StoryStatus
from tests.conftest import PASSWORD, PostgresServer, create_user, free_port, make_app

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
SECRET = "two-hosts-test"


@dataclass
class Host:
    """One ``storyboard serve`` process and a signed-in browser-like client for it."""

    process: subprocess.Popen[str]
    base: str
    opener: urllib.request.OpenerDirector

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return str(response.read().decode())

    def post(self, path: str, fields: dict[str, str]) -> str:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path))
        assert token, f"no CSRF token on {path}"
        data = urllib.parse.urlencode({**fields, "csrf_token": token.group(1)}).encode()
        with self.opener.open(self.base + path, data=data, timeout=30) as response:
            return str(response.read().decode())

    def search(self, query: str, page: int = 1) -> list[str]:
        """Titles on one page of results, in order."""
        found = self.get("/search?" + urllib.parse.urlencode({"q": query, "page": page}))
        return [
            html.unescape(t)
            for t in re.findall(r'<h2><a href="/stories/\d+"[^>]*>([^<]*)</a>', found)
        ]

    def search_all(self, query: str = "") -> list[str]:
        """Titles on every page of results."""
        titles: list[str] = []
        for page in range(1, 100):
            shown = self.search(query, page)
            if not shown or shown[0] in titles:  # past the last page: the last one again
                return titles
            titles += shown
        raise AssertionError("more pages than expected")


def start_host(tmp_path: Path, name: str, database_url: str) -> Host:
    instance = tmp_path / name
    instance.mkdir(exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "STORYBOARD_INSTANCE_PATH": str(instance),
        "STORYBOARD_DATABASE_URL": database_url,
        "STORYBOARD_SEARCH_BACKEND": "postgresql",
        "STORYBOARD_SECRET_KEY": SECRET,
        "STORYBOARD_SECURE_COOKIES": "false",
        "STORYBOARD_DEFAULT_LOCALE": "en",
        "STORYBOARD_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from storyboard.cli import main; main()",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-access-log",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a process group: SIGKILL takes the workers too
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                assert response.status == 200
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"{name} did not start:\n{process.communicate()[0]}")
            time.sleep(0.2)
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    host = Host(process, base, opener)
    host.post("/auth/login", {"email": "agent@example.nl", "password": PASSWORD})
    return host


def stop(host: Host, sig: int = signal.SIGTERM) -> None:
    """SIGTERM: gunicorn's graceful stop; SIGKILL: the host dies, workers and all."""
    if host.process.poll() is None:
        if sig == signal.SIGKILL:
            os.killpg(host.process.pid, signal.SIGKILL)
        else:
            host.process.send_signal(sig)
    host.process.communicate(timeout=30)


@pytest.fixture
def database(postgres: PostgresServer, tmp_path: Path) -> Iterator[str]:
    url = postgres.create()
    app = make_app(tmp_path / "setup", DATABASE_URL=url, SEARCH_BACKEND="postgresql")
    with app.app_context():
        upgrade_database()
    create_user(app, Role.AGENT)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    yield url
    postgres.drop(url)


def story_form(title: str) -> dict[str, str]:
    return {
        "title": title,
        "body": f"{title}: told on one host, found on the other.",
        "channel": "chat",
        "language": "en",
        "team_id": "",
        "action": "publish",
    }


def database_state(url: str, tmp_path: Path) -> tuple[set[str], int]:
    app = make_app(tmp_path / "check", DATABASE_URL=url, SEARCH_BACKEND="postgresql")
    with app.app_context():
        titles = set(
            db.session.scalars(select(Story.title).where(Story.status == StoryStatus.PUBLISHED))
        )
        pending = int(db.session.scalar(select(func.count(IndexOutbox.id))) or 0)
        db.session.remove()
        db.engine.dispose()
    return titles, pending


def test_two_hosts_share_one_search_index_in_postgres(database: str, tmp_path: Path) -> None:
    first = start_host(tmp_path, "host-a", database)
    second = start_host(tmp_path, "host-b", database)
    try:
        first.post("/stories/new", story_form("Lighthouse parcel rerouted"))
        # Saved through the first host, found through the second one straight away.
        assert second.search("lighthouse") == ["Lighthouse parcel rerouted"]
        second.post("/stories/new", story_form("Lighthouse keeper called back"))
        for query in ["lighthouse", '"parcel rerouted"', "keeper -parcel", "found", "nothing"]:
            assert first.search(query) == second.search(query), query
        assert sorted(first.search("lighthouse")) == [
            "Lighthouse keeper called back",
            "Lighthouse parcel rerouted",
        ]
    finally:
        stop(first)
        stop(second)


def test_a_host_killed_mid_save_loses_nothing(database: str, tmp_path: Path) -> None:
    """The first host is SIGKILLed while it is saving stories as fast as it can; the
    second one keeps serving, and every story the database holds is searchable there."""
    first = start_host(tmp_path, "host-a", database)
    second = start_host(tmp_path, "host-b", database)
    saver = subprocess.Popen(
        [sys.executable, "-c", SAVE_IN_A_LOOP, first.base, PASSWORD],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert saver.stdout is not None
        for _ in range(5):  # let a few saves land, then kill the host mid-stream
            assert saver.stdout.readline().startswith("saved"), saver.stderr
        stop(first, signal.SIGKILL)
        saver.wait(timeout=60)
        second.post("/stories/new", story_form("After the crash"))  # its drain runs
        titles, pending = database_state(database, tmp_path)
        assert pending == 0
        assert len(titles) >= 6
        found = second.search_all()
        assert len(found) == len(set(found)), "a story is indexed twice"
        assert set(found) == titles
    finally:
        saver.kill()
        saver.communicate(timeout=30)
        stop(first, signal.SIGKILL)
        stop(second)


# A client of its own: saves "Crash test N" stories until the host stops answering.
SAVE_IN_A_LOOP = r"""
import http.cookiejar, re, sys, urllib.parse, urllib.request
base, password = sys.argv[1], sys.argv[2]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
def post(path, fields):
    page = opener.open(base + path, timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
    return opener.open(base + path, data=data, timeout=30).read()
post("/auth/login", {"email": "agent@example.nl", "password": password})
number = 0
try:
    while True:
        post("/stories/new", {"title": f"Crash test {number}", "body": "Saved in a loop.",
                              "channel": "chat", "language": "en", "team_id": "",
                              "action": "publish"})
        print("saved", number, flush=True)
        number += 1
except OSError:
    pass
"""
