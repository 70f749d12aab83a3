"""Search benchmark: Whoosh through Storyboard's own code, against SQLite FTS5.

For each corpus size, in one run:

1. a deterministic corpus (``bench/corpus.py``) is loaded into a fresh, migrated SQLite
   database (bulk ORM inserts; Markdown rendered by ``storyboard.rendering``);
2. the full reindex is timed through ``storyboard.search.service.rebuild_index``;
3. an FTS5 reference is built from the same documents (``unicode61 remove_diacritics 2``);
4. the fixed query mix (``bench/queries.py``) runs, interleaved, at the service layer
   (``WhooshBackend.search``: top 20, highlights, facet counts) and on FTS5 (top 20 with
   ``snippet()``, per-facet ``GROUP BY`` counts over the matched set); then through HTTP
   (Flask test client, ``GET /search`` as a stakeholder) next to a bare signed-in route;
5. story saves (DB commit + outbox + index update in the after-commit drain) are timed;
6. unless ``--no-postgres``: the PostgreSQL full-text backend (``PostgresBackend``) is
   built from the same documents in a fresh database on the PostgreSQL server
   (``--postgres-url``), and answers the same queries, interleaved with the other two;
   its index update for one story (``apply``) is timed like a save's drain.

Run by hand (see bench/README.md); results go in bench/RESULTS.md::

    .venv/bin/python bench/search_bench.py --sizes 10000 100000 --out bench/out/run.md
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import multiprocessing
import os
import platform
import pstats
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

import click

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from queries import COMMON_QUERIES, QUERIES, BenchQuery, to_fts5  # noqa: E402

from storyboard import create_app  # noqa: E402
from storyboard.access import signed_in  # noqa: E402
from storyboard.db import db, upgrade_database  # noqa: E402
from storyboard.models import (  # noqa: E402
    AuthorKind,
    IndexOutbox,
    Language,
    Role,
    SeededChannel,
    Story,
    StoryStatus,
    Team,
    Theme,
    User,
    story_themes,
)
from storyboard.rendering import render_markdown  # noqa: E402
from storyboard.search import outbox, service  # noqa: E402
from storyboard.search.backend import Changes, SearchRequest  # noqa: E402
from storyboard.search.pg_backend import PostgresBackend  # noqa: E402

N_AUTHORS = 150
PASSWORD = "bench password"
STAKEHOLDER = "stakeholder@bench.example"
SAVER = "saver@bench.example"
PER_PAGE = 20
# The mix as written; the "common" profile adds COMMON_QUERIES to it (``use_profile``).
BASE_QUERIES = list(QUERIES)
# Ranked matches per search when the order effect of the bounded ranking is measured
# against ranking every match (``PostgresBackend.rank_candidates``).
EXACT_RANKING = 10**9


def use_profile(profile: str) -> None:
    """The query mix for a corpus profile (in place: every step reads QUERIES)."""
    QUERIES[:] = BASE_QUERIES + (COMMON_QUERIES if profile == "common" else [])


def log(message: str) -> None:
    click.echo(message, err=True)


def progressbar(length: int, label: str) -> Any:
    return click.progressbar(
        length=length, label=label, show_pos=True, show_eta=True, file=sys.stderr, width=30
    )


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary_ms(values: list[float]) -> dict[str, float]:
    if not values:  # a backend left out of this run
        return dict.fromkeys(("n", "mean", "p50", "p95", "p99", "max"), math.nan)
    ms = [v * 1000 for v in values]
    return {
        "n": len(ms),
        "mean": statistics.fmean(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms),
    }


# -- corpus --------------------------------------------------------------------------
def _render_chunk(args: tuple[int, int, int, str]) -> list[tuple[corpus.CorpusStory, str]]:
    seed, chunk, count, profile = args
    return [
        (s, render_markdown(s.body))
        for s in corpus.chunk_stories(seed, chunk, count, N_AUTHORS, profile)
    ]


def _chunks(size: int) -> list[tuple[int, int]]:
    return [
        (i, min(corpus.CHUNK, size - i * corpus.CHUNK)) for i in range(-(-size // corpus.CHUNK))
    ]


def load_corpus(app: Any, size: int, seed: int, workers: int, profile: str) -> dict[str, Any]:
    """Users, teams and ``size`` published stories, in bulk. The per-commit drain is
    switched off during the load (a reindex is measured separately) and the outbox
    emptied afterwards."""
    started = time.perf_counter()
    hooks = list(outbox.after_commit_hooks)
    outbox.after_commit_hooks.clear()
    try:
        with app.app_context():
            upgrade_database()
            teams = {}
            for slug, name, _ in corpus.TEAMS:
                team = Team(name=name, slug=slug)
                db.session.add(team)
                teams[slug] = team
            probe = User(email="x@x", display_name="x", role=Role.AGENT)
            probe.set_password(PASSWORD)
            password_hash = probe.password_hash
            authors = []
            for i, (name, team_slug) in enumerate(corpus.author_names(seed, N_AUTHORS)):
                authors.append(
                    User(
                        email=f"agent{i}@bench.example",
                        display_name=name,
                        role=Role.AGENT,
                        team=teams[team_slug],
                        password_hash=password_hash,
                    )
                )
            db.session.add_all(authors)
            db.session.add(
                User(
                    email=STAKEHOLDER,
                    display_name="Stakeholder",
                    role=Role.STAKEHOLDER,
                    password_hash=password_hash,
                )
            )
            db.session.add(
                User(
                    email=SAVER,
                    display_name="Bench Saver",
                    role=Role.AGENT,
                    team=teams["retail"],
                    password_hash=password_hash,
                )
            )
            db.session.commit()
            team_ids = {slug: team.id for slug, team in teams.items()}
            author_ids = [user.id for user in authors]
            theme_ids = {t.slug: t.id for t in db.session.scalars(db.select(Theme))}

            from sqlalchemy import insert

            next_id = 1
            words = 0
            with (
                multiprocessing.get_context("fork").Pool(workers) as pool,
                progressbar(size, f"Corpus {size:,} ({profile})") as bar,
            ):
                jobs = [(seed, chunk, count, profile) for chunk, count in _chunks(size)]
                for rendered in pool.imap(_render_chunk, jobs):
                    rows, links = [], []
                    for story, body_html in rendered:
                        customer = story.author_kind == "customer"
                        rows.append(
                            {
                                "id": next_id,
                                "title": story.title,
                                "body": story.body,
                                "body_html": body_html,
                                "channel": SeededChannel(story.channel),
                                "team_id": team_ids[story.team],
                                "author_id": None if customer else author_ids[story.author_index],
                                "author_kind": AuthorKind(story.author_kind),
                                "status": StoryStatus.PUBLISHED,
                                "language": Language(story.language),
                                "created_at": story.published_at - timedelta(minutes=20),
                                "updated_at": story.published_at,
                                "published_at": story.published_at,
                            }
                        )
                        links.extend(
                            {"story_id": next_id, "theme_id": theme_ids[slug]}
                            for slug in story.themes
                        )
                        words += len(story.body.split())
                        next_id += 1
                    db.session.execute(insert(Story), rows)
                    if links:
                        db.session.execute(insert(story_themes), links)
                    db.session.commit()
                    bar.update(len(rows))
            db.session.execute(db.delete(IndexOutbox))
            db.session.commit()
            db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
            db.session.remove()
            db.engine.dispose()
    finally:
        outbox.after_commit_hooks[:] = hooks
    seconds = time.perf_counter() - started
    log(f"  corpus: {size:,} stories, {words / size:.0f} words on average, {seconds:.0f} s")
    return {"stories": size, "mean_words": words / size, "seconds": seconds}


# -- app -------------------------------------------------------------------------------
def make_app(instance: Path) -> Any:
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "bench",
            "SECURE_COOKIES": False,
            "RATELIMIT_ENABLED": False,
        }
    )

    @app.route("/_bench/ping")
    @signed_in
    def bench_ping() -> str:
        return "ok"

    return app


def sign_in(client: Any, email: str) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    response = client.post(
        "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 302, response.status_code


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the rebuild's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


# -- FTS5 reference --------------------------------------------------------------------
FTS_SCHEMA = """
CREATE VIRTUAL TABLE story_fts USING fts5(title, text,
    tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE facets (id INTEGER PRIMARY KEY, team TEXT, channel TEXT, language TEXT,
    author_kind TEXT, period TEXT, published TEXT);
CREATE TABLE facet_themes (story_id INTEGER, theme TEXT, PRIMARY KEY (story_id, theme))
    WITHOUT ROWID;
"""
FTS_INDEXES = """
CREATE INDEX ix_facets_published ON facets (published);
CREATE INDEX ix_facets_team ON facets (team, published);
CREATE INDEX ix_facets_channel ON facets (channel, published);
CREATE INDEX ix_facet_themes_theme ON facet_themes (theme, story_id);
"""
FACET_COLUMNS = ("team", "channel", "language", "author_kind", "period")


def build_fts(app: Any, path: Path, size: int) -> dict[str, float]:
    """The reference index, from the same documents Whoosh gets (``document_for``)."""
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(path)
    conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + FTS_SCHEMA)
    extract = 0.0
    started = time.perf_counter()
    with (
        app.app_context(),
        service.new_session() as session,
        progressbar(size, "FTS5 build") as bar,
    ):
        documents = service.published_documents(session)
        while True:
            t0 = time.perf_counter()
            batch = [doc for _, doc in zip(range(1000), documents, strict=False)]
            extract += time.perf_counter() - t0
            if not batch:
                break
            conn.executemany(
                "INSERT INTO story_fts (rowid, title, text) VALUES (?, ?, ?)",
                [(d.story_id, d.title, d.text) for d in batch],
            )
            conn.executemany(
                "INSERT INTO facets VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        d.story_id,
                        d.team or "",
                        d.channel,
                        d.language,
                        d.author_kind,
                        d.published_at.astimezone(UTC).strftime("%Y-%m"),
                        d.published_at.astimezone(UTC).isoformat(),
                    )
                    for d in batch
                ],
            )
            conn.executemany(
                "INSERT INTO facet_themes VALUES (?, ?)",
                [(d.story_id, t) for d in batch for t in d.themes],
            )
            bar.update(len(batch))
    conn.executescript(FTS_INDEXES)
    conn.execute("INSERT INTO story_fts (story_fts) VALUES ('optimize')")
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "document_extraction_seconds": extract,
        "per_second": size / seconds,
        "mb": path.stat().st_size / 2**20,
    }


def fts_search(conn: sqlite3.Connection, query: BenchQuery) -> tuple[int, int]:
    """Top 20 with snippets plus facet counts over the matched set; (total, hits)."""
    fts = to_fts5(query)
    where, params = [], []
    if fts.match:
        where.append("story_fts MATCH ?")
        params.append(fts.match)
    for name, value in fts.filters.items():
        if name == "theme":
            where.append("f.id IN (SELECT story_id FROM facet_themes WHERE theme = ?)")
        else:
            where.append(f"f.{name} = ?")
        params.append(value)
    if query.date_from:
        where.append("f.published >= ?")
        params.append(datetime.combine(query.date_from, dtime.min, UTC).isoformat())
    if query.date_to:
        where.append("f.published < ?")
        params.append(
            datetime.combine(query.date_to + timedelta(days=1), dtime.min, UTC).isoformat()
        )
    condition = ("WHERE " + " AND ".join(where)) if where else ""
    if fts.match:
        source = "story_fts JOIN facets f ON f.id = story_fts.rowid"
        snippet = "snippet(story_fts, -1, '<mark>', '</mark>', ' … ', 24)"
        order = "f.published DESC" if query.sort == "newest" else "story_fts.rank"
    else:
        source = "facets f JOIN story_fts ON story_fts.rowid = f.id"
        snippet = "substr(story_fts.text, 1, 240)"
        order = "f.published DESC"
    top = conn.execute(
        f"SELECT f.id, story_fts.title, {snippet}, f.team, f.channel, f.published "
        f"FROM {source} {condition} ORDER BY {order} LIMIT {PER_PAGE}",
        params,
    ).fetchall()
    matched = f"SELECT f.id AS id FROM {source} {condition}"
    arms = ["SELECT 'total', NULL, count(*) FROM m"]
    arms += [
        f"SELECT '{c}', f.{c}, count(*) FROM m JOIN facets f ON f.id = m.id GROUP BY f.{c}"
        for c in FACET_COLUMNS
    ]
    arms.append(
        "SELECT 'theme', t.theme, count(*) FROM m "
        "JOIN facet_themes t ON t.story_id = m.id GROUP BY t.theme"
    )
    rows = conn.execute(
        f"WITH m AS MATERIALIZED ({matched}) " + " UNION ALL ".join(arms), params
    ).fetchall()
    total = next(count for name, _, count in rows if name == "total")
    return total, len(top)


def whoosh_request(query: BenchQuery) -> SearchRequest:
    return SearchRequest(
        text=query.text,
        filters=dict(query.filters),
        date_from=query.date_from,
        date_to=query.date_to,
        sort=query.sort,
        page=1,
        per_page=PER_PAGE,
    )


# -- PostgreSQL ----------------------------------------------------------------------
def _upgraded(pg_app: Any, backend: PostgresBackend) -> bool:
    """Bring a reused database of an earlier layout up to date in place, timed."""
    started = time.perf_counter()
    with pg_app.app_context():
        upgraded = backend.upgrade()
    if upgraded:
        log(f"  PostgreSQL: upgraded in place in {time.perf_counter() - started:.1f} s")
    return upgraded


def build_postgres(
    app: Any, url: str, size: int, workdir: Path, name: str, reuse: bool = False
) -> tuple[Any, dict[str, Any]]:
    """A fresh database ``name`` on the server, migrated (search tables included), and
    the PostgreSQL backend's rebuild from the same documents Whoosh and FTS5 got."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        reuse = reuse and exists is not None
        if not reuse:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    database_url = server.set(database=name).render_as_string(hide_password=False)
    pg_app = create_app(
        {
            "INSTANCE_PATH": str(workdir / f"pg-instance-{size}"),
            "SECRET_KEY": "bench",
            "DATABASE_URL": database_url,
            "SEARCH_BACKEND": "postgresql",
        }
    )
    backend = service.state_for(pg_app).backend
    assert isinstance(backend, PostgresBackend)
    started = time.perf_counter()
    # --reuse: built by an earlier run (of an earlier layout, brought up to date in place)
    if reuse and (backend.is_healthy() or _upgraded(pg_app, backend)):
        count, seconds = backend.doc_count(), math.nan
        log(f"  PostgreSQL: reused database {name} ({count:,} stories)")
    else:
        with pg_app.app_context():
            upgrade_database()
        with (
            app.app_context(),
            service.new_session() as session,
            progressbar(size, "Reindex (PostgreSQL)") as bar,
        ):
            count = backend.rebuild(service.published_documents(session), bar.update)
        seconds = time.perf_counter() - started
    with backend.engine.connect() as connection:
        tables = {
            table: connection.execute(
                text(
                    f"SELECT pg_relation_size('{table}'), "
                    f"pg_total_relation_size('{table}') - pg_indexes_size('{table}'), "
                    f"pg_indexes_size('{table}')"
                )
            ).one()
            for table in ("search_facets", "search_documents", "search_words")
        }
    # Per table: the heap a scan reads, with TOAST, and the indexes (MB).
    sizes = {
        table: {
            "heap_mb": heap / 2**20,
            "with_toast_mb": with_toast / 2**20,
            "indexes_mb": indexes / 2**20,
        }
        for table, (heap, with_toast, indexes) in tables.items()
    }
    mb = sum(t["with_toast_mb"] + t["indexes_mb"] for t in sizes.values())
    return pg_app, {
        "stories": count,
        "seconds": seconds,
        "per_second": count / seconds,
        "mb": mb,
        "tables": sizes,
        "database": name,
    }


def measure_pg_updates(app: Any, pg_app: Any, count: int) -> list[float]:
    """The PostgreSQL backend's share of a save: ``apply`` of one changed story."""
    backend = service.state_for(pg_app).backend
    with app.app_context(), service.new_session() as session:
        docs = [
            doc for _, doc in zip(range(count), service.published_documents(session), strict=False)
        ]
    times = []
    for doc in docs:
        changed = type(doc)(**{**asdict(doc), "title": doc.title + " (edited)"})
        t0 = time.perf_counter()
        backend.apply(lambda changed=changed: Changes([changed], [], []), timeout=5.0)
        times.append(time.perf_counter() - t0)
    return times


# -- measurements ------------------------------------------------------------------------
def measure_queries(
    app: Any,
    fts_path: Path,
    repeat: int,
    warmup: int,
    profile: Path | None,
    pg_app: Any = None,
    whoosh: bool = True,
) -> dict[str, Any]:
    """Whoosh (service layer; unless ``whoosh`` is False), FTS5 and (with ``pg_app``)
    the PostgreSQL backend through ``search_stories``, interleaved query by query."""
    engine = service.state_for(app).backend if whoosh else None
    pg_times: dict[int, list[float]] = {i: [] for i in range(len(QUERIES))}
    pg_totals: dict[int, int] = {}
    pg_timeouts = 0
    conn = sqlite3.connect(fts_path)
    whoosh_times: dict[int, list[float]] = {i: [] for i in range(len(QUERIES))}
    fts_times: dict[int, list[float]] = {i: [] for i in range(len(QUERIES))}
    # CPU time of this process, next to wall time: robust to other load on the machine.
    whoosh_cpu: list[float] = []
    fts_cpu: list[float] = []
    totals: dict[int, tuple[int, int]] = {}
    requests = [whoosh_request(q) for q in QUERIES]
    profiler = cProfile.Profile() if profile else None
    with app.app_context():
        if engine is not None:
            service.backend()  # open (and health-check) the index once, as the app does
        with progressbar((warmup + repeat) * len(QUERIES), "Queries (service, FTS5)") as bar:
            for rep in range(warmup + repeat):
                for i, query in enumerate(QUERIES):
                    results = None
                    c0, t0 = time.process_time(), time.perf_counter()
                    if engine is not None:
                        if profiler and rep >= warmup:
                            profiler.enable()
                        results = engine.search(requests[i])
                        if profiler:
                            profiler.disable()
                    c1, t1 = time.process_time(), time.perf_counter()
                    total_fts, _ = fts_search(conn, query)
                    c2, t2 = time.process_time(), time.perf_counter()
                    if results is not None:
                        assert len(results.hits) == min(PER_PAGE, results.total)
                    if pg_app is not None:
                        with pg_app.app_context():
                            pg_results = service.search_stories(requests[i])
                        pg_time = time.perf_counter() - t2
                        if pg_results.timed_out:
                            pg_timeouts += 1
                        else:
                            assert len(pg_results.hits) == min(PER_PAGE, pg_results.total)
                        pg_totals[i] = pg_results.total
                        if rep >= warmup:
                            pg_times[i].append(pg_time)
                    if rep >= warmup:
                        if results is not None:
                            whoosh_times[i].append(t1 - t0)
                            whoosh_cpu.append(c1 - c0)
                        fts_times[i].append(t2 - t1)
                        fts_cpu.append(c2 - c1)
                    totals[i] = (results.total if results is not None else -1, total_fts)
                    bar.update(1)
    conn.close()
    if profiler and profile:
        profiler.dump_stats(profile)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(35)
        log(text.getvalue())
    return {
        "whoosh": whoosh_times,
        "fts": fts_times,
        "totals": totals,
        "whoosh_cpu": whoosh_cpu,
        "fts_cpu": fts_cpu,
        "pg": pg_times if pg_app is not None else None,
        "pg_totals": pg_totals,
        "pg_timeouts": pg_timeouts,
    }


def measure_rank_order(pg_app: Any, totals: dict[int, int]) -> dict[str, Any]:
    """What the bounded ranking changes: for every relevance query with more matches
    than the backend ranks, its top 20 against the top 20 of ranking every match."""
    from storyboard.db import db as pg_db

    backend = service.state_for(pg_app).backend
    assert isinstance(backend, PostgresBackend)
    bound = backend.rank_candidates
    with pg_app.app_context():
        exact = PostgresBackend(pg_db.engine, rank_candidates=EXACT_RANKING)
    chosen = [
        i
        for i, query in enumerate(QUERIES)
        if query.sort == "relevance" and query.text and totals.get(i, 0) > bound
    ]
    overlaps, same_order, exact_ms = [], 0, []
    with progressbar(len(chosen), "Rank order (bounded vs every match)") as bar:
        for i in chosen:
            request = replace(whoosh_request(QUERIES[i]), time_budget=60.0)
            bounded = [hit.story_id for hit in backend.search(request).hits]
            t0 = time.perf_counter()
            full = [hit.story_id for hit in exact.search(request).hits]
            exact_ms.append((time.perf_counter() - t0) * 1000)
            overlaps.append(len(set(bounded) & set(full)) / max(1, len(full)))
            same_order += bounded == full
            bar.update(1)
    return {
        "bound": bound,
        "queries": len(chosen),
        "mean_overlap": statistics.fmean(overlaps) if overlaps else 1.0,
        "min_overlap": min(overlaps) if overlaps else 1.0,
        "same_order": same_order,
        "exact_p95_ms": percentile(exact_ms, 95),
    }


def measure_http(app: Any, repeat: int, warmup: int) -> dict[str, Any]:
    client = app.test_client()
    sign_in(client, STAKEHOLDER)
    search_times: list[float] = []
    ping_times: list[float] = []
    with progressbar((warmup + repeat) * len(QUERIES), "Queries (HTTP)") as bar:
        for rep in range(warmup + repeat):
            for query in QUERIES:
                t0 = time.perf_counter()
                response = client.get("/search", query_string=query.url_params())
                t1 = time.perf_counter()
                assert response.status_code == 200, response.status_code
                response.close()
                t2 = time.perf_counter()
                ping = client.get("/_bench/ping")
                t3 = time.perf_counter()
                assert ping.status_code == 200 and ping.data == b"ok"
                if rep >= warmup:
                    search_times.append(t1 - t0)
                    ping_times.append(t3 - t2)
                bar.update(1)
    return {"search": search_times, "ping": ping_times}


def measure_saves(app: Any, saves: int, seed: int) -> dict[str, Any]:
    """Half new stories, half edits of existing ones; each timed from the service call
    to the end of ``commit()``, which returns after the after-commit drain updated the
    index. The drain is timed separately by wrapping the app's hook."""
    import random

    from storyboard.stories.service import StoryInput, create_story, update_story

    rng = random.Random(f"{seed}:saves")
    drain_times: list[float] = []
    original = list(outbox.after_commit_hooks)

    def timed(hook: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            t0 = time.perf_counter()
            hook()
            drain_times.append(time.perf_counter() - t0)

        return run

    outbox.after_commit_hooks[:] = [timed(h) for h in original]
    total_times: list[float] = []
    kinds: list[str] = []
    marker = ""
    try:
        with app.app_context():
            service.backend()
            team_ids = [t.id for t in db.session.scalars(db.select(Team))]
            theme_ids = [t.id for t in db.session.scalars(db.select(Theme))]
            max_id = db.session.scalar(db.select(db.func.max(Story.id)))
            with progressbar(saves, "Story saves") as bar:
                for i in range(saves):
                    generated = corpus.make_story(rng, N_AUTHORS)
                    marker = f"benchsave{seed}x{i}"
                    data = StoryInput(
                        title=generated.title,
                        body=generated.body + f"\n\n{marker}\n",
                        channel=SeededChannel(generated.channel),
                        language=Language(generated.language),
                        team_id=rng.choice(team_ids),
                        theme_ids=tuple(rng.sample(theme_ids, 2)),
                        publish=True,
                    )
                    story = db.session.get(Story, rng.randint(1, max_id)) if i % 2 else None
                    author = db.session.scalar(db.select(User).where(User.email == SAVER))
                    t0 = time.perf_counter()
                    if story is None:
                        create_story(author, data)
                        kinds.append("create")
                    else:
                        update_story(story, data)
                        kinds.append("edit")
                    db.session.commit()
                    total_times.append(time.perf_counter() - t0)
                    db.session.expunge_all()
                    bar.update(1)
            pending = db.session.scalar(db.select(db.func.count()).select_from(IndexOutbox))
            found = service.search_stories(SearchRequest(text=marker)).total
    finally:
        outbox.after_commit_hooks[:] = original
    assert len(drain_times) == saves, "every save must drain through the after-commit hook"
    assert pending == 0 and found == 1, (pending, found)
    return {"total": total_times, "drain": drain_times, "kinds": kinds}


# -- one size ----------------------------------------------------------------------------
def run_size(size: int, profile: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    log(f"\n== {size:,} stories, {profile} profile ==")
    use_profile(profile)
    instance = workdir / f"instance-{profile}-{size}"
    if instance.exists():
        shutil.rmtree(instance)
    instance.mkdir(parents=True)
    # The standard profile keeps the cache name it had before profiles existed.
    tag = "" if profile == "standard" else f"-{profile}"
    cached = (
        args.corpus_cache / f"corpus-v{corpus.CORPUS_VERSION}{tag}-s{args.seed}-{size}.db"
        if args.corpus_cache
        else None
    )
    if cached and cached.exists():
        shutil.copy(cached, instance / "storyboard.db")
        corpus_info = {"stories": size, "seconds": 0.0, "cached": True}
        log(f"  corpus: reused {cached}")
        app = make_app(instance)
        with app.app_context():  # the cache may predate newer migrations
            upgrade_database()
            db.engine.dispose()
    else:
        app = make_app(instance)
        corpus_info = load_corpus(app, size, args.seed, args.workers, profile)
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(instance / "storyboard.db", cached)
    if args.corpus_only:
        return {"size": size, "profile": profile, "corpus": corpus_info}

    load_before = os.getloadavg()[0]
    whoosh = not args.skip_whoosh
    with app.app_context(), service.new_session() as session:
        published = service.count_published(session)
    # 1. full reindex through the project's own code
    reindex = None
    if whoosh:
        engine = service.state_for(app).backend
        with app.app_context():
            cpu_before = cpu_seconds()
            with progressbar(published, "Reindex (Whoosh)") as bar:
                rebuild = service.rebuild_index(engine, progress=bar.update)
            rebuild_cpu = cpu_seconds() - cpu_before
        index_mb = dir_mb(Path(app.config["INDEX_DIR"]))
        reindex = {
            "stories": rebuild.stories,
            "seconds": rebuild.seconds,
            "per_second": rebuild.per_second,
            "index_mb": index_mb,
            "cpu_seconds": rebuild_cpu,
            "segments": len(list(Path(app.config["INDEX_DIR"]).glob("gen-*/*.trm"))),
        }
        log(
            f"  reindex: {rebuild.stories:,} stories in {rebuild.seconds:.1f} s "
            f"({rebuild.per_second:,.0f}/s), index {index_mb:.0f} MB"
        )

    # 2. the FTS5 reference on the same documents
    fts_path = workdir / f"fts-{profile}-{size}.db"
    if args.reuse and fts_path.exists():
        fts_build = {"seconds": math.nan, "per_second": math.nan, "mb": math.nan}
        log(f"  FTS5: reused {fts_path}")
    else:
        fts_build = build_fts(app, fts_path, published)
    log(
        f"  FTS5 build: {fts_build['seconds']:.1f} s ({fts_build['per_second']:,.0f}/s), "
        f"{fts_build['mb']:.0f} MB"
    )

    # 2b. the PostgreSQL backend, from the same documents
    pg_app, pg_build = None, None
    if args.postgres_url:
        name = args.postgres_database or f"storyboard_bench_{profile}_{size}"
        pg_app, pg_build = build_postgres(
            app, args.postgres_url, published, workdir, name, args.reuse
        )
        log(
            f"  PostgreSQL build: {pg_build['seconds']:.1f} s "
            f"({pg_build['per_second']:,.0f}/s), {pg_build['mb']:.0f} MB"
        )

    # 3. queries
    prof = (args.profile_dir / f"whoosh-search-{size}.prof") if args.profile_dir else None
    q = measure_queries(app, fts_path, args.repeat, args.warmup, prof, pg_app, whoosh)
    rank_order = measure_rank_order(pg_app, q["pg_totals"]) if pg_app is not None else None
    whoosh_all = [t for times in q["whoosh"].values() for t in times]
    fts_all = [t for times in q["fts"].values() for t in times]
    by_kind: dict[str, dict[str, Any]] = {}
    for i, query in enumerate(QUERIES):
        entry = by_kind.setdefault(query.kind, {"whoosh": [], "fts": [], "queries": 0})
        entry["whoosh"].extend(q["whoosh"][i])
        entry["fts"].extend(q["fts"][i])
        entry["queries"] += 1
    worst = q["whoosh"] if whoosh else q["pg"] or q["fts"]
    slowest = sorted(range(len(QUERIES)), key=lambda i: -max(worst[i]))[:8]

    loadavg_during = {"start": load_before, "after_queries": os.getloadavg()[0]}
    http = measure_http(app, args.http_repeat, 1) if whoosh and not args.skip_http else None
    saves = measure_saves(app, args.saves, args.seed) if whoosh else None
    if saves:
        log(
            f"  saves: p50 {percentile(saves['total'], 50) * 1000:.1f} ms, "
            f"p95 {percentile(saves['total'], 95) * 1000:.1f} ms"
        )

    pg_updates = measure_pg_updates(app, pg_app, args.saves) if pg_app is not None else None
    with app.app_context():
        db.engine.dispose()
    if pg_app is not None:
        with pg_app.app_context():
            db.engine.dispose()
    pg_all = [t for times in (q["pg"] or {}).values() for t in times]
    result = {
        "size": size,
        "profile": profile,
        "corpus": corpus_info,
        "whoosh": whoosh,
        "reindex": reindex,
        "fts_build": fts_build,
        "queries": len(QUERIES),
        "repeat": args.repeat,
        "service": summary_ms(whoosh_all),
        "fts": summary_ms(fts_all),
        "service_cpu": summary_ms(q["whoosh_cpu"]),
        "fts_cpu": summary_ms(q["fts_cpu"]),
        "loadavg": loadavg_during,
        "by_kind": {
            kind: {
                "queries": e["queries"],
                "whoosh": summary_ms(e["whoosh"]),
                "fts": summary_ms(e["fts"]),
            }
            for kind, e in by_kind.items()
        },
        "slowest": [
            {
                "query": asdict(QUERIES[i])
                | {"date_from": str(QUERIES[i].date_from), "date_to": str(QUERIES[i].date_to)},
                "whoosh_ms": max(q["whoosh"][i] or [math.nan]) * 1000,
                "fts_ms": max(q["fts"][i]) * 1000,
                "pg_ms": max((q["pg"] or {}).get(i) or [math.nan]) * 1000,
                "matches_whoosh": q["totals"][i][0],
                "matches_fts": q["totals"][i][1],
                "matches_pg": q["pg_totals"].get(i, -1),
            }
            for i in slowest
        ],
        "matches": {
            "whoosh_mean": statistics.fmean(t[0] for t in q["totals"].values()),
            "fts_mean": statistics.fmean(t[1] for t in q["totals"].values()),
        },
        # The share of the archive the one-word queries match (FTS5: the word as typed).
        "word_shares": {
            QUERIES[i].text: {"fts": t[1] / published, "pg": q["pg_totals"].get(i, -1) / published}
            for i, t in q["totals"].items()
            if QUERIES[i].kind == "common word"
        },
        "http": (
            {"search": summary_ms(http["search"]), "ping": summary_ms(http["ping"])}
            if http
            else None
        ),
        "saves": (
            {
                "total": summary_ms(saves["total"]),
                "drain": summary_ms(saves["drain"]),
                "creates": saves["kinds"].count("create"),
                "edits": saves["kinds"].count("edit"),
            }
            if saves
            else None
        ),
    }
    if pg_build is not None:
        result["postgres"] = {
            "build": pg_build,
            "search": summary_ms(pg_all),
            "update": summary_ms(pg_updates or []),
            "ratio_p95": summary_ms(pg_all)["p95"] / result["fts"]["p95"],
            "matches_mean": statistics.fmean(q["pg_totals"].values()),
            "timeouts": q["pg_timeouts"],
            "rank_order": rank_order,
            "by_kind": {
                kind: summary_ms(
                    [t for i, query in enumerate(QUERIES) if query.kind == kind for t in q["pg"][i]]
                )
                for kind in by_kind
            },
        }
    result["ratio_p95"] = result["service"]["p95"] / result["fts"]["p95"]
    result["ratio_p50"] = result["service"]["p50"] / result["fts"]["p50"]
    if not args.keep:
        shutil.rmtree(instance, ignore_errors=True)
        fts_path.unlink(missing_ok=True)
    return result


# -- report ------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    import whoosh

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "whoosh": whoosh.versionstring(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "date": subprocess.run(["date"], capture_output=True, text=True).stdout.strip(),
    }


def _row(name: str, s: dict[str, float]) -> str:
    return (
        f"| {name} | {s['p50']:.1f} ms | {s['p95']:.1f} ms | {s['p99']:.1f} ms | "
        f"{s['max']:.1f} ms |"
    )


# (what, applies to a result, met, shown); Whoosh's only where it ran.
TARGETS = (
    (
        "search p95 (Whoosh service) ≤ 3× FTS5 p95",
        lambda r: r["whoosh"],
        lambda r: r["ratio_p95"] <= 3.0,
        lambda r: f"{r['ratio_p95']:.2f}×",
    ),
    (
        "search p95 (Whoosh service) < 100 ms",
        lambda r: r["whoosh"],
        lambda r: r["service"]["p95"] < 100,
        lambda r: f"{r['service']['p95']:.1f} ms",
    ),
    (
        "full reindex (Whoosh) < 3 min",
        lambda r: r["whoosh"],
        lambda r: r["reindex"]["seconds"] < 180,
        lambda r: f"{r['reindex']['seconds']:.0f} s",
    ),
    (
        "one story save p95 < 150 ms",
        lambda r: r["saves"] is not None,
        lambda r: r["saves"]["total"]["p95"] < 150,
        lambda r: f"{r['saves']['total']['p95']:.1f} ms",
    ),
    (
        "search p95 (PostgreSQL) ≤ 2× FTS5 p95 (issue 24, 100,000 stories)",
        lambda r: "postgres" in r and r["size"] <= 100_000,
        lambda r: r["postgres"]["ratio_p95"] <= 2.0,
        lambda r: f"{r['postgres']['ratio_p95']:.2f}×",
    ),
    (
        "search p95 (PostgreSQL) < 1 s (issue 24, 1,000,000 stories)",
        lambda r: "postgres" in r and r["size"] >= 1_000_000,
        lambda r: r["postgres"]["search"]["p95"] < 1000,
        lambda r: f"{r['postgres']['search']['p95']:.0f} ms",
    ),
)


def report(results: list[dict[str, Any]], info: dict[str, Any], command: str) -> str:
    lines = [
        f"Machine: {info['nproc']} cores, {info['cpu']}, {info['ram_gib']} GiB RAM; "
        f"Python {info['python']}, Whoosh {info['whoosh']}, SQLite {info['sqlite']}; "
        f"{info['platform']}",
        f"Date: {info['date']}",
        f"Command: `{command}`",
        "",
    ]
    for r in results:
        s, f, h, pgr = r["service"], r["fts"], r["http"], r.get("postgres")
        lines += [
            f"### {r['size']:,} stories, {r['profile']} profile",
            "",
            f"{r['queries']} queries × {r['repeat']} measured passes (after a warm-up pass); "
            f"top {PER_PAGE} with highlights and facet counts. Mean matches per query: "
            + (f"Whoosh {r['matches']['whoosh_mean']:,.0f}, " if r["whoosh"] else "")
            + (f"PostgreSQL {pgr['matches_mean']:,.0f}, " if pgr else "")
            + f"FTS5 {r['matches']['fts_mean']:,.0f} (FTS5 does not stem).",
            "",
        ]
        if r["word_shares"]:
            shares = ", ".join(
                f"`{word}` {v['fts']:.0%} (PostgreSQL, stemmed: {v['pg']:.0%})"
                for word, v in r["word_shares"].items()
            )
            lines += [f"Share of the archive the common words match (FTS5): {shares}.", ""]
        lines += ["| measurement | p50 | p95 | p99 | max |", "|---|---:|---:|---:|---:|"]
        if r["whoosh"]:
            lines += [
                _row("search, service layer (WhooshBackend.search)", s),
                _row("… CPU time, service layer", r["service_cpu"]),
            ]
        lines += [
            _row("search, FTS5 reference", f),
            _row("… CPU time, FTS5", r["fts_cpu"]),
        ]
        if h:
            lines += [
                _row("search, HTTP GET /search (test client)", h["search"]),
                _row("bare signed-in route, HTTP (reference)", h["ping"]),
            ]
        if pgr:
            lines += [
                _row("search, PostgreSQL backend (search_stories)", pgr["search"]),
                _row("… its index update for one story (apply)", pgr["update"]),
            ]
        sv = r["saves"]
        if sv:
            lines += [
                _row(f"story save, total ({sv['creates']} new + {sv['edits']} edits)", sv["total"]),
                _row("… of which the after-commit index drain", sv["drain"]),
            ]
        lines.append("")
        if r["whoosh"]:
            lines += [
                f"Whoosh/FTS5 ratio: p95 **{r['ratio_p95']:.2f}×**, p50 {r['ratio_p50']:.2f}× "
                f"(CPU time: p95 {r['service_cpu']['p95'] / r['fts_cpu']['p95']:.2f}×). ",
                "",
            ]
            ri = r["reindex"]
            lines += [
                f"Full reindex (rebuild_index): {ri['stories']:,} stories in "
                f"{ri['seconds']:.1f} s = {ri['per_second']:,.0f} stories/s "
                f"({ri['cpu_seconds']:.0f} CPU-seconds over all processes); "
                f"index {ri['index_mb']:.0f} MB in {ri['segments']} segments.",
                "",
            ]
        lines += [
            f"Load average (1 min) at the start of this size: {r['loadavg']['start']:.2f}, "
            f"after the queries: {r['loadavg']['after_queries']:.2f}. FTS5 build from the same "
            f"documents: {r['fts_build']['seconds']:.1f} s "
            f"({r['fts_build']['per_second']:,.0f}/s), {r['fts_build']['mb']:.0f} MB.",
            "",
        ]
        if pgr:
            b, ro = pgr["build"], pgr["rank_order"]
            tables = "; ".join(
                f"{name} heap {t['heap_mb']:.0f} MB, with TOAST {t['with_toast_mb']:.0f} MB, "
                f"indexes {t['indexes_mb']:.0f} MB"
                for name, t in b["tables"].items()
            )
            lines += [
                f"PostgreSQL backend: built from the same documents in {b['seconds']:.1f} s "
                f"({b['per_second']:,.0f} stories/s), {b['mb']:.0f} MB in all ({tables}). "
                f"PostgreSQL/FTS5 ratio: p95 **{pgr['ratio_p95']:.2f}×**; searches stopped "
                f"by the time budget: {pgr['timeouts']}.",
                "",
                f"Bounded ranking ({ro['bound']:,} candidates from each of two index-chosen "
                f"sets): {ro['queries']} relevance queries had more matches; their top "
                f"{PER_PAGE} shares on average {ro['mean_overlap']:.0%} (at least "
                f"{ro['min_overlap']:.0%}) of the stories with ranking every match, in the "
                f"same order for {ro['same_order']}; ranking every match instead: p95 "
                f"{ro['exact_p95_ms']:.0f} ms for these queries.",
                "",
            ]
        head = "| query kind | queries |"
        rule = "|---|---:|"
        if r["whoosh"]:
            head += " Whoosh p50 | Whoosh p95 |"
            rule += "---:|---:|"
        head += " FTS5 p50 | FTS5 p95 |"
        rule += "---:|---:|"
        if pgr:
            head += " PostgreSQL p50 | PostgreSQL p95 | PostgreSQL p99 |"
            rule += "---:|---:|---:|"
        lines += [head, rule]
        for kind, e in r["by_kind"].items():
            cells = f"| {kind} | {e['queries']} |"
            if r["whoosh"]:
                cells += f" {e['whoosh']['p50']:.1f} | {e['whoosh']['p95']:.1f} |"
            cells += f" {e['fts']['p50']:.1f} | {e['fts']['p95']:.1f} |"
            if pgr:
                k = pgr["by_kind"][kind]
                cells += f" {k['p50']:.1f} | {k['p95']:.1f} | {k['p99']:.1f} |"
            lines.append(cells)
        lines += ["", "Slowest queries (worst pass):", ""]
        for item in r["slowest"][:6]:
            qd = item["query"]
            extra = {
                k: v for k, v in qd.items() if k in ("filters", "sort") and v and v != "relevance"
            }
            parts = []
            if r["whoosh"]:
                parts.append(f"Whoosh {item['whoosh_ms']:.0f} ms ({item['matches_whoosh']:,})")
            if pgr:
                parts.append(f"PostgreSQL {item['pg_ms']:.0f} ms ({item['matches_pg']:,})")
            parts.append(f"FTS5 {item['fts_ms']:.0f} ms ({item['matches_fts']:,} matches)")
            lines.append(f"- `{qd['text'] or '(empty)'}` {extra or ''}: " + ", ".join(parts))
        lines += ["", "| target | result | met |", "|---|---:|:---:|"]
        for name, applies, check, show in TARGETS:
            if applies(r):
                lines.append(f"| {name} | {show(r)} | {'yes' if check(r) else 'NO'} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--queries",
        type=int,
        default=len(QUERIES),
        help=f"use the first N of the {len(QUERIES)} queries in the mix",
    )
    parser.add_argument("--repeat", type=int, default=3, help="measured passes over the mix")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--http-repeat", type=int, default=2)
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "STORYBOARD_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
        help="server for the PostgreSQL backend (a database per size is made there)",
    )
    parser.add_argument(
        "--no-postgres",
        dest="postgres_url",
        action="store_const",
        const="",
        help="leave the PostgreSQL backend out",
    )
    parser.add_argument("--seed", type=int, default=20260630)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 2,
        help="processes rendering the corpus' Markdown",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where instances go (default: a temporary folder)",
    )
    parser.add_argument(
        "--corpus-cache", type=Path, default=None, help="keep/reuse generated corpus databases here"
    )
    parser.add_argument(
        "--corpus-only", action="store_true", help="only generate (and cache) the corpora"
    )
    parser.add_argument("--keep", action="store_true", help="keep instances and FTS5 files")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument(
        "--profiles",
        nargs="+",
        choices=corpus.PROFILES,
        default=["standard"],
        help="corpus profiles: standard, and common (a few words in 55-75 %% of stories)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the FTS5 file (--workdir) and PostgreSQL database an earlier --keep "
        "run left, instead of building them again (their build figures are then blank)",
    )
    parser.add_argument(
        "--skip-whoosh",
        action="store_true",
        help="leave Whoosh out (its reindex, queries, HTTP and saves): FTS5 and PostgreSQL only",
    )
    parser.add_argument(
        "--postgres-database",
        default="",
        help="name of the database made (dropped first) for the PostgreSQL backend "
        "(default: storyboard_bench_<profile>_<size>)",
    )
    parser.add_argument(
        "--profile-dir",
        type=Path,
        default=None,
        help="cProfile the service-layer searches into this folder",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="write the Markdown report here (and the raw numbers as .json)",
    )
    args = parser.parse_args(argv)
    if args.queries < len(QUERIES):
        del QUERIES[args.queries :]
    if args.profile_dir:
        args.profile_dir.mkdir(parents=True, exist_ok=True)

    command = "python bench/search_bench.py " + " ".join(argv if argv is not None else sys.argv[1:])
    info = machine()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="storyboard-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        results = [
            run_size(size, profile, args, workdir)
            for profile in args.profiles
            for size in args.sizes
        ]
    if args.corpus_only:
        return 0
    text = report(results, info, command)
    log(f"\nTotal bench time: {time.perf_counter() - started:.0f} s\n")
    click.echo(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(
            json.dumps(
                {"machine": info, "command": command, "results": results}, indent=2, default=str
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
