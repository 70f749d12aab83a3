"""``storyboard worker``: sends webhook deliveries and keeps the search index caught up.

Run one (or more: claims keep them apart) next to gunicorn, under the same process
supervisor. No web request waits on a webhook receiver; a restart loses nothing, since
the queue is in the database.
"""

from __future__ import annotations

import signal
import time
from types import FrameType

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from storyboard import planner_statistics
from storyboard.db import db
from storyboard.i18n.cli import option
from storyboard.search.service import COMMAND_WRITE_TIMEOUT, drain_pending
from storyboard.webhooks.delivery import send_due
from storyboard.webhooks.heartbeat import RECORD_EVERY_SECONDS, record_round


def run_once() -> tuple[int, int]:
    """One round: (webhook deliveries attempted, search changes applied)."""
    sent = send_due()
    try:
        applied = drain_pending(timeout=COMMAND_WRITE_TIMEOUT)
    except Exception:
        current_app.logger.exception("search index update failed; changes stay in the outbox")
        applied = 0
    db.session.remove()
    return sent, applied


def _record_round(interval: float | None) -> None:
    """The heartbeat ``storyboard doctor`` reads; a failure to write it must not stop
    the worker's real work (the database may be briefly away)."""
    try:
        with Session(db.engine) as session:
            record_round(session, interval)
            session.commit()
    except SQLAlchemyError:
        current_app.logger.exception("could not record the worker's round")


def _refresh_statistics() -> None:
    """SQLite's planner statistics, when the data outgrew them (``planner_statistics``);
    like the heartbeat, a failure is logged and the worker goes on."""
    try:
        planner_statistics.refresh(db.engine)
    except SQLAlchemyError:
        current_app.logger.exception("could not bring the database statistics up to date")


@click.command(
    "worker",
    help=_l(
        "Send webhook deliveries and apply pending search index changes, until stopped "
        "(run it next to gunicorn)."
    ),
)
@option(
    "--interval",
    type=click.FloatRange(0.1, 3600),
    default=2.0,
    show_default=True,
    help=_l("Seconds between rounds when there is nothing to do."),
)
@option("--once", is_flag=True, help=_l("Do one round and stop (for cron or a test)."))
@with_appcontext
def worker_command(interval: float, once: bool) -> None:
    stopping = False

    def stop(_signal: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    recorded = -RECORD_EVERY_SECONDS
    analysed_at = -planner_statistics.CHECK_EVERY_SECONDS
    if not once:
        signal.signal(signal.SIGTERM, stop)  # finish the round, then stop
        signal.signal(signal.SIGINT, stop)
        click.echo(_("Storyboard worker started (Ctrl+C stops it)."))
    while True:
        try:
            sent, applied = run_once()
        except Exception:
            if once:
                raise
            current_app.logger.exception("worker round failed; trying again")
            db.session.remove()
            sent = applied = 0
        if time.monotonic() - recorded >= RECORD_EVERY_SECONDS:
            recorded = time.monotonic()
            _record_round(None if once else interval)
        if time.monotonic() - analysed_at >= planner_statistics.CHECK_EVERY_SECONDS:
            analysed_at = time.monotonic()
            _refresh_statistics()
        if sent or applied or once:
            click.echo(
                _(
                    "Webhook deliveries attempted: %(sent)s; search changes applied: %(applied)s.",
                    sent=sent,
                    applied=applied,
                )
            )
        if once or stopping:
            break
        if not sent:
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.2, interval))
        if stopping:
            break
