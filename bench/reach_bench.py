"""Read-recording benchmark: what recording a read adds to the story page.

Issue 19's target: recording a read adds under 2 ms to the story page at the 50th
percentile, measured in the same run with and without recording.

In one process, on a fresh SQLite database (``bench/out/reach``) with ``--stories``
published stories and a signed-in stakeholder (Flask test client, the whole request:
routing, session, queries, template), interleaved story by story:

- **first read**: a story the stakeholder has not opened (the insert and its commit);
- **again**: a story already read (the ``ON CONFLICT DO NOTHING`` statement only);
- **without recording**: the same page with ``record_read_now`` replaced by a function that
  records nothing, i.e. the page as it was before reads existed.

Run by hand; results go in bench/RESULTS.md::

    .venv/bin/python bench/reach_bench.py --stories 2000 --repeat 400
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyboard import create_app  # noqa: E402
from storyboard.db import db, upgrade_database  # noqa: E402
from storyboard.models import (  # noqa: E402
    AuthorKind,
    Language,
    Role,
    SeededChannel,
    Story,
    StoryStatus,
    User,
)
from storyboard.reach import service as reach  # noqa: E402

PASSWORD = "bench password"


def build(instance: Path, stories: int) -> Any:
    if instance.exists():
        shutil.rmtree(instance)
    instance.mkdir(parents=True)
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "bench",
            "SECURE_COOKIES": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade_database()
        author = User(email="author@bench.example", display_name="Bench Author", role=Role.AGENT)
        reader = User(
            email="reader@bench.example", display_name="Bench Reader", role=Role.STAKEHOLDER
        )
        for person in (author, reader):
            person.set_password(PASSWORD)
        db.session.add_all([author, reader])
        now = datetime.now(UTC)
        body = "The customer asked where the present was. " * 40
        db.session.add_all(
            Story(
                title=f"Story {n}",
                body=body,
                body_html=f"<p>{body}</p>",
                channel=SeededChannel.PHONE,
                language=Language.EN,
                author=author,
                author_kind=AuthorKind.AGENT,
                status=StoryStatus.PUBLISHED,
                published_at=now - timedelta(minutes=n),
            )
            for n in range(stories)
        )
        db.session.commit()
    return app


def signed_in(app: Any) -> Any:
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert token
    response = client.post(
        "/auth/login",
        data={"email": "reader@bench.example", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert response.status_code == 302
    return client


def timed(client: Any, story_id: int) -> float:
    started = time.perf_counter()
    response = client.get(f"/stories/{story_id}", headers={"User-Agent": "Mozilla/5.0"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed


def measure(app: Any, repeat: int) -> dict[str, list[float]]:
    client = signed_in(app)
    original = reach.record_read_now
    times: dict[str, list[float]] = {"first read": [], "again": [], "without recording": []}
    for warm in range(1, 21):
        timed(client, warm)
    for n in range(repeat):
        story = 100 + n
        times["first read"].append(timed(client, story))
        times["again"].append(timed(client, story))
        reach.record_read_now = lambda *args, **kwargs: False  # type: ignore[assignment]
        try:
            times["without recording"].append(timed(client, story + repeat))
        finally:
            reach.record_read_now = original  # type: ignore[assignment]
    return times


def report(times: dict[str, list[float]], stories: int) -> str:
    base = statistics.median(times["without recording"])
    lines = [
        f"### Read recording ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.node()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})",
        "",
        f"Story page through the Flask test client, {stories:,} stories, "
        f"{len(times['again'])} pages per case, interleaved.",
        "",
        "| story page | p50 ms | p95 ms | p50 added |",
        "|---|---:|---:|---:|",
    ]
    for name, values in times.items():
        ordered = sorted(values)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        lines.append(
            f"| {name} | {statistics.median(values) * 1000:.2f} | {p95 * 1000:.2f} | "
            f"{(statistics.median(values) - base) * 1000:+.2f} ms |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=400)
    parser.add_argument("--instance", type=Path, default=ROOT / "bench" / "out" / "reach")
    args = parser.parse_args()
    if args.stories < 100 + 2 * args.repeat:
        parser.error("--stories must be at least 100 + 2 × --repeat")
    app = build(args.instance, args.stories)
    text = report(measure(app, args.repeat), args.stories)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
