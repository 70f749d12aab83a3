"""Search on PostgreSQL full-text search, for deployments with more than one app host.

The index is two tables in the application's own database (``pg_schema``): nothing
lives on one host's disk, every host sees a save as soon as it is committed, and the
outbox (``search.outbox``) keeps them in step with the stories exactly as it does for
Whoosh. Writers take a transaction-level advisory lock, so two drains never interleave
and the later one always loads the newer state.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from datetime import time as clock
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from whoosh.support.levenshtein import distance

from storyboard.search.analysis import spelling_words
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
from storyboard.search.pg_query import LABEL_COLUMNS, translate
from storyboard.search.pg_schema import CONFIGS, DOCUMENTS, QUERY_FUNCTION, WORDS
from storyboard.search.query import bounded_query_text, query_terms
from storyboard.search.spelling import SpellingCache, suggest_spelling

# Any constant shared by every process that writes the index (pg_advisory_xact_lock).
WRITE_LOCK_KEY = 0x53_74_6F_72  # "Stor"
REBUILD_BATCH = 500
# ts_headline marks matches with these (private-use characters, stripped from the text
# when it is indexed); they become <mark> in the already escaped snippet.
MARK_START, MARK_END = "\ue000", "\ue001"
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, "
    'MaxWords=30, MinWords=12, FragmentDelimiter=" … "'
)
FACET_COLUMNS = {**LABEL_COLUMNS}  # plus "theme", counted from the themes array
SUGGESTION_CANDIDATES = 8
QUERY_CANCELED = "57014"  # SQLSTATE of a statement stopped by statement_timeout

_TSV = {
    "title": (
        f"setweight(to_tsvector('{CONFIGS['nl']}', :title_html), 'A') || "
        f"setweight(to_tsvector('{CONFIGS['en']}', :title_html), 'A')"
    ),
    "body": (
        f"setweight(to_tsvector('{CONFIGS['nl']}', :body), 'B') || "
        f"setweight(to_tsvector('{CONFIGS['en']}', :body), 'B')"
    ),
}
UPSERT = text(f"""
    INSERT INTO {DOCUMENTS} (story_id, title, body, language, team, team_name, channel,
        themes, author_kind, author_name, period, published, kudos, featured,
        title_tsv, body_tsv, tsv)
    VALUES (:story_id, :title, :body, :language, :team, :team_name, :channel,
        :themes, :author_kind, :author_name, :period, :published, :kudos, :featured,
        {_TSV["title"]}, {_TSV["body"]}, {_TSV["title"]} || {_TSV["body"]})
    ON CONFLICT (story_id) DO UPDATE SET
        title = EXCLUDED.title, body = EXCLUDED.body, language = EXCLUDED.language,
        team = EXCLUDED.team, team_name = EXCLUDED.team_name, channel = EXCLUDED.channel,
        themes = EXCLUDED.themes, author_kind = EXCLUDED.author_kind,
        author_name = EXCLUDED.author_name, period = EXCLUDED.period,
        published = EXCLUDED.published, kudos = EXCLUDED.kudos,
        featured = EXCLUDED.featured, title_tsv = EXCLUDED.title_tsv,
        body_tsv = EXCLUDED.body_tsv, tsv = EXCLUDED.tsv
""")
ADD_WORDS = text(f"""
    INSERT INTO {WORDS} (word)
    SELECT DISTINCT w FROM unnest(string_to_array(:words, ' ')) AS w WHERE w <> ''
    ON CONFLICT DO NOTHING
