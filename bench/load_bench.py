"""Load and fault benchmark: ``storyboard serve``'s gunicorn under a realistic mix.

1. A demo instance (``storyboard demo --no-serve``: 5 teams, 25 people, ~320 stories,
   ~11,000 survey answers) is made once under ``bench/out/load`` (or ``--instance``).
2. gunicorn starts with the settings of ``storyboard serve`` (4 sync workers by default)
   on loopback, serving the app plus one bare route (``bench/load_app.py``).
3. ``--clients`` virtual users (agents, managers, stakeholders in demo proportions) sign
   in and then, for ``--duration`` seconds without think time, open story pages, the
   story list, searches, the dashboard, and now and then write and publish a story
   (each title carries a unique word).
4. Fault: halfway through, one worker is killed with SIGKILL; gunicorn replaces it. The
   requests that worker was serving fail (counted as errors).
5. Reference: the same clients hit the bare route for ``--reference`` seconds.
6. Nothing lost: every story whose save answered "published" must be in the database and,
   after ``storyboard index drain``, found by searching for its unique word.

Run by hand, results go to ``bench/RESULTS.md``::

    .venv/bin/python bench/load_bench.py --workers 4 --clients 50 --duration 60
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
from storyboard.demo.people import DEMO_PASSWORD, PEOPLE  # noqa: E402
from storyboard.models import Role  # noqa: E402
from storyboard.ops.serve import gunicorn_options  # noqa: E402

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
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key"[^>]*value="([^"]*)"')
# What each role does, as (route, weight): no think time, so weights are shares.
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


def start_server(instance: Path, port: int, workers: int) -> subprocess.Popen[str]:
    options = gunicorn_options(f"127.0.0.1:{port}", workers, access_log=False)
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "load_app.py"), json.dumps(options)],
        env=server_env(instance),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
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


# -- virtual users -------------------------------------------------------------------------
class Browser:
    """One keep-alive connection with a cookie jar, like one person's browser tab."""

    def __init__(self, port: int) -> None:
        self.port = port
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

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        _status, page, _ = self.request("GET", "/auth/login")
        token = CSRF.search(page).group(1)  # type: ignore[union-attr]
        status, _text, _ = self.request(
            "POST", "/auth/login", {"email": email, "password": password, "csrf_token": token}
        )
        if status != 302:
            raise SystemExit(f"sign-in of {email} failed: {status}")


@dataclass
class Results:
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


class VirtualUser(threading.Thread):
    def __init__(
        self,
        number: int,
        email: str,
        role: Role,
        port: int,
        story_ids: list[int],
        results: Results,
        stop_at: float,
        route_override: str | None = None,
        browser: Browser | None = None,
    ) -> None:
        super().__init__(daemon=True)
        self.rng = random.Random(number)
        self.number, self.email, self.role = number, email, role
        self.browser = browser or Browser(port)
        self.story_ids, self.results = story_ids, results
        self.stop_at, self.route_override = stop_at, route_override
        routes, weights = zip(*MIX[role], strict=False)
        self.routes, self.weights = list(routes), list(weights)

    def run(self) -> None:
        while time.monotonic() < self.stop_at:
            route = self.route_override or self.rng.choices(self.routes, self.weights)[0]
            started = time.monotonic()
            try:
                error = self.act(route)
            except Exception as failure:  # noqa: BLE001 - every failure is a result here
                error = f"{type(failure).__name__}: {failure}"[:120]
            self.results.record(route, time.monotonic() - started, error, started)

    def act(self, route: str) -> str | None:
        if route == "hello":
            status, text, _ = self.browser.request("GET", HELLO_PATH)
            return None if status == 200 and text == "hello" else f"HTTP {status}"
        if route == "story page":
            path = f"/stories/{self.rng.choice(self.story_ids)}"
        elif route == "story list":
            path = f"/stories/?page={self.rng.randint(1, 5)}"
        elif route == "search":
            path = "/search?" + urllib.parse.urlencode({"q": self.rng.choice(SEARCHES)})
        elif route == "dashboard":
            path = self.rng.choice(
                [
                    "/dashboard/",
                    "/dashboard/?channel=phone",
                    "/dashboard/?period=26",
                    "/dashboard/?team=retail",
                ]
            )
        else:
            return self.save()
        status, _text, _ = self.browser.request("GET", path)
        return None if status == 200 else f"HTTP {status}"

    def save(self) -> str | None:
        status, page, _ = self.browser.request("GET", "/stories/new")
        if status != 200:
            return f"form HTTP {status}"
        word = f"loadbench{self.number}x{self.rng.randrange(16**8):08x}"
        key = SUBMISSION_KEY.search(page)
        status, _text, headers = self.browser.request(
            "POST",
            "/stories/new",
            {
                "csrf_token": CSRF.search(page).group(1),  # type: ignore[union-attr]
                "submission_key": key.group(1) if key else "",
                "title": f"Load test story {word}",
                "body": f"A customer called about {word}; the agent **stood up** for them.",
                "channel": "phone",
                "language": "en",
                "team_id": "",
                "action": "publish",
            },
        )
        if status != 302:
            return f"save HTTP {status}"
        match = re.search(r"/stories/(\d+)", headers.get("location", ""))
        if match:
            with self.results.lock:
                self.results.saved.append((int(match.group(1)), word))
        return None


def users_for(count: int) -> list[tuple[str, Role]]:
    """Demo people in turn, so roles come in the organisation's proportions."""
    people = [(p.email, p.role) for p in PEOPLE if p.role in MIX]
    return [people[i % len(people)] for i in range(count)]


