"""Search fixtures: a real SQLite file and a real Whoosh index in ``tmp_path``, and the
same tests again on a real PostgreSQL database with the PostgreSQL search backend.

Stories are saved the way the app saves them (``create_story`` and a commit), so the
outbox, the after-commit drain and the index are the real ones; nothing we own is
mocked. ``Archive`` wraps the few steps every search test repeats.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, func, select

from storyboard.db import db, upgrade_database
from storyboard.models import (
    AuthorKind,
    IndexOutbox,
    Language,
    Role,
    SeededChannel,
    Story,
    StoryStatus,
    Team,
    Theme,
    User,
)
from storyboard.search import service
from storyboard.search.backend import SearchRequest, SearchResults
from storyboard.search.documents import StoryDocument
from storyboard.stories.service import StoryInput, create_story, delete_story
from storyboard.text import slugify
from tests.conftest import ROLES, PostgresServer, app_on_new_database, create_user, make_app

REPO_ROOT = Path(__file__).resolve().parents[2]
EVERYTHING = 10_000  # a page size larger than any test archive
# Every test that takes ``app`` or ``archive`` runs once per backend; the PostgreSQL run
# needs the test server (see tests/conftest.py's ``postgres``).
BACKENDS = ["whoosh", pytest.param("postgresql", marks=pytest.mark.postgres)]


@dataclass
class Archive:
    """One app's stories and search index, driven through the real services."""

    app: Flask
    author_email: str

    # -- writing -----------------------------------------------------------------
    def add(
        self,
        title: str,
        body: str = "",
        *,
        language: str = "en",
        channel: str = "phone",
        team: str | None = "Retail",
        themes: Iterable[str] = (),
        status: StoryStatus = StoryStatus.PUBLISHED,
        author_kind: str = "agent",
        published_at: datetime | None = None,
    ) -> int:
        """Save a story as the app does (then adjust status/kind/date); returns its id."""
        with self.app.app_context():
            author = db.session.scalar(select(User).where(User.email == self.author_email))
            assert author is not None
            theme_ids = tuple(
                db.session.scalar(select(Theme.id).where(Theme.slug == slug)) for slug in themes
            )
            assert None not in theme_ids, f"unknown theme in {themes}"
            story = create_story(
                author,
                StoryInput(
                    title=title,
                    body=body or title,
                    channel=SeededChannel(channel),
                    language=Language(language),
                    team_id=self.team_id(team) if team else None,
                    theme_ids=theme_ids,  # type: ignore[arg-type]
                    publish=status is StoryStatus.PUBLISHED,
                ),
            )
            if author_kind == "customer":
                story.author_kind = AuthorKind.CUSTOMER
                story.author = None
            if status is not StoryStatus.PUBLISHED:
                story.status = status
            if published_at is not None:
                story.published_at = published_at
            db.session.commit()
            return int(story.id)

    def team_id(self, name: str) -> int:
        with self.app.app_context():
            team = db.session.scalar(select(Team).where(Team.name == name))
            if team is None:
                team = Team(name=name, slug=slugify(name))
                db.session.add(team)
                db.session.commit()
            return int(team.id)

    def set_status(self, story_id: int, status: StoryStatus) -> None:
        with self.app.app_context():
            story = db.session.get(Story, story_id)
            assert story is not None
            story.status = status
            db.session.commit()

    def edit(self, story_id: int, **changes: Any) -> None:
        with self.app.app_context():
            story = db.session.get(Story, story_id)
            assert story is not None
            for name, value in changes.items():
                setattr(story, name, value)
            db.session.commit()

    def delete(self, story_id: int) -> None:
        with self.app.app_context():
            story = db.session.get(Story, story_id)
            assert story is not None
            delete_story(story)
            db.session.commit()

    # -- reading -----------------------------------------------------------------
    def engine(self) -> Engine:
        """The app's database engine (on PostgreSQL, where its search tables are)."""
        with self.app.app_context():
            return db.engine

    def search(self, text: str = "", per_page: int = EVERYTHING, **options: Any) -> SearchResults:
        """Search through the service; ``options`` are filters (team=…) or request
        fields (sort=…, page=…, date_from=…)."""
        fields = {"sort", "page", "date_from", "date_to"}
        request = SearchRequest(
            text=text,
            filters={k: v for k, v in options.items() if k not in fields},
            per_page=per_page,
            **{k: v for k, v in options.items() if k in fields},
        )
        with self.app.app_context():
            return service.search_stories(request)

    def ids(self, text: str = "", **options: Any) -> set[int]:
        results = self.search(text, **options)
        found = [hit.story_id for hit in results.hits]
        assert len(found) == len(set(found)) == results.total, "a story is indexed twice"
        return set(found)

    def indexed_ids(self) -> set[int]:
        """Every story the index returns for an empty query (all it holds)."""
        return self.ids("")

    def published_ids(self) -> set[int]:
        with self.app.app_context():
            return set(
                db.session.scalars(select(Story.id).where(Story.status == StoryStatus.PUBLISHED))
            )

    def pending(self) -> int:
        with self.app.app_context():
            return int(db.session.scalar(select(func.count(IndexOutbox.id))) or 0)

    def drain(self, timeout: float = service.COMMAND_WRITE_TIMEOUT) -> int:
        with self.app.app_context():
            return service.drain_pending(timeout=timeout)

    @property
    def index_dir(self) -> Path:
        return Path(self.app.config["INDEX_DIR"])

    @property
    def backend_name(self) -> str:
        return str(self.app.config["SEARCH_BACKEND"])

    def another_app(self) -> Flask:
        """A second app on the same database and index, like another web worker."""
        return make_app(
            Path(self.app.instance_path),
            DATABASE_URL=self.app.config["SQLALCHEMY_DATABASE_URI"],
            SEARCH_BACKEND=self.backend_name,
        )

    def worker_env(self) -> dict[str, str]:
        """What another process needs to open this app's database and search."""
        return {
            "STORYBOARD_DATABASE_URL": self.app.config["SQLALCHEMY_DATABASE_URI"],
            "STORYBOARD_SEARCH_BACKEND": self.backend_name,
        }


