"""The outbox keeps the index in step with the database across processes: a locked
index, a process that dies after its commit, and two processes saving at once all end
with every published story searchable, and nothing else."""

from __future__ import annotations

import os
from typing import Any

import pytest

from storyboard.db import db
from storyboard.models import StoryStatus
from tests.search.conftest import Archive, Worker, expect_line, finish, start_worker

# How many stories the eight-process test saves; 500 is issue 9's target, run by hand.
STRESS_STORIES = int(os.environ.get("STORYBOARD_STRESS_STORIES", "160"))

pytestmark = pytest.mark.slow


def test_a_story_saved_while_another_process_holds_the_lock_is_indexed_later(
    archive: Archive, runner: Any
) -> None:
    before = archive.add("Before the lock", "Indexed straight away.")
    holder = start_worker("hold-lock", archive.app.instance_path, env=archive.worker_env())
    try:
        expect_line(holder, "locked")
        locked_out = archive.add("Saved while locked", "A walrus waits for the index.")
        # Committed in the database, with its outbox row, but not (yet) in the index.
        assert locked_out in archive.published_ids()
        assert archive.pending() == 1
        assert archive.ids("walrus") == set()
        assert archive.ids("") == {before}
        # A drain while the lock is still held leaves the row where it is.
        assert archive.drain(timeout=0.2) == 0
        assert archive.pending() == 1
    finally:
        assert holder.stdin is not None
        holder.stdin.write("release\n")
        holder.stdin.flush()
    assert "released" in finish(holder)

    result = runner.invoke(args=["index", "drain"])
    assert result.exit_code == 0, result.output
    assert "Applied 1 pending change" in result.output
    assert archive.ids("walrus") == {locked_out}
    assert archive.pending() == 0


def test_the_next_save_picks_up_what_a_lock_left_behind(archive: Archive) -> None:
    archive.add("First", "Builds the index.")
    holder = start_worker("hold-lock", archive.app.instance_path, env=archive.worker_env())
    try:
        expect_line(holder, "locked")
        waiting = archive.add("Locked out", "An otter waits.")
    finally:
        assert holder.stdin is not None
        holder.stdin.write("release\n")
        holder.stdin.flush()
    finish(holder)
    later = archive.add("After the lock", "The next save drains the outbox.")
    assert archive.ids("otter") == {waiting}
    assert archive.ids("drains") == {later}
    assert archive.pending() == 0


def _go(worker: Worker) -> None:
    assert worker.stdin is not None
    worker.stdin.write("go\n")
    worker.stdin.flush()


def test_a_process_killed_between_commit_and_index_update_loses_nothing(
    archive: Archive, runner: Any
) -> None:
    archive.add("Already here", "The index exists before the workers start.")
    # Two such processes, started together (start-up is the slow part): the first one's
    # work is recovered by `storyboard index drain`, the second one's by the periodic
    # drain of another app process's first request.
    first, second = (
        start_worker(
            "save-and-die",
            archive.app.instance_path,
            archive.author_email,
            title,
            env=archive.worker_env(),
        )
        for title in ("Crash course", "Orphaned story")
    )
    expect_line(first, "ready")
    expect_line(second, "ready")

    _go(first)
    crashed = int(finish(first).strip())
    assert crashed in archive.published_ids()
    assert archive.pending() == 1
    assert archive.ids("crash") == set()  # the process died before indexing
    status = runner.invoke(args=["index", "status"])
    assert status.exit_code == 0, status.output
    assert "pending changes: 1" in status.output

    result = runner.invoke(args=["index", "drain"])
    assert result.exit_code == 0, result.output
    assert "Applied 1 pending change" in result.output
    assert archive.ids("crash") == {crashed}
    assert archive.pending() == 0
    again = runner.invoke(args=["index", "drain"])
    assert "Nothing pending" in again.output

    _go(second)
    orphaned = int(finish(second).strip())
    assert archive.ids("orphaned") == set()
    other = archive.another_app()  # e.g. another web worker
    try:
        assert other.test_client().get("/auth/login").status_code == 200  # any request
    finally:
        with other.app_context():
            db.engine.dispose()
    assert archive.pending() == 0
    assert archive.ids("orphaned") == {orphaned}


