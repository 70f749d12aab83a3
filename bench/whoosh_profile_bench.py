"""Whoosh beside SQLite FTS5 where common words match most of the archive (issues 22, 24).

In a customer-service archive a word like "klant" or "customer" is in most stories.
This benchmark builds such a corpus — the ordinary one of ``bench/corpus.py`` with the
commonest content words added to 50-80 % of the stories (``--profile common``) — or
takes the ordinary one as it is (``--profile ordinary``), caches it on disk, builds the
Whoosh index through ``service.rebuild_index`` (timed) and the FTS5 reference from the
same documents, and runs the query mix on both, interleaved query by query, in one run:
``WhooshBackend.search`` (top 20 with highlights, facet counts, "did you mean") against
FTS5 (top 20 with ``snippet()``, per-facet ``GROUP BY`` counts).

Zero-hit queries are measured cold: the backend's spelling cache is emptied before
every query, so a repeated typo costs what a new one costs.

The corpus loader, FTS5 reference and statistics are ``bench/search_bench.py``'s (used
read-only: the common words are added by wrapping ``corpus.chunk_stories`` while the
corpus is generated). Run by hand; results go in bench/RESULTS.md::

    python bench/whoosh_profile_bench.py --size 100000 --profile common \
        --cache /tmp/wpb/cache --workdir /tmp/wpb/work --out /tmp/wpb/common.md
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import search_bench as sb  # noqa: E402
from queries import QUERIES, BenchQuery  # noqa: E402

from storyboard.db import db, upgrade_database  # noqa: E402
from storyboard.search import service  # noqa: E402
from storyboard.search.whoosh_backend import WhooshBackend  # noqa: E402

PROFILE_VERSION = 1
# (word, share of Dutch stories, share of English stories, sentences that carry it).
# "klant" ends up in ~70 % of all stories, "customer" in ~58 %, the others in 50-65 %.
COMMON_WORDS: list[tuple[str, float, float, dict[str, list[str]]]] = [
    (
        "klant",
        0.80,
        0.55,
        {
            "nl": [
                "De klant werd snel geholpen.",
                "Ik heb de klant later die dag teruggebeld.",
                "Voor de klant was dit echt belangrijk.",
                "De klant was blij met de oplossing.",
            ],
            "en": [
                "Our klant panel heard about it too.",
                "The klant survey mentioned it afterwards.",
            ],
        },
    ),
    (
        "customer",
        0.40,
        0.85,
        {
            "nl": ["Het customer team keek mee.", "Zo werkt goede customer service."],
            "en": [
                "The customer was helped quickly.",
                "I called the customer back later that day.",
                "For the customer this really mattered.",
                "The customer was happy with the solution.",
            ],
        },
    ),
    (
        "contact",
        0.55,
        0.55,
        {
            "nl": ["Er was daarna nog contact over de afhandeling."],
            "en": ["There was more contact about the follow-up."],
        },
    ),
    (
        "vraag",
        0.65,
        0.30,
        {
            "nl": ["De vraag was eenvoudig maar het antwoord niet.", "Elke vraag telt."],
            "en": ["The vraag form was used."],
        },
    ),
    (
        "service",
        0.55,
        0.65,
        {
            "nl": ["Dit is service zoals wij die bedoelen."],
            "en": ["This is the service we stand for."],
        },
    ),
]
ZERO_HIT = ["xylofoonreparatie", "quasimodogeniti", "zwembadverwarmingsketel"]
COMMON_QUERIES: list[BenchQuery] = [
    *(BenchQuery("common word", "nl", t) for t in ["klant", "klanten", "vraag", "service"]),
    *(BenchQuery("common word", "en", t) for t in ["customer", "customers", "contact"]),
    *(
        BenchQuery("common two words", "nl", t)
        for t in ["klant geholpen", "klant vraag", "klant service contact", "klant bestelling"]
    ),
    BenchQuery("common two words", "en", "customer helped"),
    *(
        BenchQuery("common phrase", "nl", t)
        for t in ['"klant werd snel geholpen"', '"de klant"', '"klant was blij"']
    ),
    *(
        BenchQuery("common phrase", "en", t)
        for t in ['"customer was helped"', '"the customer"', '"customer service"']
    ),
    BenchQuery("common or", "-", "klant OR customer"),
    BenchQuery("common or", "-", "vraag OR question"),
    BenchQuery("common exclude", "nl", "klant -vraag"),
    BenchQuery("common exclude", "en", "customer -contact"),
    BenchQuery("common filter", "nl", "klant", {"team": "retail"}),
    BenchQuery("common filter", "nl", "klant", {"language": "nl", "channel": "phone"}),
    BenchQuery("common newest", "nl", "klant", sort="newest"),
    BenchQuery("common prefix", "nl", "klant*"),
    *(BenchQuery("zero hits", "nl", t) for t in ZERO_HIT),
    BenchQuery("typo", "nl", "klnat"),
    BenchQuery("typo", "en", "custmer"),
]


def add_common_words(story: corpus.CorpusStory, rng: random.Random) -> corpus.CorpusStory:
    """``story`` with a sentence for each common word it draws, at random paragraphs."""
    blocks = story.body.rstrip("\n").split("\n\n")
    for _word, nl_share, en_share, sentences in COMMON_WORDS:
        share = nl_share if story.language == "nl" else en_share
        if rng.random() < share:
            sentence = rng.choice(sentences[story.language])
            at = rng.randrange(len(blocks))
            if blocks[at].startswith(("- ", "> ")):
                blocks.insert(at, sentence)
            else:
                blocks[at] = f"{blocks[at]} {sentence}"
    return dataclasses.replace(story, body="\n\n".join(blocks) + "\n")


_ORDINARY_CHUNK = corpus.chunk_stories


def common_chunk_stories(seed: int, chunk: int, count: int, n_authors: int) -> list[Any]:
    """``corpus.chunk_stories`` with the common words added (deterministic per chunk)."""
    rng = random.Random(f"{seed}:{chunk}:common-v{PROFILE_VERSION}")
    return [add_common_words(s, rng) for s in _ORDINARY_CHUNK(seed, chunk, count, n_authors)]


def prepare(args: argparse.Namespace) -> tuple[Any, Path, dict[str, Any]]:
    """The app on a corpus database (cached), its Whoosh index and the FTS5 file."""
    name = f"{args.profile}-v{corpus.CORPUS_VERSION}.{PROFILE_VERSION}-s{args.seed}-{args.size}"
    instance = args.workdir / name
    fts_path = args.workdir / f"{name}-fts.db"
    info: dict[str, Any] = {"profile": args.profile, "stories": args.size}
    cached = args.cache / f"{name}.db"
    if not (args.reuse and (instance / "storyboard.db").exists()):
        shutil.rmtree(instance, ignore_errors=True)
        instance.mkdir(parents=True)
        if cached.exists():
            shutil.copy(cached, instance / "storyboard.db")
            app = sb.make_app(instance)
            with app.app_context():
                upgrade_database()
                db.engine.dispose()
        else:
            app = sb.make_app(instance)
            if args.profile == "common":
                corpus.chunk_stories = common_chunk_stories
            try:
                # The generator patched above makes the common words; search_bench's
                # own "common" profile (corpus.COMMON_WORDS) is another corpus.
                info["corpus"] = sb.load_corpus(app, args.size, args.seed, args.workers, "standard")
            finally:
                corpus.chunk_stories = _ORDINARY_CHUNK
            args.cache.mkdir(parents=True, exist_ok=True)
            shutil.copy(instance / "storyboard.db", cached)
    app = sb.make_app(instance)
    engine = service.state_for(app).backend
    assert isinstance(engine, WhooshBackend)
    if not (args.reuse and engine.is_healthy()):
        with app.app_context():
            with service.new_session() as session:
                published = service.count_published(session)
            load = os.getloadavg()[0]
            cpu = sb.cpu_seconds()
            with sb.progressbar(published, "Reindex (Whoosh)") as bar:
                rebuild = service.rebuild_index(engine, progress=bar.update)
            info["rebuild"] = {
                "stories": rebuild.stories,
                "seconds": rebuild.seconds,
                "cpu_seconds": sb.cpu_seconds() - cpu,
                "load_before": load,
                "load_after": os.getloadavg()[0],
                "index_mb": sb.dir_mb(Path(app.config["INDEX_DIR"])),
            }
            sb.log(f"  reindex: {rebuild.stories:,} stories in {rebuild.seconds:.1f} s")
    if not (args.reuse and fts_path.exists()):
        info["fts_build"] = sb.build_fts(app, fts_path, args.size)
    return app, fts_path, info


def measure(app: Any, fts_path: Path, queries: list[BenchQuery], args: argparse.Namespace) -> Any:
    """Per query: Whoosh wall times, FTS5 wall times, (Whoosh total, FTS5 total)."""
    engine = service.state_for(app).backend
    assert isinstance(engine, WhooshBackend)
    conn = sqlite3.connect(fts_path)
    rows: list[dict[str, Any]] = [
        {"query": q, "whoosh": [], "fts": [], "whoosh_cpu": [], "fts_cpu": [], "totals": None}
        for q in queries
    ]
    # A budget no query reaches: the full cost is measured, not a cut-off answer.
    requests = [dataclasses.replace(sb.whoosh_request(q), time_budget=600.0) for q in queries]
    with app.app_context():
        service.backend()
        with sb.progressbar((args.warmup + args.repeat) * len(queries), "Queries") as bar:
            for rep in range(args.warmup + args.repeat):
                for row, request in zip(rows, requests, strict=True):
                    engine._spelling.clear()  # noqa: SLF001 - zero-hit queries cold, every time
                    # CPU time next to wall time: less sensitive to a busy machine.
                    c0, t0 = time.process_time(), time.perf_counter()
                    results = engine.search(request)
                    c1, t1 = time.process_time(), time.perf_counter()
                    total_fts, _ = sb.fts_search(conn, row["query"])
                    c2, t2 = time.process_time(), time.perf_counter()
                    if rep >= args.warmup:
                        row["whoosh"].append(t1 - t0)
                        row["fts"].append(t2 - t1)
                        row["whoosh_cpu"].append(c1 - c0)
                        row["fts_cpu"].append(c2 - c1)
                    row["totals"] = (results.total, total_fts)
                    row["timed_out"] = row.get("timed_out", False) or results.timed_out
                    row["suggestion"] = results.suggestion
                    bar.update(1)
    conn.close()
    return rows


def _stats(rows: list[dict[str, Any]]) -> dict[str, Any]:
    stats: dict[str, Any] = {"queries": len(rows)}
    for key in ("whoosh", "fts", "whoosh_cpu", "fts_cpu"):
        stats[key] = sb.summary_ms([t for r in rows for t in r[key]])
    stats["ratio_p95"] = stats["whoosh"]["p95"] / stats["fts"]["p95"]
    stats["cpu_ratio_p95"] = stats["whoosh_cpu"]["p95"] / stats["fts_cpu"]["p95"]
    return stats


def report(info: dict[str, Any], rows: list[dict[str, Any]], command: str) -> str:
    common = [r for r in rows if r["query"] in COMMON_QUERIES]
    ordinary = [r for r in rows if r["query"] not in COMMON_QUERIES]
    out = [f"Command: `{command}`", ""]
    rebuild = info.get("rebuild")
    if rebuild:
        out.append(
            f"Whoosh rebuild: {rebuild['stories']:,} stories in {rebuild['seconds']:.1f} s "
            f"({rebuild['cpu_seconds']:.0f} CPU-s), index {rebuild['index_mb']:.0f} MB; "
            f"load average {rebuild['load_before']:.1f} before, {rebuild['load_after']:.1f} after"
        )
    fts = info.get("fts_build")
    if fts:
        out.append(f"FTS5 build: {fts['seconds']:.1f} s, {fts['mb']:.0f} MB")
    out += [
        "",
        "| queries | n | Whoosh p50 | Whoosh p95 | FTS5 p50 | FTS5 p95 | p95 ratio "
        "| CPU p95 Whoosh / FTS5 | CPU p95 ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, part in (("all", rows), ("common-word set", common), ("ordinary mix", ordinary)):
        if not part:
            continue
        s = _stats(part)
        out.append(
            f"| {label} | {s['queries']} | {s['whoosh']['p50']:.1f} | {s['whoosh']['p95']:.1f} "
            f"| {s['fts']['p50']:.1f} | {s['fts']['p95']:.1f} | **{s['ratio_p95']:.2f}×** "
            f"| {s['whoosh_cpu']['p95']:.1f} / {s['fts_cpu']['p95']:.1f} "
            f"| {s['cpu_ratio_p95']:.2f}× |"
        )
    kinds: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        kinds.setdefault(r["query"].kind, []).append(r)
    out += [
        "",
        "| kind | n | Whoosh p50 | Whoosh p95 | FTS5 p50 | FTS5 p95 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, part in kinds.items():
        s = _stats(part)
        out.append(
            f"| {kind} | {s['queries']} | {s['whoosh']['p50']:.1f} | {s['whoosh']['p95']:.1f} "
            f"| {s['fts']['p50']:.1f} | {s['fts']['p95']:.1f} |"
        )
    out += ["", "Slowest on Whoosh (worst pass):", ""]
    for r in sorted(rows, key=lambda r: -max(r["whoosh"]))[:10]:
        q = r["query"]
        extra = f" {q.filters}" if q.filters else ""
        extra += " (newest)" if q.sort == "newest" else ""
        extra += " (timed out)" if r["timed_out"] else ""
        out.append(
            f"- `{q.text}`{extra}: Whoosh {max(r['whoosh']) * 1000:.0f} ms "
            f"({r['totals'][0]:,} matches), FTS5 {max(r['fts']) * 1000:.0f} ms "
            f"({r['totals'][1]:,} matches)"
        )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--profile", choices=("common", "ordinary"), default="common")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20260630)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/whoosh-profile-bench/cache"))
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/whoosh-profile-bench/work"))
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the instance, index and FTS5 file if present"
    )
    parser.add_argument("--only-common", action="store_true", help="leave the ordinary mix out")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    command = "python bench/whoosh_profile_bench.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    started = time.perf_counter()
    app, fts_path, info = prepare(args)
    queries = list(COMMON_QUERIES) if args.only_common else [*QUERIES, *COMMON_QUERIES]
    info["load_before_queries"] = os.getloadavg()[0]
    rows = measure(app, fts_path, queries, args)
    info["load_after_queries"] = os.getloadavg()[0]
    with app.app_context():
        db.engine.dispose()
    text = report(info, rows, command)
    text += (
        f"\nLoad average (1 min): {info['load_before_queries']:.1f} before the queries, "
        f"{info['load_after_queries']:.1f} after; total {time.perf_counter() - started:.0f} s\n"
    )
    sb.log("")
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        raw = [
            {
                "query": dataclasses.asdict(r["query"]) | {"date_from": None, "date_to": None},
                "whoosh": r["whoosh"],
                "fts": r["fts"],
                "totals": r["totals"],
                "whoosh_cpu": r["whoosh_cpu"],
                "fts_cpu": r["fts_cpu"],
                "timed_out": r["timed_out"],
            }
            for r in rows
        ]
        args.out.with_suffix(".json").write_text(
            json.dumps({"info": info, "rows": raw}, indent=1, default=str), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
