"""The worker's heartbeat: when a ``storyboard worker`` last did a round, on which host.

Kept in the database (``ops_state``, key ``worker.last_round``) so ``storyboard doctor``
on any host sees a worker running on another. Written at most every
``RECORD_EVERY_SECONDS``, so an idle worker adds one small write per half minute.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from storyboard.db import utcnow
from storyboard.models import OpsState

WORKER_KEY = "worker.last_round"
RECORD_EVERY_SECONDS = 30.0
# A worker whose last round is older than this (or than three of its own intervals,
# when it sleeps longer) has stopped: 20 times the recording period, so a busy machine
# or a long webhook round does not raise a false alarm.
STALE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class WorkerRound:
    """The last recorded round; ``interval`` is the worker's ``--interval`` (None for
    ``--once``, e.g. from cron)."""

    at: datetime
    host: str
    pid: int
    interval: float | None

    @property
    def stale_after(self) -> timedelta:
        return max(STALE_AFTER, timedelta(seconds=3 * (self.interval or 0)))

    def is_stale(self, now: datetime) -> bool:
        return now - self.at > self.stale_after


def record_round(session: Session, interval: float | None, now: datetime | None = None) -> None:
    """Note a round in the session's transaction (the caller commits)."""
    value = json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "interval": interval})
    at = now or utcnow()
    row = session.get(OpsState, WORKER_KEY)
    if row is None:
        session.add(OpsState(key=WORKER_KEY, value=value, updated_at=at))
    else:
        row.value = value
        row.updated_at = at


def last_round(session: Session) -> WorkerRound | None:
    """The last recorded round, or None when no worker ever ran on this database."""
    row = session.get(OpsState, WORKER_KEY)
    if row is None:
        return None
    try:
        facts = json.loads(row.value)
        host, pid, interval = str(facts["host"]), int(facts["pid"]), facts.get("interval")
    except (ValueError, KeyError, TypeError):
        host, pid, interval = "?", 0, None
    return WorkerRound(
        at=row.updated_at,
        host=host,
        pid=pid,
        interval=float(interval) if isinstance(interval, int | float) else None,
    )
