"""Survey answers from a CSV export: one importer for ``storyboard import-nps`` and the
upload page. It reads, checks and inserts; it never commits (the caller is the unit of
work: commit when ``report.accepted``, else roll back).

The file
    UTF-8 with or without BOM, Windows-1252 (Excel's "CSV" on a Dutch Windows machine)
    or UTF-16 (Excel's "Unicode text"), recognised by ``storyboard.nps.encoding``; a
    file in none of these is refused with the line and column of the first bad byte.
    ``,``, ``;`` or tab separated, detected from the header row (an Excel ``sep=;``
    first line is honoured); CRLF or LF; quoted fields may hold delimiters and line
    breaks. Blank lines are skipped.

Columns (header names compared without case, accents, spaces or punctuation; others
are ignored and listed in the report; ``storyboard.nps.headers`` has the names)
    ``external_id``  the survey tool's id of the answer (required, at most 120 chars);
                     also ``ID``, ``Respons-ID``, ``Response ID``, ``Respondent``
    ``answered_at``  ISO 8601 (``2026-11-22``, ``2026-11-22T14:05``, with an offset or
                     ``Z``), ``dd-mm-yyyy`` with an optional ``hh:mm[:ss]``, or Google
                     Forms' ``2026/11/22 2:05:09 PM GMT+1`` (required); also ``Datum``,
                     ``Date``, ``Tijdstip``. A ``Tijd``/``Time`` column is joined to a
                     date that holds only the day. Without an offset the time is local to the
                     configured zone; a date without a time means local midnight. Later
                     than now (plus five minutes of clock skew) is rejected.
    ``score``        a whole number 0–10 (required; ``9,0`` is 9); ``7.5``, ``zeven``,
                     ``11``, ``-1`` and empty are rejected; also ``Cijfer``, ``Rating``
    ``team``         a team's name or slug (required); unknown teams are rejected unless
                     ``create_teams`` is set; also ``Afdeling``
    ``agent_email``  optional; an unknown address keeps the answer without an agent and
                     adds a warning
    ``channel``      optional: one of the organisation's channels by its key, name or
                     alias, without case or accents (``Telefoon``, ``Tel.``, ``E-mail``,
                     ``WhatsApp``, ``Balie`` as the admins set them up:
                     ``storyboard.channels``); unknown ones are rejected unless
                     ``create_channels`` is set; also ``Kanaal``
    ``language``     optional: nl or en (also ``Nederlands``, ``English``, ``nl-NL``)
    ``comment``      optional free text; longer than 5,000 characters is truncated
                     with a warning (a score is not lost because of a long comment);
                     also ``Opmerking``, ``Toelichting``
    ``source``       optional; the survey system. Defaults to ``ImportOptions.source``.
    A mapping (``{"cijfer": "score"}``, from ``--map Cijfer=score``) renames columns;
    without one, the last mapping given for the same source is used again.

Survey tools
    Qualtrics' CSV (a second header row with the questions, a third with
    ``{"ImportId": …}``, times in the zone that row names) and Google Forms (no answer
    id: one is made from the row's content, so the same export imports once) are
    recognised; so is a Microsoft Forms workbook saved as CSV.

Idempotence
    ``(source, external_id)`` is unique: an answer already in the database counts as
    such and adds nothing; the same id again later in the file is skipped and named
    ("same response id as line N", saying so when the score differs). Answers whose
    ids exist under another source are counted, and the import is refused unless
    ``force`` is set (they would be counted twice).

Strict mode
    Any rejected row rejects the whole file: nothing is imported, every bad row is still
    reported.

Every refused and skipped row can be written, with its reason and raw text, to
``ImportOptions.problems_out`` as CSV (``storyboard.nps.problem_csv``). Rows are
inserted in batches of 5,000 with one ``executemany`` each, so a million rows take
well under two minutes; ``progress`` is called with the bytes read since its last call.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
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
from storyboard.nps import encoding, headers
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
from storyboard.nps.problem_csv import ProblemWriter, raw_row
from storyboard.nps.store import (
    answer_key,
    keys_under_other_sources,
    known_sources,
    store_answers,
    stored_keys,
)
from storyboard.text import clean_line
from storyboard.weeks import app_timezone

DEFAULT_SOURCE = "import"
BATCH_SIZE = 5_000
LISTED_PROBLEMS_MAX = 1_000  # rejected rows and warnings listed; all are counted
CLOCK_SKEW = timedelta(minutes=5)
FIELD_SIZE_LIMIT = 64 * 1024 * 1024  # characters; a 10 MB comment must reach our check
HEAD_BYTES = 64 * 1024
SQLITE_IMPORT_CACHE_KIB = 128 * 1024

# How a column came to hold its field, for the report.
BY_NAME, RECOGNISED, MAPPED, REMEMBERED, MADE = (
    "name",
    "recognised",
    "mapped",
    "remembered",
    "made",
)
QUALTRICS, GOOGLE_FORMS, MICROSOFT_FORMS = "Qualtrics", "Google Forms", "Microsoft Forms"

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
    """The file as a whole cannot be imported (empty, binary, unreadable, no header …)."""


@dataclass(frozen=True)
class RowProblem:
    """A rejected or skipped row or a warning: its line in the file (header = line 1)
    and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class ColumnUse:
    """One column the import read: its header, the field, and how it was matched."""

    column: str
    field: str
    how: str


