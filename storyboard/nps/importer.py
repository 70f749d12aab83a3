"""Survey answers from a CSV export: one importer for ``storyboard import-nps`` and the
upload page. It reads, checks and inserts; it never commits (the caller is the unit of
work: commit when ``report.accepted``, else roll back).

The file
    UTF-8 with or without BOM; ``,`` or ``;`` (or tab) separated, detected from the
    header row (an Excel ``sep=;`` first line is honoured); CRLF or LF; quoted fields may
    hold delimiters and line breaks. Blank lines are skipped.

Columns (header names, case-insensitive; others are ignored and listed in the report)
    ``external_id``  the survey tool's id of the answer (required, at most 120 chars)
    ``answered_at``  ISO 8601 (``2026-11-22``, ``2026-11-22T14:05``, with an offset or
                     ``Z``) or ``dd-mm-yyyy`` with an optional ``hh:mm[:ss]`` (required).
                     Without an offset the time is local to the configured zone; a
                     date without a time means local midnight. Later than now (plus five
                     minutes of clock skew) is rejected.
    ``score``        a whole number 0–10 (required); ``7.5``, ``zeven``, ``11``, ``-1``
                     and empty are rejected
    ``team``         a team's name or slug (required); unknown teams are rejected unless
                     ``create_teams`` is set
    ``agent_email``  optional; an unknown address keeps the answer without an agent and
                     adds a warning
    ``channel``      optional: phone, chat, email, social, store (Dutch and common
                     spellings accepted, e.g. ``telefoon``, ``e-mail``, ``winkel``)
    ``language``     optional: nl or en (also ``Nederlands``, ``English``, ``nl-NL``)
    ``comment``      optional free text; longer than 5,000 characters is truncated
                     with a warning (a score is not lost because of a long comment)
    ``source``       optional; the survey system. Defaults to ``ImportOptions.source``.
    A mapping (``{"Cijfer": "score"}``, from ``--map Cijfer=score``) renames columns.

Idempotence
    ``(source, external_id)`` is unique: an answer already in the database, or earlier
    in the same file, counts as a duplicate and adds nothing.

Strict mode
    Any rejected row rejects the whole file: nothing is imported, every bad row is still
    reported.

Rows are inserted in batches of 5,000 with one ``executemany`` each, so a million rows
take well under two minutes; ``progress`` is called with the bytes read since its last
call.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from storyboard.db import db, utcnow
from storyboard.errors import UserError
from storyboard.nps.answer_rows import (
    COMMENT_MAX,
    FIELDS,
    REQUIRED_FIELDS,
    Columns,
    Lookups,
    RowRejected,
    parse_row,
    shown,
)
from storyboard.nps.store import answer_key, store_answers, stored_keys
from storyboard.text import clean_line
from storyboard.weeks import app_timezone

DEFAULT_SOURCE = "import"
BATCH_SIZE = 5_000
LISTED_PROBLEMS_MAX = 1_000  # rejected rows and warnings listed; all are counted
CLOCK_SKEW = timedelta(minutes=5)
FIELD_SIZE_LIMIT = 64 * 1024 * 1024  # characters; a 10 MB comment must reach our check
HEAD_BYTES = 64 * 1024
SQLITE_IMPORT_CACHE_KIB = 128 * 1024

__all__ = [
    "COMMENT_MAX",
    "FIELDS",
    "ImportFileError",
    "ImportOptions",
    "ImportReport",
    "RowProblem",
    "import_answers",
    "parse_mapping",
]


class ImportFileError(UserError):
    """The file as a whole cannot be imported (empty, binary, not UTF-8, no header …)."""


@dataclass(frozen=True)
class RowProblem:
    """A rejected row or a warning: its line in the file (header = line 1) and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class ImportOptions:
    """How to read a file: the CLI's options and the upload form's fields."""

    source: str = DEFAULT_SOURCE
    mapping: dict[str, str] = field(default_factory=dict)  # CSV column -> field
    strict: bool = False
    create_teams: bool = False
    now: datetime | None = None  # "future" is judged against this (default: now)
    tz: ZoneInfo | None = None  # default: the app's zone


