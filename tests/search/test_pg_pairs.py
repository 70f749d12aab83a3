"""PostgreSQL's word-pair index: a phrase of adjacent words found from the index (issue
24: at a million stories a two-word phrase read up to 317,276 vectors to check word
positions), with the same matches as checking positions in every vector, and an index
of the previous layout brought up to date in place instead of rebuilt."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, event, text

from storyboard.search import pg_schema, service
from storyboard.search.backend import INDEX_FORMAT, SearchRequest
from storyboard.search.pg_backend import PostgresBackend
from storyboard.search.pg_query import translate
from tests.search.conftest import Archive

pytestmark = pytest.mark.postgres


def condition_of(engine: Engine, query: str) -> tuple[str, bool, str]:
    """The query's condition on ``search_facets``, whether it needs a recheck, and the
    plan of counting its matches."""
    backend = PostgresBackend(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")
        translation = translate(query, lambda leaves: backend._analyse(connection, leaves))
        plan = "\n".join(
            connection.execute(
                text(f"EXPLAIN SELECT count(*) FROM search_facets WHERE {translation.condition}"),
                translation.params,
            ).scalars()
        )
    return translation.condition, translation.rechecked, plan


def test_phrases_match_adjacent_words_only_in_both_languages(pg_app: Flask) -> None:
    archive = Archive(pg_app, "agent@example.nl")
    first = archive.add("Een goede dag", "Bij ons stond de klant voorop.", language="nl")
    archive.add("Andersom", "Voorop stond de klant, en dat bleef zo.", language="nl")
    archive.add("Er tussen", "De klant stond niet voorop.", language="nl")
    english = archive.add("Service", "The customer came first, always.")
    archive.add("Reversed", "First came the customer.")
    title = archive.add("Klant voorop in de titel", "Verder niets.", language="nl")

    assert archive.ids('"klant voorop"') == {first, title}
    assert archive.ids('"customer came first"') == {english}
    assert archive.ids('"came first"') == {english}
    assert archive.ids('"klant voorop" OR "came first"') == {first, title, english}
    assert archive.ids('klant -"klant voorop"') == archive.ids("klant") - {first, title}
    # A field restriction still checks the field: the pair is in the body only.
    assert archive.ids('body:"klant voorop"') == {first}
    assert archive.ids('title:"klant voorop"') == {title}


def test_a_two_word_phrase_is_answered_by_the_pair_index_alone(pg_app: Flask) -> None:
    archive = Archive(pg_app, "agent@example.nl")
    archive.add("Een goede dag", "Bij ons stond de klant voorop.", language="nl")
    engine = archive.engine()

    condition, rechecked, plan = condition_of(engine, '"klant voorop"')
    assert "storyboard_pairs(tsv) @@" in condition and "(tsv @@" not in condition
    assert not rechecked
    assert "ix_search_facets_pairs" in plan

    # Three words: the pairs narrow the candidates, the vectors check the positions.
    condition, rechecked, plan = condition_of(engine, '"the customer came first"')
    assert "storyboard_pairs(tsv) @@" in condition and "(tsv @@" in condition
    assert rechecked and "ix_search_facets_pairs" in plan

    # An exclusion stays on the vectors: a negated pair condition has no index to use.
    condition, rechecked, _ = condition_of(engine, 'klant -"klant voorop"')
    assert "storyboard_pairs" not in condition and rechecked

    # A word needs neither.
    condition, rechecked, _ = condition_of(engine, "klant")
    assert "storyboard_pairs" not in condition and not rechecked


def test_an_index_of_the_previous_layout_is_upgraded_in_place(pg_app: Flask) -> None:
    archive = Archive(pg_app, "agent@example.nl")
    kept = archive.add("Een goede dag", "Bij ons stond de klant voorop.", language="nl")
    left_out = archive.add("Nog een dag", "Ook hier stond de klant voorop.", language="nl")
    engine = archive.engine()
    previous = f"storyboard search format {INDEX_FORMAT}, storage narrow-1"
    assert previous in pg_schema.UPGRADABLE_STAMPS
    with engine.begin() as connection:
        # The layout before the pair index, and a row an upgrade must not write again
        # (a rebuild would: it reads every story).
        connection.exec_driver_sql(f"DROP TABLE {pg_schema.COUNTS_TABLE}")
        connection.exec_driver_sql("DROP INDEX ix_search_facets_pairs")
        connection.exec_driver_sql("DROP FUNCTION storyboard_pairs(tsvector)")
        connection.exec_driver_sql(f"COMMENT ON TABLE search_documents IS '{previous}'")
        connection.execute(text("DELETE FROM search_facets WHERE story_id = :id"), {"id": left_out})
    backend = PostgresBackend(engine)
    assert not backend.is_healthy()

    with pg_app.app_context():
        assert service.ensure_index(backend) is False  # no rebuild

    assert backend.is_healthy()
    assert archive.ids('"klant voorop"') == {kept}
    with engine.connect() as connection:
        assert connection.execute(
            text("SELECT to_regclass('ix_search_facets_pairs') IS NOT NULL")
        ).scalar_one()


def test_another_layout_is_not_upgraded_but_rebuilt(pg_app: Flask) -> None:
    archive = Archive(pg_app, "agent@example.nl")
    story = archive.add("Een goede dag", "Bij ons stond de klant voorop.", language="nl")
    engine = archive.engine()
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "COMMENT ON TABLE search_documents IS 'storyboard search format 1'"
        )
    backend = PostgresBackend(engine)
    assert backend.upgrade() is False

    with pg_app.app_context():
        assert service.ensure_index(backend) is True
    assert backend.is_healthy()
    assert archive.ids('"klant voorop"') == {story}
    # New tables get their indexes after the rows, all of them.
    with engine.connect() as connection:
        indexes = set(
            connection.execute(
                text("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'search_%'")
            ).scalars()
        )
    assert {
        "ix_search_facets_tsv",
        "ix_search_facets_title_tsv",
        "ix_search_facets_pairs",
        "ix_search_facets_published",
        "ix_search_words_trgm",
    } <= indexes


@pytest.mark.parametrize("sort", ["relevance", "newest"])
@pytest.mark.parametrize("phrase", ['"klant voorop"', '"klant voorop gezet"'])
def test_no_plan_computes_word_pairs_story_by_story(pg_app: Flask, sort: str, phrase: str) -> None:
    """Walking the date index checks phrases in the vectors, and a phrase's vector check
    is never in the same scan as its pairs: computing a story's pairs as a row filter
    or a recheck took 0.4 ms a story (1.4 s for ``"stond voorop"``, 8.9 s for
    ``"customer for life"`` at 100,000 stories)."""
    archive = Archive(pg_app, "agent@example.nl")
    for n in range(12):
        archive.add(f"Dag {n}", "Bij ons werd de klant voorop gezet, elke dag.", language="nl")
    archive.add("Anders", "Niets hierover.", language="nl")
    engine = archive.engine()
    with engine.begin() as connection:
        connection.execute(text("ANALYZE search_facets"))
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    # Two candidates per set: the bounded ranking (and its walks) on 12 matches.
    backend = PostgresBackend(engine, rank_candidates=2)
    event.listen(engine, "before_cursor_execute", record)
    try:
        found = backend.search(SearchRequest(text=phrase, sort=sort, per_page=5, page=2))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert found.total == 12 and len(found.hits) == 5
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET enable_seqscan = off")
        for statement, parameters in seen:
            cursor.execute("EXPLAIN " + statement, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Filter: (storyboard_pairs" not in plan, plan
            for line in plan.splitlines():
                if "Recheck Cond:" in line and "storyboard_pairs" in line:
                    assert "(tsv @@" not in line, plan
    finally:
        raw.rollback()
        raw.close()


def test_two_long_adjacent_words_are_indexed_and_found(pg_app: Flask) -> None:
    """A pair longer than a lexeme may be (2,047 bytes) is left out of the pair index,
    so the story is still indexed (before, the index refused the whole row). A query
    is cut to 500 characters, so it never asks for such a pair."""
    archive = Archive(pg_app, "agent@example.nl")
    first, second = "a" * 1100, "b" * 1100
    story = archive.add("Lange woorden", f"Hier staat {first} {second} zomaar.", language="nl")
    archive.add("Andere", "Niets bijzonders.", language="nl")
    assert archive.pending() == 0
    assert archive.ids('"hier staat"') == {story}
    assert archive.ids("zomaar") == {story}
