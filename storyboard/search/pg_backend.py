"""Search on PostgreSQL full-text search, for deployments with more than one app host.

The index is two tables in the application's own database (``pg_schema``): nothing
lives on one host's disk, every host sees a save as soon as it is committed, and the
outbox (``search.outbox``) keeps them in step with the stories exactly as it does for
Whoosh. Writers take a transaction-level advisory lock, so two drains never interleave
and the later one always loads the newer state.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import time as clock
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from whoosh.analysis.tokenizers import default_pattern as _TOKEN

from storyboard.search import pg_counts, pg_schema
from storyboard.search.analysis import (
    added_stems,
    dictionary_words,
    folded_words,
    spelling_words,
)
from storyboard.search.backend import (
    FACETS,
    ChangeLoader,
    Changes,
    IndexBusy,
    Progress,
    SearchHit,
    SearchRequest,
    SearchResults,
    SearchWork,
    clamp_page,
)
from storyboard.search.documents import StoryDocument
from storyboard.search.pg_query import (
    LABEL_COLUMNS,
    Analysed,
    Leaf,
    Translation,
    translate,
    word_pairs,
)
from storyboard.search.pg_schema import CONFIGS, COUNTS_TABLE, DOCUMENTS, FACETS_TABLE, WORDS
from storyboard.search.query import (
    PREFIX_SCAN,
    QueryNotes,
    bounded_query_text,
    query_terms,
    shortest_first,
)
from storyboard.search.snippets import make_snippet, query_words
from storyboard.search.spelling import SpellingCache, closest, suggest_spelling


class _OutOfTime(Exception):
    """The budget ran out between two statements (each also has statement_timeout)."""


def _stop_if_past(deadline: float) -> None:
    """Between statements: a search past its budget answers with what it has, whether
    or not the server's timer caught a statement (a fast one finishes inside it)."""
    if time.monotonic() >= deadline:
        raise _OutOfTime


# Any constant shared by every process that writes the index (pg_advisory_xact_lock).
WRITE_LOCK_KEY = 0x53_74_6F_72  # "Stor"
REBUILD_BATCH = 500
FACET_COLUMNS = {**LABEL_COLUMNS}  # plus "theme", counted from the themes array
# Matches ranked by ``ts_rank`` at most per search from each of two index-chosen sets
# (``_page_ids``): each ranked match costs reading its vector (about 3 kB out of line).
RANK_CANDIDATES = 1000
# Reading a match's vector (out of line) and checking it costs about this many times
# reading its narrow row through a bitmap of the GIN index: 11 µs against 1.2 µs a row
# in ``EXPLAIN (ANALYZE, BUFFERS)`` of ``refund`` at 100,000 stories (docs/search.md).
VECTOR_READ_COST = 9
SUGGESTION_CANDIDATES = 50
# Trigram similarity a candidate needs (pg_trgm's default, 0.3, misses "refund" for
# "refnud": they share 3 of 11 trigrams).
SUGGESTION_SIMILARITY = 0.2
QUERY_CANCELED = "57014"  # SQLSTATE of a statement stopped by statement_timeout

# The vector every search matches (``search_facets.tsv``): the title in Dutch (weight
# A) and English (B), the body in Dutch (C) and English (D), as Whoosh's four fields.
# English stems carry ENGLISH_MARK (``'~deliv'``), so a stem matches the copy of its
# own language without weights (``pg_query.Leaf``), which lets GIN answer a word
# without rechecking every match. Between the parts lies a gap of GAP_POSITIONS
# positions (a placeholder lexeme that ``ts_delete`` removes again): ``||`` would
# otherwise put the title's last word next to the body's first, and a phrase could
# match across them. The Dutch copies are followed by their compounds' parts and their
# participles' verbs (``analysis.added_stems``, already stems: a literal vector, not
# analysed again).
GAP_LEXEME = "\ue002"
GAP_POSITIONS = 64
ENGLISH_MARK = "~"
_GAP = "CAST(:gap AS tsvector)"


def _english(vector: str) -> str:
    """``vector`` (SQL) with ENGLISH_MARK before every lexeme: tsvector text quotes each
    lexeme, and the words PostgreSQL gets contain no space, so a quote after a space
    (or at the start) opens one."""
    return (
        f"CAST(regexp_replace(CAST({vector} AS text), '(^| )''', '\\1''{ENGLISH_MARK}', 'g') "
        "AS tsvector)"
    )