@dataclass
class ImportReport:
    """What an import did. ``rejected``/``warnings`` list at most 1,000 entries each;
    ``rejected_count``/``warning_count`` count them all."""

    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    rejected_count: int = 0
    warnings: list[RowProblem] = field(default_factory=list)
    warning_count: int = 0
    file_error: str | None = None
    strict: bool = False
    delimiter: str = ","
    ignored_columns: list[str] = field(default_factory=list)
    teams_created: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """True when the caller should commit what was imported."""
        return self.file_error is None and not (self.strict and self.rejected_count)

    @property
    def strict_rejected(self) -> bool:
        return self.file_error is None and self.strict and self.rejected_count > 0

    def reject(self, line: int, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < LISTED_PROBLEMS_MAX:
            self.rejected.append(RowProblem(line, reason))

    def warn(self, line: int, reason: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < LISTED_PROBLEMS_MAX:
            self.warnings.append(RowProblem(line, reason))


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["Cijfer=score", "Datum=answered_at"]`` → ``{"cijfer": "score", …}``.

    Raises ``ValueError`` with a readable message for a malformed pair or unknown field.
    """
    mapping: dict[str, str] = {}
    for pair in pairs:
        pair = pair.strip()
        if not pair:
            continue
        column, sep, target = pair.rpartition("=")
        column, target = column.strip(), target.strip().lower()
        if not sep or not column or not target:
            raise ValueError(_("%(pair)s is not of the form column=field.", pair=shown(pair)))
        if target not in FIELDS:
            raise ValueError(
                _(
                    "%(field)s is not a field; use one of: %(fields)s.",
                    field=shown(target),
                    fields=", ".join(FIELDS),
                )
            )
        mapping[column.lower()] = target
    return mapping


# --------------------------------------------------------------------------- the file


def _check_head(head: bytes) -> None:
    if not head.strip():
        raise ImportFileError(_("The file is empty."))
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "This is a spreadsheet or archive, not a CSV file. In Excel choose "
                "File › Save as › CSV UTF-8 (comma delimited) and import that file."
            )
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(_("The file is UTF-16 text; save it as CSV UTF-8 and try again."))
    if b"\x00" in head:
        raise ImportFileError(_("This is a binary file, not CSV text."))
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError as error:
        raise _not_utf8(error) from error


def _not_utf8(error: UnicodeDecodeError) -> ImportFileError:
    return ImportFileError(
        _(
            "The file is not UTF-8 text (byte 0x%(byte)s). Save it as CSV UTF-8 and try again.",
            byte=f"{error.object[error.start]:02X}",
        )
    )


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _map_header(header: list[str], mapping: dict[str, str], report: ImportReport) -> Columns:
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    seen_columns = set()
    for index, raw in enumerate(header):
        name = clean_line(raw)
        key = name.lower()
        seen_columns.add(key)
        target = mapping.get(key) or (key if key in FIELDS else None)
        if target is None:
            if name:
                report.ignored_columns.append(name)
            continue
        if target in positions:
            raise ImportFileError(
                _(
                    "Two columns hold %(field)s: %(first)s and %(second)s. Keep one.",
                    field=target,
                    first=shown(names[target]),
                    second=shown(name),
                )
            )
        positions[target], names[target] = index, name
    unknown = [column for column in mapping if column not in seen_columns]
    if unknown:
        raise ImportFileError(
            _(
                "The mapping names columns the file does not have: %(columns)s. "
                "Columns in the file: %(found)s.",
                columns=", ".join(shown(c) for c in unknown),
                found=", ".join(shown(clean_line(h)) for h in header),
            )
        )
    missing = [f for f in REQUIRED_FIELDS if f not in positions]
    if missing:
        raise ImportFileError(
            _(
                "The header row has no column for %(missing)s. Columns in the file: "
                "%(found)s. Rename them, or map them (for example Cijfer=score).",
                missing=", ".join(missing),
                found=", ".join(shown(clean_line(h)) for h in header) or _("none"),
            )
        )
    return Columns(positions, len(header))


# --------------------------------------------------------------------------- the rows


def _records(reader: Any, lines_before: int) -> Iterator[tuple[int, list[str]]]:
    """Records with the line on which each starts (quoted fields may span lines)."""
    previous = 0
    for record in reader:
        yield lines_before + previous + 1, record
        previous = reader.line_num


class _Batch:
    """Pending rows; duplicates against the database are found per batch."""

    def __init__(self, report: ImportReport) -> None:
        self.rows: list[dict[str, Any]] = []
        self.report = report

    def flush(self) -> None:
        rows, self.rows = self.rows, []
        if not rows:
            return
        existing = stored_keys(answer_key(row) for row in rows)
        fresh = [row for row in rows if answer_key(row) not in existing]
        self.report.duplicates += len(rows) - len(fresh)
        if fresh and not (self.report.strict and self.report.rejected_count):
            self.report.imported += store_answers(fresh)


def import_summary(report: ImportReport, source: str) -> str:
    """One line for the audit log: counts only, never an answer's content."""
    return (
        f"source {source}: {report.read:,} read, {report.imported:,} imported, "
        f"{report.duplicates:,} duplicates, {report.rejected_count:,} rejected"
        + (f", teams created: {', '.join(report.teams_created)}" if report.teams_created else "")
    )


def import_answers(
    stream: IO[bytes],
    options: ImportOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import survey answers from a binary CSV stream; see the module docstring.

    Never raises for a bad file or row: problems are in the report. Does not commit.
    """
    options = options or ImportOptions()
    report = ImportReport(strict=options.strict)
    try:
        with _larger_sqlite_cache():
            _import(stream, options, report, progress)
    except ImportFileError as error:
        report.file_error = str(error)
    if not report.accepted:
        report.imported = 0
    return report


@contextmanager
def _larger_sqlite_cache() -> Iterator[None]:
    """On SQLite, a 128 MB page cache while importing: with SQLite's 2 MB default, every
    insert into five indexes of a million rows misses the cache (a third slower)."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")


def _import(
    stream: IO[bytes],
    options: ImportOptions,
    report: ImportReport,
    progress: Callable[[int], None] | None,
) -> None:
    if not stream.seekable():  # standard input: the head is read twice
        with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as copy:
            shutil.copyfileobj(stream, copy)
            copy.seek(0)
            _import(copy, options, report, progress)
        return
    head = stream.read(HEAD_BYTES)
    _check_head(head)
    stream.seek(0)
    tz = options.tz or app_timezone()
    now = options.now or utcnow()
    latest = now + CLOCK_SKEW

    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reported = 0

    def advance() -> None:
        nonlocal reported
        if progress is None:
            return
        position = stream.tell()
        if position > reported:
            progress(position - reported)
            reported = position

    try:
        first = text.readline()
        first_line = 0
        if re.fullmatch(r"sep=(.)\r?\n?", first, flags=re.IGNORECASE):
            delimiter = first[4]
            first_line = 1
            first = text.readline()
        else:
            delimiter = _detect_delimiter(first)
        report.delimiter = delimiter
        if not first.strip():
            raise ImportFileError(_("The file has no header row: its first line is empty."))
        previous_limit = csv.field_size_limit()
        csv.field_size_limit(max(previous_limit, FIELD_SIZE_LIMIT))
        header = next(csv.reader([first], delimiter=delimiter))
        columns = _map_header(header, options.mapping, report)
        lookups = Lookups(options.create_teams)
        report.teams_created = lookups.created
        reader = csv.reader(text, delimiter=delimiter)
        seen: set[tuple[str, str]] = set()
        batch = _Batch(report)
        imported_at = utcnow()
        try:
            for line, record in _records(reader, first_line + 1):
                if not record or not any(cell.strip() for cell in record):
                    continue
                report.read += 1
                try:
                    row = parse_row(
                        record,
                        line,
                        columns,
                        options.source,
                        lookups,
                        report.warn,
                        tz,
                        latest,
                        imported_at,
                    )
                except RowRejected as error:
                    report.reject(line, str(error))
                    continue
                key = answer_key(row)
                if key in seen:
                    report.duplicates += 1
                    continue
                seen.add(key)
                batch.rows.append(row)
                if len(batch.rows) >= BATCH_SIZE:
                    batch.flush()
                    advance()
            batch.flush()
            advance()
        finally:
            csv.field_size_limit(previous_limit)
    except UnicodeDecodeError as error:
        raise _not_utf8(error) from error
    except csv.Error as error:
        raise ImportFileError(_("The CSV is malformed: %(error)s.", error=str(error))) from error
    finally:
        text.detach()
    if report.read == 0:
        raise ImportFileError(_("The file has a header row but no answers."))