def run_phase(
    port: int,
    clients: int,
    seconds: float,
    story_ids: list[int],
    route: str | None = None,
    browsers: list[Browser] | None = None,
    fault: subprocess.Popen[str] | None = None,
) -> tuple[Results, list[Browser], dict[str, Any]]:
    results = Results()
    people = users_for(clients)
    if browsers is None:
        browsers = []
        for email, _role in people:
            browser = Browser(port)
            browser.sign_in(email)
            browsers.append(browser)
    started = time.monotonic()
    stop_at = started + seconds
    threads = [
        VirtualUser(n, email, role, port, story_ids, results, stop_at, route, browser)
        for n, ((email, role), browser) in enumerate(zip(people, browsers, strict=False))
    ]
    for thread in threads:
        thread.start()
    fault_info: dict[str, Any] = {}
    if fault is not None:
        time.sleep(seconds / 2)
        victims = worker_pids(fault.pid)
        if victims:
            victim = victims[0]
            os.kill(victim, signal.SIGKILL)
            fault_info = {"killed_pid": victim, "at_s": time.monotonic() - started}
    for thread in threads:
        thread.join()
    fault_info["elapsed_s"] = time.monotonic() - started
    fault_info["retries"] = sum(browser.retries for browser in browsers)
    for browser in browsers:
        browser.retries = 0
    if fault is not None:
        fault_info["workers_after"] = len(worker_pids(fault.pid))
        fault_info["errors_near_kill"] = sum(
            1 for at in results.error_times if abs(at - started - fault_info.get("at_s", -99)) < 5
        )
    return results, browsers, fault_info


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
def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


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


def report(
    args: argparse.Namespace,
    mixed: Results,
    mixed_info: dict[str, Any],
    hello: Results,
    hello_info: dict[str, Any],
    saved: dict[str, int],
    load: tuple[float, float],
) -> str:
    rows = route_rows(mixed, mixed_info["elapsed_s"])
    hello_row = route_rows(hello, hello_info["elapsed_s"])[0]
    total_ok = sum(r["ok"] for r in rows)
    total_errors = sum(r["errors"] for r in rows)
    all_times = [t for times in mixed.times.values() for t in times]
    lines = [
        f"Machine: {machine()}",
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"Command: `python bench/load_bench.py --workers {args.workers} --clients "
        f"{args.clients} --duration {args.duration} --reference {args.reference}`",
        f"Load average (1 min) before: {load[0]:.2f}, after: {load[1]:.2f}",
        "",
        f"Mixed load: {args.clients} clients, {args.workers} gunicorn workers, "
        f"{mixed_info['elapsed_s']:.0f} s, no think time.",
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
        f"| **all (mixed)** | {total_ok:,} | {total_errors} | "
        f"{total_ok / mixed_info['elapsed_s']:.1f} | {percentile(all_times, 0.5) * 1000:.1f} | "
        f"{percentile(all_times, 0.95) * 1000:.1f} | {percentile(all_times, 0.99) * 1000:.1f} | "
        f"{max(all_times, default=0) * 1000:.0f} |",
        "",
        f"Ratio to the bare route on the same server: throughput "
        f"{hello_row['rps'] / max(total_ok / mixed_info['elapsed_s'], 1e-9):.1f}× higher for "
        f"the bare route; mixed p50 {percentile(all_times, 0.5) * 1000 / max(hello_row['p50'], 1e-9):.1f}× "
        f"and p95 {percentile(all_times, 0.95) * 1000 / max(hello_row['p95'], 1e-9):.1f}× the "
        "bare route's.",
    ]
    if "killed_pid" in mixed_info:
        lines.append(
            f"Fault: worker {mixed_info['killed_pid']} killed (SIGKILL) at "
            f"{mixed_info['at_s']:.0f} s; {mixed_info['errors_near_kill']} request(s) failed "
            f"within 5 s of it and {mixed_info['retries']} GET(s) were retried once on a new "
            f"connection; {mixed_info['workers_after']} workers running at the end."
        )
    lines.append(
        f"Nothing lost: {saved['saved']} stories published during the run; "
        f"{saved['missing_in_database']} missing from the database, "
        f"{saved['missing_in_index']} not found by search after `storyboard index drain`."
    )
    for route, errors in sorted(mixed.errors.items()):
        kinds: dict[str, int] = defaultdict(int)
        for error in errors:
            kinds[error] += 1
        lines.append(f"- errors on {route}: " + ", ".join(f"{k} ×{v}" for k, v in kinds.items()))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--reference", type=float, default=20)
    parser.add_argument("--instance", type=Path, default=ROOT / "bench" / "out" / "load")
    parser.add_argument("--no-fault", action="store_true", help="Do not kill a worker.")
    parser.add_argument("--out", type=Path, help="Also write the report to this file.")
    args = parser.parse_args()

    instance = args.instance.resolve()
    prepare(instance)
    story_ids = published_story_ids(instance)
    port = free_port()
    load_before = os.getloadavg()[0]
    server = start_server(instance, port, args.workers)
    try:
        print(f"Mixed load: {args.clients} clients for {args.duration:.0f} s …", flush=True)
        mixed, browsers, mixed_info = run_phase(
            port, args.clients, args.duration, story_ids, fault=None if args.no_fault else server
        )
        print(f"Reference: the bare route for {args.reference:.0f} s …", flush=True)
        hello, _, hello_info = run_phase(
            port, args.clients, args.reference, story_ids, route="hello", browsers=browsers
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    load_after = os.getloadavg()[0]
    saved = check_saved(instance, mixed.saved)
    text = report(args, mixed, mixed_info, hello, hello_info, saved, (load_before, load_after))
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
