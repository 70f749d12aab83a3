"""PostgreSQL's bounded ranking picks the newest matches the cheap way for a rare word:
the same stories, whichever plan finds them (issue 24: a word in 4,911 of a million
stories took 2.5 s when the date index was walked and every story's vector checked)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from storyboard.db import db
from storyboard.search.backend import SearchRequest
from storyboard.search.pg_backend import PostgresBackend
from tests.search.conftest import Archive, backend_app

pytestmark = pytest.mark.postgres


def test_a_rare_word_ranks_its_newest_matches_and_lists_the_rest_newest_first(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with backend_app("postgresql", tmp_path, request) as app:
        archive = Archive(app, "agent@example.nl")
        start = datetime(2026, 1, 1, 9, tzinfo=UTC)
        # Older stories say "pram" more often: ranking every match would put them first.
        rare = [
            archive.add(
                f"A visit {n}",
                "We talked. " + "The pram was broken. " * (5 - n),
                published_at=start + timedelta(days=10 * n),
            )
            for n in range(5)
        ]
        for n in range(25):
            archive.add(f"A call {n}", "A calm phone call.", published_at=start + timedelta(days=n))
        with app.app_context():
            engine = db.engine
        with engine.begin() as connection:
            connection.execute(text("ANALYZE search_facets"))
        backend = PostgresBackend(engine, rank_candidates=2)
        with engine.connect() as connection:
            # 5 matches of 30 stories: 5² < 9 × 2 × 30, so the matches come from the
            # GIN index; 25 matches would walk the date index.
            assert backend._sparse(connection, 5)
            assert not backend._sparse(connection, 25)
            # A phrase's matches are checked in their vectors on either path: the
            # walk wins from √(2 × 30) matches on.
            assert backend._sparse(connection, 10) and not backend._sparse(connection, 10, True)
        found = backend.search(SearchRequest(text="pram", per_page=10))
        # The newest two are ranked (the one saying "pram" twice first), then the others
        # follow newest first.
        assert [hit.story_id for hit in found.hits] == [rare[3], rare[4], rare[2], rare[1], rare[0]]
        assert found.total == 5
