"""``storyboard demo``: database, demo data, and the server.

A thin command: the plan lives in ``generator``, the loading in ``loader``. It is the
README's "try it" command, so it must work on an empty folder and on a second run.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storyboard.db import db, upgrade_database, utcnow
from storyboard.demo.features import load_features
from storyboard.demo.generator import build_plan
from storyboard.demo.loader import DemoSummary, load_answers, load_demo, local_zone
from storyboard.demo.people import DEMO_DOMAIN, DEMO_PASSWORD, PEOPLE, TEAMS, showcase_accounts
from storyboard.demo.recognition import load_recognition
from storyboard.demo.survey import build_answers
from storyboard.i18n.cli import option
from storyboard.labels import role_label
from storyboard.search import outbox, service
from storyboard.search.backend import IndexBusy

# Stories per drain: each drain is one index commit, so bigger batches index faster;
# this still moves the progress bar a few times for the demo.
INDEX_BATCH = 100

HOST = "127.0.0.1"
PORT = 5000


@click.command(
    "demo", help=_l("Create the database if missing, load the demo organisation, serve it.")
)
@option("--serve/--no-serve", default=True, help=_l("Start the server afterwards."))
@with_appcontext
def demo_command(serve: bool) -> None:
    started = time.perf_counter()
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    click.echo(_("Applying database migrations …"))
    upgrade_database()

    _ensure_index()
    plan = build_plan()
    zone = local_zone(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam"))
    now = utcnow()
    with click.progressbar(length=plan.size, label=_("Loading the demo organisation")) as bar:
        summary = load_demo(db.session, bar.update, plan=plan, now=now, zone=zone)
    answers = build_answers()
    with click.progressbar(length=len(answers), label=_("Loading survey answers")) as bar:
        added = load_answers(db.session, answers, bar.update, now=now, zone=zone)
    summary = replace(summary, answers=added, features=load_features(now, zone))
    load_recognition(now)
    with _index_later():
        db.session.commit()
    _index_pending()
    click.echo(summary_line(summary, time.perf_counter() - started))
    click.echo()
    click.echo(accounts_table())

    if serve:
        _serve()


def _ensure_index() -> None:
    """Build the search index if it is missing, before the demo adds to it, so the
    rebuild (with its progress bar) covers only what the database already held."""
    state = service.state_for(current_app)
    if not state.backend.is_healthy():
        with service.new_session() as session:
            total = service.count_published(session)
        with click.progressbar(length=total, label=_("Building the search index")) as bar:
            service.rebuild_index(state.backend, progress=bar.update)
    state.ready = True


@contextmanager
def _index_later() -> Iterator[None]:
    """Commit without the automatic after-commit drain: with 300 new stories it would
    index them silently for seconds. The outbox rows are committed with the stories,
    so ``_index_pending`` (or any later drain) applies them; nothing is lost."""
    hooks = list(outbox.after_commit_hooks)
    outbox.after_commit_hooks.clear()
    try:
        yield
    finally:
        outbox.after_commit_hooks[:] = hooks


def _index_pending() -> None:
    """Apply the outbox to the index in small batches, with a progress bar."""
    engine = service.state_for(current_app).backend
    with service.new_session() as session:
        pending = outbox.pending_count(session)
    if not pending:
        return
    with click.progressbar(length=pending, label=_("Indexing stories for search")) as bar:
        try:
            while True:
                applied = outbox.drain(
                    service.new_session,
                    engine,
                    timeout=service.COMMAND_WRITE_TIMEOUT,
                    limit=INDEX_BATCH,
                    max_batches=1,
                )
                bar.update(applied)
                if applied < INDEX_BATCH:
                    break
        except IndexBusy:
            busy = True
        else:
            busy = False
    if busy:
        click.echo(
            _(
                "The search index is locked by another Storyboard process; the stories "
                "wait in the outbox and reach the index with its next update."
            )
        )


def summary_line(summary: DemoSummary, seconds: float) -> str:
    """The last line of the load: what was added, and the whole command's time."""
    took = format_decimal(round(seconds, 1), "0.0")
    if not summary.added_anything:
        return _(
            "The demo organisation was already loaded: nothing added (%(seconds)s s).", seconds=took
        )
    return _(
        "Added %(teams)s teams, %(users)s users, %(stories)s stories, %(features)s "
        "featured stories and %(answers)s survey answers in %(seconds)s s.",
        teams=summary.teams,
        users=summary.users,
        stories=summary.stories,
        features=summary.features,
        answers=summary.answers,
        seconds=took,
    )


def accounts_table() -> str:
    """One demo account per role, with the shared password, as an aligned table."""
    team_names = {team.slug: team.name for team in TEAMS}
    header = (_("Role"), _("Name"), _("Team"), _("E-mail"), _("Password"))
    rows = [
        (
            role_label(person.role),
            person.name,
            team_names.get(person.team or "", "-"),
            person.email,
            DEMO_PASSWORD,
        )
        for person in showcase_accounts()
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return ("  " + "  ".join(padded)).rstrip()

    return "\n".join(
        [
            _("Sign in with one of these demo accounts:"),
            "",
            line(header),
            line(tuple("-" * width for width in widths)),
            *(line(row) for row in rows),
            "",
            _(
                "All %(count)s demo users (…@%(domain)s, listed under Admin → Users) "
                "share the password %(password)s.",
                count=len(PEOPLE),
                domain=DEMO_DOMAIN,
                password=repr(DEMO_PASSWORD),
            ),
        ]
    )


def _serve() -> None:
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # noqa: SLF001 - unwrap the proxy: run_simple needs the app
    app.config["SESSION_COOKIE_SECURE"] = False
    app.config["REMEMBER_COOKIE_SECURE"] = False
    click.echo()
    click.echo(_("Secure cookies are off for this demo: it serves plain http on your own machine."))
    click.echo(
        _("Serving Storyboard at %(url)s (press Ctrl+C to stop).", url=f"http://{HOST}:{PORT}")
    )
    run_simple(HOST, PORT, app, threaded=True, use_reloader=False)
