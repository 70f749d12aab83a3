"""Page CPU benchmark: the server's CPU time per request for the pages people open most.

Issue 24's targets, at 100,000 stories and 1,000,000 survey answers: story page p50
≤ 8 ms, story list ≤ 10 ms, dashboard ≤ 15 ms of CPU per request, measured in process
(``time.process_time`` around one Flask test-client request, so the figure is this
process's CPU: the app's Python, SQLite's work in this process, the test client's own
small overhead), beside a bare route measured in the same run as the reference.

1. The data: ``bench/dashboard_bench.py``'s instance (answers over two years, stories,
   features for the last twelve weeks, a million reads), built once and kept under
   ``bench/out/page-cpu`` (``--rebuild`` makes it again), plus kudos and comments on a
   few hundred stories (up to 200 each) so the story page shows what busy stories show.
2. One app in this process, signed in through the real form; a browser's User-Agent,
   so opening a story records a read as it does for a person.
3. Interleaved, ``--repeat`` rounds of: a story page (a random published story; every
   third one with reactions), the story list (a random page of the first 50, every
   fourth with a team or channel filter), the dashboard (a random team × channel ×
   period), the bare route. The stakeholder's session reads them; ``--manager`` adds a
   manager's rounds (moderation badge, the weekly reach figure).

CPU time is less sensitive than wall time to other processes on the machine (a waiting
process uses none), but a busy machine still slows caches and frequency: record the load.

Run by hand; results go in bench/RESULTS.md::

    .venv/bin/python bench/page_cpu_bench.py --repeat 300 --manager --out bench/out/page-cpu.md

To compare with other code on the same data, put that code first on the path:
``PYTHONPATH=/path/to/other/checkout python bench/page_cpu_bench.py …``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Appended, not prepended: a PYTHONPATH given on the command line (other code to
# compare) wins.
sys.path.append(str(ROOT))

from bench import dashboard_bench  # noqa: E402
from bench.load_app import HELLO_PATH, bench_app  # noqa: E402
from storyboard.db import db, upgrade_database  # noqa: E402

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120"
BUSY_STORIES = 300  # stories that get kudos and comments
MOST_REACTIONS = 200


def progress(done: int, total: int, label: str) -> None:
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    print(
        f"\r  {label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}",
        end=end,
        flush=True,
    )


def add_reactions(database: Path, seed: int) -> None:
    """Kudos and comments from the bench's readers on ``BUSY_STORIES`` stories (0 to
    ``MOST_REACTIONS`` each), with ``kudos_count`` kept equal to the rows."""
    rng = random.Random(seed)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA synchronous=OFF")
    stories = [row[0] for row in connection.execute("SELECT id FROM stories ORDER BY id")]
    readers = [
        row[0]
        for row in connection.execute(
            "SELECT id FROM users WHERE email LIKE 'reader%@bench.example' ORDER BY id"
        )
    ]
    stamp = dashboard_bench.NOW.strftime("%Y-%m-%d %H:%M:%S.%f")
    busy = rng.sample(stories, BUSY_STORIES)
    for n, story_id in enumerate(busy, 1):
        count = MOST_REACTIONS if n % 10 == 0 else rng.randrange(MOST_REACTIONS)
        people = rng.sample(readers, count)
        connection.executemany(
            "INSERT INTO kudos (story_id, user_id, created_at) VALUES (?, ?, ?)",
            [(story_id, person, stamp) for person in people],
        )
        connection.executemany(
            "INSERT INTO comments (story_id, author_id, body, body_html, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(story_id, person, "Mooi gedaan!", "<p>Mooi gedaan!</p>", stamp) for person in people],
        )
        connection.execute("UPDATE stories SET kudos_count = ? WHERE id = ?", (count, story_id))
        if n % 10 == 0 or n == len(busy):
            progress(n, len(busy), "kudos and comments")
    connection.execute("CREATE TABLE IF NOT EXISTS bench_busy_stories (id INTEGER PRIMARY KEY)")
    connection.executemany("INSERT INTO bench_busy_stories (id) VALUES (?)", [(i,) for i in busy])
    connection.commit()
    connection.close()


def prepare(args: argparse.Namespace) -> Path:
    instance = (args.instance / f"{args.answers}-{args.stories}-{args.reads}").resolve()
    marker = instance / "reactions.done"
    if args.rebuild and instance.exists():
        import shutil

        shutil.rmtree(instance)
    if not (instance / "storyboard.db").exists():
        print(f"Building {args.answers:,} answers and {args.stories:,} stories in {instance} …")
        dashboard_bench.build(instance, args.answers, args.stories, args.reads)
    if not marker.exists():
        add_reactions(instance / "storyboard.db", args.seed)
        marker.write_text("done\n", encoding="utf-8")
    return instance


def sign_in(client: Any, email: str) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    response = client.post(
        "/auth/login",
        data={"email": email, "password": dashboard_bench.PASSWORD, "csrf_token": token.group(1)},
    )
    assert response.status_code == 302, response.status_code


def urls(app: Any, rng: random.Random) -> dict[str, Any]:
    """Functions that each give the next URL of one kind."""
    with app.app_context():
        stories = list(
            db.session.scalars(db.text("SELECT id FROM stories WHERE status='published'"))
        )
        busy = list(db.session.scalars(db.text("SELECT id FROM bench_busy_stories")))
        teams = list(db.session.scalars(db.text("SELECT slug FROM teams")))
    combos = dashboard_bench.combinations()
    channels = dashboard_bench.CHANNELS
    turn = {"story": 0, "list": 0}

    def story() -> str:
        turn["story"] += 1
        return f"/stories/{rng.choice(busy if turn['story'] % 3 == 0 else stories)}"

    def story_list() -> str:
        turn["list"] += 1
        page = rng.randrange(1, 51)
        if turn["list"] % 4 == 0:
            return f"/stories/?team={rng.choice(teams)}&channel={rng.choice(channels)}"
        return f"/stories/?page={page}"

    def dashboard() -> str:
        return dashboard_bench.dashboard_url(rng.choice(combos))

    return {
        "story page": story,
        "story list": story_list,
        "dashboard": dashboard,
        "bare route (reference)": lambda: HELLO_PATH,
    }


def measure(
    app: Any, email: str, repeat: int, seed: int, profile_dir: Path | None = None
) -> dict[str, dict[str, list[float]]]:
    """CPU and wall time per request of each kind; with ``profile_dir``, also one cProfile
    file per kind (``<person>-<kind>.prof``), so a slow page shows where its time goes."""
    rng = random.Random(seed)
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = BROWSER
    sign_in(client, email)
    kinds = urls(app, rng)
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    wall: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(5):  # warm-up: templates compiled, caches filled
        for next_url in kinds.values():
            client.get(next_url())
    profiles = {kind: cProfile.Profile() for kind in kinds} if profile_dir else {}
    for n in range(1, repeat + 1):
        for kind, next_url in kinds.items():
            url = next_url()
            profiler = profiles.get(kind)
            if profiler:
                profiler.enable()
            started_cpu, started = time.process_time(), time.perf_counter()
            response = client.get(url)
            cpu[kind].append(time.process_time() - started_cpu)
            wall[kind].append(time.perf_counter() - started)
            if profiler:
                profiler.disable()
            assert response.status_code == 200, (url, response.status_code)
        if n % 10 == 0 or n == repeat:
            progress(n, repeat, f"rounds as {email.split('@')[0]}")
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
        person = email.split("@")[0]
        for kind, profiler in profiles.items():
            profiler.dump_stats(
                profile_dir / f"{person}-{kind.split(' (')[0].replace(' ', '-')}.prof"
            )
    return {"cpu": cpu, "wall": wall}


def figures(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    return {
        "n": len(values),
        "p50": at(0.5),
        "p95": at(0.95),
        "mean": statistics.fmean(values) * 1000,
    }


TARGETS = {"story page": 8.0, "story list": 10.0, "dashboard": 15.0}


def report(args: argparse.Namespace, runs: dict[str, Any], load: tuple[float, float]) -> str:
    import storyboard

    lines = [
        f"### Page CPU ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{os.cpu_count()} cores, load {load[0]:.1f} → {load[1]:.1f})",
        "",
        f"Code: `{Path(storyboard.__file__).parent.parent}`; data: {args.answers:,} answers, "
        f"{args.stories:,} stories, {args.reads:,} reads; {args.repeat} interleaved rounds; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}.",
        "",
        "| who | page | CPU p50 ms | CPU p95 ms | CPU mean ms | wall p50 ms | × bare (p50) | target p50 |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for who, run in runs.items():
        bare = figures(run["cpu"]["bare route (reference)"])["p50"]
        for kind, values in run["cpu"].items():
            cpu, wall = figures(values), figures(run["wall"][kind])
            target = TARGETS.get(kind)
            verdict = (
                f"≤ {target:.0f} ms: {'met' if cpu['p50'] <= target else '**not met**'}"
                if target
                else ""
            )
            lines.append(
                f"| {who} | {kind} | {cpu['p50']:.2f} | {cpu['p95']:.2f} | {cpu['mean']:.2f} | "
                f"{wall['p50']:.2f} | {cpu['p50'] / bare if bare else 0:.1f} | {verdict} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--manager", action="store_true", help="also measure as a manager")
    parser.add_argument("--instance", type=Path, default=ROOT / "bench" / "out" / "page-cpu")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--profile-dir",
        type=Path,
        help="cProfile each kind of page into this folder (the times then include the profiler's cost)",
    )
    args = parser.parse_args()
    instance = prepare(args)
    os.environ.update(
        {k: v for k, v in dashboard_bench.env_for(instance).items() if k.startswith("STORYBOARD_")}
    )
    app = bench_app()
    with app.app_context():
        upgrade_database()  # a database kept from an older run
    load_before = os.getloadavg()[0]
    runs = {
        "stakeholder": measure(
            app, dashboard_bench.STAKEHOLDER, args.repeat, args.seed, args.profile_dir
        )
    }
    if args.manager:
        runs["manager"] = measure(
            app, dashboard_bench.MANAGER, args.repeat, args.seed + 1, args.profile_dir
        )
    text = report(args, runs, (load_before, os.getloadavg()[0]))
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