# Each copy computed once (a subquery), then joined into the full and the title vector.
_COPIES = f"""
    SELECT setweight(to_tsvector('{CONFIGS["nl"]}', :title_words), 'A') || {_GAP}
               || setweight(CAST(:title_parts AS tsvector), 'A') AS title_nl,
           {_english(f"setweight(to_tsvector('{CONFIGS['en']}', :title_words), 'B')")} AS title_en,
           setweight(to_tsvector('{CONFIGS["nl"]}', :body_words), 'C') || {_GAP}
               || setweight(CAST(:body_parts AS tsvector), 'C') AS body_nl,
           {_english(f"setweight(to_tsvector('{CONFIGS['en']}', :body_words), 'D')")} AS body_en
"""
# Relevance weights for {D, C, B, A}: a title word counts three times a body word.
RANK_WEIGHTS = "'{0.33, 0.33, 1.0, 1.0}'"
UPSERT_FACETS = text(f"""
    INSERT INTO {FACETS_TABLE} (story_id, language, team, channel, themes, author_kind, period,
        published, title_tsv, tsv)
    SELECT :story_id, :language, :team, :channel, :themes, :author_kind, :period,
        :published,
        ts_delete(title_nl || {_GAP} || title_en, :gap_lexeme),
        ts_delete(title_nl || {_GAP} || title_en || {_GAP} || body_nl || {_GAP} || body_en,
                  :gap_lexeme)
    FROM ({_COPIES}) AS copies
    ON CONFLICT (story_id) DO UPDATE SET
        language = EXCLUDED.language, team = EXCLUDED.team, channel = EXCLUDED.channel,
        themes = EXCLUDED.themes, author_kind = EXCLUDED.author_kind,
        period = EXCLUDED.period, published = EXCLUDED.published,
        title_tsv = EXCLUDED.title_tsv, tsv = EXCLUDED.tsv
""")
UPSERT_DOCUMENTS = text(f"""
    INSERT INTO {DOCUMENTS} (story_id, title, body, team_name, author_name, kudos, featured)
    VALUES (:story_id, :title, :body, :team_name, :author_name, :kudos, :featured)
    ON CONFLICT (story_id) DO UPDATE SET
        title = EXCLUDED.title, body = EXCLUDED.body, team_name = EXCLUDED.team_name,
        author_name = EXCLUDED.author_name, kudos = EXCLUDED.kudos,
        featured = EXCLUDED.featured
""")
ADD_WORDS = text(f"""
    INSERT INTO {WORDS} (word)
    SELECT DISTINCT w FROM unnest(string_to_array(:words, ' ')) AS w WHERE w <> ''
    ON CONFLICT DO NOTHING
""")


def _row(doc: StoryDocument) -> dict[str, Any]:
    published = doc.published_at.astimezone(UTC).replace(tzinfo=None)

    def clean(value: str) -> str:
        return value.replace("\x00", "")

    title, body = clean(doc.title), clean(doc.text)
    title_folded, body_folded = folded_words(title), folded_words(body)
    return {
        "story_id": doc.story_id,
        "title": title,
        # Kept escaped as rows written by earlier versions are (snippets unescape it).
        "body": html.escape(body, quote=False),
        # The words as Whoosh's tokenizer finds them, one space apart: PostgreSQL's
        # parser reads "SB-2024-117" as "sb" and two negative numbers, and "<b>" as a
        # tag it drops with the words inside; words alone mean the same to both.
        "title_words": words_of(title),
        "body_words": words_of(body),
        "title_parts": _parts_vector(title_folded),
        "body_parts": _parts_vector(body_folded),
        "gap": f"{GAP_LEXEME}:{GAP_POSITIONS}",
        "gap_lexeme": GAP_LEXEME,
        "language": doc.language,
        "team": doc.team or "",
        "team_name": doc.team_name,
        "channel": doc.channel,
        "themes": list(doc.themes),
        "author_kind": doc.author_kind,
        "author_name": doc.author_name,
        "period": published.strftime("%Y-%m"),
        "published": published,
        "kudos": doc.kudos,
        "featured": doc.featured,
        "words": dictionary_words(title_folded + body_folded),
    }


# A tsquery no story matches (the placeholder lexeme never stays in a vector).
NO_MATCH = f"'{GAP_LEXEME}'"
_LEXEME = re.compile(r"'(?:[^']|'')*'")


def words_of(value: str) -> str:
    """The words of ``value`` as Whoosh's tokenizer finds them, one space apart."""
    return " ".join(match.group(0) for match in _TOKEN.finditer(value))


