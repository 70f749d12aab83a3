"""``storyboard serve``, ``backup``, ``restore`` and ``doctor``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo, with_appcontext
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storyboard import planner_statistics
from storyboard.audit import service as audit
from storyboard.db import db, upgrade_database
from storyboard.i18n.cli import option
from storyboard.ops import doctor, findings
from storyboard.ops.backup import BackupError, backup_database, restore_database
from storyboard.ops.health import check_database
from storyboard.ops.serve import (
    StoryboardServer,
    default_workers,
    gunicorn_options,
    memory_limits_warning,
)
from storyboard.search import service as search


@click.command("serve", help=_l("Serve the portal with gunicorn (production)."))
@option(
    "--bind",
    default="127.0.0.1:8000",
    show_default=True,
    help=_l("Address and port, or unix:/path/to.sock behind a reverse proxy."),
)
@option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help=_l("Worker processes [default: 2 × cores + 1, at most 8]."),
)
@option("--no-access-log", is_flag=True, help=_l("Do not log every request."))
@with_appcontext
def serve_command(bind: str, workers: int | None, no_access_log: bool) -> None:
    state = check_database()
    if state != "ok":
        raise click.ClickException(
            _("the database is %(state)s; run `storyboard db upgrade` first", state=state)
        )
    analysed = planner_statistics.refresh(db.engine)
    if analysed:
        click.echo(_("Database statistics brought up to date for the query planner."))
    count = workers or default_workers()
    warning = memory_limits_warning(current_app.config, count)
    if warning:
        click.secho(warning, fg="red", bold=True, err=True)
    click.echo(_("Serving Storyboard on %(bind)s with %(count)s workers.", bind=bind, count=count))
    StoryboardServer(
        gunicorn_options(bind, count, access_log=not no_access_log), app_factory()
    ).run()


def app_factory() -> Callable[[], Flask]:
    """What each gunicorn worker builds its own app with (after the fork, so no
    connection is shared): the factory this command line was started with."""
    info = click.get_current_context().ensure_object(ScriptInfo)
    if info.create_app is not None:
        return info.create_app
    path = info.app_import_path
    return lambda: ScriptInfo(app_import_path=path).load_app()


class PagesBar:
    """A terminal progress bar fed with (pages done, pages in all) as SQLite reports them."""

    def __init__(self, label: str) -> None:
        self.bar = click.progressbar(length=1, label=label, show_percent=True)
        self.done = 0

    def __enter__(self) -> PagesBar:
        self.bar.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.bar.__exit__(exc_type, exc, traceback)

    def __call__(self, done: int, total: int) -> None:
        self.bar.length = max(total, 1)
        self.bar.update(done - self.done)
        self.done = done


@click.command(
    "backup", help=_l("Write a consistent copy of the database to PATH (the app may keep running).")
)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@option("--overwrite", is_flag=True, help=_l("Replace PATH if it exists."))
@with_appcontext
def backup_command(path: Path, overwrite: bool) -> None:
    try:
        with PagesBar(_("Backing up")) as bar:
            summary = backup_database(_database_url(), path, overwrite=overwrite, progress=bar)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        _(
            "Backed up to %(path)s (%(mb)s MB in %(seconds)s s). Keep the instance's "
            "secret_key with it.",
            path=summary.path,
            mb=format_decimal(round(summary.bytes / 1e6, 1)),
            seconds=format_decimal(round(summary.seconds, 1)),
        )
    )


@click.command(
    "restore",
    help=_l(
        "Replace the database with the backup in PATH, then rebuild the search index. "
        "Stop the app servers first."
    ),
)
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@option("--yes", is_flag=True, help=_l("Do not ask for confirmation."))
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    if not yes:
        click.confirm(
            _("This replaces everything in the database with the backup. Go on?"), abort=True
        )
    db.session.remove()
    db.engine.dispose()
    try:
        with PagesBar(_("Restoring")) as pages:
            seconds = restore_database(_database_url(), path, progress=pages)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    db.engine.dispose()
    upgrade_database()

    audit.record(None, "database.restore", "database", None, f"from {path.name}")
    db.session.commit()
    click.echo(
        _(
            "Restored %(path)s in %(seconds)s s; rebuilding the search index.",
            path=path,
            seconds=format_decimal(round(seconds, 1)),
        )
    )
    engine = search.state_for(current_app).backend
    with search.new_session() as session:
        total = search.count_published(session)
    with click.progressbar(length=total, label=_("Indexing stories"), show_pos=True) as bar:
        summary = search.rebuild_index(engine, progress=bar.update)
    assert summary is not None
    click.echo(_("Done: %(count)s stories indexed.", count=format_decimal(summary.stories)))


def _database_url() -> str:
    return str(current_app.config["SQLALCHEMY_DATABASE_URI"])


STATUS_STYLES = {
    findings.OK: {"fg": "green"},
    findings.WARNING: {"fg": "yellow", "bold": True},
    findings.PROBLEM: {"fg": "red", "bold": True},
    findings.SKIPPED: {"dim": True},
}


def _status_label(status: str) -> str:
    labels = {
        findings.OK: _("ok"),
        findings.WARNING: _("warning"),
        findings.PROBLEM: _("problem"),
        findings.SKIPPED: _("skipped"),
    }
    return labels[status]


def _check_label(check: str) -> str:
    labels = {
        "database": _("database"),
        "search_backend": _("search backend"),
        "index": _("search index"),
        "index_count": _("index contents"),
        "archive_size": _("archive size"),
        "outbox": _("index outbox"),
        "worker": _("worker"),
        "statistics": _("planner statistics"),
        "secret_key": _("secret key"),
        "cookies": _("cookies"),
        "rate_limits": _("rate limits"),
        "mail": _("e-mail"),
        "base_url": _("base URL"),
    }
    return labels.get(check, check)


def _summary(checkup: findings.Checkup) -> str:
    problems = checkup.count(findings.PROBLEM)
    warnings = checkup.count(findings.WARNING)
    counts = ", ".join(
        (
            ngettext("%(num)s check ok", "%(num)s checks ok", checkup.count(findings.OK)),
            ngettext("%(num)s warning", "%(num)s warnings", warnings),
            ngettext("%(num)s problem", "%(num)s problems", problems),
        )
    )
    if problems:
        return _("%(counts)s: fix the problems above.", counts=counts)
    if warnings:
        return _("%(counts)s: nothing is broken; see the warnings above.", counts=counts)
    return _("%(counts)s: all is well.", counts=counts)


@click.command(
    "doctor",
    help=_l(
        "Check the database, the search index, the outbox, the worker and the "
        "configuration; say what to do about anything wrong."
    ),
)
@option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help=_l("gunicorn workers you serve with [default: as storyboard serve]."),
)
@option("--strict", is_flag=True, help=_l("Exit 1 on warnings too, not only on problems."))
@option("--json", "as_json", is_flag=True, help=_l("Print the results as JSON."))
@with_appcontext
def doctor_command(workers: int | None, strict: bool, as_json: bool) -> None:
    checkup = doctor.run_checks(current_app, workers=workers)
    failed = checkup.failed(strict)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "status": "failed" if failed else "ok",
                    "checks": [finding.as_dict() for finding in checkup.findings],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        width = max(len(_status_label(status)) for status in STATUS_STYLES)
        for finding in checkup.findings:
            label = click.style(
                f"[{_status_label(finding.status)}]".ljust(width + 2),
                **STATUS_STYLES[finding.status],  # type: ignore[arg-type]
            )
            click.echo(f"{label} {_check_label(finding.check)}: {finding.message}")
        click.echo(_summary(checkup))
    if failed:
        raise SystemExit(1)
