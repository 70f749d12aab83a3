"""``storyboard serve``: gunicorn with settings that suit Storyboard.

Each worker builds its own app (no ``preload_app``), so no database connection or index
handle is shared across a fork. The worker is gunicorn's sync worker with our own pages
for the errors gunicorn answers itself (``storyboard.ops.worker``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from gunicorn.app.base import BaseApplication

# Long enough for a large CSV upload or a rebuilt index on first search, short enough
# that a stuck worker is replaced before a load balancer gives up on the host.
WORKER_TIMEOUT = 60
GRACEFUL_TIMEOUT = 30
KEEPALIVE = 5
# Recycle workers now and then so a slow leak never becomes an outage. Not too often:
# a new worker starts cold (templates compiled, SQL statements compiled, the index
# opened, shared values loaded), and at 2,000 requests the four workers of a 100
# requests/s host restarted every 80 s, which alone held the sustained rate at 85/s
# (130/s at 20,000; bench/RESULTS.md). A worker's memory levels off at ~150 MB within
# 1,500 requests of the load bench's mix and stays there.
MAX_REQUESTS = 20000
MAX_REQUESTS_JITTER = 2000
MAX_DEFAULT_WORKERS = 8
WORKER_CLASS = "storyboard.ops.worker.StoryboardWorker"
# A search keeps only the first 500 characters of a query and says so, but the address
# must first reach the app: at gunicorn's maximum setting (8,190 bytes) a query of 5,000
# non-ASCII characters, percent-encoded (6 to 12 bytes each), got a 414 instead. Our
# worker lifts gunicorn's cap to this (``worker.LongLineRequest``): 5,000 characters of
# 12 bytes each fit, and a line is still bounded.
REQUEST_LINE_LIMIT = 65_536
# What gunicorn itself is told (it caps the setting here); the worker applies the above.
GUNICORN_REQUEST_LINE_SETTING = 8190
# gunicorn's defaults, stated: the app's own headers stay far below (its cookies are a
# few hundred bytes; a browser refuses a cookie over 4096 bytes).
REQUEST_FIELD_SIZE_LIMIT = 8190
REQUEST_FIELDS_LIMIT = 100


def default_workers(cpus: int | None = None) -> int:
    """gunicorn's advice, 2 × cores + 1, capped: requests mostly wait on the database
    and the index, and every worker holds its own searcher's caches in memory."""
    cores = cpus or os.cpu_count() or 1
    return max(2, min(2 * cores + 1, MAX_DEFAULT_WORKERS))


def gunicorn_options(bind: str, workers: int, access_log: bool = True) -> dict[str, Any]:
    return {
        "bind": bind,
        "workers": workers,
        "worker_class": WORKER_CLASS,
        "limit_request_line": GUNICORN_REQUEST_LINE_SETTING,
        "limit_request_field_size": REQUEST_FIELD_SIZE_LIMIT,
        "limit_request_fields": REQUEST_FIELDS_LIMIT,
        "timeout": WORKER_TIMEOUT,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "keepalive": KEEPALIVE,
        "max_requests": MAX_REQUESTS,
        "max_requests_jitter": MAX_REQUESTS_JITTER,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "preload_app": False,
        "proc_name": "storyboard",
    }


class StoryboardServer(BaseApplication):
    """gunicorn, told what to serve in code rather than through ``module:callable``."""

    def __init__(self, options: dict[str, Any], factory: Callable[[], Flask]) -> None:
        self.options = options
        self.factory = factory
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        return self.factory()


def rate_limit_problem(config: Any, workers: int) -> str | None:
    """What goes wrong when several workers would each count the public form's and the
    API's rate limits in their own memory (sign-in limits are in the database)."""
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if workers < 2 or not storage.startswith("memory://"):
        return None
    return _(
        "with %(count)s workers and STORYBOARD_RATELIMIT_STORAGE_URI=memory:// every worker "
        "counts the limits of the public story form and the API on its own, so they allow "
        "%(count)s times as much. Set STORYBOARD_RATELIMIT_STORAGE_URI=redis://… (install "
        "the redis extra). Sign-in limits are counted in the database and hold either way.",
        count=workers,
    )


def memory_limits_warning(config: Any, workers: int) -> str | None:
    """``storyboard serve``'s loud version of ``rate_limit_problem``."""
    problem = rate_limit_problem(config, workers)
    return _("WARNING: %(problem)s", problem=problem) if problem else None