@dataclass(frozen=True)
class ImportOptions:
    """How to read a file: the CLI's options and the upload form's fields."""

    source: str = DEFAULT_SOURCE
    mapping: dict[str, str] = field(default_factory=dict)  # CSV column -> field
    strict: bool = False
    create_teams: bool = False
    create_channels: bool = False
    on_command_line: bool = False  # a refusal names the command's options
    force: bool = False  # import even when the ids exist under another source
    remembered: dict[str, str] = field(default_factory=dict)  # used when mapping is empty
    problems_out: IO[str] | None = None  # every refused/skipped row, as CSV
    now: datetime | None = None  # "future" is judged against this (default: now)
    tz: ZoneInfo | None = None  # default: the app's zone


@dataclass
class ImportReport:
    """What an import did. ``rejected``/``skipped``/``warnings`` list at most 1,000
    entries each; the ``…_count`` fields count them all."""

    read: int = 0
    imported: int = 0
    duplicates: int = 0  # already in the database under the same source
    file_duplicates: int = 0  # the same id earlier in the file
    file_duplicates_differing: int = 0  # … with another score
    skipped: list[RowProblem] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    rejected_count: int = 0
    warnings: list[RowProblem] = field(default_factory=list)
    warning_count: int = 0
    file_error: str | None = None
    strict: bool = False
    force: bool = False
    encoding: str = ""
    delimiter: str = ","
    layout: str | None = None  # a survey tool's export recognised by its header
    columns: list[ColumnUse] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    teams_created: list[str] = field(default_factory=list)
    channels_created: list[str] = field(default_factory=list)
    elsewhere: dict[str, int] = field(default_factory=dict)  # other source -> answers
    elsewhere_count: int = 0  # answers of this file stored under another source

    @property
    def needs_force(self) -> bool:
        """Answers of this file exist under another source and nobody said "import
        anyway": importing would count them twice."""
        return self.file_error is None and bool(self.elsewhere) and not self.force

    @property
    def accepted(self) -> bool:
        """True when the caller should commit what was imported."""
        return (
            self.file_error is None
            and not (self.strict and self.rejected_count)
            and not self.needs_force
        )

    @property
    def strict_rejected(self) -> bool:
        return self.file_error is None and self.strict and self.rejected_count > 0

    @property
    def all_refused(self) -> bool:
        """Rows were read, none was imported, and that is because they were refused."""
        return self.read > 0 and self.imported == 0 and self.rejected_count > 0

    @property
    def succeeded(self) -> bool:
        """Whether a script should count this import as done (the exit code)."""
        return self.accepted and not self.all_refused

    def reject(self, line: int, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < LISTED_PROBLEMS_MAX:
            self.rejected.append(RowProblem(line, reason))

    def skip(self, line: int, reason: str) -> None:
        self.file_duplicates += 1
        if len(self.skipped) < LISTED_PROBLEMS_MAX:
            self.skipped.append(RowProblem(line, reason))

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


def mapping_text(mapping: dict[str, str]) -> str:
    """A mapping as the upload form's text: one ``column=field`` per line."""
    return "\n".join(f"{column}={target}" for column, target in mapping.items())


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
    if encoding.looks_like_utf16(head) is not None:
        if not head.decode("utf-16", "replace").strip("\ufeff \r\n\t\x00"):
            raise ImportFileError(_("The file is empty."))
        return
    if b"\x00" in head:
        raise ImportFileError(_("This is a binary file, not CSV text."))


def _detect_delimiter(header_line: str) -> str:
    """The delimiter that splits the header row into the most cells (quotes honoured)."""
    best, most = ",", 1
    for delimiter in (";", ",", "\t"):
        if delimiter not in header_line:
            continue
        cells = len(next(csv.reader([header_line], delimiter=delimiter), []))
        if cells > most:
            best, most = delimiter, cells
    return best


def _is_qualtrics_import_row(record: list[str]) -> bool:
    cells = [cell.strip() for cell in record if cell.strip()]
    return bool(cells) and all(cell.startswith('{"ImportId"') for cell in cells)


def _qualtrics_zone(import_row: list[str], index: int | None) -> ZoneInfo | None:
    """The time zone Qualtrics wrote the date column in (its third header row)."""
    if index is None or index >= len(import_row):
        return None
    try:
        zone = json.loads(import_row[index]).get("timeZone")
        return ZoneInfo(zone) if isinstance(zone, str) and zone else None
    except (ValueError, AttributeError, KeyError):
        return None


def _map_header(
    header: list[str],
    options: ImportOptions,
    report: ImportReport,
    questions: list[str] | None = None,
) -> Columns:
    """Which column holds which field: the mapping given, else the one remembered for
    the source; then the field names; then the names people and survey tools use."""
    given = {key: target for key, target in options.mapping.items()}
    keys = [clean_line(raw).lower() for raw in header]
    remembered = {k: v for k, v in options.remembered.items() if k in keys} if not given else {}
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    how: dict[str, str] = {}
    for index, raw in enumerate(header):
        name, key = clean_line(raw), keys[index]
        target = given.get(key) or remembered.get(key)
        if target is None:
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
        how[target] = MAPPED if key in given else REMEMBERED
    unknown = [column for column in given if column not in keys]
    if unknown:
        raise ImportFileError(
            _(
                "The mapping names columns the file does not have: %(columns)s. "
                "Columns in the file: %(found)s.",
                columns=", ".join(shown(c) for c in unknown),
                found=", ".join(shown(clean_line(h)) for h in header),
            )
        )
    taken = set(positions.values())
    # Exact field names first, so that "score" beats "Cijfer" in a file with both.
    for exact in (True, False):
        for index, raw in enumerate(header):
            if index in taken:
                continue
            name = clean_line(raw)
            target = headers.recognise(name, FIELDS)
            if target is None and questions and index < len(questions):
                target = headers.recognise(clean_line(questions[index]), FIELDS)
            if target is None:
                continue
            is_exact = headers.normal(name) == headers.normal(target)
            if target in positions:
                if is_exact and how[target] == MAPPED:
                    raise ImportFileError(
                        _(
                            "Two columns hold %(field)s: %(first)s and %(second)s. Keep one.",
                            field=target,
                            first=shown(names[target]),
                            second=shown(name),
                        )
                    )
                continue
            if is_exact != exact:
                continue
            positions[target], names[target] = index, name
            how[target] = BY_NAME if is_exact else RECOGNISED
            taken.add(index)
    for index, raw in enumerate(header):
        name = clean_line(raw)
        if index not in taken and name:
            report.ignored_columns.append(name)
    derive_id = False
    if "external_id" not in positions and report.layout == GOOGLE_FORMS:
        derive_id = True
        positions["external_id"] = len(header)
        names["external_id"] = _("(made from the row)")
        how["external_id"] = MADE
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
    report.columns = [
        ColumnUse(names[f], f, how[f]) for f in sorted(positions, key=positions.__getitem__)
    ]
    return Columns(positions, len(header) + (1 if derive_id else 0))


def _layout(header: list[str]) -> str | None:
    keys = {headers.normal(cell) for cell in header if len(cell) <= headers.HEADER_MAX}
    first = headers.normal(header[0][: headers.HEADER_MAX]) if header else ""
    if "responseid" in keys and "recordeddate" in keys:
        return QUALTRICS
    if first in ("timestamp", "tijdstempel"):
        return GOOGLE_FORMS
    if keys & {"starttime", "begintijd"} and keys & {
        "completiontime",
        "voltooiingstijd",
        "tijdvanvoltooien",
    }:
        return MICROSOFT_FORMS
    return None


_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
TIME_COLUMNS = ("tijd", "time", "uur", "tijdstip", "tijdvanantwoord")


def _time_column(header: list[str], report: ImportReport) -> int | None:
    """An ignored column holding the time of day when the date column holds only the
    day (``Datum;Tijd`` exports): it is joined to the date, and listed as read."""
    for index, raw in enumerate(header):
        name = clean_line(raw)
        if name in report.ignored_columns and headers.normal(name) in TIME_COLUMNS:
            report.ignored_columns.remove(name)
            report.columns.append(ColumnUse(name, "answered_at", RECOGNISED))
            return index
    return None


def _row_id(record: list[str]) -> str:
    """A stable id for an answer whose export has none (Google Forms): its content."""
    digest = hashlib.sha1("\x1f".join(record).encode(), usedforsecurity=False)
    return "row-" + digest.hexdigest()[:24]


# --------------------------------------------------------------------------- the rows


def _records(reader: Any, lines_before: int) -> Iterator[tuple[int, list[str]]]:
    """Records with the line on which each starts (quoted fields may span lines)."""
    previous = 0
    for record in reader:
        yield lines_before + previous + 1, record
        previous = reader.line_num


class _Batch:
    """Pending rows; duplicates against the database, and answers stored under another
    source, are found per batch."""

    def __init__(self, report: ImportReport, sources: set[str]) -> None:
        self.rows: list[dict[str, Any]] = []
        self.report = report
        self.sources = sources  # every source in the database

    def flush(self) -> None:
        rows, self.rows = self.rows, []
        if not rows:
            return
        existing = stored_keys(answer_key(row) for row in rows)
        fresh = [row for row in rows if answer_key(row) not in existing]
        self.report.duplicates += len(rows) - len(fresh)
        row_sources = {row["source"] for row in fresh}
        if fresh and (self.sources - row_sources or len(row_sources) > 1):
            found = keys_under_other_sources(fresh, self.sources)
            self.report.elsewhere_count += len(found)
            for others in found.values():
                for source in others:
                    self.report.elsewhere[source] = self.report.elsewhere.get(source, 0) + 1
        if fresh and not (self.report.strict and self.report.rejected_count):
            self.report.imported += store_answers(fresh)
        for row in fresh:
            self.sources.add(row["source"])


def import_summary(report: ImportReport, source: str) -> str:
    """One line for the audit log: counts only, never an answer's content."""
    return (
        f"source {source}: {report.read:,} read, {report.imported:,} imported, "
        f"{report.duplicates:,} already there, {report.file_duplicates:,} duplicates "
        f"in the file, {report.rejected_count:,} rejected, encoding {report.encoding}"
        + (f", teams created: {', '.join(report.teams_created)}" if report.teams_created else "")
        + (
            f", channels created: {', '.join(report.channels_created)}"
            if report.channels_created
            else ""
        )
        + (
            f", forced past {report.elsewhere_count:,} under other sources"
            if report.force and report.elsewhere
            else ""
        )
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
    report = ImportReport(strict=options.strict, force=options.force)
    try:
        with _larger_sqlite_cache():
            _import(stream, options, report, progress)
    except (ImportFileError, encoding.EncodingError) as error:
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
    if not stream.seekable():  # standard input: the file is read more than once
        with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as copy:
            shutil.copyfileobj(stream, copy)
            copy.seek(0)
            _import(copy, options, report, progress)
        return
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    _check_head(head)
    found = encoding.detect(stream, head)
    report.encoding = found.label
    tz = options.tz or app_timezone()
    now = options.now or utcnow()
    latest = now + CLOCK_SKEW

    text = io.TextIOWrapper(stream, encoding=found.codec, newline="")
    reported = 0

    def advance() -> None:
        nonlocal reported
        if progress is None:
            return
        position = stream.tell()
        if position > reported:
            progress(position - reported)
            reported = position

    previous_limit = csv.field_size_limit()
    csv.field_size_limit(max(previous_limit, FIELD_SIZE_LIMIT))
    try:
        first = text.readline()
        if first.startswith("\ufeff"):  # a BOM that the codec kept (UTF-16 LE/BE)
            first = first[1:]
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
        header = next(csv.reader([first], delimiter=delimiter))
        report.layout = _layout(header)
        reader = csv.reader(text, delimiter=delimiter)
        records = _records(reader, first_line + 1)
        questions: list[str] | None = None
        if report.layout == QUALTRICS:
            peeked = list(itertools.islice(records, 2))
            if len(peeked) == 2 and _is_qualtrics_import_row(peeked[1][1]):
                questions = peeked[0][1]
            else:
                records = itertools.chain(peeked, records)
        columns = _map_header(header, options, report, questions)
        if questions is not None:
            zone = _qualtrics_zone(peeked[1][1], columns.positions.get("answered_at"))
            tz = options.tz or zone or tz
        derive_id = any(use.how == MADE for use in report.columns)
        date_index = columns.positions["answered_at"]
        time_index = _time_column(header, report)
        writer = (
            ProblemWriter(options.problems_out, delimiter if delimiter != "\t" else ";")
            if options.problems_out is not None
            else None
        )
        lookups = Lookups(
            options.create_teams,
            options.create_channels,
            "cli" if options.on_command_line else "upload",
        )
        report.teams_created = lookups.created
        report.channels_created = lookups.channels_created
        seen: dict[tuple[str, str], tuple[int, int]] = {}
        batch = _Batch(report, known_sources())
        imported_at = utcnow()
        width = len(header)
        for line, record in records:
            if not record or not any(cell.strip() for cell in record):
                continue
            report.read += 1
            cells = record
            if time_index is not None and time_index < len(record) < 10_000:
                moment, clock = record[date_index].strip(), record[time_index].strip()
                if clock and ":" not in moment and _CLOCK.fullmatch(clock):
                    cells = list(record)
                    cells[date_index] = f"{moment} {clock}"
            if derive_id:
                if len(record) > width and not any(c.strip() for c in record[width:]):
                    cells = record[:width]
                cells = [*cells, _row_id(cells)]
            try:
                row = parse_row(
                    cells,
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
                if writer:
                    writer.write(line, _("refused"), str(error), raw_row(record, delimiter))
                continue
            key = answer_key(row)
            earlier = seen.get(key)
            if earlier is not None:
                earlier_line, earlier_score = earlier
                if earlier_score != row["score"]:
                    report.file_duplicates_differing += 1
                    reason = _(
                        "same response id as line %(line)s, with another score (%(there)s "
                        "there, %(here)s here); the answer of line %(line)s is kept",
                        line=earlier_line,
                        there=earlier_score,
                        here=row["score"],
                    )
                else:
                    reason = _("same response id as line %(line)s", line=earlier_line)
                report.skip(line, reason)
                if writer:
                    writer.write(line, _("skipped"), reason, raw_row(record, delimiter))
                continue
            seen[key] = (line, row["score"])
            batch.rows.append(row)
            if len(batch.rows) >= BATCH_SIZE:
                batch.flush()
                advance()
        batch.flush()
        advance()
    except UnicodeDecodeError as error:  # detect() read the file: only a changing file
        raise ImportFileError(
            _("The file could not be read as %(encoding)s.", encoding=found.label)
        ) from error
    except csv.Error as error:
        raise ImportFileError(_("The CSV is malformed: %(error)s.", error=str(error))) from error
    finally:
        csv.field_size_limit(previous_limit)
        text.detach()
    if report.read == 0:
        raise ImportFileError(_("The file has a header row but no answers."))