def _parts_vector(words: list[str]) -> str:
    """The stems ``words`` add (compound parts, participles' verbs) as tsvector text
    (letters only: no quoting)."""
    parts = added_stems(words)
    return " ".join(f"{part}:{position}" for position, part in enumerate(parts, 1))


def _lexemes(tsquery: str, weights: str, mark: str = "") -> str:
    """``tsquery`` text with ``mark`` before every lexeme and each restricted to
    ``weights`` if any (``'x'`` → ``'~x':BD``)."""
    suffix = f":{weights}" if weights else ""
    return _LEXEME.sub(lambda match: f"'{mark}{match.group(0)[1:]}{suffix}", tsquery)


def _fenced(condition: str, columns: str = "story_id", dates: str = "") -> str:
    """``SELECT columns`` of the stories matching ``condition``, found by the GIN indexes
    behind an ``OFFSET 0`` fence (so PostgreSQL cannot walk the date index instead and
    check each story's vector), ``dates`` checked on each match's narrow row after. The
    result can be ordered by ``published``."""
    inner = columns if "published" in columns.split(", ") else f"{columns}, published"
    outer = f" WHERE {dates}" if dates else ""
    return (
        f"SELECT {columns} FROM (SELECT {inner} FROM {FACETS_TABLE} "
        f"WHERE {condition} OFFSET 0) AS fenced{outer}"
    )


@dataclass(frozen=True)
class _Where:
    """A search's condition on ``search_facets``: ``words`` (the typed words and the
    facet filters) and ``dates`` (the date range, "" for none); as text, both."""

    words: str
    dates: str = ""
    # Whether ``words`` holds a full-text condition (the GIN index answers it).
    searches_text: bool = True
    # ``words`` as checked row by row (``Translation.checked_condition``); "" if the same.
    checked: str = ""

    def __str__(self) -> str:
        return " AND ".join(part for part in (self.words, self.dates) if part)

    def walked(self) -> str:
        """The condition for a plan that walks the date index and checks each story it
        meets: phrases in the vectors, not by computing the story's word pairs."""
        return " AND ".join(part for part in (self.checked or self.words, self.dates) if part)

    def rows(self, columns: str) -> str:
        """``SELECT columns`` of the matches (``columns`` as a select list, without
        ``published``). With both words and dates the words are answered by the GIN
        index behind an ``OFFSET 0`` fence and the dates checked on each match's narrow
        row: otherwise PostgreSQL takes the range from the date index and checks every
        story in it for the words, reading each one's vector out of line (12,328
        vectors, 90 ms, for ``refund`` in three months of 100,000 stories; 1.7 s for a
        wide range at a million, bench/RESULTS.md)."""
        if self.dates and self.searches_text:
            return _fenced(self.words, columns, self.dates)
        return f"SELECT {columns} FROM {FACETS_TABLE} WHERE {self}"


