"""The open-loop scheduler of ``bench/load_bench.py`` (``bench/open_loop.py``), at a tiny
rate against a trivial HTTP server on loopback.

Nothing here asserts how long anything took: the checks are counts, the schedule itself
(computed, not measured), and the order of events that one request holding the only
connection slot forces on the others.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bench.open_loop import OpenLoop, arrivals, http_request, summarise


class TinyServer(ThreadingHTTPServer):
    daemon_threads = True
    release: threading.Event

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A held request whose client gave up fails to answer: expected here."""


class Handler(BaseHTTPRequestHandler):
    server: TinyServer

    def do_GET(self) -> None:
        if self.path == "/hold":
            self.server.release.wait(30)
        status = 500 if self.path == "/fail" else 200
        body = b"broken" if status == 500 else b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[TinyServer]:
    tiny = TinyServer(("127.0.0.1", 0), Handler)
    tiny.release = threading.Event()
    thread = threading.Thread(target=tiny.serve_forever, daemon=True)
    thread.start()
    yield tiny
    tiny.release.set()
    tiny.shutdown()
    tiny.server_close()
    thread.join()


def get(port: int, path: str) -> Any:
    async def work() -> str | None:
        response = await http_request(port, "GET", path)
        return None if response.status == 200 else f"HTTP {response.status}"

    return work


def test_arrivals_are_the_rate_times_the_duration() -> None:
    assert arrivals(20, 0.25) == pytest.approx([0.0, 0.05, 0.10, 0.15, 0.20])
    assert len(arrivals(150, 60)) == 9000
    assert arrivals(0, 10) == [] and arrivals(10, 0) == []
    poisson = arrivals(50, 2, poisson=True, seed=7)
    assert poisson == arrivals(50, 2, poisson=True, seed=7)  # a fixed schedule
    assert poisson != arrivals(50, 2, poisson=True, seed=8)
    assert poisson == sorted(poisson) and all(0 < at < 2 for at in poisson)


def test_every_request_leaves_on_its_schedule_and_counts_from_it(server: TinyServer) -> None:
    """One connection slot, the first request held until the last one is due: the others
    are due while it holds the slot, so they are sent late, and their latency counts that
    wait (from the schedule), not only the time after they were sent."""
    port = server.server_address[1]
    offsets = arrivals(20, 0.25)
    picked: list[int] = []

    def pick(number: int) -> tuple[str, Any]:
        picked.append(number)
        if number == len(offsets) - 1:
            server.release.set()  # every request is due now; let the first one answer
        return ("held", get(port, "/hold")) if number == 0 else ("ok", get(port, "/ok"))

    loop = OpenLoop(pick, connections=1, timeout=30)
    outcomes = loop.run(offsets)

    assert picked == [0, 1, 2, 3, 4]  # each picked once, in the order of the schedule
    assert [o.number for o in outcomes] == picked
    assert [o.error for o in outcomes] == [None] * 5
    assert [o.scheduled - loop.start for o in outcomes] == pytest.approx(offsets)
    first, *queued = outcomes
    for outcome in queued:
        assert outcome.launched >= outcome.scheduled
        assert outcome.started >= first.finished  # it waited for the only slot
        assert outcome.latency == outcome.finished - outcome.scheduled
        assert outcome.latency > outcome.finished - outcome.started  # the wait is counted
    summary = summarise(outcomes)
    assert summary["routes"]["ok"]["requests"] == 4
    assert summary["routes"]["held"]["requests"] == 1
    assert (summary["all"]["requests"], summary["all"]["errors"]) == (5, 0)


def test_errors_are_counted_per_route_and_left_out_of_the_latencies(server: TinyServer) -> None:
    port = server.server_address[1]
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    routes = [
        ("fine", get(port, "/ok")),
        ("broken", get(port, "/fail")),
        ("stuck", get(port, "/hold")),  # never released: runs into the timeout
        ("refused", get(closed, "/ok")),
        ("fine", get(port, "/ok")),
    ]
    loop = OpenLoop(lambda number: routes[number], timeout=0.5)
    outcomes = loop.run(arrivals(50, 0.1))

    assert [o.route for o in outcomes] == [route for route, _work in routes]
    errors = {o.route: o.error for o in outcomes if o.error}
    assert errors["broken"] == "HTTP 500"
    assert errors["stuck"] == "timeout: no answer 0.5 s after its scheduled time"
    assert errors["refused"].startswith(("ConnectionRefusedError", "OSError"))
    assert set(errors) == {"broken", "stuck", "refused"}
    summary = summarise(outcomes)
    assert summary["all"]["requests"] == 5
    assert summary["all"]["errors"] == 3
    assert summary["routes"]["fine"]["ok"] == 2
    assert summary["routes"]["stuck"] == {
        "requests": 1,
        "ok": 0,
        "errors": 1,
        "p50": 0.0,
        "p95": 0.0,
        "p99": 0.0,
        "max": 0.0,
    }
