"""Load and fault benchmark: ``storyboard serve``'s gunicorn under a realistic mix.

1. A demo instance (``storyboard demo --no-serve``: 5 teams, 25 people, ~320 stories,
   ~11,000 survey answers) is made once under ``bench/out/load`` (or ``--instance``).
2. gunicorn starts with the settings of ``storyboard serve`` (4 sync workers by default)
   on loopback, serving the app plus one bare route (``bench/load_app.py``).
3. ``--clients`` demo people (agents, managers, stakeholders in demo proportions) sign
   in. Their mix: story pages, the story list, searches, the dashboard, and now and then
   writing and publishing a story (each title carries a unique word).
4. Open loop (``bench/open_loop.py``): requests of that mix leave at fixed arrival rates
   (``--rates``, default 25, 50, 100 and 150 per second, ``--step-seconds`` each) whether
   or not earlier ones finished; latency is counted from each request's scheduled time.
   Then a search for the highest rate whose p95 stays under ``--p95-limit`` ms with no
   errors (``--search-seconds`` per step). Between steps the server is left to drain.
5. Closed loop, the capacity figure: the ``--clients`` people send requests without
   think time for ``--duration`` seconds. Fault: halfway, one worker is killed with
   SIGKILL; gunicorn replaces it, the requests it was serving fail (counted as errors).
6. Reference: the same clients hit the bare route for ``--reference`` seconds.
7. Nothing lost: every story whose save answered "published" (in any phase) must be in
   the database and, after ``storyboard index drain``, found by searching its unique word.

For every phase the CPU used by the generator (this process), the server (gunicorn's
master and workers) and everything else on the machine is reported, so a reader sees
whether the generator, the server or a neighbour was the bottleneck.

Run by hand, results go to ``bench/RESULTS.md``::

    .venv/bin/python bench/load_bench.py --out bench/out/load.md
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_app import HELLO_PATH  # noqa: E402
from bench.open_loop import (  # noqa: E402
    DEFAULT_CONNECTIONS,
    DEFAULT_TIMEOUT,
    CpuMeter,
    OpenLoop,
    Outcome,
    arrivals,
    http_request,
    percentile,
    summarise,
)
from storyboard.demo.people import DEMO_PASSWORD, PEOPLE  # noqa: E402
from storyboard.models import Role  # noqa: E402
from storyboard.ops.serve import (  # noqa: E402
    MAX_REQUESTS,
    MAX_REQUESTS_JITTER,
    WORKER_TIMEOUT,
    gunicorn_options,
)

SEARCHES = [
    "klant",
    "bezorging",
    "verjaardag",
    "apologised",
    "delivery",
    "pakket",
    '"stond op"',
    "team:retail",
    "chat",
    "monteur",
    "refund",
    "excuses",
    "cadeau -boete",
    "birthday OR verjaardag",
    "factuur",
    "wachttijd",
]
DASHBOARDS = [
    "/dashboard/",
    "/dashboard/?channel=phone",
    "/dashboard/?period=26",
    "/dashboard/?team=retail",
]
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key"[^>]*value="([^"]*)"')
STORY_LOCATION = re.compile(r"/stories/(\d+)")
# What each role does, as (route, weight): the shares of each person's requests.
MIX: dict[Role, list[tuple[str, int]]] = {
    Role.AGENT: [("story page", 40), ("story list", 25), ("search", 25), ("save", 5)],
    Role.MANAGER: [
        ("dashboard", 25),
        ("story page", 30),
        ("story list", 20),
        ("search", 20),
        ("save", 5),
    ],
    Role.STAKEHOLDER: [("dashboard", 35), ("search", 35), ("story page", 20), ("story list", 10)],
}
DEFAULT_RATES = "25,50,100,150"


# -- the instance and the server -----------------------------------------------------------
def server_env(instance: Path) -> dict[str, str]:
    return {
        **os.environ,
        "STORYBOARD_INSTANCE_PATH": str(instance),
        "STORYBOARD_SECRET_KEY": "load-bench",
        "STORYBOARD_SECURE_COOKIES": "false",
        # Every virtual user signs in from 127.0.0.1.
        "STORYBOARD_LOGIN_RATE_LIMIT": "100000 per minute",
        "STORYBOARD_LOGIN_FREE_FAILURES": "100000",
    }


def prepare(instance: Path) -> None:
    if (instance / "storyboard.db").exists():
        return
    print(f"Creating the demo instance in {instance} …", flush=True)
    subprocess.run(
        [sys.executable, "-c", "from storyboard.cli import main; main()", "demo", "--no-serve"],
        env=server_env(instance),
        check=True,
    )


def published_story_ids(instance: Path) -> list[int]:
    with sqlite3.connect(instance / "storyboard.db") as connection:
        rows = connection.execute("SELECT id FROM stories WHERE status = 'published'")
        ids = [row[0] for row in rows]
    connection.close()
    return ids


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_log(instance: Path) -> Path:
    """gunicorn's error log of the last run: worker boots, timeouts and recycling."""
    return instance / "gunicorn.log"


