"""Dashboard benchmark: NPS numbers and the dashboard page over 1 million survey answers.

1. A SQLite database under ``bench/out/dashboard`` (kept for reruns; ``--rebuild``
   makes it again) gets N survey answers spread over two years up to the benchmark's
   "now", for six teams and five channels (plus answers without a channel), scores and
   comments as a survey tool exports them, and a published, featured story per team.
2. The first view after an import: the survey data version is bumped (as every import
   does) and the page's numbers for the longest period are counted from the answers and
   cached again (``storyboard/nps/rollup.py``); three times.
3. Service layer, in process, with the cache current: for every filter combination the dashboard offers
   (team × channel × period: 7 × 6 × 4 = 168), ``weekly_counts`` (the NPS per week, team
   and channel: what "NPS for any filter combination" means) and ``dashboard_data``
   (everything the page shows) are timed, each combination twice.
4. Reference for 3: the same counts with plain ``sqlite3`` and hand-written SQL, one
   ``GROUP BY`` query per week over the same index, on the same database.
5. HTTP: the app under gunicorn with ``storyboard serve``'s settings (one worker, one
   client, so each figure is a single request's latency), signed in as a stakeholder,
   ``GET /dashboard/`` for every combination, next to a bare route on the same server.

Run by hand (targets: page p95 < 150 ms through HTTP; NPS for any filter < 50 ms)::

    .venv/bin/python bench/dashboard_bench.py --answers 1000000 --out bench/out/dashboard.md
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_app import HELLO_PATH  # noqa: E402
from bench.load_bench import Browser, free_port, percentile  # noqa: E402
from storyboard import create_app  # noqa: E402
from storyboard.dashboard.service import (  # noqa: E402
    PERIODS,
    DashboardFilters,
    dashboard_data,
    weekly_counts,
)
from storyboard.db import db, upgrade_database  # noqa: E402
from storyboard.models import (  # noqa: E402
    AuthorKind,
    Feature,
    FeatureKind,
    Language,
    Role,
    SeededChannel,
    Story,
    StoryStatus,
    Team,
    User,
)
from storyboard.nps import rollup  # noqa: E402
from storyboard.ops.serve import gunicorn_options  # noqa: E402
from storyboard.weeks import IsoWeek, last_weeks  # noqa: E402

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
AMS = ZoneInfo("Europe/Amsterdam")
TEAMS = ["Retail", "Webshop", "Zakelijk", "Energie", "Mobiel", "Klantenservice"]
CHANNELS = [c.value for c in SeededChannel]
SCORE_WEIGHTS = [2, 1, 1, 1, 2, 3, 4, 8, 14, 22, 20]
COMMENTS = [
    "Snel geholpen, top!",
    "Duurde lang; drie keer doorverbonden",
    "Great service, thanks",
    "Medewerker dacht echt mee.",
    "Not solved, again",
]
PASSWORD = "dashboard-bench"
STAKEHOLDER = "stakeholder@bench.example"
MANAGER = "manager@bench.example"
WEEKS_OF_DATA = 104


def env_for(instance: Path) -> dict[str, str]:
    return {
        **os.environ,
        "STORYBOARD_INSTANCE_PATH": str(instance),
        "STORYBOARD_SECRET_KEY": "dashboard-bench",
        "STORYBOARD_SECURE_COOKIES": "false",
        "STORYBOARD_LOGIN_RATE_LIMIT": "100000 per minute",
    }


def app_for(instance: Path) -> Any:
    os.environ.update({k: v for k, v in env_for(instance).items() if k.startswith("STORYBOARD_")})
    return create_app()


# -- the data ----------------------------------------------------------------------------
def build(instance: Path, answers: int, stories: int = 0, reads: int = 0) -> None:
    """A migrated database with teams, a stakeholder, stories, features and answers."""
    instance.mkdir(parents=True, exist_ok=True)
    app = app_for(instance)
    with app.app_context():
        upgrade_database()
        teams = [Team(name=name, slug=name.lower()) for name in TEAMS]
        stakeholder = User(
            email=STAKEHOLDER, display_name="Bench Stakeholder", role=Role.STAKEHOLDER
        )
        stakeholder.set_password(PASSWORD)
        manager = User(
            email="manager@bench.example", display_name="Bench Manager", role=Role.MANAGER
        )
        manager.set_password(PASSWORD)
        db.session.add_all([*teams, stakeholder, manager])
        week = IsoWeek.at(NOW, AMS)
        for team in teams:
            story = Story(
                title=f"What {team.name} did this week",
                body="A story.",
                body_html="<p>A story.</p>",
                channel=SeededChannel.PHONE,
                language=Language.EN,
                team=team,
                author=manager,
                author_kind=AuthorKind.AGENT,
                status=StoryStatus.PUBLISHED,
                published_at=NOW - timedelta(days=1),
            )
            db.session.add(
                Feature(
                    story=story,
                    team=team,
                    iso_year=week.year,
                    iso_week=week.week,
                    kind=FeatureKind.PRAISE,
                    note="Why this matters",
                    featured_by=manager,
                )
            )
        db.session.commit()
        team_ids = [team.id for team in teams]
        manager_id = manager.id
        database = Path(db.engine.url.database or "")
        db.engine.dispose()
    insert_answers(database, answers, team_ids)
    if stories:
        insert_stories_and_reads(database, stories, reads, team_ids, manager_id)


READERS = 2_000  # stakeholders, managers and agents who read (1 in 4 a stakeholder)


def insert_stories_and_reads(
    database: Path, stories: int, reads: int, team_ids: list[int], manager_id: int
) -> None:
    """``stories`` published stories over the same two years, features for the last
    twelve weeks, ``READERS`` readers and ``reads`` first openings (unique per story and
    reader) over the last 13 months: what the reach figures count."""
    rng = random.Random(11)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA synchronous=OFF")
    started = time.perf_counter()
    stamp = NOW.strftime("%Y-%m-%d %H:%M:%S.%f")
    hash_ = connection.execute(
        "SELECT password_hash FROM users WHERE id = ?", (manager_id,)
    ).fetchone()[0]
    roles = ["stakeholder", "manager", "agent", "agent"]
    connection.executemany(
        "INSERT INTO users (email, display_name, role, password_hash, active, created_at) "
        "VALUES (?, ?, ?, ?, 1, ?)",
        [
            (f"reader{i}@bench.example", f"Reader {i}", roles[i % 4], hash_, stamp)
            for i in range(READERS)
        ],
    )
    reader_ids = [
        row[0]
        for row in connection.execute(
            "SELECT id, role FROM users WHERE email LIKE 'reader%@bench.example' ORDER BY id"
        )
    ]
    reader_roles = dict(
        connection.execute(
            "SELECT id, role FROM users WHERE email LIKE 'reader%@bench.example'"
        ).fetchall()
    )
    first_id = (connection.execute("SELECT max(id) FROM stories").fetchone()[0] or 0) + 1
    start = NOW - timedelta(weeks=WEEKS_OF_DATA)
    span = int((NOW - start).total_seconds())
    body = "The customer asked where the present was; the agent had it delivered today. " * 4
    rows = []
    for i in range(stories):
        published = (start + timedelta(seconds=rng.randrange(span))).strftime(
            "%Y-%m-%d %H:%M:%S.%f"
        )
        rows.append(
            (
                f"Bench story {i}",
                body,
                f"<p>{body}</p>",
                CHANNELS[i % 5],
                team_ids[i % len(team_ids)],
                manager_id,
                "agent",
                "published",
                "nl" if i % 3 else "en",
                published,
                published,
                published,
                i % 7,
            )
        )
    connection.executemany(
        "INSERT INTO stories (title, body, body_html, channel, team_id, author_id, "
        "author_kind, status, language, created_at, updated_at, published_at, kudos_count) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    story_ids = list(range(first_id, first_id + stories))
    this_week = IsoWeek.at(NOW, AMS)
    features = []
    for back in range(12):
        week = this_week.plus(-back)
        for team_id in [None, *team_ids[:3]]:
            features.append(
                (
                    rng.choice(story_ids),
                    team_id,
                    week.year,
                    week.week,
                    "praise" if back % 3 else "lesson",
                    "Why it matters",
                    manager_id,
                    stamp,
                )
            )
    connection.executemany(
        "INSERT OR IGNORE INTO features (story_id, team_id, iso_year, iso_week, kind, note, "
        "featured_by_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        features,
    )
    read_span = int(timedelta(days=396).total_seconds())
    seen: set[tuple[int, int]] = set()
    batch: list[tuple[object, ...]] = []
    while len(seen) < reads:
        pair = (rng.choice(story_ids), rng.choice(reader_ids))
        if pair in seen:
            continue
        seen.add(pair)
        moment = (NOW - timedelta(seconds=rng.randrange(read_span))).strftime(
            "%Y-%m-%d %H:%M:%S.%f"
        )
        batch.append((pair[0], pair[1], reader_roles[pair[1]], "page", moment))
        if len(batch) == 50_000:
            connection.executemany(
                "INSERT INTO story_reads (story_id, user_id, role, via, "
                "read_at) VALUES (?, ?, ?, ?, ?)",
                batch,
            )
            batch = []
            print(f"\r  reads: {len(seen):,}/{reads:,}", end="", flush=True)
    connection.executemany(
        "INSERT INTO story_reads (story_id, user_id, role, via, read_at) VALUES (?, ?, ?, ?, ?)",
        batch,
    )
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()
    print(
        f"\r  {stories:,} stories and {reads:,} reads in "
        f"{time.perf_counter() - started:.1f} s" + " " * 20
    )


def insert_answers(database: Path, count: int, team_ids: list[int]) -> None:
    rng = random.Random(7)
    start = NOW - timedelta(weeks=WEEKS_OF_DATA)
    span = int((NOW - start).total_seconds())
    imported = NOW.strftime("%Y-%m-%d %H:%M:%S.%f")
    sql = (
        "INSERT INTO survey_answers (source, external_id, answered_at, score, team_id, "
        "channel, language, comment, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA synchronous=OFF")
    started, batch = time.perf_counter(), []
    for i in range(count):
        moment = start + timedelta(seconds=rng.randrange(span))
        channel = CHANNELS[rng.randrange(5)] if i % 20 else None
        batch.append(
            (
                "bench",
                f"r{i:08d}",
                moment.strftime("%Y-%m-%d %H:%M:%S.%f"),
                rng.choices(range(11), weights=SCORE_WEIGHTS)[0],
                team_ids[rng.randrange(len(team_ids))],
                channel,
                "nl" if i % 3 else "en",
                rng.choice(COMMENTS) if i % 5 == 0 else "",
                imported,
            )
        )
        if len(batch) == 20_000:
            connection.executemany(sql, batch)
            batch = []
            done = i + 1
            print(
                f"\r  answers: {done:,}/{count:,} "
                f"({done / (time.perf_counter() - started):,.0f}/s)",
                end="",
                flush=True,
            )
    connection.executemany(sql, batch)
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()
    print(f"\r  answers: {count:,} in {time.perf_counter() - started:.1f} s" + " " * 20)


# -- measurements ------------------------------------------------------------------------
def combinations() -> list[DashboardFilters]:
    teams: list[str | None] = [None, *(name.lower() for name in TEAMS)]
    channels: list[SeededChannel | None] = [None, *SeededChannel]
    return [
        DashboardFilters(team=team, channel=channel, period=period)
        for team, channel, period in itertools.product(teams, channels, PERIODS)
    ]


def ms(seconds: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(seconds, 0.5) * 1000,
        "p95": percentile(seconds, 0.95) * 1000,
        "p99": percentile(seconds, 0.99) * 1000,
        "max": max(seconds) * 1000,
        "n": len(seconds),
    }


def cold_times(app: Any) -> list[float]:
    """The first view after an import: the version goes up (as an import's commit does)
    and the longest period is counted from the answers and cached again."""
    times = []
    with app.app_context():
        for _ in range(3):
            rollup.bump_version(db.session)
            db.session.commit()
            started = time.perf_counter()
            dashboard_data(DashboardFilters(period=max(PERIODS)), NOW, AMS)
            times.append(time.perf_counter() - started)
            db.session.remove()
    return times


def service_times(app: Any, repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"nps": [], "nps_cpu": [], "page_data": []}
    with app.app_context():
        teams = {team.slug: team for team in db.session.scalars(db.select(Team))}
        for _ in range(repeat):
            for filters in combinations():
                weeks = last_weeks(filters.period + 1, NOW, AMS)
                team = teams.get(filters.team or "")
                wall, cpu = time.perf_counter(), time.process_time()
                weekly_counts(weeks, filters, team, AMS)
                times["nps"].append(time.perf_counter() - wall)
                times["nps_cpu"].append(time.process_time() - cpu)
                wall = time.perf_counter()
                dashboard_data(filters, NOW, AMS)
                times["page_data"].append(time.perf_counter() - wall)
                db.session.remove()
    return times


def reference_times(database: Path, repeat: int) -> list[float]:
    """Plain sqlite3: per week one GROUP BY team, channel over the answered_at range."""
    connection = sqlite3.connect(database)
    team_ids = dict(connection.execute("SELECT slug, id FROM teams"))
    sql = (
        "SELECT team_id, channel, sum(score >= 9), sum(score BETWEEN 7 AND 8), "
        "sum(score <= 6) FROM survey_answers WHERE answered_at >= ? AND answered_at < ?"
        "{team}{channel} GROUP BY team_id, channel"
    )
    times = []
    for _ in range(repeat):
        for filters in combinations():
            weeks = last_weeks(filters.period + 1, NOW, AMS)
            query = sql.format(
                team=" AND team_id = ?" if filters.team else "",
                channel=" AND channel = ?" if filters.channel else "",
            )
            started = time.perf_counter()
            for week in weeks:
                args: list[Any] = [
                    week.start(AMS).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
                    week.end(AMS).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
                ]
                if filters.team:
                    args.append(team_ids[filters.team])
                if filters.channel:
                    args.append(filters.channel.value)
                connection.execute(query, args).fetchall()
            times.append(time.perf_counter() - started)
    connection.close()
    return times


def dashboard_url(filters: DashboardFilters) -> str:
    args = [f"period={filters.period}"]
    if filters.team:
        args.append(f"team={filters.team}")
    if filters.channel:
        args.append(f"channel={filters.channel.value}")
    return "/dashboard/?" + "&".join(args)


def http_times(instance: Path, repeat: int, email: str = STAKEHOLDER) -> dict[str, list[float]]:
    """One gunicorn worker, one client: each figure is one request's own latency.
    The app's clock is the real one, so the page shows the weeks up to today."""
    port = free_port()
    options = gunicorn_options(f"127.0.0.1:{port}", 1, access_log=False)
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "load_app.py"), json.dumps(options)],
        env=env_for(instance),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    times: dict[str, list[float]] = {"page": [], "hello": []}
    try:
        browser = Browser(port)
        deadline = time.monotonic() + 60
        while True:
            try:
                browser.request("GET", "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        browser.sign_in(email, PASSWORD)
        urls = [dashboard_url(filters) for filters in combinations()]
        for url in urls[:10]:  # warm-up
            browser.request("GET", url)
        for _ in range(repeat):
            for url in urls:
                started = time.perf_counter()
                status, _text, _ = browser.request("GET", url)
                times["page"].append(time.perf_counter() - started)
                assert status == 200, (url, status)
                started = time.perf_counter()
                status, _text, _ = browser.request("GET", HELLO_PATH)
                times["hello"].append(time.perf_counter() - started)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return times


# -- report ------------------------------------------------------------------------------
def row(label: str, figures: dict[str, float]) -> str:
    return (
        f"| {label} | {figures['n']:,} | {figures['p50']:.1f} | {figures['p95']:.1f} | "
        f"{figures['p99']:.1f} | {figures['max']:.1f} |"
    )


def report(
    args: argparse.Namespace,
    answers: int,
    cold: list[float],
    service: dict[str, list[float]],
    reference: list[float],
    http: dict[str, list[float]],
    load: tuple[float, float],
) -> str:
    nps, page_data, ref = ms(service["nps"]), ms(service["page_data"]), ms(reference)
    nps_cpu = ms(service["nps_cpu"])
    page, hello = ms(http["page"]), ms(http["hello"])
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    met = {True: "yes", False: "**no**"}
    return (
        "\n".join(
            [
                f"Machine: {os.cpu_count()} cores ({cpu}); Python {platform.python_version()}; "
                f"SQLite {sqlite3.sqlite_version}; {platform.platform()}",
                f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
                f"Command: `python bench/dashboard_bench.py --answers {args.answers} --stories "
                f"{args.stories} --reads {args.reads} --repeat {args.repeat}`",
                f"Data: {answers:,} survey answers over {WEEKS_OF_DATA} weeks, {len(TEAMS)} teams, "
                "5 channels (1 in 20 without); 168 filter combinations (team × channel × period); "
                f"{args.stories:,} stories, {args.reads:,} reads by {READERS:,} readers.",
                f"Load average (1 min) before: {load[0]:.2f}, after: {load[1]:.2f}",
                "",
                "| measurement | runs | p50 ms | p95 ms | p99 ms | max ms |",
                "|---|---:|---:|---:|---:|---:|",
                row("NPS for a filter (`weekly_counts`: every week, team, channel)", nps),
                row("… CPU time of the same", nps_cpu),
                row("reference: plain sqlite3, one GROUP BY per week", ref),
                row("everything the page shows (`dashboard_data`)", page_data),
                row(
                    f"… first view after an import ({max(PERIODS)} weeks counted from the answers)",
                    ms(cold),
                ),
                row(
                    "dashboard page through HTTP (gunicorn, 1 worker), a stakeholder (For you)",
                    page,
                ),
                row("… the same as a manager (the weekly reach figure)", ms(http["manager_page"])),
                row("bare route on the same server (reference)", hello),
                "",
                f"Targets: NPS for any filter combination < 50 ms: {met[nps['max'] < 50]} "
                f"(max {nps['max']:.1f} ms, p95 {nps['p95']:.1f} ms; {nps['p95'] / ref['p95']:.2f}× "
                f"the plain-SQL reference's p95); dashboard page p95 < 150 ms through HTTP: "
                f"{met[max(page['p95'], ms(http['manager_page'])['p95']) < 150]} "
                f"(stakeholder {page['p95']:.1f} ms, manager {ms(http['manager_page'])['p95']:.1f} ms; "
                f"the bare route's p95 is "
                f"{hello['p95']:.1f} ms, so the page costs {page['p95'] / hello['p95']:.0f}× a "
                "request that does nothing).",
            ]
        )
        + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--instance", type=Path, default=ROOT / "bench" / "out" / "dashboard")
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    instance = (args.instance / f"{args.answers}-{args.stories}-{args.reads}").resolve()
    if args.rebuild and instance.exists():
        import shutil

        shutil.rmtree(instance)
    if not (instance / "storyboard.db").exists():
        print(f"Building {args.answers:,} answers in {instance} …", flush=True)
        build(instance, args.answers, args.stories, args.reads)
    load_before = os.getloadavg()[0]
    app = app_for(instance)
    with app.app_context():
        upgrade_database()  # a database kept from an older run
        answers = db.session.scalar(db.text("SELECT count(*) FROM survey_answers"))
        database = Path(db.engine.url.database or "")
    print("First view after an import …", flush=True)
    cold = cold_times(app)
    print("Service layer …", flush=True)
    service = service_times(app, args.repeat)
    print("Plain SQL reference …", flush=True)
    reference = reference_times(database, args.repeat)
    print("HTTP …", flush=True)
    http = http_times(instance, args.repeat)
    print("HTTP as a manager (with the weekly reach figure) …", flush=True)
    http["manager_page"] = http_times(instance, args.repeat, MANAGER)["page"]
    text = report(
        args, int(answers or 0), cold, service, reference, http, (load_before, os.getloadavg()[0])
    )
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
