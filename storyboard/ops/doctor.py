"""``storyboard doctor``: is this deployment well? Plain checks, one result each.

Each check returns a ``Finding`` (ok, warning, problem, or skipped when what it needs is
unavailable) whose message says what was found and, when something is off, what to do.
Nothing here changes anything: a missing index is reported, not rebuilt (``/healthz``
and the first search would build it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from flask_babel import format_decimal, format_timedelta
from flask_babel import gettext as _
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from storyboard import planner_statistics
from storyboard.db import db, utcnow
from storyboard.ops.config_checks import configuration_findings
from storyboard.ops.findings import OK, PROBLEM, SKIPPED, WARNING, Checkup, Finding, first_line
from storyboard.ops.health import database_revision
from storyboard.ops.serve import default_workers
from storyboard.search import status as search_status
from storyboard.search import switch
from storyboard.search.backend import INDEX_FORMAT
from storyboard.webhooks.heartbeat import last_round

# Outbox rows older than this are not being applied: a save drains at once, a request
# every 30 s (search.service.PERIODIC_DRAIN_SECONDS), the worker every few seconds.
OUTBOX_STALE_AFTER = timedelta(minutes=5)


def _ago(moment: datetime, now: datetime) -> str:
    return str(format_timedelta(max(now - moment, timedelta(0)), threshold=1.1))


def _safe_url(app: Flask) -> str:
    url = make_url(str(app.config["SQLALCHEMY_DATABASE_URI"]))
    return url.render_as_string(hide_password=True)


# -- the database -------------------------------------------------------------------
def check_database(app: Flask) -> Finding:
    """It answers, and its schema is at this code's migration head."""
    where = _safe_url(app)
    try:
        current, head = database_revision()
    except SQLAlchemyError as error:
        return Finding(
            "database",
            PROBLEM,
            _(
                "cannot reach %(url)s (%(error)s). Check STORYBOARD_DATABASE_URL and that "
                "the database server runs.",
                url=where,
                error=first_line(error),
            ),
        )
    if current is None:
        return Finding(
            "database",
            PROBLEM,
            _("%(url)s has no tables yet: run `storyboard db upgrade`.", url=where),
        )
    if current != head:
        return Finding(
            "database",
            PROBLEM,
            _(
                "%(url)s is at migration %(current)s, this version needs %(head)s: run "
                "`storyboard db upgrade`.",
                url=where,
                current=current,
                head=head,
            ),
        )
    return Finding(
        "database", OK, _("%(url)s answers; migrations at head (%(head)s).", url=where, head=head)
    )


# -- search -------------------------------------------------------------------------
def check_search_backend(choice: switch.BackendChoice) -> Finding:
    """Which backend serves, and whether the setting still says so."""
    if choice.source == switch.SETTING:
        return Finding(
            "search_backend",
            OK,
            _("%(name)s (the setting STORYBOARD_SEARCH_BACKEND).", name=choice.name),
        )
    when = choice.switched_at.strftime("%Y-%m-%d %H:%M UTC") if choice.switched_at else "?"
    if choice.disagrees:
        return Finding(
            "search_backend",
            WARNING,
            _(
                "%(name)s, switched by `storyboard search use` on %(when)s, but "
                "STORYBOARD_SEARCH_BACKEND still says %(setting)s (the switch wins). Set it "
                "to %(name)s so the configuration says what runs.",
                name=choice.name,
                when=when,
                setting=choice.configured,
            ),
        )
    return Finding(
        "search_backend",
        OK,
        _(
            "%(name)s (switched by `storyboard search use` on %(when)s).",
            name=choice.name,
            when=when,
        ),
    )


def check_index(app: Flask, name: str, condition: search_status.IndexCondition) -> Finding:
    """The index is there, opens, and is written in this code's INDEX_FORMAT."""
    where = app.config["INDEX_DIR"] if name == "whoosh" else _("the database's search tables")
    if condition.usable:
        return Finding(
            "index",
            OK,
            _("usable, format %(format)s (%(where)s).", format=INDEX_FORMAT, where=where),
        )
    if condition.state == search_status.MISSING:
        message = _(
            "no index in %(where)s: run `storyboard reindex` (otherwise the first search "
            "builds it while someone waits).",
            where=where,
        )
    elif condition.state == search_status.OLD_FORMAT:
        message = _(
            "written in format %(found)s, this version needs %(format)s: run "
            "`storyboard reindex` (otherwise the first search rebuilds it while someone waits).",
            found=condition.found_format or "?",
            format=INDEX_FORMAT,
        )
    elif name == "whoosh":
        message = _("cannot be opened (%(where)s): run `storyboard reindex`.", where=where)
    else:
        message = _(
            "the search tables are missing or of an older format: run `storyboard db "
            "upgrade`, then `storyboard reindex`."
        )
    return Finding("index", PROBLEM, message)


def check_index_contents(indexed: int, published: int, pending: int) -> Finding:
    """The index holds as many stories as the database has searchable ones."""
    if indexed == published:
        return Finding(
            "index_count",
            OK,
            _(
                "%(count)s stories, as many as the database's published stories.",
                count=format_decimal(indexed),
            ),
        )
    if pending:
        return Finding(
            "index_count",
            WARNING,
            _(
                "the index holds %(indexed)s stories, the database %(published)s published "
                "ones; %(pending)s changes still wait in the outbox (see below).",
                indexed=format_decimal(indexed),
                published=format_decimal(published),
                pending=format_decimal(pending),
            ),
        )
    return Finding(
        "index_count",
        PROBLEM,
        _(
            "the index holds %(indexed)s stories, the database %(published)s published "
            "ones, and nothing waits in the outbox: run `storyboard reindex`.",
            indexed=format_decimal(indexed),
            published=format_decimal(published),
        ),
    )