class PostgresBackend:
    """Search over ``search_documents`` in the app's PostgreSQL database."""

    def __init__(self, engine: Engine, rank_candidates: int = RANK_CANDIDATES) -> None:
        self.engine = engine
        self.rank_candidates = rank_candidates
        self._spelling = SpellingCache()

    # -- health ----------------------------------------------------------------------
    def is_healthy(self) -> bool:
        """The tables and configurations exist (migration 0014 ran on PostgreSQL), and
        the rows were written in this code's format and layout (a stamp on the table)."""
        try:
            with self.engine.connect() as connection:
                # The configurations and the vector column exist; reads no vector.
                connection.execute(
                    text(
                        f"SELECT tsv @@ plainto_tsquery('{CONFIGS['nl']}', 'x') "
                        f"FROM {FACETS_TABLE} WHERE false"
                    )
                )
                stamp = pg_schema.read_stamp(connection)
        except DBAPIError:
            return False
        return stamp == pg_schema.FORMAT_STAMP

    def upgrade(self) -> bool:
        """Add what an earlier layout lacks (``pg_schema.upgrade``) under the writers'
        lock; searches go on reading meanwhile, saves wait in the outbox."""
        with self.hold_writes(), self.engine.begin() as connection:
            upgraded = pg_schema.upgrade(connection)
            if upgraded:
                pg_counts.recount(connection)
        if upgraded:
            self._refresh_statistics(FACETS_TABLE, COUNTS_TABLE)
        return upgraded

    def _refresh_statistics(self, *tables: str) -> None:
        """``ANALYZE`` tables whose rows changed wholesale, so the planner's estimates
        (which index, which join) follow them."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in tables:
                connection.execute(text(f"ANALYZE {table}"))

    def doc_count(self) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(text(f"SELECT count(*) FROM {FACETS_TABLE}")).scalar_one()
            )

    # -- writing ---------------------------------------------------------------------
    def _lock(self, connection: Connection, timeout: float, session_level: bool = False) -> None:
        function = "pg_try_advisory_lock" if session_level else "pg_try_advisory_xact_lock"
        deadline = time.monotonic() + timeout
        while not connection.execute(
            text(f"SELECT {function}(:key)"), {"key": WRITE_LOCK_KEY}
        ).scalar_one():
            if time.monotonic() >= deadline:
                raise IndexBusy(f"another process kept the search index locked for {timeout} s")
            time.sleep(0.05)

    def apply(self, load_changes: ChangeLoader, timeout: float) -> Changes:
        """Lock, then load, then write, in one transaction: whatever the loader reads is
        at least as new as anything another process indexed before us."""
        with self.engine.begin() as connection:
            self._lock(connection, timeout)
            changes = load_changes()
            if changes.removals:
                removed = pg_counts.old_rows(connection, list(changes.removals))
                pg_counts.adjust(connection, removed)
                for table in (FACETS_TABLE, DOCUMENTS):
                    connection.execute(
                        text(f"DELETE FROM {table} WHERE story_id = ANY(:ids)"),
                        {"ids": list(changes.removals)},
                    )
            self._write(connection, changes.upserts)
        return changes

    @staticmethod
    def _write(
        connection: Connection, documents: Sequence[StoryDocument], counted: bool = True
    ) -> None:
        """Write ``documents``' rows; with ``counted``, adjust the facet counts' summary
        too (a rebuild counts once at the end instead)."""
        if not documents:
            return
        ids = [doc.story_id for doc in documents]
        before = pg_counts.old_rows(connection, ids) if counted else []
        rows = [_row(doc) for doc in documents]
        connection.execute(UPSERT_FACETS, rows)
        if counted:
            pg_counts.adjust(connection, before, rows)
        connection.execute(UPSERT_DOCUMENTS, rows)
        connection.execute(ADD_WORDS, {"words": " ".join(row["words"] for row in rows)})

    @contextmanager
    def hold_writes(self, timeout: float = 60.0) -> Iterator[None]:
        """Hold the writers' lock (session level, on a connection of its own) while a
        rebuild reads the database; saves meanwhile wait in the outbox."""
        with self.engine.connect() as connection:
            self._lock(connection, timeout, session_level=True)
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": WRITE_LOCK_KEY})
                connection.commit()

    def rebuild(self, documents: Iterable[StoryDocument], progress: Progress | None = None) -> int:
        """Replace every row in one transaction: searches keep reading the old rows
        (MVCC) until the new ones are committed, like Whoosh's generation swap. The
        caller holds the writers' lock (``hold_writes``). Tables of another layout (or
        format) are made again instead, their indexes after the rows (a sorted build):
        searches wait for that one rebuild."""
        count = 0
        with self.engine.begin() as connection:
            fresh = pg_schema.read_stamp(connection) != pg_schema.FORMAT_STAMP
            if fresh:
                pg_schema.drop_tables(connection)
                pg_schema.create_tables(connection, indexes=False)
            else:
                for table in (FACETS_TABLE, DOCUMENTS, WORDS, COUNTS_TABLE):
                    connection.execute(text(f"DELETE FROM {table}"))
            batch: list[StoryDocument] = []
            for doc in documents:
                batch.append(doc)
                if len(batch) >= REBUILD_BATCH:
                    self._write(connection, batch, counted=False)
                    count, batch = self._advance(count, batch, progress)
            self._write(connection, batch, counted=False)
            count, _ = self._advance(count, batch, progress)
            pg_counts.recount(connection)
            if fresh:
                pg_schema.create_indexes(connection)
            pg_schema.write_stamp(connection)
        self._spelling.clear()
        self._refresh_statistics(FACETS_TABLE, DOCUMENTS, WORDS, COUNTS_TABLE)
        return count

    @staticmethod
    def _advance(
        count: int, batch: list[StoryDocument], progress: Progress | None
    ) -> tuple[int, list[StoryDocument]]:
        if progress is not None and batch:
            progress(len(batch))
        return count + len(batch), []

    # -- searching -------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResults:
        deadline = request.deadline()
        text_searched, _shortened = bounded_query_text(request.text)
        work = SearchWork(terms=query_terms(text_searched))
        notes = QueryNotes()
        total, facets, hits, suggestion, page = 0, _no_facets(), [], None, 1
        with self.engine.connect() as connection:
            # The server stops a statement that outlives the budget; the search then
            # answers with what it had (nothing, or the counts without the page).
            # Seq scans off for this transaction: the narrow table is small, so the
            # planner would scan it and check ``tsv @@`` on every row, unaware that
            # this reads every vector out of line (20,000 stories: 0.7 s against a few
            # ms through the GIN index, docs/search.md). JIT off: the seq-scan setting
            # prices any plan with a scan of the table at 10¹⁰, past jit_above_cost, and
            # compiling took 166 ms of the 417 ms an empty query's counts took at
            # 100,000 stories; searches are short statements that never gain from it.
            connection.execute(
                text(
                    "SELECT set_config('statement_timeout', :timeout, true), "
                    "set_config('enable_seqscan', 'off', true), "
                    "set_config('jit', 'off', true)"
                ),
                {"timeout": str(max(1, int(request.time_budget * 1000)))},
            )
            try:
                translation = translate(
                    text_searched,
                    lambda leaves: self._analyse(connection, leaves),
                    lambda prefix: self._expand(connection, prefix),
                    notes,
                )
                where, params = self._where(translation, request)
                _stop_if_past(deadline)
                if (
                    translation.condition == "TRUE"
                    and not where.dates
                    and pg_counts.answers(request.filters, FACET_COLUMNS)
                ):
                    # No words, dates or theme: the writers' summary has the counts.
                    total, facets = _counted(
                        pg_counts.facet_rows(connection, request.filters, FACET_COLUMNS)
                    )
                else:
                    total, facets = self._facets(connection, where, params, translation.rechecked)
                page = clamp_page(request.page, total, request.per_page)
                _stop_if_past(deadline)
                if total:
                    chosen = self._page(
                        connection,
                        where,
                        params,
                        translation.rank_query,
                        request,
                        page,
                        total,
                        translation.rechecked,
                    )
                    _stop_if_past(deadline)
                    hits = self._hits(connection, chosen, request)
                if total == 0 and text_searched:
                    suggestion = self._suggest(connection, text_searched, work, deadline)
            except OperationalError as error:
                if getattr(error.orig, "sqlstate", None) != QUERY_CANCELED:
                    raise
                work.timed_out = True
            except _OutOfTime:
                work.timed_out = True
        return SearchResults(
            hits=hits,
            total=total,
            page=page,
            per_page=request.per_page,
            facets=facets,
            suggestion=suggestion,
            notice=notes.notice,
            work=work,
        )

    @staticmethod
    def _expand(connection: Connection, prefix: str) -> tuple[list[str], bool]:
        """Known words starting with ``prefix``, picked as Whoosh picks them."""
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        words = connection.execute(
            text(
                f"SELECT word FROM {WORDS} WHERE word LIKE :pattern "
                f'ORDER BY word COLLATE "C" LIMIT {PREFIX_SCAN + 1}'
            ),
            {"pattern": pattern},
        ).scalars()
        return shortest_first(list(words))

    @staticmethod
    def _analyse(connection: Connection, leaves: dict[str, Leaf]) -> dict[str, Analysed]:
        """Each typed word or phrase as tsquery text, in one round trip: stemmed in
        Dutch for the Dutch copies and in English for the English ones. A phrase is
        searched only in the language whose stop words keep more of it (English drops
        "up" from "stood up", Dutch "op" from "op tijd"), as ``ExactPhrasePlugin`` does
        in Whoosh; a language that keeps none of it is left out. A phrase of adjacent
        words on the full vector also gets its word pairs (``pg_query.word_pairs``)."""
        names = list(leaves)
        rows = connection.execute(
            text(
                f"SELECT nl::text, numnode(nl), en::text, numnode(en) FROM ("
                f"SELECT phraseto_tsquery('{CONFIGS['nl']}', words) AS nl, "
                f"phraseto_tsquery('{CONFIGS['en']}', words) AS en, n "
                "FROM unnest(CAST(:words AS text[])) WITH ORDINALITY AS leaf(words, n)"
                ") AS both_languages ORDER BY n"
            ),
            {"words": [words_of(leaves[name].words) for name in names]},
        ).all()
        result = {}
        for name, (nl, nl_nodes, en, en_nodes) in zip(names, rows, strict=True):
            leaf = leaves[name]
            parts, phrases = [], []
            if leaf.nl and nl and nl_nodes >= en_nodes:
                parts.append(_lexemes(nl, leaf.weights("nl")))
                phrases.append(_lexemes(nl, ""))
            if leaf.en and en and en_nodes >= nl_nodes:
                parts.append(_lexemes(en, leaf.weights("en"), ENGLISH_MARK))
                phrases.append(_lexemes(en, "", ENGLISH_MARK))
            tsquery = " | ".join(f"( {part} )" for part in parts) or NO_MATCH
            # The pairs come from the full vector: a title-only phrase is checked in the
            # title's own small vector instead.
            pairs, exact = word_pairs(phrases) if leaf.column == "tsv" else (None, False)
            unweighted = not (leaf.weights("nl") or leaf.weights("en"))
            result[name] = Analysed(tsquery, pairs, exact and unweighted)
        return result

    @staticmethod
    def _where(translation: Translation, request: SearchRequest) -> tuple[_Where, dict[str, Any]]:
        clauses, dates, params = [], [], dict(translation.params)
        for name, value in request.filters.items():
            if not value:
                continue
            params[f"f_{name}"] = value.lower()
            if name == "theme":
                clauses.append(f"(:f_{name} = ANY(themes))")
            elif name in FACET_COLUMNS:
                clauses.append(f"({FACET_COLUMNS[name]} = :f_{name})")
        if request.date_from:
            params["date_from"] = datetime.combine(request.date_from, clock.min)
            dates.append("published >= :date_from")
        if request.date_to:
            params["date_to"] = datetime.combine(request.date_to, clock.max)
            dates.append("published <= :date_to")
        return (
            _Where(
                " AND ".join([translation.condition, *clauses]),
                " AND ".join(dates),
                bool(translation.leaves),
                " AND ".join([translation.checked_condition or translation.condition, *clauses]),
            ),
            params,
        )

    @staticmethod
    def _facets(
        connection: Connection, where: _Where, params: dict[str, Any], rechecked: bool = False
    ) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        """The total and every facet's counts in one statement over the matches, read
        from the narrow table (no vector is read unless the condition needs a recheck:
        phrases the pair index does not answer, title/body restrictions). The matches
        are first grouped by all label columns at once, and ``GROUPING SETS`` adds up
        those few groups per facet: hashing each match once instead of once per facet
        halves the counting (``klant`` at 100,000 stories: 110 → 58 ms). The themes are
        counted from a second scan of the matches, which reads only narrow rows; when
        they are rechecked, the matches are read once into a ``MATERIALIZED`` set
        instead, so no vector is read twice."""
        columns = list(FACET_COLUMNS.values())
        labels = ", ".join(columns)
        sets = ", ".join(f"({column})" for column in columns)
        nulls = ", ".join("NULL" for _ in columns)
        if rechecked:
            prelude = f"WITH matched AS MATERIALIZED ({where.rows(f'{labels}, themes')}) "
            label_rows = themes_rows = "matched"
        else:
            prelude = ""
            label_rows = f"({where.rows(labels)}) AS matched"
            themes_rows = f"({where.rows('themes')}) AS matched"
        rows = connection.execute(
            text(
                f"{prelude}SELECT {labels}, NULL, coalesce(sum(n), 0) FROM ("
                f"SELECT {labels}, count(*) AS n FROM {label_rows} GROUP BY {labels}"
                f") AS combinations GROUP BY GROUPING SETS ({sets}, ()) "
                f"UNION ALL SELECT {nulls}, theme, count(*) FROM ("
                f"SELECT unnest(themes) AS theme FROM {themes_rows}) AS each_theme GROUP BY theme"
            ),
            params,
        ).all()
        return _counted(rows)

    def _page(
        self,
        connection: Connection,
        where: _Where,
        params: dict[str, Any],
        rank_query: str | None,
        request: SearchRequest,
        page: int,
        total: int,
        rechecked: bool = False,
    ) -> tuple[str, dict[str, Any]]:
        """SQL for the page's story ids in order (``story_id``, ``n``), with its
        parameters: a subquery where one statement can choose them, else the ids. By
        relevance: when there are at most
        ``rank_candidates`` matches, all of them are ranked (``ts_rank`` on the full
        vector); beyond that only a bounded set chosen by the indexes is: the newest
        ``rank_candidates`` matches whose title matches plus the newest
        ``rank_candidates`` of all (a title word outranks any number of body words for a
        one-word query), and the other matches follow, newest first. That keeps the
        vectors read per search bounded; docs/search.md gives what it changes. (The
        title condition comes first: of two conditions that cost the same, PostgreSQL
        checks the first first, and the title vector is in the row. When the matches
        are few (``_sparse``), the title matches, fewer still, come from the GIN
        indexes behind an ``OFFSET 0`` fence and are sorted: walking the date index for
        them read every story when fewer than 1,000 titles matched, 3.2 s for
        ``refund -warehouse`` at a million stories. The candidates are
        an array, so each is looked up by its key: as ``IN (…)`` PostgreSQL hashed them
        and scanned the whole table's key index to join them, 29 ms at 100,000
        stories.)"""
        offset, limit = (page - 1) * request.per_page, request.per_page
        newest = "ORDER BY published DESC, story_id DESC"
        paged = {**params, "limit": limit, "offset": offset}
        if request.sort == "newest" or rank_query is None:
            # Few matches: from the GIN index, sorted (``newest_matches`` below).
            sparse = where.searches_text and self._sparse(
                connection, total, rechecked, wanted=offset + limit
            )
            matches = (
                _fenced(where.words, "story_id, published", where.dates)
                if sparse
                else f"SELECT story_id, published FROM {FACETS_TABLE} WHERE {where.walked()}"
            )
            return (
                f"SELECT story_id, row_number() OVER ({newest}) AS n FROM ("
                f"{matches} {newest} LIMIT :limit OFFSET :offset) AS page",
                paged,
            )
        rank = f"ts_rank({RANK_WEIGHTS}, tsv, {rank_query})"
        order = "ORDER BY rank DESC, published DESC, story_id DESC"
        if total <= self.rank_candidates:
            return (
                f"SELECT story_id, row_number() OVER ({order}) AS n FROM ("
                f"SELECT story_id, {rank} AS rank, published FROM {FACETS_TABLE} "
                f"WHERE {where} {order} LIMIT :limit OFFSET :offset) AS page",
                paged,
            )
        sparse = where.searches_text and self._sparse(connection, total, rechecked)
        newest_matches = f"SELECT story_id FROM {FACETS_TABLE} WHERE {where.walked()} {newest}"
        # Title matches are checked one by one, whichever way they are found.
        titled = f"title_tsv @@ ({rank_query}) AND ({where.walked()})"
        title_matches = f"SELECT story_id FROM {FACETS_TABLE} WHERE {titled} {newest}"
        if sparse:
            # Fewer titles match still: walking the date index for them read every story
            # when fewer than 1,000 did (``refund -warehouse`` at a million: 3.2 s).
            title_matches = f"{_fenced(titled)} {newest}"
        if where.dates and where.searches_text:
            # A date range: its matches come from the GIN index, not from walking the
            # range and reading each story's vector (``_Where.rows``).
            newest_matches = f"{where.rows('story_id')} {newest}"
        elif sparse:
            # Few matches in a large archive: walking the date index and checking each
            # story's vector would read (detoast) hundreds of thousands of vectors to
            # find the newest matches. ``OFFSET 0`` keeps the subquery apart, so its
            # matches come from the GIN index (no vector read) and are sorted.
            newest_matches = f"{_fenced(str(where))} {newest}"
        ranked = list(
            connection.execute(
                text(f"""
                SELECT story_id, {rank} AS rank, published FROM {FACETS_TABLE}
                WHERE story_id = ANY(ARRAY(
                    ({title_matches} LIMIT :candidates)
                    UNION
                    ({newest_matches} LIMIT :candidates)
                )) {order}"""),
                {**params, "candidates": self.rank_candidates},
            ).scalars()
        )
        ids = ranked[offset : offset + limit]
        if len(ids) < limit:
            ids += connection.execute(
                text(
                    f"SELECT story_id FROM {FACETS_TABLE} WHERE ({where.walked()}) "
                    f"AND story_id <> ALL(:ranked) {newest} LIMIT :limit OFFSET :offset"
                ),
                {
                    **params,
                    "ranked": ranked,
                    "limit": limit - len(ids),
                    "offset": max(0, offset - len(ranked)),
                },
            ).scalars()
        return (
            "SELECT story_id, n FROM unnest(CAST(:ids AS integer[])) "
            "WITH ORDINALITY AS page(story_id, n)",
            {"ids": ids},
        )

    def _sparse(
        self, connection: Connection, total: int, rechecked: bool = False, wanted: int = 0
    ) -> bool:
        """Whether ``total`` matches are too few for the date index to find the newest
        ``wanted`` (``rank_candidates``, or a page's worth) of them cheaply. Walking it
        newest first reads about ``wanted × archive ÷ total`` vectors (each out of line); taking every
        match from the GIN index reads ``total`` narrow rows and no vector, each about
        ``VECTOR_READ_COST`` times cheaper. The walk wins only while ``total`` is above
        about ``√(VECTOR_READ_COST × rank_candidates × archive)``: 30,000 matches in
        100,000 stories, 95,000 in a million (measured: a word in 4,911 of 1,000,000
        stories took 2.5 s by the walk; ``refund``, in 12,606 of 100,000, 92 ms by the
        walk against 16 ms from the index; bench/RESULTS.md). When the index cannot
        answer exactly (``rechecked``: a phrase, a field restriction), each match's
        vector is read either way, and the walk wins above ``√(rank_candidates ×
        archive)``."""
        archive = connection.execute(
            text("SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = CAST(:t AS regclass)"),
            {"t": FACETS_TABLE},
        ).scalar()
        cost = 1 if rechecked else VECTOR_READ_COST
        return float(total) ** 2 < cost * (wanted or self.rank_candidates) * float(archive or 0)

    @staticmethod
    def _hits(
        connection: Connection, page: tuple[str, dict[str, Any]], request: SearchRequest
    ) -> list[SearchHit]:
        """What the page shows: the wide rows of its stories only (in the statement
        that chooses them, where it can), with snippets (``search.snippets``) made for
        them alone."""
        page_sql, params = page
        rows = connection.execute(
            text(f"""
            SELECT f.story_id, d.title, d.body, f.team, d.team_name, f.channel,
                   f.language, f.themes, f.author_kind, d.author_name, f.published,
                   d.kudos, d.featured
            FROM ({page_sql}) AS page
            JOIN {FACETS_TABLE} AS f USING (story_id) JOIN {DOCUMENTS} AS d USING (story_id)
            ORDER BY page.n"""),
            params,
        ).mappings()
        words = query_words(request.text)
        return [
            SearchHit(
                story_id=row["story_id"],
                title=row["title"],
                snippet_html=make_snippet(html.unescape(row["body"]), words),
                team=row["team"] or None,
                team_name=row["team_name"],
                channel=row["channel"],
                language=row["language"],
                themes=tuple(row["themes"]),
                author_kind=row["author_kind"],
                author_name=row["author_name"],
                published_at=row["published"].replace(tzinfo=UTC),
                kudos=row["kudos"],
                featured=row["featured"],
            )
            for row in rows
        ]

    def _suggest(
        self, connection: Connection, query_text: str, work: SearchWork, deadline: float
    ) -> str | None:
        """ "Did you mean", within the bounds of ``search.spelling``: the most similar
        known word (pg_trgm) within the edit distance Whoosh's corrector allows."""

        def is_known(folded: str) -> bool:
            return (
                connection.execute(
                    text(f"SELECT 1 FROM {WORDS} WHERE word = :w"), {"w": folded}
                ).first()
                is not None
            )

        def nearest(folded: str) -> str | None:
            # pg_trgm finds the candidates (similar words sharing the first letter);
            # ``spelling.closest`` picks among them by the rule Whoosh uses too.
            connection.exec_driver_sql(
                f"SET LOCAL pg_trgm.similarity_threshold = {SUGGESTION_SIMILARITY}"
            )
            candidates = connection.execute(
                text(
                    f"SELECT word FROM {WORDS} WHERE word % :w AND left(word, 1) = left(:w, 1) "
                    f"ORDER BY word <-> :w, word LIMIT {SUGGESTION_CANDIDATES}"
                ),
                {"w": folded},
            ).scalars()
            return closest(folded, candidates)

        return suggest_spelling(
            query_text,
            fold=spelling_words,
            is_known=is_known,
            nearest=nearest,
            cache=self._spelling,
            work=work,
            deadline=deadline,
        )


def _no_facets() -> dict[str, list[tuple[str, int]]]:
    return {name: [] for name in FACETS}


def _counted(rows: Sequence[Any]) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The total and each facet's (value, count) pairs, most first, from rows of the
    facet columns, the theme and a count: all NULL but the count for the total, one
    value set for a facet's row."""
    total = 0
    facets: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    names = [*FACET_COLUMNS, "theme"]
    for row in rows:
        *values, count = row
        found = [(name, value) for name, value in zip(names, values, strict=True) if value]
        if not any(value is not None for value in values):
            total = int(count)
        elif found:
            name, value = found[0]
            facets[name].append((str(value).strip(), int(count)))
    return total, {
        name: sorted(pairs, key=lambda pair: (-pair[1], pair[0])) for name, pairs in facets.items()
    }