""")


def _row(doc: StoryDocument) -> dict[str, Any]:
    published = doc.published_at.astimezone(UTC).replace(tzinfo=None)

    def clean(value: str) -> str:
        return value.replace(MARK_START, "").replace(MARK_END, "").replace("\x00", "")

    title, body = clean(doc.title), clean(doc.text)
    return {
        "story_id": doc.story_id,
        "title": title,
        # Escaped once, here: PostgreSQL's parser reads "<b>" as a tag and drops it with
        # the words inside ("<script>alert(1)</script>" would index nothing), while
        # "&lt;" is an entity between two words; and ts_headline's output, being pieces
        # of this text plus our marks, is then already safe HTML.
        "title_html": html.escape(title, quote=False),
        "body": html.escape(body, quote=False),
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
        "words": spelling_words(f"{doc.title} {doc.text}"),
    }


def _snippet(headline: str) -> str:
    """ts_headline's fragment of the escaped text (see ``_row``), with our marks."""
    return headline.strip().replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


class PostgresBackend:
    """Search over ``search_documents`` in the app's PostgreSQL database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._spelling = SpellingCache()

    # -- health ----------------------------------------------------------------------
    def is_healthy(self) -> bool:
        """The tables and configurations exist (migration 0014 ran on PostgreSQL)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(
                    text(
                        f"SELECT count(*) FROM {DOCUMENTS} "
                        f"WHERE tsv @@ plainto_tsquery('{CONFIGS['nl']}', 'x')"
                    )
                )
        except DBAPIError:
            return False
        return True

    def doc_count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {DOCUMENTS}")).scalar_one())

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
                connection.execute(
                    text(f"DELETE FROM {DOCUMENTS} WHERE story_id = ANY(:ids)"),
                    {"ids": list(changes.removals)},
                )
            self._write(connection, changes.upserts)
        return changes

    @staticmethod
    def _write(connection: Connection, documents: Sequence[StoryDocument]) -> None:
        if not documents:
            return
        rows = [_row(doc) for doc in documents]
        connection.execute(UPSERT, rows)
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
        caller holds the writers' lock (``hold_writes``)."""
        count = 0
        with self.engine.begin() as connection:
            connection.execute(text(f"DELETE FROM {DOCUMENTS}"))
            connection.execute(text(f"DELETE FROM {WORDS}"))
            batch: list[StoryDocument] = []
            for doc in documents:
                batch.append(doc)
                if len(batch) >= REBUILD_BATCH:
                    self._write(connection, batch)
                    count, batch = self._advance(count, batch, progress)
            self._write(connection, batch)
            count, _ = self._advance(count, batch, progress)
        self._spelling.clear()
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"ANALYZE {DOCUMENTS}"))
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
        translation = translate(text_searched)
        where, params = self._where(translation.condition, translation.params, request)
        total, facets, hits, suggestion, page = 0, _no_facets(), [], None, 1
        with self.engine.connect() as connection:
            # The server stops a statement that outlives the budget; the search then
            # answers with what it had (nothing, or the counts without the page).
            connection.exec_driver_sql(
                f"SET LOCAL statement_timeout = {max(1, int(request.time_budget * 1000))}"
            )
            try:
                params.update(self._tsqueries(connection, translation.leaves))
                total, facets = self._facets(connection, where, params)
                page = clamp_page(request.page, total, request.per_page)
                hits = (
                    self._hits(connection, where, params, translation.rank_query, request, page)
                    if total
                    else []
                )
                if total == 0 and text_searched:
                    suggestion = self._suggest(connection, text_searched, work, deadline)
            except OperationalError as error:
                if getattr(error.orig, "sqlstate", None) != QUERY_CANCELED:
                    raise
                work.timed_out = True
        return SearchResults(
            hits=hits,
            total=total,
            page=page,
            per_page=request.per_page,
            facets=facets,
            suggestion=suggestion,
            notice="malformed" if translation.malformed else None,
            work=work,
        )

    @staticmethod
    def _tsqueries(connection: Connection, leaves: dict[str, str]) -> dict[str, str]:
        """Each typed word or phrase as tsquery text, in one round trip."""
        if not leaves:
            return {}
        names = list(leaves)
        rows = connection.execute(
            text(
                f"SELECT {QUERY_FUNCTION}(words)::text FROM unnest(CAST(:words AS text[])) "
                "WITH ORDINALITY AS leaf(words, n) ORDER BY n"
            ),
            {"words": list(leaves.values())},
        )
        return dict(zip(names, rows.scalars(), strict=True))

    @staticmethod
    def _where(
        condition: str, params: dict[str, Any], request: SearchRequest
    ) -> tuple[str, dict[str, Any]]:
        clauses, params = [condition], dict(params)
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
            clauses.append("published >= :date_from")
        if request.date_to:
            params["date_to"] = datetime.combine(request.date_to, clock.max)
            clauses.append("published <= :date_to")
        return " AND ".join(clauses), params

    @staticmethod
    def _facets(
        connection: Connection, where: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        """The total and every facet's counts in one statement over the matches."""
        branches = ["SELECT 'total', '', count(*) FROM matched"]
        branches += [
            f"SELECT '{name}', {column}, count(*) FROM matched GROUP BY {column}"
            for name, column in FACET_COLUMNS.items()
        ]
        branches.append(
            "SELECT 'theme', theme, count(*) FROM matched, unnest(themes) AS theme GROUP BY theme"
        )
        rows = connection.execute(
            text(
                f"WITH matched AS MATERIALIZED (SELECT team, channel, author_kind, language, "
                f"period, themes FROM {DOCUMENTS} WHERE {where}) " + " UNION ALL ".join(branches)
            ),
            params,
        ).all()
        total = 0
        facets: dict[str, list[tuple[str, int]]] = {name: [] for name in (*FACET_COLUMNS, "theme")}
        for name, value, count in rows:
            if name == "total":
                total = int(count)
            elif value not in (None, ""):
                facets[name].append((str(value), int(count)))
        ordered = {
            "team": facets["team"],
            "channel": facets["channel"],
            "theme": facets["theme"],
            "author_kind": facets["author_kind"],
            "language": facets["language"],
            "period": facets["period"],
        }
        return total, {
            name: sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
            for name, pairs in ordered.items()
        }

    @staticmethod
    def _hits(
        connection: Connection,
        where: str,
        params: dict[str, Any],
        rank_query: str | None,
        request: SearchRequest,
        page: int,
    ) -> list[SearchHit]:
        by_relevance = request.sort != "newest" and rank_query is not None
        rank = "ts_rank(d.tsv, query)" if by_relevance else "0"
        config = (
            f"CASE WHEN language = 'nl' THEN '{CONFIGS['nl']}'::regconfig "
            f"ELSE '{CONFIGS['en']}'::regconfig END"
        )
        # Highlights only for the page: ts_headline re-parses the whole text.
        rows = (
            connection.execute(
                text(f"""
            SELECT page.*, ts_headline({config}, body, query, :headline) AS snippet
            FROM (
                SELECT d.story_id, d.title, d.body, d.team, d.team_name, d.channel,
                       d.language, d.themes, d.author_kind, d.author_name, d.published,
                       d.kudos, d.featured, query, {rank} AS rank
                FROM {DOCUMENTS} AS d
                CROSS JOIN (SELECT {rank_query or "''::tsquery"} AS query) AS q
                WHERE {where}
                ORDER BY rank DESC, d.published DESC, d.story_id DESC
                LIMIT :limit OFFSET :offset
            ) AS page
            ORDER BY rank DESC, published DESC, story_id DESC
        """),
                {
                    **params,
                    "headline": HEADLINE_OPTIONS,
                    "limit": request.per_page,
                    "offset": (page - 1) * request.per_page,
                },
            )
            .mappings()
            .all()
        )
        return [
            SearchHit(
                story_id=row["story_id"],
                title=row["title"],
                snippet_html=_snippet(row["snippet"] or ""),
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
            candidates = connection.execute(
                text(
                    f"SELECT word FROM {WORDS} WHERE word % :w "
                    f"ORDER BY word <-> :w, word LIMIT {SUGGESTION_CANDIDATES}"
                ),
                {"w": folded},
            ).scalars()
            allowed = 1 if len(folded) <= 4 else 2
            return next((c for c in candidates if distance(folded, c) <= allowed), None)

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
