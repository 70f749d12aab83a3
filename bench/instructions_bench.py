"""Instructions per request, counted by callgrind: a page's cost that a shared machine's
noise does not move.

On the 2-core VMs the same request's CPU time varies by half within minutes (the bare
route measured 0.84 and 1.35 ms in consecutive runs of the same code), so two versions of
the code compared by time need many interleaved runs. ``valgrind --tool=callgrind``
counts the instructions a process executes instead: the same code, data and seed give
the same count whatever else the machine does.

For each route and code tree: one process signs in a demo person (the load bench's mix,
``bench/load_bench.py``), opens ``--warmup`` pages of the route (caches filled, as in a
worker that has served a while), then ``--count`` more; a second process does only the
warm-up. The difference divided by ``--count`` is the instructions per request (the
app's Python, SQLite in the process, the test client; not gunicorn). Valgrind runs
Python ~50× slower, so ``PAGE_CACHE_SECONDS`` is set long: at real speed nothing
expires within a few hundred requests either. ``PYTHONHASHSEED`` is fixed.

Run by hand (each process takes 1–3 minutes; two run at a time), results go to
``bench/RESULTS.md``::

    .venv/bin/python bench/instructions_bench.py --instance bench/out/load \\
        --code /path/to/old/checkout --code . --routes "story page:agent,search:agent"
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")
DEFAULT_ROUTES = "story page:agent,story list:agent,search:agent,dashboard:manager"


def requests_in_process(route: str, role_name: str, warmup: int, count: int) -> None:
    """The measured process: sign in, then open the route's pages (run under valgrind)."""
    sys.path.append(str(ROOT))
    from bench import load_bench as lb
    from bench.load_app import bench_app
    from storyboard.demo.people import DEMO_PASSWORD, PEOPLE

    role = lb.Role(role_name)
    app = bench_app()
    story_ids = lb.published_story_ids(Path(os.environ["STORYBOARD_INSTANCE_PATH"]))
    client = app.test_client()
    email = next(person.email for person in PEOPLE if person.role is role)
    form = client.get("/auth/login").get_data(as_text=True)
    token = lb.CSRF.search(form).group(1)  # type: ignore[union-attr]
    client.post(
        "/auth/login", data={"csrf_token": token, "email": email, "password": DEMO_PASSWORD}
    )
    rng = random.Random(7)
    for _ in range(warmup + count):
        path = lb.request_path(route, rng, story_ids)
        status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")


def instructions(code: Path, instance: Path, route: str, role: str, warmup: int, count: int) -> int:
    """Instructions of one process run on a copy of ``instance`` (its reads stay apart)."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "instance"
        shutil.copytree(instance, copy)
        env = {
            **os.environ,
            "PYTHONPATH": str(code),
            "PYTHONHASHSEED": "0",
            "STORYBOARD_INSTANCE_PATH": str(copy),
            "STORYBOARD_SECRET_KEY": "instructions-bench",
            "STORYBOARD_SECURE_COOKIES": "false",
            "STORYBOARD_PAGE_CACHE_SECONDS": "100000",
            "STORYBOARD_LOGIN_RATE_LIMIT": "100000 per minute",
        }
        command = [
            *("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"),
            *(sys.executable, __file__, "--child", route, role, str(warmup), str(count)),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    match = COLLECTED.search(result.stderr)
    if result.returncode != 0 or not match:
        raise SystemExit(f"{code} {route}: failed\n{result.stderr[-2000:]}")
    return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--instance", type=Path, default=ROOT / "bench" / "out" / "load")
    parser.add_argument("--code", type=Path, action="append", help="a checkout (repeat)")
    parser.add_argument("--routes", default=DEFAULT_ROUTES, help="route:role, comma-separated")
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if args.child:
        route, role, warmup, count = args.child
        requests_in_process(route, role, int(warmup), int(count))
        return
    codes = [path.resolve() for path in (args.code or [ROOT])]
    specs = [tuple(item.split(":", 1)) for item in args.routes.split(",")]
    runs = [(code, route, role, n) for code in codes for route, role in specs for n in (0, 1)]
    print(f"{len(runs)} callgrind processes, {args.jobs} at a time …", flush=True)

    def run(item: tuple[Path, str, str, int]) -> int:
        code, route, role, measured = item
        count = args.count if measured else 0
        total = instructions(code, args.instance, route, role, args.warmup, count)
        print(
            f"  {code.name or code}: {route} ({role}), {args.warmup}+{count}: {total:,}", flush=True
        )
        return total

    with ThreadPoolExecutor(args.jobs) as pool:
        totals = dict(zip(runs, pool.map(run, runs), strict=True))
    print(f"\n| route (role) | {' | '.join(str(code) for code in codes)} |")
    print(f"|---|{'---:|' * len(codes)}")
    for route, role in specs:
        cells = []
        for code in codes:
            per_request = (
                totals[(code, route, role, 1)] - totals[(code, route, role, 0)]
            ) / args.count
            cells.append(f"{per_request / 1e6:.1f} M")
        print(f"| {route} ({role}) | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
