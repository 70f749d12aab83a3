"""The PostgreSQL search backend's tables and text search configurations.

Migration 0014 makes the configurations and a first set of tables on PostgreSQL only
(SQLite has no full-text types; the embedded default searches with Whoosh); the backend
makes the tables again in this code's layout (``create_tables``) when a rebuild finds
them in another one, so a change of layout needs no migration. They are not ORM models: the search tables are
derived data that only ``pg_backend`` reads and writes, so autogenerate must leave them
alone (``include_object`` below).
"""

from __future__ import annotations

from typing import Any

from storyboard.search.backend import INDEX_FORMAT

DOCUMENTS = "search_documents"
FACETS_TABLE = "search_facets"
WORDS = "search_words"
COUNTS_TABLE = "search_facet_counts"
TABLES = frozenset({DOCUMENTS, FACETS_TABLE, WORDS, COUNTS_TABLE})
# Dutch and English, each with accents folded by ``unaccent`` before stemming.
CONFIGS = {"nl": "storyboard_dutch", "en": "storyboard_english"}
QUERY_FUNCTION = "storyboard_tsquery"
# PostgreSQL's longest lexeme, in bytes: two long words make a pair too long to keep
# (``create_pairs`` leaves it out, ``pg_query.word_pairs`` never asks for it).
LEXEME_LIMIT = 2047
# A story's adjacent word pairs (``create_pairs``) and the expression its index is on.
PAIRS_FUNCTION = "storyboard_pairs"
PAIRS = f"{PAIRS_FUNCTION}(tsv)"
# How the tables are laid out (``create_tables``); bumped when that changes.
STORAGE = "narrow-3"
# Written on the documents table by a rebuild: the rows follow this code's INDEX_FORMAT
# and STORAGE; a rebuild that finds another stamp makes the tables again.
FORMAT_STAMP = f"storyboard search format {INDEX_FORMAT}, storage {STORAGE}"
# Layouts whose rows this code reads as they are: ``upgrade`` adds what they lack.
UPGRADABLE_STAMPS = frozenset(
    f"storyboard search format {INDEX_FORMAT}, storage {layout}"
    for layout in ("narrow-1", "narrow-2")
)
_BASES = {
    "storyboard_dutch": ("dutch", "dutch_stem"),
    "storyboard_english": ("english", "english_stem"),
}


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic filter: the search tables (and their indexes) are not the models' business."""
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return getattr(table, "name", name) not in TABLES


def _extension_schema(bind: Any, name: str) -> str:
    """Where an extension lives: ``public`` when we create it, wherever an
    administrator put it otherwise."""
    bind.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS {name} SCHEMA public")
    return str(
        bind.exec_driver_sql(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            f"WHERE e.extname = '{name}'"
        ).scalar_one()
    )


def create(bind: Any) -> None:
    """Extensions, configurations, tables and indexes (idempotent for extensions)."""
    unaccent = _extension_schema(bind, "unaccent")
    for config, (base, stemmer) in _BASES.items():
        bind.exec_driver_sql(
            f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = pg_catalog.{base})"
        )
        bind.exec_driver_sql(
            f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR hword, hword_part, "
            f"word, asciiword, asciihword, hword_asciipart WITH {unaccent}.unaccent, {stemmer}"
        )
    # A typed word or phrase as a query: in the language whose stop words keep more of
    # it (English drops "up" from "stood up", Dutch drops "op" from "op tijd"), in both
    # when neither loses more, so an exact phrase stays exact, as in the Whoosh backend.
    bind.exec_driver_sql(f"""
        CREATE FUNCTION {QUERY_FUNCTION}(words text) RETURNS tsquery
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
            SELECT CASE WHEN numnode(nl) > numnode(en) THEN nl
                        WHEN numnode(en) > numnode(nl) THEN en
                        ELSE nl || en END
            FROM (SELECT phraseto_tsquery('{CONFIGS["nl"]}', words) AS nl,
                         phraseto_tsquery('{CONFIGS["en"]}', words) AS en) AS both_languages
        $$""")
    create_tables(bind)
    # A database without stories has nothing to index: its new, empty tables are a
    # complete index, so the first search need not rebuild them. With stories, the
    # stamp stays off and the first use (or ``storyboard reindex``) fills them.
    if not bind.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM stories)").scalar_one():
        write_stamp(bind)


def write_stamp(bind: Any) -> None:
    """Mark the tables as holding this code's format and layout."""
    bind.exec_driver_sql(f"COMMENT ON TABLE {DOCUMENTS} IS '{FORMAT_STAMP}'")


def read_stamp(bind: Any) -> str | None:
    """The stamp a rebuild (or ``create`` on an empty database) left, if any."""
    stamp = bind.exec_driver_sql(
        f"SELECT obj_description(to_regclass('{DOCUMENTS}'), 'pg_class')"
    ).scalar()
    return None if stamp is None else str(stamp)


def upgrade(bind: Any) -> bool:
    """Bring tables of an earlier layout with rows in this code's format up to date in
    place (the word-pair index of layout narrow-2, the facet counts' table of narrow-3):
    both are built from the rows, far quicker than writing every story again. False
    when the stamp is not one of those. The caller counts the stories
    (``pg_counts.recount``)."""
    if read_stamp(bind) not in UPGRADABLE_STAMPS:
        return False
    create_pairs(bind)
    create_counts(bind)
    write_stamp(bind)
    return True


