"""Backups of the database, and restoring one. The search index is not backed up: it is
derived from the database, so a restore rebuilds it.

SQLite uses its online backup API (a consistent copy while the app keeps running, WAL
content included); PostgreSQL uses ``pg_dump``'s custom format and ``pg_restore``, which
must be installed on the host that runs the command (Debian: ``postgresql-client``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# Pages copied per step of the SQLite backup: small steps let the progress bar move and
# let the running app write between steps.
SQLITE_PAGES_PER_STEP = 1024

Progress = Callable[[int, int], None]  # (done, total) in pages


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    bytes: int
    seconds: float


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _libpq_url(url: URL) -> str:
    """The SQLAlchemy URL as a libpq connection URI for pg_dump and pg_restore."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed on this host (Debian: postgresql-client)")
    return path


def _run(command: list[str], what: str) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or error.stdout or "").strip().splitlines()
        raise BackupError(f"{what} failed: {detail[-1] if detail else error}") from error


def _temporary_beside(target: Path) -> Path:
    """A new, empty file in the target's folder, so the final rename is atomic."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    return Path(name)


def backup_database(
    database_url: str, target: Path, *, overwrite: bool = False, progress: Progress | None = None
) -> BackupSummary:
    """Write a consistent copy of the database to ``target``. The file appears only when
    complete (written beside it, then renamed), so a failed backup never leaves a
    half-written file that looks like a good one."""
    started = time.perf_counter()
    target = target.expanduser().resolve()
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose another name or overwrite it")
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} does not exist")
    url = make_url(database_url)
    partial = _temporary_beside(target)
    try:
        if url.get_backend_name() == "sqlite":
            _backup_sqlite(_sqlite_file(url), partial, progress)
        elif url.get_backend_name() == "postgresql":
            _run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    f"--file={partial}",
                    _libpq_url(url),
                ],
                "pg_dump",
            )
        else:
            raise BackupError(f"no backup method for {url.get_backend_name()} databases")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(target, target.stat().st_size, time.perf_counter() - started)


def _backup_sqlite(source: Path, target: Path, progress: Progress | None) -> None:
    if not source.is_file():
        raise BackupError(f"the database file {source} does not exist")

    def report(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=SQLITE_PAGES_PER_STEP, progress=report)
    src.close()
    dst.close()


def check_backup_file(database_url: str, source: Path) -> None:
    """Refuse a file that is not a backup for this kind of database, before anything of
    the live database is touched."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    with source.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    backend = make_url(database_url).get_backend_name()
    if backend == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source} is not a SQLite backup")
        _check_sqlite_backup(source)
    elif backend == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{source} is not a pg_dump custom-format backup")
    else:
        raise BackupError(f"no restore method for {backend} databases")


def _check_sqlite_backup(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as connection:
            ok = connection.execute("PRAGMA quick_check").fetchone()[0]
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is damaged: {error}") from error
    if ok != "ok":
        raise BackupError(f"{source} is damaged: {ok}")
    if not {"alembic_version", "stories", "users"} <= tables:
        raise BackupError(f"{source} is a SQLite file but not a Storyboard backup")


def restore_database(database_url: str, source: Path, progress: Progress | None = None) -> float:
    """Replace the database's content with the backup in ``source``; returns seconds.
    The caller migrates the schema up (a backup may be older than the code) and
    rebuilds the search index afterwards."""
    started = time.perf_counter()
    source = source.expanduser().resolve()
    check_backup_file(database_url, source)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target = _sqlite_file(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _backup_sqlite(source, target, progress)
    else:
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_libpq_url(url)}",
                str(source),
            ],
            "pg_restore",
        )
    return time.perf_counter() - started
