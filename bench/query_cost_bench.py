"""Query-cost benchmark: a hostile search costs about what an ordinary one does.

Issue 18's target: the query of 160 made-up words costs no more than 3× a one-word
query with hits, on both backends, at 100,000 stories; and ``/healthz`` answers within
1 s while four such searches run against ``storyboard serve``.

For one corpus (``bench/corpus.py``, cached with ``--corpus-cache``), in one run:

1. the Whoosh index (``rebuild_index``) and, unless ``--no-postgres``, the PostgreSQL
   backend are built from the same stories (as ``search_bench.py`` does);
2. at the service layer (``backend.search``), interleaved: one-word queries with hits,
   the 160-made-up-word query, and the worst case the spelling bound allows (three
   made-up words, each looked up). Every hostile query uses fresh words, so the
   spelling cache never helps. Wall time per query; medians and p95, and the ratios;
3. ``storyboard serve`` (gunicorn, default workers) on the Whoosh instance: four clients
   send the 160-word search through ``/search`` without pause while a fifth asks
   ``/healthz`` every 0.2 s; the probe's latencies are reported.

Run by hand; results go in bench/RESULTS.md::

    .venv/bin/python bench/query_cost_bench.py --size 100000 --corpus-cache bench/out/cache
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import search_bench  # noqa: E402

from storyboard.db import db, upgrade_database  # noqa: E402
from storyboard.search import service  # noqa: E402
from storyboard.search.backend import SearchRequest  # noqa: E402

ONE_WORD = [
    "klant",
    "pakket",
    "refund",
    "delivery",
    "excuses",
    "birthday",
    "bezorger",
    "invoice",
    "verhuizing",
    "courier",
]


def made_up(count: int, rnd: random.Random) -> str:
    return " ".join(
        "".join(rnd.choice(string.ascii_lowercase) for _ in range(rnd.randint(7, 12)))
        for _ in range(count)
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def prepare(size: int, args: argparse.Namespace, workdir: Path) -> tuple[Any, Path]:
    instance = workdir / f"instance-{size}"
    if args.reuse and (instance / "index").exists():
        search_bench.log(f"reusing {instance} and its index")
        app = search_bench.make_app(instance)
        with app.app_context():  # kept from a run of older code
            upgrade_database()
        return app, instance
    if instance.exists():
        shutil.rmtree(instance)
    instance.mkdir(parents=True)
    cached = (
        args.corpus_cache / f"corpus-v{corpus.CORPUS_VERSION}-s{args.seed}-{size}.db"
        if args.corpus_cache
        else None
    )
    app = search_bench.make_app(instance)
    if cached and cached.exists():
        shutil.copy(cached, instance / "storyboard.db")
        with app.app_context():
            upgrade_database()
            db.engine.dispose()
        search_bench.log(f"corpus: reused {cached}")
    else:
        search_bench.load_corpus(app, size, args.seed, os.cpu_count() or 2)
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(instance / "storyboard.db", cached)
    with app.app_context():
        with service.new_session() as session:
            published = service.count_published(session)
        with search_bench.progressbar(published, "Reindex (Whoosh)") as bar:
            service.rebuild_index(service.state_for(app).backend, progress=bar.update)
    return app, instance


def measure_service(backends: dict[str, Any], repeat: int, seed: int) -> dict[str, Any]:
    rnd = random.Random(seed)
    kinds = {"one word with hits": [], "160 made-up words": [], "3 made-up words": []}
    times: dict[str, dict[str, list[float]]] = {name: {k: [] for k in kinds} for name in backends}
    work: dict[str, dict[str, Any]] = {name: {} for name in backends}
    for _ in range(repeat):
        queries = {
            "one word with hits": [rnd.choice(ONE_WORD)],
            "160 made-up words": [made_up(160, rnd)],
            "3 made-up words": [made_up(3, rnd)],
        }
        for name, (app, engine) in backends.items():
            with app.app_context():
                for kind, texts in queries.items():
                    for text in texts:
                        started = time.perf_counter()
                        results = engine.search(SearchRequest(text=text))
                        times[name][kind].append(time.perf_counter() - started)
                        work[name][kind] = {
                            "terms": results.work.terms,
                            "spelling_lookups": results.work.spelling_lookups,
                            "total": results.total,
                        }
    summary: dict[str, Any] = {}
    for name, by_kind in times.items():
        base = statistics.median(by_kind["one word with hits"])
        summary[name] = {
            kind: {
                "median_ms": statistics.median(v) * 1000,
                "p95_ms": percentile(v, 95) * 1000,
                "ratio_to_one_word": statistics.median(v) / base,
                "work": work[name][kind],
            }
            for kind, v in by_kind.items()
        }
    return summary


def serve(instance: Path, port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "STORYBOARD_INSTANCE_PATH": str(instance),
        "STORYBOARD_SECRET_KEY": "bench",
        "STORYBOARD_SECURE_COOKIES": "false",
        "STORYBOARD_LOGIN_RATE_LIMIT": "100000 per minute",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from storyboard.cli import main; main()",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-access-log",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.5)


def signed_in_opener(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base}/auth/login", timeout=30) as page:
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.read().decode())
    assert token
    data = urllib.parse.urlencode(
        {
            "email": search_bench.STAKEHOLDER,
            "password": search_bench.PASSWORD,
            "csrf_token": token.group(1),
        }
    ).encode()
    opener.open(urllib.request.Request(f"{base}/auth/login", data=data), timeout=30).close()
    return opener


def measure_health(instance: Path, seconds: float, seed: int) -> dict[str, Any]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = serve(instance, port)
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    searches: list[float] = []

    def attacker(n: int) -> None:
        rnd = random.Random(seed + n)
        opener = signed_in_opener(base)
        while not stop.is_set():
            query = urllib.parse.urlencode({"q": made_up(160, rnd)})
            started = time.perf_counter()
            with opener.open(f"{base}/search?{query}", timeout=120) as response:
                response.read()
            searches.append(time.perf_counter() - started)

    try:
        threads = [threading.Thread(target=attacker, args=(n,), daemon=True) for n in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(2.0)
        probes: list[float] = []
        finish = time.monotonic() + seconds
        while time.monotonic() < finish:
            started = time.perf_counter()
            with urllib.request.urlopen(f"{base}/healthz", timeout=60) as response:
                response.read()
            probes.append(time.perf_counter() - started)
            time.sleep(0.2)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return {
        "healthz_ms": {
            "p50": statistics.median(probes) * 1000,
            "p95": percentile(probes, 95) * 1000,
            "max": max(probes) * 1000,
            "n": len(probes),
        },
        "hostile_search_ms": {
            "p50": statistics.median(searches) * 1000,
            "p95": percentile(searches, 95) * 1000,
            "n": len(searches),
        },
    }


def reused_postgres(args: argparse.Namespace) -> Any:
    """The PostgreSQL bench database an earlier run built (``build_postgres``), if any."""
    from sqlalchemy.engine import make_url

    from storyboard import create_app

    url = make_url(args.postgres_url).set(database=f"storyboard_bench_{args.size}")
    pg_app = create_app(
        {
            "INSTANCE_PATH": str(args.workdir / f"pg-instance-{args.size}"),
            "SECRET_KEY": "bench",
            "DATABASE_URL": url.render_as_string(hide_password=False),
            "SEARCH_BACKEND": "postgresql",
        }
    )
    try:
        with pg_app.app_context():
            healthy = service.state_for(pg_app).backend.is_healthy()
    except Exception:  # noqa: BLE001 - no such database: build it
        return None
    return pg_app if healthy else None


def report(size: int, service_times: dict[str, Any], health: dict[str, Any] | None) -> str:
    lines = [
        f"### Query cost at {size:,} stories "
        f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})",
        "",
        "| backend | query | median ms | p95 ms | × one word | terms | spelling look-ups |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, kinds in service_times.items():
        for kind, row in kinds.items():
            lines.append(
                f"| {name} | {kind} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} | "
                f"{row['ratio_to_one_word']:.2f} | {row['work']['terms']} | "
                f"{row['work']['spelling_lookups']} |"
            )
    if health is None:
        return "\n".join(lines)
    h = health["healthz_ms"]
    s = health["hostile_search_ms"]
    lines += [
        "",
        f"`/healthz` while four clients send the 160-word search without pause "
        f"(Whoosh, `storyboard serve` default workers): p50 {h['p50']:.0f} ms, "
        f"p95 {h['p95']:.0f} ms, max {h['max']:.0f} ms over {h['n']} probes; the "
        f"hostile searches meanwhile took p50 {s['p50']:.0f} ms, p95 {s['p95']:.0f} ms "
        f"({s['n']} of them).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--health-seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=20260630)
    parser.add_argument("--corpus-cache", type=Path, default=None)
    parser.add_argument("--workdir", type=Path, default=HERE / "out" / "query-cost")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--no-postgres", dest="postgres_url", action="store_const", const="")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the index and PostgreSQL database of an earlier run",
    )
    parser.add_argument("--skip-health", action="store_true")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    app, instance = prepare(args.size, args, args.workdir)
    backends = {"whoosh": (app, service.state_for(app).backend)}
    if args.postgres_url:
        pg_app = reused_postgres(args) if args.reuse else None
        if pg_app is None:
            with app.app_context(), service.new_session() as session:
                published = service.count_published(session)
            pg_app, _info = search_bench.build_postgres(
                app, args.postgres_url, published, args.workdir
            )
        backends["postgresql"] = (pg_app, service.state_for(pg_app).backend)
    service_times = measure_service(backends, args.repeat, args.seed)
    print(report(args.size, service_times, None), flush=True)
    health = None if args.skip_health else measure_health(instance, args.health_seconds, args.seed)
    text = report(args.size, service_times, health)
    print(text)
    (args.workdir / f"query-cost-{args.size}.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