# What gunicorn logs when it boots a worker, kills one that did not answer within its
# timeout, or recycles one after ``max_requests``.
SERVER_EVENTS = {
    "workers booted": "Booting worker with pid",
    "worker timeouts": "WORKER TIMEOUT",
    "recycled after max requests": "Autorestarting worker",
}


def server_events(log: Path, since: int) -> dict[str, int]:
    """How often each of ``SERVER_EVENTS`` was logged after byte ``since``."""
    with log.open("rb") as handle:
        handle.seek(since)
        text = handle.read().decode("utf-8", "replace")
    return {name: text.count(marker) for name, marker in SERVER_EVENTS.items()}


@dataclass
class Server:
    """The gunicorn under test; restarted when an overloaded step leaves a queue it cannot
    work off in time (sync workers serve every queued request, also those whose client
    gave up long ago, so the next step would otherwise start behind)."""

    instance: Path
    port: int
    workers: int
    process: subprocess.Popen[str] | None = None
    restarts: int = 0

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        self.process = start_server(self.instance, self.port, self.workers, fresh_log=False)

    def stop(self, quick: bool = False) -> None:
        if self.process is not None:
            # SIGINT: gunicorn's quick shutdown, dropping the queue; SIGTERM: graceful.
            self.process.send_signal(signal.SIGINT if quick else signal.SIGTERM)
            self.process.wait(timeout=90)
            self.process = None

    def restart(self) -> None:
        self.stop(quick=True)
        self.restarts += 1
        self.start()


def start_server(
    instance: Path, port: int, workers: int, fresh_log: bool = True
) -> subprocess.Popen[str]:
    options = gunicorn_options(f"127.0.0.1:{port}", workers, access_log=False)
    with server_log(instance).open("w" if fresh_log else "a") as log:
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "load_app.py"), json.dumps(options)],
            env=server_env(instance),
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not become healthy within 60 s")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def settle(port: int, limit: float) -> float:
    """Wait until the server has worked off what an overloaded step left queued: the
    bare route answers within 50 ms three times in a row. Returns the seconds waited."""
    started = time.monotonic()
    fast = 0
    while fast < 3 and time.monotonic() - started < limit:
        began = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=limit)
            connection.request("GET", HELLO_PATH)
            connection.getresponse().read()
            connection.close()
            fast = fast + 1 if time.monotonic() - began < 0.05 else 0
        except OSError:
            fast = 0
        time.sleep(0.2)
    return time.monotonic() - started


# -- what a person does (both loops) -------------------------------------------------------
def request_path(route: str, rng: random.Random, story_ids: list[int]) -> str:
    """The address a GET of ``route`` opens."""
    if route == "hello":
        return HELLO_PATH
    if route == "story page":
        return f"/stories/{rng.choice(story_ids)}"
    if route == "story list":
        return f"/stories/?page={rng.randint(1, 5)}"
    if route == "search":
        return "/search?" + urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
    if route == "dashboard":
        return rng.choice(DASHBOARDS)
    raise ValueError(f"not a GET route: {route}")


def check_page(route: str, status: int, text: str) -> str | None:
    if status != 200 or (route == "hello" and text != "hello"):
        return f"HTTP {status}"
    return None


def story_form(page: str, word: str) -> dict[str, str]:
    """The new-story form filled in and published, its title and body carrying ``word``."""
    key = SUBMISSION_KEY.search(page)
    return {
        "csrf_token": CSRF.search(page).group(1),  # type: ignore[union-attr]
        "submission_key": key.group(1) if key else "",
        "title": f"Load test story {word}",
        "body": f"A customer called about {word}; the agent **stood up** for them.",
        "channel": "phone",
        "language": "en",
        "team_id": "",
        "action": "publish",
    }


def users_for(count: int) -> list[tuple[str, Role]]:
    """Demo people in turn, so roles come in the organisation's proportions."""
    people = [(p.email, p.role) for p in PEOPLE if p.role in MIX]
    return [people[i % len(people)] for i in range(count)]


