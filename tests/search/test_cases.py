"""The search case set (``cases.json``): nl/en queries a person types, each run on both
backends through the search service, with what each must find and must not find.

A case has a ``kind`` (inflection, participle, past (tense), compound, accent, stopword, prefix,
phrase, typo, markdown, number, operator, badinput, mixed) and is a must-case or a
harder one (``"must": false``). ``find`` stories must be among the results, ``not``
stories must not be; ``only`` means the results are exactly ``find``; ``suggest`` is
the "did you mean" expected ("" for none). Every case must also give the same stories
(and the same suggestion) on Whoosh and on PostgreSQL. When a test fails it prints a
per-kind summary and every failing case.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from storyboard.search.backend import SearchResults
from storyboard.search.query import MAX_QUERY_CHARS
from tests.search.conftest import Archive, backend_app

DATA = json.loads((Path(__file__).parent / "cases.json").read_text(encoding="utf-8"))
STORIES: dict[str, dict[str, str]] = DATA["stories"]
CASES: list[dict[str, Any]] = DATA["cases"]
# Harder cases that must pass on each backend (raise it when more pass, never lower it).
HARDER_AT_LEAST = 11


@dataclass
class Outcome:
    """What one backend did with one case."""

    found: set[str] = field(default_factory=set)
    suggestion: str = ""
    error: str = ""

    def problems(self, case: dict[str, Any]) -> list[str]:
        if self.error:
            return [f"error {self.error}"]
        wanted, unwanted = set(case.get("find", ())), set(case.get("not", ()))
        problems = []
        if missing := wanted - self.found:
            problems.append(f"missing {sorted(missing)}")
        if extra := (self.found - wanted if case.get("only") else self.found & unwanted):
            problems.append(f"unwanted {sorted(extra)}")
        if "suggest" in case and self.suggestion != case["suggest"]:
            problems.append(f"suggested {self.suggestion!r}, not {case['suggest']!r}")
        return problems


def _build(archive: Archive) -> dict[int, str]:
    story_ids = {}
    for key, story in STORIES.items():
        story_id = archive.add(
            story["title"],
            story["body"],
            language=story["language"],
            channel=story["channel"],
            team=story["team"],
        )
        story_ids[story_id] = key
    return story_ids


def _run(archive: Archive, names: dict[int, str]) -> list[Outcome]:
    outcomes = []
    for case in CASES:
        try:
            results: SearchResults = archive.search(case["q"])
        except Exception as error:  # noqa: BLE001 - a crash is a case failure, reported
            outcomes.append(Outcome(error=f"{type(error).__name__}: {error}"))
            continue
        if results.timed_out:  # cut short by the time budget: say so, not "missing"
            outcomes.append(Outcome(error="the search ran out of its time budget"))
            continue
        found = {names[hit.story_id] for hit in results.hits}
        assert len(results.hits) == results.total, f"{case['q']!r}: total disagrees with hits"
        outcomes.append(Outcome(found, results.suggestion or ""))
    return outcomes


@pytest.fixture(scope="module")
def outcomes(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[dict[str, list[Outcome]]]:
    """Every case's outcome per backend (PostgreSQL when its test server answers)."""
    runs: dict[str, list[Outcome]] = {}
    backends = ["whoosh"]
    try:
        request.getfixturevalue("postgres")
        backends.append("postgresql")
    except pytest.skip.Exception:
        pass
    for backend in backends:
        with backend_app(backend, tmp_path_factory.mktemp(f"cases-{backend}"), request) as app:
            archive = Archive(app, "agent@example.nl")
            runs[backend] = _run(archive, _build(archive))
    yield runs


def _summary(runs: dict[str, list[Outcome]]) -> str:
    """Per backend and kind: must-cases and harder cases passed; then every failure."""
    lines = []
    for backend, results in runs.items():
        passed: Counter[tuple[str, bool]] = Counter()
        total: Counter[tuple[str, bool]] = Counter()
        for case, outcome in zip(CASES, results, strict=True):
            key = (case["kind"], bool(case["must"]))
            total[key] += 1
            passed[key] += not outcome.problems(case)
        must = sum(passed[k] for k in total if k[1]), sum(total[k] for k in total if k[1])
        hard = sum(passed[k] for k in total if not k[1]), sum(total[k] for k in total if not k[1])
        lines.append(f"{backend}: must {must[0]}/{must[1]}, harder {hard[0]}/{hard[1]}")
        for kind in sorted({k[0] for k in total}):
            parts = [
                f"{'must' if m else 'harder'} {passed[(kind, m)]}/{total[(kind, m)]}"
                for m in (True, False)
                if total[(kind, m)]
            ]
            lines.append(f"  {kind:<11} {', '.join(parts)}")
        for case, outcome in zip(CASES, results, strict=True):
            if problems := outcome.problems(case):
                level = "MUST  " if case["must"] else "harder"
                lines.append(f"  {level} {case['kind']:<11} {case['q']!r}: {'; '.join(problems)}")
    return "\n".join(lines)


def test_the_case_set_is_big_enough_and_well_formed() -> None:
    kinds = Counter(case["kind"] for case in CASES)
    assert len(CASES) >= 150
    assert {"inflection", "participle", "compound", "accent", "stopword", "prefix"} <= set(kinds)
    assert {"phrase", "typo", "markdown", "number"} <= set(kinds)
    for case in CASES:
        assert len(case["q"]) <= MAX_QUERY_CHARS
        assert set(case.get("find", ())) | set(case.get("not", ())) <= set(STORIES), case


def test_every_must_case_passes_on_every_backend(outcomes: dict[str, list[Outcome]]) -> None:
    failing = {
        backend: [
            c["q"] for c, o in zip(CASES, results, strict=True) if c["must"] and o.problems(c)
        ]
        for backend, results in outcomes.items()
    }
    assert not any(failing.values()), _summary(outcomes)


def test_enough_harder_cases_pass_on_every_backend(outcomes: dict[str, list[Outcome]]) -> None:
    for results in outcomes.values():
        passed = sum(
            1 for c, o in zip(CASES, results, strict=True) if not c["must"] and not o.problems(c)
        )
        assert passed >= HARDER_AT_LEAST, _summary(outcomes)


def test_both_backends_give_the_same_results(outcomes: dict[str, list[Outcome]]) -> None:
    if len(outcomes) < 2:
        pytest.skip("PostgreSQL test server not reachable: nothing to compare")
    whoosh, postgresql = outcomes["whoosh"], outcomes["postgresql"]
    differing = [
        f"  {case['kind']:<11} {case['q']!r}: whoosh {sorted(a.found)} {a.suggestion!r} {a.error}"
        f" / postgresql {sorted(b.found)} {b.suggestion!r} {b.error}"
        for case, a, b in zip(CASES, whoosh, postgresql, strict=True)
        if (a.found, a.suggestion, a.error) != (b.found, b.suggestion, b.error)
    ]
    assert not differing, "results differ between backends:\n" + "\n".join(differing)