def test_two_processes_saving_at_once_both_end_up_searchable(archive: Archive, runner: Any) -> None:
    per_process = 5
    archive.add("Seed", "The index exists before the workers start.")
    hidden = archive.add("Draft", "Never searchable.", status=StoryStatus.DRAFT)
    workers = [
        start_worker(
            "save-many",
            archive.app.instance_path,
            archive.author_email,
            f"Worker {name}",
            str(per_process),
            env=archive.worker_env(),
        )
        for name in ("alpha", "beta")
    ]
    for worker in workers:
        expect_line(worker, "ready")
    for worker in workers:  # start both together
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    saved = [{int(line) for line in finish(worker).split()} for worker in workers]
    assert all(len(ids) == per_process for ids in saved)

    result = runner.invoke(args=["index", "drain"])
    assert result.exit_code == 0, result.output
    assert archive.pending() == 0
    published = archive.published_ids()
    assert saved[0] | saved[1] <= published
    assert hidden not in published
    assert archive.indexed_ids() == published
    assert archive.search("").total == len(published)
    assert archive.ids("alpha") == saved[0]
    assert archive.ids("beta") == saved[1]


def test_a_process_killed_while_writing_the_index_loses_nothing(archive: Archive) -> None:
    """SIGKILL with the index writer open and half the batch written (Whoosh: an
    uncommitted segment and its lock; PostgreSQL: an open transaction holding the
    advisory lock): nothing of it shows, the lock dies with the process, and the next
    drain indexes every story exactly once."""
    archive.add("Seed", "The index exists before the worker starts.")
    worker = start_worker(
        "die-applying",
        archive.app.instance_path,
        archive.author_email,
        "Halfway",
        "4",
        env=archive.worker_env(),
    )
    expect_line(worker, "applying")
    worker.kill()
    worker.communicate(timeout=30)
    assert archive.pending() == 4
    assert archive.ids("halfway") == set()
    assert archive.drain(timeout=10) == 4
    assert archive.pending() == 0
    assert len(archive.ids("halfway")) == 4
    assert archive.indexed_ids() == archive.published_ids()


def test_eight_processes_saving_at_once_lose_no_story(archive: Archive) -> None:
    """Eight processes saving stories at once, against SQLite (one file, one Whoosh
    index) and PostgreSQL. Every story lands in the database and in the index, and no
    worker ever sees "database is locked" (it would exit non-zero).

    The suite saves ``STRESS_STORIES`` (160: twenty per process, each contending for the
    index lock many times); issue 9's full target, 500, is the same test run by hand
    with ``STORYBOARD_STRESS_STORIES=500`` (bench/README.md)."""
    processes, total = 8, STRESS_STORIES
    archive.add("Seed", "The index exists before the workers start.")
    counts = [total // processes + (1 if n < total % processes else 0) for n in range(processes)]
    workers = [
        start_worker(
            "save-many",
            archive.app.instance_path,
            archive.author_email,
            f"Writer{n}",
            str(count),
            env=archive.worker_env(),
        )
        for n, count in enumerate(counts)
    ]
    for worker in workers:
        expect_line(worker, "ready")
    for worker in workers:
        _go(worker)
    saved = [{int(line) for line in finish(worker, timeout=300).split()} for worker in workers]
    assert [len(ids) for ids in saved] == counts
    everything = set().union(*saved)
    assert len(everything) == total

    archive.drain()  # whatever a worker left behind when the index was busy
    assert archive.pending() == 0
    assert everything <= archive.published_ids()
    assert archive.indexed_ids() == archive.published_ids()
    for n, ids in enumerate(saved):
        assert archive.ids(f"Writer{n}") == ids
