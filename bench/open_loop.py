"""Open-loop load: requests leave on a fixed schedule, whether or not earlier ones finished.

A closed loop (N clients, each waiting for its answer before the next request) measures
its own queue: when the server slows down the clients send less, and every latency is
about N ÷ throughput. Here each request has a time on a schedule fixed before the run
(``arrivals``); it is launched at that time, and its latency is counted **from that
scheduled time**, not from when it was actually sent. So when the server or the generator
falls behind, the waiting shows in the figures instead of being hidden (what Gil Tene
called coordinated omission; wrk2 measures the same way).

Only the standard library: an asyncio loop launches the requests (one short-lived TCP
connection each, as gunicorn's sync workers close every connection after one answer),
so thousands may be outstanding without a thread each. Not part of the product: used by
``bench/load_bench.py`` and tested in ``tests/bench/``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import resource
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# A request without an answer this long after its scheduled time is an error ("timeout").
DEFAULT_TIMEOUT = 30.0
# Requests in flight at most; later ones wait for a slot, and that wait counts in their
# latency (it starts at the schedule). Far above what 4 workers hold, below ``ulimit -n``.
DEFAULT_CONNECTIONS = 1000

Work = Callable[[], Awaitable[str | None]]  # one request (or a short sequence): error or None


def arrivals(rate: float, seconds: float, *, poisson: bool = False, seed: int = 0) -> list[float]:
    """Offsets in seconds from the start at which requests are due: ``rate`` per second
    for ``seconds``. Evenly spaced (``round(rate × seconds)`` of them), or with
    exponential gaps (a Poisson process, as independent people arrive) from ``seed``."""
    if rate <= 0 or seconds <= 0:
        return []
    if not poisson:
        return [number / rate for number in range(round(rate * seconds))]
    rng = random.Random(seed)
    offsets: list[float] = []
    at = rng.expovariate(rate)
    while at < seconds:
        offsets.append(at)
        at += rng.expovariate(rate)
    return offsets


@dataclass(frozen=True)
class Outcome:
    """One scheduled request, with the clock readings that make up its latency."""

    number: int
    route: str
    scheduled: float  # when it was due: the start plus its offset (computed, not measured)
    launched: float  # when the generator got round to it (later if the loop was busy)
    started: float  # when it got a connection slot and was sent (or gave up waiting)
    finished: float
    error: str | None

    @property
    def latency(self) -> float:
        """What a person arriving on schedule waits: from the schedule to the answer."""
        return self.finished - self.scheduled

    @property
    def generator_lag(self) -> float:
        return self.launched - self.scheduled


@dataclass
class OpenLoop:
    """Runs one schedule: ``pick(number)`` is called when request ``number`` is due and
    returns its route name and the work to do; at most ``connections`` run at once."""

    pick: Callable[[int], tuple[str, Work]]
    connections: int = DEFAULT_CONNECTIONS
    timeout: float = DEFAULT_TIMEOUT
    due: int = 0  # requests whose time has come (read by progress displays)
    outcomes: list[Outcome] = field(default_factory=list)
    start: float = 0.0

    def run(self, offsets: Sequence[float]) -> list[Outcome]:
        """Send the requests at ``offsets`` (seconds from now). In a thread of its own
        when this one already runs an event loop (Playwright's sync API leaves one
        running), where ``asyncio.run`` would refuse to start."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.run_async(offsets))
        with ThreadPoolExecutor(max_workers=1) as thread:
            return thread.submit(lambda: asyncio.run(self.run_async(offsets))).result()

    async def run_async(self, offsets: Sequence[float]) -> list[Outcome]:
        slots = asyncio.Semaphore(self.connections)
        tasks: list[asyncio.Task[None]] = []
        self.start = time.monotonic()
        for number, offset in enumerate(offsets):
            scheduled = self.start + offset
            while (delay := scheduled - time.monotonic()) > 0:
                await asyncio.sleep(delay)
            self.due += 1
            route, work = self.pick(number)
            tasks.append(
                asyncio.create_task(
                    self._one(number, route, work, scheduled, time.monotonic(), slots)
                )
            )
        await asyncio.gather(*tasks)
        self.outcomes.sort(key=lambda outcome: outcome.number)
        return self.outcomes

    async def _one(
        self,
        number: int,
        route: str,
        work: Work,
        scheduled: float,
        launched: float,
        slots: asyncio.Semaphore,
    ) -> None:
        started = None
        try:
            # A person arriving on schedule gives up ``timeout`` after it, whether the
            # time went waiting for a connection slot or for the server.
            async with asyncio.timeout(scheduled + self.timeout - time.monotonic()):
                async with slots:
                    started = time.monotonic()
                    error = await work()
        except TimeoutError:
            error = f"timeout: no answer {self.timeout:g} s after its scheduled time"
        except Exception as failure:  # noqa: BLE001 - every failure is a result here
            error = f"{type(failure).__name__}: {failure}"[:120]
        finished = time.monotonic()
        started = finished if started is None else started  # never sent: gave up waiting
        self.outcomes.append(Outcome(number, route, scheduled, launched, started, finished, error))