class Browser:
    """One keep-alive connection with a cookie jar, like one person's browser tab."""

    def __init__(self, port: int, email: str, role: Role) -> None:
        self.port, self.email, self.role = port, email, role
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.retries = 0  # GETs repeated once after a broken connection (a killed worker)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt == 2 or method == "POST":
                    raise
                self.retries += 1
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text, {k.lower(): v for k, v in response.getheaders()}

    def sign_in(self, password: str = DEMO_PASSWORD) -> None:
        _status, page, _ = self.request("GET", "/auth/login")
        token = CSRF.search(page).group(1)  # type: ignore[union-attr]
        status, _text, _ = self.request(
            "POST", "/auth/login", {"email": self.email, "password": password, "csrf_token": token}
        )
        if status != 302:
            raise SystemExit(f"sign-in of {self.email} failed: {status}")


def sign_in_all(port: int, count: int) -> list[Browser]:
    browsers = [Browser(port, email, role) for email, role in users_for(count)]
    for number, browser in enumerate(browsers, 1):
        browser.sign_in()
        print(f"\r  signed in {number}/{count}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return browsers


@dataclass
class Results:
    """What the closed loop measured (its latencies count from the moment of sending)."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    error_times: list[float] = field(default_factory=list)
    saved: list[tuple[int, str]] = field(default_factory=list)  # (story id, unique word)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, route: str, seconds: float, error: str | None, at: float) -> None:
        with self.lock:
            if error is None:
                self.times[route].append(seconds)
            else:
                self.errors[route].append(error)
                self.error_times.append(at)


# -- closed loop: N people without think time (the capacity figure) ------------------------
class VirtualUser(threading.Thread):
    def __init__(
        self,
        number: int,
        browser: Browser,
        story_ids: list[int],
        results: Results,
        stop_at: float,
        route_override: str | None = None,
    ) -> None:
        super().__init__(daemon=True)
        self.rng = random.Random(number)
        self.number, self.browser = number, browser
        self.story_ids, self.results = story_ids, results
        self.stop_at, self.route_override = stop_at, route_override
        routes, weights = zip(*MIX[browser.role], strict=True)
        self.routes, self.weights = list(routes), list(weights)

    def run(self) -> None:
        while time.monotonic() < self.stop_at:
            route = self.route_override or self.rng.choices(self.routes, self.weights)[0]
            started = time.monotonic()
            try:
                error = self.save() if route == "save" else self.open(route)
            except Exception as failure:  # noqa: BLE001 - every failure is a result here
                error = f"{type(failure).__name__}: {failure}"[:120]
            self.results.record(route, time.monotonic() - started, error, started)

    def open(self, route: str) -> str | None:
        status, text, _ = self.browser.request("GET", request_path(route, self.rng, self.story_ids))
        return check_page(route, status, text)

    def save(self) -> str | None:
        status, page, _ = self.browser.request("GET", "/stories/new")
        if status != 200:
            return f"form HTTP {status}"
        word = f"loadbench{self.number}x{self.rng.randrange(16**8):08x}"
        status, _text, headers = self.browser.request(
            "POST", "/stories/new", story_form(page, word)
        )
        if status != 302:
            return f"save HTTP {status}"
        match = STORY_LOCATION.search(headers.get("location", ""))
        if match:
            with self.results.lock:
                self.results.saved.append((int(match.group(1)), word))
        return None


def run_closed_loop(
    browsers: list[Browser],
    seconds: float,
    story_ids: list[int],
    route: str | None = None,
    fault: subprocess.Popen[str] | None = None,
) -> tuple[Results, dict[str, Any]]:
    results = Results()
    started = time.monotonic()
    stop_at = started + seconds
    threads = [
        VirtualUser(number, browser, story_ids, results, stop_at, route)
        for number, browser in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    info: dict[str, Any] = {}
    if fault is not None:
        time.sleep(seconds / 2)
        victims = worker_pids(fault.pid)
        if victims:
            victim = victims[0]
            os.kill(victim, signal.SIGKILL)
            info = {"killed_pid": victim, "at_s": time.monotonic() - started}
    for thread in threads:
        thread.join()
    info["elapsed_s"] = time.monotonic() - started
    info["retries"] = sum(browser.retries for browser in browsers)
    for browser in browsers:
        browser.retries = 0
    if fault is not None:
        info["workers_after"] = len(worker_pids(fault.pid))
        info["errors_near_kill"] = sum(
            1 for at in results.error_times if abs(at - started - info.get("at_s", -99)) < 5
        )
    return results, info


# -- open loop: arrivals on a schedule -----------------------------------------------------
@dataclass
class MixedArrivals:
    """``OpenLoop.pick`` for the mix: request ``number`` belongs to person
    ``number mod len(browsers)``, who picks a route by their role's shares. Requests run on
    connections of their own with the person's cookies (copied at send time)."""

    port: int
    browsers: list[Browser]
    story_ids: list[int]
    step: int
    rng: random.Random
    only: str | None = None  # every request this route (the bare reference) instead
    saved: list[tuple[int, str]] = field(default_factory=list)

    def pick(self, number: int) -> tuple[str, Any]:
        browser = self.browsers[number % len(self.browsers)]
        routes, weights = zip(*MIX[browser.role], strict=True)
        route = self.only or self.rng.choices(routes, weights)[0]
        if route == "save":
            word = f"loadbench{self.step}s{number}x{self.rng.randrange(16**8):08x}"
            return route, lambda: self.save(browser, word)
        path = request_path(route, self.rng, self.story_ids)
        return route, lambda: self.open(browser, route, path)

    async def open(self, browser: Browser, route: str, path: str) -> str | None:
        response = await http_request(self.port, "GET", path, cookies=dict(browser.cookies))
        return check_page(route, response.status, response.body)

    async def save(self, browser: Browser, word: str) -> str | None:
        jar = dict(browser.cookies)
        form = await http_request(self.port, "GET", "/stories/new", cookies=jar)
        if form.status != 200:
            return f"form HTTP {form.status}"
        jar.update(form.cookies())
        answer = await http_request(
            self.port, "POST", "/stories/new", cookies=jar, form=story_form(form.body, word)
        )
        if answer.status != 302:
            return f"save HTTP {answer.status}"
        match = STORY_LOCATION.search(answer.header("location"))
        if match:
            self.saved.append((int(match.group(1)), word))
        return None


class Progress(threading.Thread):
    """One line on stderr, rewritten every second, while a step runs."""

    def __init__(self, label: str, loop: OpenLoop, total: int) -> None:
        super().__init__(daemon=True)
        self.label, self.loop, self.total = label, loop, total
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(1.0):
            self.show()

    def show(self) -> None:
        finished = len(self.loop.outcomes)
        errors = sum(1 for outcome in list(self.loop.outcomes) if outcome.error)
        width = 30
        filled = int(width * self.loop.due / max(self.total, 1))
        print(
            f"\r  {self.label}: [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.loop.due}/{self.total} sent, {self.loop.due - finished} in flight, "
            f"{errors} errors   ",
            end="",
            file=sys.stderr,
            flush=True,
        )

    def stop(self) -> None:
        self.done.set()
        self.join()
        self.show()
        print(file=sys.stderr)


def run_open_step(
    args: argparse.Namespace,
    port: int,
    server: Server,
    browsers: list[Browser],
    story_ids: list[int],
    rate: float,
    seconds: float,
    step: int,
    label: str,
    only: str | None = None,
    may_restart: bool = True,
) -> dict[str, Any]:
    """One rate for ``seconds``, then wait for the server to drain (restart it and warm
    it up if it does not within ``--drain-limit`` seconds). Returns the figures."""
    offsets = arrivals(rate, seconds, poisson=args.arrivals == "poisson", seed=step)
    mix = MixedArrivals(port, browsers, story_ids, step, random.Random(f"step{step}"), only)
    loop = OpenLoop(mix.pick, connections=args.connections, timeout=args.timeout)
    progress = Progress(label, loop, len(offsets))
    log = server_log(args.instance.resolve())
    since = log.stat().st_size
    progress.start()
    with CpuMeter(server.pid) as whole:  # the step and the work it left queued
        with CpuMeter(server.pid) as cpu:
            outcomes = loop.run(offsets)
        progress.stop()
        drained = settle(port, args.drain_limit)
    figures = step_figures(rate, seconds, outcomes, cpu, drained, mix.saved, args.p95_limit)
    figures["server_events"] = server_events(log, since)
    ok = figures["summary"]["all"]["ok"]
    figures["server_cpu_ms_per_answer"] = whole.readings["server"] * 1000 / max(ok, 1)
    figures["restarted"] = may_restart and drained >= args.drain_limit
    if figures["restarted"]:
        print(f"  the server did not drain in {args.drain_limit:g} s: restarting it", flush=True)
        server.restart()
        figures["saved"] += warm_up(args, port, server, browsers, story_ids, step)
    return figures


def warm_up(
    args: argparse.Namespace,
    port: int,
    server: Server,
    browsers: list[Browser],
    story_ids: list[int],
    step: int,
) -> list[tuple[int, str]]:
    """``--warmup`` seconds of the mix at 10/s, not reported: workers open the index,
    compile templates and fill their caches. Returns the stories it published."""
    if args.warmup <= 0:
        return []
    label = "warm-up 10/s"
    figures = run_open_step(
        args, port, server, browsers, story_ids, 10, args.warmup, -step, label, may_restart=False
    )
    return list(figures["saved"])


def step_figures(
    rate: float,
    seconds: float,
    outcomes: list[Outcome],
    cpu: CpuMeter,
    drained: float,
    saved: list[tuple[int, str]],
    p95_limit: float,
) -> dict[str, Any]:
    summary = summarise(outcomes)
    start = min((o.scheduled for o in outcomes), default=0.0)
    last_third = [
        o.latency for o in outcomes if o.error is None and o.scheduled - start >= seconds * 2 / 3
    ]
    ok = summary["all"]["ok"]
    figures = {
        "rate": rate,
        "seconds": seconds,
        "summary": summary,
        "completed_per_s": ok / seconds,
        "p95_last_third": percentile(last_third, 0.95) * 1000,
        "generator_lag_p99": percentile([o.generator_lag for o in outcomes], 0.99) * 1000,
        "slot_wait_p99": percentile([o.started - o.launched for o in outcomes], 0.99) * 1000,
        "cpu": cpu.shares(),
        "cpu_seconds": cpu.readings,
        "requests": len(outcomes),
        "generator_cpu_ms_per_request": cpu.readings["generator"] * 1000 / max(len(outcomes), 1),
        "drained_s": drained,
        "saved": saved,
        "errors": [o.error for o in outcomes if o.error],
    }
    figures["sustained"] = (
        summary["all"]["errors"] == 0
        and summary["all"]["p95"] < p95_limit
        and figures["p95_last_third"] < p95_limit
    )
    return figures


def search_sustained(
    args: argparse.Namespace,
    measure: Any,
    fixed: list[dict[str, Any]],
) -> tuple[float, list[dict[str, Any]]]:
    """Bisect between the highest fixed rate that was sustained and the lowest that was
    not, to ``--search-resolution`` requests/s. Returns the best rate and the steps run."""
    passed = [f["rate"] for f in fixed if f["sustained"]]
    failed = [f["rate"] for f in fixed if not f["sustained"]]
    low = max(passed, default=0.0)
    high = min([r for r in failed if r > low], default=args.search_max)
    steps: list[dict[str, Any]] = []
    while high - low > args.search_resolution:
        rate = round((low + high) / 2 / args.search_resolution) * args.search_resolution
        if rate <= low or rate >= high:
            break
        figures = measure(rate, args.search_seconds, f"search {rate:g}/s")
        steps.append(figures)
        if figures["sustained"]:
            low = rate
        else:
            high = rate
    return low, steps


# -- checking that nothing was lost --------------------------------------------------------
def check_saved(instance: Path, saved: list[tuple[int, str]]) -> dict[str, int]:
    env = server_env(instance)
    subprocess.run(
        [sys.executable, "-c", "from storyboard.cli import main; main()", "index", "drain"],
        env=env,
        check=True,
        capture_output=True,
    )
    os.environ.update({k: v for k, v in env.items() if k.startswith("STORYBOARD_")})
    from storyboard import create_app
    from storyboard.db import db
    from storyboard.models import Story, StoryStatus
    from storyboard.search import service
    from storyboard.search.backend import SearchRequest

    app = create_app()
    missing_db = missing_index = 0
    with app.app_context():
        for story_id, word in saved:
            story = db.session.get(Story, story_id)
            if story is None or story.status is not StoryStatus.PUBLISHED:
                missing_db += 1
                continue
            hits = service.search_stories(SearchRequest(text=word)).hits
            if story_id not in {hit.story_id for hit in hits}:
                missing_index += 1
        db.engine.dispose()
    return {
        "saved": len(saved),
        "missing_in_database": missing_db,
        "missing_in_index": missing_index,
    }


# -- report --------------------------------------------------------------------------------
def route_rows(results: Results, seconds: float) -> list[dict[str, Any]]:
    rows = []
    for route in sorted(set(results.times) | set(results.errors)):
        times = results.times.get(route, [])
        rows.append(
            {
                "route": route,
                "ok": len(times),
                "errors": len(results.errors.get(route, [])),
                "rps": len(times) / seconds,
                "p50": percentile(times, 0.50) * 1000,
                "p95": percentile(times, 0.95) * 1000,
                "p99": percentile(times, 0.99) * 1000,
                "max": max(times, default=0) * 1000,
            }
        )
    return rows


def machine() -> str:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return (
        f"{os.cpu_count()} cores ({cpu}); Python {platform.python_version()}; {platform.platform()}"
    )


def ceiling(cpu_seconds: dict[str, float], requests: int) -> str:
    """What the machine's cores could serve of the mix, from CPU per request alone."""
    cores = os.cpu_count() or 1
    per_request = (cpu_seconds["server"] + cpu_seconds["generator"]) * 1000 / max(requests, 1)
    return (
        f"Server and generator together spent {per_request:.1f} ms of CPU per request: "
        f"{cores} otherwise idle cores could serve at most ~{cores * 1000 / per_request:.0f} "
        "requests/s of the mix, before any queueing."
        if per_request > 0
        else ""
    )


def cpu_text(shares: dict[str, float]) -> str:
    return " / ".join(f"{shares[k]:.2f}" for k in ("generator", "server", "others", "idle"))


def events_text(events: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in events.items())


def error_kinds(errors: list[str]) -> str:
    kinds: dict[str, int] = defaultdict(int)
    for error in errors:
        kinds[error] += 1
    return ", ".join(f"{kind} ×{count}" for kind, count in sorted(kinds.items()))


def open_loop_report(
    args: argparse.Namespace,
    fixed: list[dict[str, Any]],
    best: float,
    search: list[dict[str, Any]],
    bare: list[dict[str, Any]],
) -> list[str]:
    lines = [
        f"### Open loop: fixed arrival rates ({args.arrivals} arrivals, latency from the "
        "scheduled send time)",
        "",
        "| rate/s | done/s | errors | p50 ms | p95 ms | p99 ms | p95 last third | "
        "generator lag p99 ms | CPU cores: generator / server / others / idle | "
        f"server CPU ms per answer | p95 < {args.p95_limit:g} ms, no errors |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|:---:|",
    ]
    for f in [*fixed, *search, *bare]:
        a = f["summary"]["all"]
        kind = " (search)" if f in search else " (bare route)" if f in bare else ""
        lines.append(
            f"| {f['rate']:g}{kind} | {f['completed_per_s']:.1f} | "
            f"{a['errors']} | {a['p50']:.0f} | {a['p95']:.0f} | {a['p99']:.0f} | "
            f"{f['p95_last_third']:.0f} | {f['generator_lag_p99']:.1f} | {cpu_text(f['cpu'])} | "
            f"{f['server_cpu_ms_per_answer']:.1f} | {'yes' if f['sustained'] else 'no'} |"
        )
    lines += [
        "",
        "Server CPU per answer: the server's CPU over the step and the queue it left, divided "
        "by the requests answered in time (work spent on requests whose client had given up "
        "counts against the answered ones).",
        "",
        f"**Highest rate sustained** (p95 < {args.p95_limit:g} ms over the whole step and its "
        f"last third, no errors; bisected to {args.search_resolution:g}/s, "
        f"{args.search_seconds:g} s per search step): **{best:g} requests/s**.",
        "",
        "Per route (p50 / p95 / p99 ms, errors):",
        "",
        "| route | " + " | ".join(f"{f['rate']:g}/s" for f in fixed) + " |",
        "|---|" + "---:|" * len(fixed),
    ]
    routes = sorted({r for f in fixed for r in f["summary"]["routes"]})
    for route in routes:
        cells = []
        for f in fixed:
            r = f["summary"]["routes"].get(route)
            cells.append(
                f"{r['p50']:.0f} / {r['p95']:.0f} / {r['p99']:.0f}, {r['errors']} err "
                f"(n={r['requests']})"
                if r
                else "–"
            )
        lines.append(f"| {route} | " + " | ".join(cells) + " |")
    lines.append("")
    for f in [*fixed, *search, *bare]:
        if f["errors"]:
            lines.append(f"- errors at {f['rate']:g}/s: {error_kinds(f['errors'])}")
        if 5 < f["drained_s"] < args.drain_limit:
            lines.append(
                f"- after {f['rate']:g}/s the server needed {f['drained_s']:.0f} s to work off "
                "its queue before the next step"
            )
        if f["restarted"]:
            lines.append(
                f"- after {f['label']} the queue was not worked off within "
                f"{args.drain_limit:g} s: the server was restarted (and warmed up)"
            )
        if f["server_events"]["worker timeouts"]:
            lines.append(f"- gunicorn during {f['label']}: {events_text(f['server_events'])}")
    return lines


def closed_loop_report(
    args: argparse.Namespace,
    mixed: Results,
    mixed_info: dict[str, Any],
    hello: Results,
    hello_info: dict[str, Any],
) -> list[str]:
    rows = route_rows(mixed, mixed_info["elapsed_s"])
    hello_row = route_rows(hello, hello_info["elapsed_s"])[0]
    total_ok = sum(r["ok"] for r in rows)
    total_errors = sum(r["errors"] for r in rows)
    all_times = [t for times in mixed.times.values() for t in times]
    throughput = total_ok / mixed_info["elapsed_s"]
    lines = [
        f"### Closed loop (capacity): {args.clients} clients without think time, "
        f"{args.workers} workers, {mixed_info['elapsed_s']:.0f} s",
        "",
        "Latency here counts from the moment each client sent, and includes the queue of "
        f"{args.clients} clients in front of the workers (p50 ≈ clients ÷ throughput); the "
        "throughput is the figure to read.",
        "",
        "| route | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in [*rows, hello_row]:
        name = "bare route (reference, own phase)" if r is hello_row else r["route"]
        lines.append(
            f"| {name} | {r['ok']:,} | {r['errors']} | {r['rps']:.1f} | "
            f"{r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.0f} |"
        )
    lines += [
        f"| **all (mixed)** | {total_ok:,} | {total_errors} | {throughput:.1f} | "
        f"{percentile(all_times, 0.5) * 1000:.1f} | {percentile(all_times, 0.95) * 1000:.1f} | "
        f"{percentile(all_times, 0.99) * 1000:.1f} | {max(all_times, default=0) * 1000:.0f} |",
        "",
        f"CPU cores (generator / server / others / idle): mixed {cpu_text(mixed_info['cpu'])}; "
        f"bare route {cpu_text(hello_info['cpu'])}. Server CPU per mixed request "
        f"{mixed_info['cpu_seconds']['server'] * 1000 / max(total_ok + total_errors, 1):.1f} ms, "
        f"per bare request {hello_info['cpu_seconds']['server'] * 1000 / max(hello_row['ok'], 1):.2f} ms.",
        ceiling(mixed_info["cpu_seconds"], total_ok + total_errors),
    ]
    if "killed_pid" in mixed_info:
        lines.append(
            f"Fault: worker {mixed_info['killed_pid']} killed (SIGKILL) at "
            f"{mixed_info['at_s']:.0f} s; {mixed_info['errors_near_kill']} request(s) failed "
            f"within 5 s of it and {mixed_info['retries']} GET(s) were retried once on a new "
            f"connection; {mixed_info['workers_after']} workers running at the end."
        )
    for route, errors in sorted(mixed.errors.items()):
        lines.append(f"- errors on {route}: {error_kinds(errors)}")
    return lines


# -- the run -------------------------------------------------------------------------------
def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=50, help="People signed in (both loops).")
    parser.add_argument("--rates", default=DEFAULT_RATES, help="Open-loop rates, requests/s.")
    parser.add_argument("--step-seconds", type=float, default=60, help="Per fixed rate.")
    parser.add_argument("--arrivals", choices=["uniform", "poisson"], default="uniform")
    parser.add_argument("--p95-limit", type=float, default=300, help="ms, for the search.")
    parser.add_argument("--search-seconds", type=float, default=30)
    parser.add_argument("--search-resolution", type=float, default=5)
    parser.add_argument("--search-max", type=float, default=400)
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument(
        "--bare-rate",
        type=float,
        default=300,
        help="Open loop on the bare route alone at this rate (for --reference s); 0: skip.",
    )
    parser.add_argument("--warmup", type=float, default=10, help="Seconds at 10 req/s first.")
    parser.add_argument(
        "--drain-limit",
        type=float,
        default=60,
        help="Seconds to wait for the server to work off a step's queue before restarting it.",
    )
    parser.add_argument("--connections", type=int, default=DEFAULT_CONNECTIONS)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    parser.add_argument("--duration", type=float, default=60, help="Closed loop, seconds.")
    parser.add_argument("--reference", type=float, default=20)
    parser.add_argument("--no-closed", action="store_true", help="Skip the closed loop.")
    parser.add_argument("--instance", type=Path, default=ROOT / "bench" / "out" / "load")
    parser.add_argument("--no-fault", action="store_true", help="Do not kill a worker.")
    parser.add_argument("--out", type=Path, help="Also write the report to this file.")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    rates = [float(rate) for rate in args.rates.split(",") if rate.strip()]
    instance = args.instance.resolve()
    prepare(instance)
    story_ids = published_story_ids(instance)
    port = free_port()
    load_before = os.getloadavg()
    began = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    server = Server(instance, port, args.workers, start_server(instance, port, args.workers))
    saved: list[tuple[int, str]] = []
    sections: list[str] = []
    raw: dict[str, Any] = {}
    try:
        browsers = sign_in_all(port, args.clients)
        step = 0

        def measure(
            rate: float, seconds: float, label: str, only: str | None = None
        ) -> dict[str, Any]:
            nonlocal step
            step += 1
            figures = run_open_step(
                args, port, server, browsers, story_ids, rate, seconds, step, label, only
            )
            figures["label"] = label
            saved.extend(figures["saved"])
            return figures

        saved += warm_up(args, port, server, browsers, story_ids, 0)
        fixed = [measure(rate, args.step_seconds, f"{rate:g}/s") for rate in rates]
        best, search = (
            (0.0, []) if args.no_search or not fixed else search_sustained(args, measure, fixed)
        )
        bare = (
            [measure(args.bare_rate, args.reference, f"bare route {args.bare_rate:g}/s", "hello")]
            if args.bare_rate > 0
            else []
        )
        if fixed:
            sections += open_loop_report(args, fixed, best, search, bare)
        raw["open_loop"] = [
            {k: v for k, v in f.items() if k not in {"saved", "errors"}}
            | {"error_kinds": error_kinds(f["errors"])}
            for f in [*fixed, *search, *bare]
        ]
        if not args.no_closed:
            print(f"Closed loop: {args.clients} clients for {args.duration:.0f} s …", flush=True)
            with CpuMeter(server.pid) as cpu:
                mixed, mixed_info = run_closed_loop(
                    browsers,
                    args.duration,
                    story_ids,
                    fault=None if args.no_fault else server.process,
                )
            mixed_info |= {"cpu": cpu.shares(), "cpu_seconds": cpu.readings}
            saved.extend(mixed.saved)
            print(f"Reference: the bare route for {args.reference:.0f} s …", flush=True)
            with CpuMeter(server.pid) as cpu:
                hello, hello_info = run_closed_loop(
                    browsers, args.reference, story_ids, route="hello"
                )
            hello_info |= {"cpu": cpu.shares(), "cpu_seconds": cpu.readings}
            sections += ["", *closed_loop_report(args, mixed, mixed_info, hello, hello_info)]
    finally:
        server.stop()
    load_after = os.getloadavg()
    print("Checking that every published story is there and searchable …", flush=True)
    kept = check_saved(instance, saved)
    header = [
        f"Machine: {machine()}",
        f"Date: {began} to {time.strftime('%H:%M UTC', time.gmtime())}",
        "Command: `python bench/load_bench.py " + " ".join(sys.argv[1:]) + "`",
        f"Load average (1/5/15 min) before: {' '.join(f'{v:.2f}' for v in load_before)}; "
        f"after: {' '.join(f'{v:.2f}' for v in load_after)}",
        f"Server: gunicorn, {args.workers} sync workers (`storyboard serve`'s settings), "
        "on the same cores as the generator (one asyncio process for the open loop, "
        f"{args.clients} threads for the closed loop).",
        "",
    ]
    footer = [
        "",
        "gunicorn over the whole run: "
        + events_text(server_events(server_log(instance), 0))
        + f" (worker timeout {WORKER_TIMEOUT} s, recycling after "
        f"{MAX_REQUESTS}–{MAX_REQUESTS + MAX_REQUESTS_JITTER} requests); "
        f"{server.restarts} restart(s) of the server after a queue it could not work off.",
        f"Nothing lost: {kept['saved']} stories published during the run (all phases); "
        f"{kept['missing_in_database']} missing from the database, "
        f"{kept['missing_in_index']} not found by search after `storyboard index drain`.",
    ]
    text = "\n".join([*header, *sections, *footer]) + "\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        raw["nothing_lost"] = kept
        args.out.with_suffix(".json").write_text(json.dumps(raw, indent=1, default=str))


if __name__ == "__main__":
    main()
