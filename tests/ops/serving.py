"""A real ``storyboard serve`` process for the tests that speak HTTP to gunicorn."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import free_port


@contextmanager
def serving(
    instance: Path, locale: str = "en", workers: int = 2, settings: dict[str, str] | None = None
) -> Iterator[tuple[int, list[str]]]:
    """A ``storyboard serve`` process with ``workers`` workers on a free port, answering;
    yields the port and, once stopped, its output (one string in the list). ``settings``
    are more STORYBOARD_* variables, without the prefix."""
    port = free_port()
    env = {
        **os.environ,
        "STORYBOARD_INSTANCE_PATH": str(instance),
        "STORYBOARD_SECRET_KEY": "serve-test",
        "STORYBOARD_SECURE_COOKIES": "false",
        "STORYBOARD_DEFAULT_LOCALE": locale,
        **{f"STORYBOARD_{name}": value for name, value in (settings or {}).items()},
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from storyboard.cli import main; main()",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--no-access-log",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield port, output
    finally:
        server.send_signal(signal.SIGTERM)
        output.append(server.communicate(timeout=30)[0])
