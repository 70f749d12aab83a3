"""Hostile-input benchmark: how long Markdown rendering and PII scrubbing take on inputs
built to make a parser or a pattern backtrack.

The tests check what these inputs produce (harmless HTML or a refusal; a scrub that is
its own fixed point) and inject a tiny render time limit to check that a runaway render
is stopped. How long each takes is a measurement, so it lives here: run by hand, results
go in bench/RESULTS.md::

    .venv/bin/python bench/hostile_input_bench.py --repeat 3

The reference in the same run is the same call on ordinary text of the same length
(a story's paragraph repeated), so the ratio says what the hostile shape costs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyboard.privacy import scrub_personal_data  # noqa: E402
from storyboard.rendering import MarkdownTooComplex, render_markdown  # noqa: E402
from tests.core.test_rendering import HOSTILE_BODIES  # noqa: E402
from tests.privacy.test_scrub import HOSTILE_TEXTS  # noqa: E402

ORDINARY = (
    "Mevrouw belde over haar pakket dat al drie dagen onderweg was. "
    "We hebben samen de bezorger gebeld en het kwam dezelfde middag aan.\n\n"
)


def render(text: str) -> None:
    with contextlib.suppress(MarkdownTooComplex):
        render_markdown(text)


def scrub(text: str) -> None:
    scrub_personal_data(text)


def seconds(job: Callable[[str], None], text: str, repeat: int) -> float:
    """The median wall time of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        job(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def report(title: str, job: Callable[[str], None], params: list, repeat: int) -> list[str]:
    lines = [
        f"### {title}",
        "",
        "| input | chars | median s | ordinary text, same length | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    worst = 0.0
    for param in params:
        text = param.values[0]
        hostile = seconds(job, text, repeat)
        ordinary_text = (ORDINARY * (len(text) // len(ORDINARY) + 1))[: len(text)]
        reference = seconds(job, ordinary_text, repeat)
        worst = max(worst, hostile)
        lines.append(
            f"| {param.id} | {len(text):,} | {hostile:.3f} | {reference:.3f} | "
            f"{hostile / reference if reference else 0:.1f}× |"
        )
        print(lines[-1], flush=True)
    lines += ["", f"Slowest: {worst:.3f} s.", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = [
        f"## Hostile input, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"{platform.platform()}; median of {args.repeat} runs.",
        "",
    ]
    lines += report(
        "Markdown rendering (child process above 8,000 characters)",
        render,
        HOSTILE_BODIES,
        args.repeat,
    )
    lines += report("PII scrubbing", scrub, HOSTILE_TEXTS, args.repeat)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
