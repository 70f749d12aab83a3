"""The suite's own option: ``--database-tests-only`` (CI's PostgreSQL pass) keeps exactly
the tests on the suite's database. A wrong choice would either drop PostgreSQL coverage
silently or run the whole suite twice."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def collected(*args: str) -> set[str]:
    """The test ids pytest collects with ``args`` (in one process, without running)."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n0", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return {line for line in result.stdout.splitlines() if "::" in line}


def test_database_tests_only_keeps_the_tests_on_the_suites_database() -> None:
    files = [
        "tests/stories/test_stories.py",  # the ``app`` fixture: the suite's database
        "tests/search/test_visibility.py",  # the search folder's own ``app``, per backend
        "tests/search/test_analysis.py",  # no database at all
    ]
    everything = collected(*files)
    kept = collected("--database-tests-only", *files)

    assert kept, "nothing kept: the PostgreSQL pass would run no test"
    assert kept == {test for test in everything if test.startswith(files[0])}