# -- a minimal HTTP/1.1 client on asyncio streams -----------------------------------------
@dataclass(frozen=True)
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: str

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    def cookies(self) -> dict[str, str]:
        """The name=value pairs of the response's Set-Cookie headers."""
        jar = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                jar[name.strip()] = rest.split(";", 1)[0]
        return jar


async def http_request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    host: str = "127.0.0.1",
) -> Response:
    """One request on a connection of its own (``Connection: close``), as a browser's
    request reaches a sync worker; the answer is read to its end."""
    body = urllib.parse.urlencode(form).encode() if form is not None else b""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    if form is not None:
        lines += ["Content-Type: application/x-www-form-urlencoded"]
    if form is not None or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = [
            (k.strip(), v.strip())
            for k, _, v in (line.partition(":") for line in header_lines if line)
        ]
        response = Response(int(status_line.split()[1]), headers, "")
        if response.header("transfer-encoding").lower() == "chunked":
            data = await _read_chunked(reader)
        elif response.header("content-length"):
            data = await reader.readexactly(int(response.header("content-length")))
        else:
            data = await reader.read()
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    return Response(response.status, headers, data.decode("utf-8", "replace"))


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    data = bytearray()
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return bytes(data)
        data += await reader.readexactly(size)
        await reader.readexactly(2)


# -- summaries -----------------------------------------------------------------------------
def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summarise(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Per route and overall: requests, errors, p50/p95/p99/max latency in ms (from the
    schedule, successful requests only; errors are counted apart)."""
    by_route: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_route[outcome.route].append(outcome)

    def row(items: Sequence[Outcome]) -> dict[str, Any]:
        ok = [o.latency for o in items if o.error is None]
        return {
            "requests": len(items),
            "ok": len(ok),
            "errors": len(items) - len(ok),
            **{f"p{p}": percentile(ok, p / 100) * 1000 for p in (50, 95, 99)},
            "max": max(ok, default=0.0) * 1000,
        }

    return {
        "routes": {route: row(items) for route, items in sorted(by_route.items())},
        "all": row(outcomes),
    }


# -- where the CPU went --------------------------------------------------------------------
TICKS = os.sysconf("SC_CLK_TCK")


def process_tree_cpu(master: int) -> float:
    """CPU seconds of a process, its live children and its reaped children (gunicorn's
    master, its workers, and workers that were recycled or killed)."""

    def stat(pid: int) -> list[str]:
        text = Path(f"/proc/{pid}/stat").read_text()
        return text.rsplit(")", 1)[1].split()

    try:
        fields = stat(master)
    except OSError:
        return 0.0
    # Fields after the name: utime, stime, cutime, cstime are the 12th to 15th.
    total = sum(int(value) for value in fields[11:15])
    children = Path(f"/proc/{master}/task/{master}/children")
    for pid in children.read_text().split() if children.exists() else []:
        try:
            total += sum(int(value) for value in stat(int(pid))[11:13])
        except OSError:
            continue  # it ended between the listing and the read
    return total / TICKS


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # without guest time, which is already in user
    return (total - idle) / TICKS, total / TICKS


@dataclass
class CpuMeter:
    """CPU used during a phase: this process (the generator), the server's process tree,
    and everything else on the machine, as shares of one core."""

    server_pid: int
    wall: float = 0.0
    readings: dict[str, float] = field(default_factory=dict)

    def __enter__(self) -> CpuMeter:
        self.readings = self._read()
        self.wall = time.monotonic()
        return self

    def __exit__(self, *_exc: object) -> None:
        end = self._read()
        self.wall = time.monotonic() - self.wall
        self.readings = {key: end[key] - self.readings[key] for key in end}

    def _read(self) -> dict[str, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        busy, total = machine_cpu()
        return {
            "generator": usage.ru_utime + usage.ru_stime,
            "server": process_tree_cpu(self.server_pid),
            "machine_busy": busy,
            "machine_total": total,
        }

    def shares(self) -> dict[str, float]:
        """Cores' worth (1.0 = one core fully busy) over the phase."""
        wall = max(self.wall, 1e-9)
        generator, server = self.readings["generator"], self.readings["server"]
        busy = self.readings["machine_busy"]
        return {
            "generator": generator / wall,
            "server": server / wall,
            "others": max(busy - generator - server, 0.0) / wall,
            "idle": max(self.readings["machine_total"] - busy, 0.0) / wall,
        }