# -- apps ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def search_template(
    tmp_path_factory: pytest.TempPathFactory, migrated_db: Path
) -> tuple[Path, dict[Role, int]]:
    """A migrated database with one user per role, made once: hashing four passwords
    with scrypt for every test would cost a second each."""
    instance = tmp_path_factory.mktemp("search-template")
    shutil.copy(migrated_db, instance / "storyboard.db")
    app = make_app(instance)
    user_ids = {role: create_user(app, role) for role in ROLES}
    with app.app_context():
        db.engine.dispose()
    return instance / "storyboard.db", user_ids


@pytest.fixture(scope="session")
def pg_search_template(
    postgres: PostgresServer,
    tmp_path_factory: pytest.TempPathFactory,
    search_template: tuple[Path, dict[Role, int]],
) -> Iterator[str]:
    """A migrated PostgreSQL database with the same users (same ids) as the SQLite one."""
    url = postgres.create()
    app = make_app(
        tmp_path_factory.mktemp("pg-template"), DATABASE_URL=url, SEARCH_BACKEND="postgresql"
    )
    with app.app_context():
        upgrade_database()
    user_ids = {role: create_user(app, role) for role in ROLES}
    assert user_ids == search_template[1], "user ids differ between the two templates"
    with app.app_context():
        db.engine.dispose()
    yield url
    postgres.drop(url)


def app_in(folder: Path, template: Path) -> Flask:
    """A fresh app on a copy of ``template``, its index under ``folder/instance/index``."""
    instance = folder / "instance"
    instance.mkdir()
    shutil.copy(template, instance / "storyboard.db")
    return make_app(instance)


