"""``storyboard reindex``, ``storyboard index drain|status`` and ``storyboard search use``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storyboard.config import SEARCH_BACKENDS
from storyboard.search import service, switch
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


@click.group("search", help=_l("Choose the search backend."))
def search_group() -> None:
    """Only groups ``use`` under ``storyboard search``."""


@search_group.command(
    "use",
    help=_l(
        "Build BACKEND's index from the database while the portal keeps searching on the "
        "current one, then switch every app host and worker to it."
    ),
)
@click.argument("backend", type=click.Choice(SEARCH_BACKENDS, case_sensitive=False))
@with_appcontext
def use_command(backend: str) -> None:
    target = backend.lower()
    try:
        switch.refuse_unless_possible(
            current_app.config, target, service.current_choice(current_app).name
        )
    except switch.SwitchRefused as error:
        raise click.ClickException(
            _("cannot switch search to %(name)s: %(why)s", name=target, why=error)
        ) from error
    with service.new_session() as session:
        total = service.count_published(session)
    try:
        with click.progressbar(
            length=total,
            label=_("Building the %(name)s index", name=target),
            show_pos=True,
            show_eta=True,
        ) as bar:
            summary = service.switch_backend(target, progress=bar.update)
    except switch.SwitchRefused as error:
        raise click.ClickException(str(error)) from error
    except IndexBusy as error:
        raise click.ClickException(
            _("the index is locked by another process: %(why)s", why=error)
        ) from error
    click.echo(
        _(
            "Search now uses %(name)s (was %(previous)s): %(count)s stories indexed in "
            "%(seconds)s s, %(caught_up)s changes saved meanwhile applied. App hosts and "
            "workers follow within %(follow)s s; set STORYBOARD_SEARCH_BACKEND=%(name)s "
            "too, so the configuration says what runs.",
            name=summary.backend,
            previous=summary.previous,
            count=format_decimal(summary.stories),
            seconds=format_decimal(round(summary.seconds, 1), "0.0"),
            caught_up=format_decimal(summary.caught_up),
            follow=format_decimal(service.PERIODIC_DRAIN_SECONDS),
        )
    )
