"""The full list of refused and skipped rows of an import, as a CSV people open in Excel.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) get a leading apostrophe: a comment such as
``=HYPERLINK("http://evil.example","klik")`` stays text and is never executed.
"""

from __future__ import annotations

import csv
import io
from typing import IO

from flask_babel import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RAW_MAX = 32_000  # Excel's limit for one cell is 32,767 characters


def safe_cell(value: str) -> str:
    """``value`` as text a spreadsheet shows, never evaluates."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def raw_row(record: list[str], delimiter: str) -> str:
    """A record as it stood in the file (quoted as CSV), cut to what one cell holds."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(record)
    text = buffer.getvalue()
    return text if len(text) <= RAW_MAX else text[:RAW_MAX] + "…"


class ProblemWriter:
    """Writes one CSV line per refused or skipped row: line, what, reason, raw row."""

    def __init__(self, out: IO[str], delimiter: str = ";") -> None:
        self.writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        self.writer.writerow([_("line"), _("what"), _("reason"), _("row in the file")])

    def write(self, line: int, what: str, reason: str, raw: str) -> None:
        self.writer.writerow([str(line), safe_cell(what), safe_cell(reason), safe_cell(raw)])
