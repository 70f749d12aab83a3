"""Other processes for the outbox tests: forked by ``conftest.start_worker`` (see
``run_forked``), or run by hand as ``python -m tests.search.workers COMMAND …``.

Each command talks to the test over stdin/stdout, one line at a time, so the test
decides when a lock is taken and released and when workers start saving.

    hold-lock INSTANCE                take the search index's writer lock (Whoosh's
                                      file lock, or PostgreSQL's advisory lock); print
                                      "locked"; release it when a line arrives on stdin
    save-and-die INSTANCE EMAIL TITLE print "ready", wait for a line on stdin, save one
                                      published story with the after-commit drain
                                      switched off, print its id, then os._exit: a
                                      process that dies between commit and indexing
    save-many INSTANCE EMAIL PREFIX N print "ready", wait for a line on stdin, then save
                                      N published stories, one commit each (the normal
                                      after-commit drain runs), printing each id

    die-applying INSTANCE EMAIL PREFIX N
                                      save N published stories with the after-commit
                                      drain switched off, then drain them: print
                                      "applying" once the index writer is open and one
                                      story is written, and wait there to be SIGKILLed

The database and search backend come from STORYBOARD_DATABASE_URL and
STORYBOARD_SEARCH_BACKEND when the test sets them (``Archive.worker_env()``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select


def _say(line: object) -> None:
    print(line, flush=True)


def _app(instance: str) -> Flask:
    from tests.conftest import make_app

    return make_app(Path(instance))


def _save(app: Flask, email: str, title: str) -> int:
    from storyboard.db import db
    from storyboard.models import Language, SeededChannel, User
    from storyboard.stories.service import StoryInput, create_story

    with app.app_context():
        author = db.session.scalar(select(User).where(User.email == email))
        story = create_story(
            author,
            StoryInput(
                title=title,
                body=f"{title}: a story saved by process {os.getpid()}.",
                channel=SeededChannel.CHAT,
                language=Language.EN,
                team_id=None,
                publish=True,
            ),
        )
        db.session.commit()
        return int(story.id)


def hold_lock(instance: str) -> None:
    from storyboard.search import service

    app = _app(instance)
    with app.app_context(), service.state_for(app).backend.hold_writes(timeout=10):
        _say("locked")
        sys.stdin.readline()
    _say("released")


def save_and_die(instance: str, email: str, title: str) -> None:
    from storyboard.search import outbox

    app = _app(instance)
    outbox.after_commit_hooks.clear()  # the process "dies" before the index update
    _say("ready")
    sys.stdin.readline()
    _say(_save(app, email, title))
    sys.stdout.flush()
    os._exit(0)  # no clean-up, no atexit, no drain


def save_many(instance: str, email: str, prefix: str, count: str) -> None:
    app = _app(instance)
    with app.app_context():  # connect before the start signal, like a running worker
        from storyboard.db import db

        db.session.execute(select(1))
    _say("ready")
    sys.stdin.readline()
    for number in range(int(count)):
        _say(_save(app, email, f"{prefix} {number}"))


def die_applying(instance: str, email: str, prefix: str, count: str) -> None:
    from storyboard.search import outbox, service
    from storyboard.search.backend import Changes

    app = _app(instance)
    outbox.after_commit_hooks.clear()
    for number in range(int(count)):
        _save(app, email, f"{prefix} {number}")

    class Pausing(list):  # type: ignore[type-arg]
        """The stories to write; iterating them stops after the first for the kill."""

        def __iter__(self):  # type: ignore[no-untyped-def]
            for position, item in enumerate(list.__iter__(self)):
                if position == 1:
                    _say("applying")
                    sys.stdin.readline()  # never answered: the test kills us here
                yield item

    with app.app_context(), service.new_session() as session:

        def load() -> Changes:
            changes = outbox._load_changes(session, outbox.BATCH_SIZE)
            return Changes(Pausing(changes.upserts), changes.removals, changes.outbox_ids)

        service.state_for(app).backend.apply(load, timeout=10)
    _say("finished")  # only if the test failed to kill us


COMMANDS = {
    "hold-lock": hold_lock,
    "save-and-die": save_and_die,
    "save-many": save_many,
    "die-applying": die_applying,
}


def run_forked(
    command: str, args: tuple[str, ...], env: dict[str, str], cwd: str, talk: Any, errors: Any
) -> None:
    """A worker forked from the test's fork server (``conftest.start_worker``): it talks
    over the socket ``talk`` as a child would over stdin and stdout, and writes its
    errors to ``errors``, in the environment and directory the test gave it."""
    os.dup2(talk.fileno(), 0)
    os.dup2(talk.fileno(), 1)
    os.dup2(errors.fileno(), 2)
    talk.close()
    errors.close()
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - lives as long as we do
    sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        COMMANDS[command](*args)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
