"""PostgreSQL's facet-count summary: a search without words, dates or a theme filter
(the search page's landing view, and a click on a facet) counts from the rows the
index's writers keep, not from every story (issue 24: 1.2 to 1.6 s at a million). The
counts must be exactly those counted from the matches, after every kind of change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, text

from storyboard.models import StoryStatus
from storyboard.search import pg_schema, service
from storyboard.search.backend import INDEX_FORMAT, SearchResults
from storyboard.search.pg_backend import PostgresBackend
from tests.search.conftest import Archive

pytestmark = pytest.mark.postgres

# A date range the whole archive falls in: it makes the search count its matches.
EVERY_DATE: dict[str, Any] = {"date_from": date(2000, 1, 1)}


def summary_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(text(f"SELECT count(*) FROM {pg_schema.COUNTS_TABLE}")).scalar_one()
        )


def counts(results: SearchResults) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    return results.total, results.facets


def assert_summary_matches_counting(archive: Archive, **filters: Any) -> None:
    """The summary's answer equals the one counted over the matches."""
    summarised = archive.search("", **filters)
    counted = archive.search("", **filters, **EVERY_DATE)
    assert counts(summarised) == counts(counted)
    assert [hit.story_id for hit in summarised.hits] == [hit.story_id for hit in counted.hits]


def build(archive: Archive) -> dict[str, int]:
    add = archive.add
    return {
        "retail": add("Birthday", "A present.", channel="chat", themes=("stand-up",)),
        "webshop": add(
            "Bestelling",
            "Twee pakketten.",
            language="nl",
            team="Webshop",
            themes=("storytelling", "stand-up"),
            published_at=datetime(2025, 6, 3, tzinfo=UTC),
        ),
        "customer": add(
            "Thanks",
            "Heard.",
            channel="email",
            team=None,
            author_kind="customer",
            themes=("real-conversation",),
        ),
        "plain": add("A call", "Nothing else.", team="Webshop"),
    }


def test_the_summary_counts_what_the_matches_count_after_every_change(pg_app: Flask) -> None:
    archive = Archive(pg_app, "agent@example.nl")
    ids = build(archive)
    assert summary_rows(archive.engine()) > 0
    for filters in (
        {},
        {"team": "webshop"},
        {"language": "en", "channel": "email"},
        {"period": "2025-06"},
        {"author_kind": "customer"},
        {"team": "nobody"},
    ):
        assert_summary_matches_counting(archive, **filters)
    assert archive.search("").total == 4
    assert dict(archive.search("").facets["theme"])["stand-up"] == 2

    # An edit moves a story between teams and months; unpublishing and deleting take
    # stories out; the counts follow each time.
    archive.edit(
        ids["retail"],
        team_id=archive.team_id("Webshop"),
        published_at=datetime(2024, 1, 5, tzinfo=UTC),
    )
    assert_summary_matches_counting(archive)
    assert_summary_matches_counting(archive, team="webshop")
    archive.set_status(ids["webshop"], StoryStatus.DRAFT)
    archive.delete(ids["customer"])
    assert_summary_matches_counting(archive)
    results = archive.search("")
    assert results.total == 2
    assert dict(results.facets["theme"]) == {"stand-up": 1}
    assert "customer" not in dict(results.facets["author_kind"])


def test_a_theme_filter_and_words_are_counted_from_the_matches(pg_app: Flask) -> None:
    archive = Archive(pg_app, "agent@example.nl")
    build(archive)
    # Which other themes the stand-up stories carry is not in the summary.
    results = archive.search("", theme="stand-up")
    assert results.total == 2
    assert dict(results.facets["theme"]) == {"stand-up": 2, "storytelling": 1}
    assert archive.search("present").total == 1


def test_a_rebuild_and_an_upgrade_count_again(pg_app: Flask) -> None:
    archive = Archive(pg_app, "agent@example.nl")
    build(archive)
    engine = archive.engine()
    expected = counts(archive.search(""))
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE {pg_schema.COUNTS_TABLE} SET stories = stories + 5"))
    assert counts(archive.search("")) != expected
    with pg_app.app_context():
        service.rebuild_index(PostgresBackend(engine))
    assert counts(archive.search("")) == expected

    # Tables of the layout before the summary get it, counted, in place.
    previous = f"storyboard search format {INDEX_FORMAT}, storage narrow-2"
    assert previous in pg_schema.UPGRADABLE_STAMPS
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP TABLE {pg_schema.COUNTS_TABLE}")
        connection.exec_driver_sql(f"COMMENT ON TABLE search_documents IS '{previous}'")
    backend = PostgresBackend(engine)
    assert not backend.is_healthy()
    with pg_app.app_context():
        assert service.ensure_index(backend) is False
    assert backend.is_healthy()
    assert counts(archive.search("")) == expected
