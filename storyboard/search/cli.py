"""``storyboard reindex`` and ``storyboard index drain``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storyboard.search import service
from storyboard.search.backend import IndexBusy
from storyboard.search.outbox import drain, pending_count
from storyboard.search.service import COMMAND_WRITE_TIMEOUT


@click.command(
    "reindex", help=_l("Rebuild the search index from the database and swap it in atomically.")
)
@with_appcontext
def reindex_command() -> None:
    engine = service.state_for(current_app).backend
    with service.new_session() as session:
        total = service.count_published(session)
    with click.progressbar(
        length=total, label=_("Indexing stories"), show_pos=True, show_eta=True
    ) as bar:
        summary = service.rebuild_index(engine, progress=bar.update)
    assert summary is not None  # only None when asked to rebuild only a broken index
    click.echo(
        _(
            "Indexed %(count)s stories in %(seconds)s s (%(rate)s stories/s).",
            count=format_decimal(summary.stories),
            seconds=format_decimal(round(summary.seconds, 1), "0.0"),
            rate=format_decimal(round(summary.per_second)),
        )
    )


@click.group("index", help=_l("Search index maintenance."))
def index_group() -> None:
    """Only groups ``drain`` and ``status`` under ``storyboard index``."""


@index_group.command("drain", help=_l("Apply pending outbox rows (changes not yet in the index)."))
@with_appcontext
def drain_command() -> None:
    with service.new_session() as session:
        pending = pending_count(session)
    if not pending:
        click.echo(_("Nothing pending: the index is up to date."))
        return
    try:
        applied = drain(service.new_session, service.backend(), timeout=COMMAND_WRITE_TIMEOUT)
    except IndexBusy as error:
        raise click.ClickException(
            _("the index is locked by another process: %(why)s", why=error)
        ) from error
    click.echo(
        ngettext(
            "Applied %(num)s pending change to the search index.",
            "Applied %(num)s pending changes to the search index.",
            applied,
        )
    )


@index_group.command(
    "status", help=_l("Show whether the index is healthy and how much waits in the outbox.")
)
@with_appcontext
def status_command() -> None:
    engine = service.state_for(current_app).backend
    with service.new_session() as session:
        pending = pending_count(session)
        published = service.count_published(session)
    healthy = engine.is_healthy()
    click.echo(
        _(
            "index: %(state)s (%(where)s)",
            state=_("healthy") if healthy else _("missing or unreadable"),
            where=current_app.config["INDEX_DIR"],
        )
    )
    click.echo(
        _(
            "published stories: %(published)s; pending changes: %(pending)s",
            published=format_decimal(published),
            pending=format_decimal(pending),
        )
    )
