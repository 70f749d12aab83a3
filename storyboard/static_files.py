"""Static files carry a fingerprint of their content in their URL, so browsers keep
them for a year and never ask again: a page costs one request, not one per stylesheet
and script, and it is drawn with its stylesheet at once (a revalidated stylesheet
arrives after the page, which meanwhile shows the phone's header next to the wide one).

A changed file gets a new fingerprint and so a new URL; an old URL (a page cached
before a deploy) still answers, with the ordinary revalidating cache headers.
"""

from __future__ import annotations

import hashlib
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, request
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

#: The query parameter that carries the fingerprint.
VERSION_PARAMETER = "v"
#: A year: what browsers treat as "forever" for an immutable file.
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"
#: How long a page's links trust a file's fingerprint before looking at the file again:
#: a page links four or five files, and each look (two ``stat`` calls and the path
#: checks) cost ~40 µs. An edited file shows its new fingerprint within this time.
RECHECK_SECONDS = 2.0


@lru_cache(maxsize=512)
def _fingerprint_of(path: str, modified_ns: int, size: int) -> str:
    """The content hash, memoised per file version (path, mtime and size): a file is
    read once per process and again only when it changes on disk."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return digest[:12]


def fingerprint(static_folder: str, filename: str) -> str | None:
    """The fingerprint of ``filename`` under ``static_folder``, or ``None`` when there is
    no such file (the URL is then built without one and is not cached long)."""
    path = safe_join(static_folder, filename)
    if path is None:
        return None
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    if not Path(path).is_file():
        return None
    return _fingerprint_of(path, stat.st_mtime_ns, stat.st_size)


def init_app(app: Flask) -> None:
    """Add the fingerprint to every ``url_for('static', ...)`` and cache what is asked
    for by its current fingerprint for a year."""
    static_folder = app.static_folder
    if static_folder is None:
        return

    known: dict[str, tuple[str | None, float]] = {}

    def recent_fingerprint(filename: str) -> str | None:
        now = time.monotonic()
        entry = known.get(filename)
        if entry is not None and now - entry[1] < RECHECK_SECONDS:
            return entry[0]
        if len(known) >= 512:  # names come from templates, but stay bounded
            known.clear()
        version = fingerprint(static_folder, filename)
        known[filename] = (version, now)
        return version

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or VERSION_PARAMETER in values:
            return
        version = recent_fingerprint(str(values.get("filename", "")))
        if version is not None:
            values[VERSION_PARAMETER] = version

    @app.after_request
    def cache_fingerprinted(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code != 200:
            return response
        asked = request.args.get(VERSION_PARAMETER)
        filename = (request.view_args or {}).get("filename", "")
        if asked and asked == fingerprint(static_folder, str(filename)):
            response.headers["Cache-Control"] = IMMUTABLE_CACHE_CONTROL
        return response