def create_counts(bind: Any) -> None:
    """The facet counts' summary (``pg_counts``): stories per combination of the label
    columns (``theme = ''``) and per theme within it."""
    bind.exec_driver_sql(f"""
        CREATE TABLE IF NOT EXISTS {COUNTS_TABLE} (
            language varchar(8) NOT NULL,
            team varchar(80) NOT NULL,
            channel varchar(20) NOT NULL,
            author_kind varchar(20) NOT NULL,
            period char(7) NOT NULL,
            theme text NOT NULL,
            stories integer NOT NULL,
            PRIMARY KEY (language, team, channel, author_kind, period, theme)
        )""")


def create_pairs(bind: Any) -> None:
    """The word-pair index: every two lexemes at adjacent positions of a story's vector
    (``'stond voorop'``, ``'~stood ~first'`` for the English copy), one GIN entry each,
    so a two-word phrase is answered from the index like a word, without reading any
    story's vector to check positions (docs/search.md). The pairs are computed from the
    vector itself, so they agree with ``<->`` exactly, and are kept only in the index (an
    expression index: no column, no table space). The cost is high so the planner takes
    the index and never computes the pairs row by row as a filter. A pair longer than
    a lexeme may be is left out (two adjacent words of over 1,000 letters)."""
    bind.exec_driver_sql(f"""
        CREATE OR REPLACE FUNCTION {PAIRS_FUNCTION}(vector tsvector) RETURNS tsvector
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 100000 AS $$
            WITH at AS (SELECT lexeme, unnest(positions) AS position FROM unnest(vector))
            SELECT coalesce(array_to_tsvector(array_agg(DISTINCT first.lexeme || ' '
                                                        || second.lexeme)), '')
            FROM at AS first JOIN at AS second ON second.position = first.position + 1
            WHERE octet_length(first.lexeme) + octet_length(second.lexeme) < {LEXEME_LIMIT}
        $$""")
    bind.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS ix_{FACETS_TABLE}_pairs ON {FACETS_TABLE} USING gin ({PAIRS})"
    )


def create_indexes(bind: Any) -> None:
    """The search indexes (the keys come with the tables). A rebuild into new tables
    makes them after loading the rows: one sorted build per index is several times
    quicker than adding every story to them one batch at a time."""
    trgm = _extension_schema(bind, "pg_trgm")
    bind.exec_driver_sql(f"CREATE INDEX ix_{FACETS_TABLE}_tsv ON {FACETS_TABLE} USING gin (tsv)")
    bind.exec_driver_sql(
        f"CREATE INDEX ix_{FACETS_TABLE}_title_tsv ON {FACETS_TABLE} USING gin (title_tsv)"
    )
    create_pairs(bind)
    bind.exec_driver_sql(
        f"CREATE INDEX ix_{FACETS_TABLE}_published ON {FACETS_TABLE} (published DESC, story_id DESC)"
    )
    bind.exec_driver_sql(
        f"CREATE INDEX ix_{WORDS}_trgm ON {WORDS} USING gin (word {trgm}.gin_trgm_ops)"
    )


def create_tables(bind: Any, indexes: bool = True) -> None:
    """The tables and (unless ``indexes`` is False: ``create_indexes`` later) their
    indexes, in the layout of this code (``STORAGE``).

    ``search_facets`` is the narrow table every search reads: the facet columns, the
    date, a compact title vector (kept in the row) and the full vector, which
    ``toast_tuple_target`` moves out of the row. A GIN scan that needs no recheck (a
    word or an exclusion; not a phrase or a title/body restriction) and the facet
    counts then read about 100 bytes per match instead of the whole vector.
    ``search_documents`` holds what only the 20 shown need (title, body, names).
    """
    bind.exec_driver_sql(f"""
        CREATE TABLE {FACETS_TABLE} (
            story_id integer PRIMARY KEY,
            language varchar(8) NOT NULL,
            team varchar(80) NOT NULL,
            channel varchar(20) NOT NULL,
            themes text[] NOT NULL,
            author_kind varchar(20) NOT NULL,
            period char(7) NOT NULL,
            published timestamp NOT NULL,
            title_tsv tsvector NOT NULL,
            tsv tsvector NOT NULL
        ) WITH (toast_tuple_target = 128)""")
    # PLAIN: never compressed or moved out of the row (they are small), so reading
    # them costs no TOAST look-up; the full vector goes out of line.
    bind.exec_driver_sql(f"ALTER TABLE {FACETS_TABLE} ALTER COLUMN themes SET STORAGE PLAIN")
    bind.exec_driver_sql(f"ALTER TABLE {FACETS_TABLE} ALTER COLUMN title_tsv SET STORAGE PLAIN")
    create_counts(bind)
    bind.exec_driver_sql(f"""
        CREATE TABLE {DOCUMENTS} (
            story_id integer PRIMARY KEY,
            title text NOT NULL,
            body text NOT NULL,
            team_name varchar(120),
            author_name varchar(120),
            kudos integer NOT NULL,
            featured boolean NOT NULL
        )""")
    bind.exec_driver_sql(f"CREATE TABLE {WORDS} (word text PRIMARY KEY)")
    if indexes:
        create_indexes(bind)


def drop_tables(bind: Any) -> None:
    """The tables of any layout so far (they hold derived data only)."""
    for table in (COUNTS_TABLE, WORDS, FACETS_TABLE, DOCUMENTS):
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")


def drop(bind: Any) -> None:
    """Everything ``create`` made except the extensions (other schemas may use them)."""
    drop_tables(bind)
    bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {QUERY_FUNCTION}(text)")
    bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {PAIRS_FUNCTION}(tsvector)")
    for config in _BASES:
        bind.exec_driver_sql(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}")