@contextmanager
def backend_app(backend: str, folder: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app with users on a fresh database for ``backend``, disposed (or dropped) after."""
    if backend == "postgresql":
        with app_on_new_database(
            request.getfixturevalue("postgres"),
            folder / "instance",
            template=request.getfixturevalue("pg_search_template"),
            SEARCH_BACKEND="postgresql",
        ) as app:
            yield app
        return
    app = app_in(folder, request.getfixturevalue("search_template")[0])
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """As ``tests/conftest.py``'s ``app``, with the users already in the database; once
    per search backend."""
    with backend_app(request.param, tmp_path, request) as app:
        yield app


@pytest.fixture
def whoosh_app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """For the tests about Whoosh's own files and locks."""
    with backend_app("whoosh", tmp_path, request) as app:
        yield app


@pytest.fixture
def pg_app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """For the tests about the PostgreSQL backend's own tables and plans."""
    with backend_app("postgresql", tmp_path, request) as app:
        yield app


@pytest.fixture
def users(search_template: tuple[Path, dict[Role, int]]) -> dict[Role, int]:
    return dict(search_template[1])


@pytest.fixture
def archive(app: Flask) -> Archive:
    return Archive(app, "agent@example.nl")


@pytest.fixture
def whoosh_archive(whoosh_app: Flask) -> Archive:
    return Archive(whoosh_app, "agent@example.nl")


@pytest.fixture(scope="module", params=BACKENDS)
def module_archive(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Callable[[], Archive]]:
    """Makes archives shared by a module's read-only tests (built once, queried often),
    once per search backend."""
    with ExitStack() as stack:

        def make() -> Archive:
            app = stack.enter_context(
                backend_app(request.param, tmp_path_factory.mktemp("archive"), request)
            )
            return Archive(app, "agent@example.nl")

        yield make


# -- other processes ---------------------------------------------------------------


# Workers are forked from a server process that has imported the app once: each then
# starts in milliseconds instead of a second and more of imports, and is still a process
# of its own (its own index lock, its own database connections), as a separate
# interpreter would be. The server is started on first use, once per test process.
_FORK_SERVER = multiprocessing.get_context("forkserver")
_FORK_SERVER.set_forkserver_preload(
    ["storyboard.setup", "storyboard.search.whoosh_backend", "storyboard.search.pg_backend"]
)


# A worker that says nothing for this long fails its test instead of hanging the run.
WORKER_SILENCE_SECONDS = 120


class Worker:
    """A forked ``tests/search/workers.py`` command, used as a ``subprocess.Popen``
    with text pipes is: ``stdin``, ``stdout``, ``kill``, ``communicate``, ``returncode``."""

    def __init__(self, args: tuple[str, ...], env: dict[str, str]) -> None:
        from tests.search import workers

        talk, child_talk = socket.socketpair()
        errors, child_errors = socket.socketpair()
        self._sockets = (talk, errors)
        try:
            self.process = _FORK_SERVER.Process(
                target=workers.run_forked,
                args=(args[0], args[1:], env, str(REPO_ROOT), child_talk, child_errors),
                daemon=True,
            )
            self.process.start()
        except BaseException:
            talk.close()
            errors.close()
            raise
        finally:
            child_talk.close()  # the child's ends: closed here, so its exit ends the file
            child_errors.close()
        talk.settimeout(WORKER_SILENCE_SECONDS)
        self.stdin = talk.makefile("w", encoding="utf-8", buffering=1)
        self.stdout = talk.makefile("r", encoding="utf-8")
        self._stderr = errors.makefile("r", encoding="utf-8")

    @property
    def returncode(self) -> int | None:
        return self.process.exitcode

    def kill(self) -> None:
        self.process.kill()

    def communicate(self, timeout: float | None = None) -> tuple[str, str]:
        """The rest of the worker's output and its errors once it has exited, read while
        it runs (a full socket buffer would otherwise stop it mid-write)."""
        self._sockets[0].settimeout(None)
        read: dict[str, str] = {}
        readers = [
            threading.Thread(target=lambda: read.update(out=self.stdout.read()), daemon=True),
            threading.Thread(target=lambda: read.update(err=self._stderr.read()), daemon=True),
        ]
        for reader in readers:
            reader.start()
        self.process.join(timeout)
        if self.process.exitcode is None:
            raise subprocess.TimeoutExpired(f"worker {self.process.pid}", timeout or 0)
        for reader in readers:
            reader.join()
        self.close()
        return read.get("out", ""), read.get("err", "")

    def close(self) -> None:
        """Stop the worker if it still runs and close every stream (a test that failed
        halfway leaves none open for the garbage collector to warn about)."""
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join(10)
        for stream in (self.stdin, self.stdout, self._stderr, *self._sockets):
            with suppress(OSError):  # the child is gone: stdin's last flush goes nowhere
                stream.close()


_STARTED: list[Worker] = []


@pytest.fixture(autouse=True)
def _close_workers() -> Iterator[None]:
    """Every worker a test started is stopped and closed when the test ends."""
    yield
    while _STARTED:
        _STARTED.pop().close()


def start_worker(*args: str, env: dict[str, str] | None = None) -> Worker:
    """Run a ``tests/search/workers.py`` command in a process of its own; ``env`` adds
    variables, such as ``Archive.worker_env()``."""
    worker = Worker(args, {**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})})
    _STARTED.append(worker)
    return worker


def expect_line(worker: Worker, wanted: str) -> str:
    """Read the worker's next line; fail with its stderr when it died instead."""
    assert worker.stdout is not None
    line = worker.stdout.readline().strip()
    if not line.startswith(wanted):
        worker.kill()
        _, err = worker.communicate(timeout=10)
        pytest.fail(f"worker said {line!r}, expected {wanted!r}; stderr:\n{err}")
    return line


def finish(worker: Worker, timeout: float = 60) -> str:
    out, err = worker.communicate(timeout=timeout)
    assert worker.returncode == 0, f"worker failed ({worker.returncode}):\n{err}"
    return out


COMMON = ["klant", "customer", "geholpen", "helped", "vraag", "service", "snel"]
RARE = ["pakket", "bezorging", "refund", "verjaardag", "kinderwagen", "invoice", "monteur"]
FILLER = ["de", "het", "een", "the", "was", "werd", "is", "and", "met", "voor", "of"]


def generated_story(rng: random.Random, story_id: int) -> StoryDocument:
    """A story of common, rare and stop words in either language, for index-level tests."""
    language = rng.choice(["nl", "en"])
    sentences = []
    for _ in range(rng.randint(2, 8)):
        if rng.random() < 0.5:
            sentence = (
                "de klant werd snel geholpen"
                if language == "nl"
                else "the customer was helped quickly"
            )
        else:
            pool = COMMON * 3 + RARE + FILLER * 2
            sentence = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 12)))
        sentences.append(sentence.capitalize() + ".")
    return StoryDocument(
        story_id=story_id,
        title=" ".join(rng.choice(COMMON + RARE) for _ in range(rng.randint(1, 4))).capitalize(),
        text=" ".join(sentences),
        language=language,
        team=rng.choice(["retail", "online", "bezorging"]),
        team_name=None,
        channel=rng.choice(["phone", "chat", "email"]),
        themes=tuple(rng.sample(["stand-up", "team", "tools"], rng.randint(0, 2))),
        author_kind=rng.choice(["agent", "customer"]),
        author_name=None,
        published_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=story_id),
    )