def check_capacity(capacity: search_status.Capacity) -> Finding:
    """A Whoosh archive past the size where Whoosh's measured p95 passes 250 ms."""
    stories = format_decimal(capacity.stories)
    if capacity.backend != "whoosh":
        return Finding(
            "archive_size",
            OK,
            _("%(count)s published stories, searched by PostgreSQL.", count=stories),
        )
    limit = format_decimal(capacity.limit)
    if not capacity.outgrown:
        return Finding(
            "archive_size",
            OK,
            _(
                "%(count)s published stories, within what Whoosh serves quickly (up to %(limit)s).",
                count=stories,
                limit=limit,
            ),
        )
    return Finding(
        "archive_size",
        WARNING,
        _(
            "%(count)s published stories: past %(limit)s, where Whoosh's searches were "
            "measured to take over 250 ms (p95, 2 cores). %(advice)s",
            count=stories,
            limit=limit,
            advice=search_status.move_advice(capacity),
        ),
    )


def check_outbox(state: search_status.OutboxState, now: datetime) -> Finding:
    """Changes saved but not yet searchable, and how long the oldest has waited."""
    if not state.pending:
        return Finding("outbox", OK, _("empty: every saved change is in the index."))
    oldest = state.oldest_at or now
    waited = _ago(oldest, now)
    if now - oldest <= OUTBOX_STALE_AFTER:
        return Finding(
            "outbox",
            OK,
            _(
                "%(count)s changes being applied (the oldest waits %(ago)s).",
                count=format_decimal(state.pending),
                ago=waited,
            ),
        )
    return Finding(
        "outbox",
        PROBLEM,
        _(
            "%(count)s changes wait, the oldest for %(ago)s: those stories are not "
            "searchable yet. Run `storyboard index drain`, and check that `storyboard "
            "worker` runs and that no process keeps the index locked.",
            count=format_decimal(state.pending),
            ago=waited,
        ),
    )


def check_worker(session: Session, now: datetime) -> Finding:
    """When a ``storyboard worker`` last did a round (its heartbeat)."""
    last = last_round(session)
    if last is None:
        return Finding(
            "worker",
            WARNING,
            _(
                "no `storyboard worker` has run on this database: webhooks are not sent, "
                "and the outbox is applied only by saves and requests. Run one next to "
                "gunicorn (docs/operations.md)."
            ),
        )
    if last.is_stale(now):
        return Finding(
            "worker",
            PROBLEM,
            _(
                "the last round was %(ago)s ago (host %(host)s, process %(pid)s): the worker "
                "has stopped. Start `storyboard worker` again and see its log.",
                ago=_ago(last.at, now),
                host=last.host,
                pid=last.pid,
            ),
        )
    return Finding(
        "worker",
        OK,
        _(
            "last round %(ago)s ago (host %(host)s, process %(pid)s).",
            ago=_ago(last.at, now),
            host=last.host,
            pid=last.pid,
        ),
    )


def check_statistics(engine: Engine) -> Finding:
    """SQLite's planner statistics (``planner_statistics``): missing or outgrown ones
    make the pages of a large archive several times slower."""
    if engine.dialect.name != "sqlite":
        return Finding("statistics", OK, _("PostgreSQL keeps them up to date (autovacuum)."))
    with engine.connect() as connection:
        stale = planner_statistics.staleness(connection)
    if not stale:
        return Finding("statistics", OK, _("the query planner's statistics are up to date."))
    tables = ", ".join(
        _("%(table)s (%(now)s rows, never analysed)", table=table, now=format_decimal(now))
        if then is None
        else _(
            "%(table)s (%(now)s rows, %(then)s when last analysed)",
            table=table,
            now=format_decimal(now),
            then=format_decimal(then),
        )
        for table, then, now in stale.tables
    )
    return Finding(
        "statistics",
        WARNING,
        _(
            "the query planner's statistics are missing or out of date for %(tables)s: "
            "large lists and the dashboard run slower. `storyboard worker` brings them up "
            "to date within 10 minutes, `storyboard serve` when it starts.",
            tables=tables,
        ),
    )


# -- all of it ----------------------------------------------------------------------
def _skipped(check: str) -> Finding:
    return Finding(check, SKIPPED, _("not checked: the database is not usable (see above)."))


def check_search(app: Flask, now: datetime) -> list[Finding]:
    """The search checks, on the backend this deployment uses now."""
    seen = search_status.overview(app)
    findings = [
        check_search_backend(seen.choice),
        check_index(app, seen.choice.name, seen.condition),
    ]
    if seen.indexed is not None:
        findings.append(
            check_index_contents(seen.indexed, seen.capacity.stories, seen.outbox.pending)
        )
    else:
        findings.append(
            Finding("index_count", SKIPPED, _("not checked: the index is not usable (see above)."))
        )
    findings += [check_capacity(seen.capacity), check_outbox(seen.outbox, now)]
    return findings


def run_checks(app: Flask, now: datetime | None = None, workers: int | None = None) -> Checkup:
    """Every check, in the order a person fixes things: database, search, worker,
    configuration. ``workers``: the gunicorn workers served (default: serve's)."""
    now = now or utcnow()
    findings = [check_database(app)]
    if findings[0].status == OK:
        findings += check_search(app, now)
        with Session(db.engine) as session:
            findings.append(check_worker(session, now))
        findings.append(check_statistics(db.engine))
    else:
        checks = (
            "search_backend",
            "index",
            "index_count",
            "archive_size",
            "outbox",
            "worker",
            "statistics",
        )
        findings += [_skipped(check) for check in checks]
    findings += configuration_findings(app, workers or default_workers())
    return Checkup(findings)
