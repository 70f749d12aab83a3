"""Data tables that turn into cards on a phone: each cell carries its column's name.

On a narrow screen a stacked table shows every row as a block of "label: value" lines
(``.stack-table`` in the stylesheet). CSS cannot read a cell's column head, so the cell
must carry it as ``data-label``; and since ``display: block`` makes browsers drop a
table's semantics, each row and cell also carries its ARIA role. ``label_cells`` adds
both to the rows a template wrote, so no template repeats its column names per cell.

Limits: the rows are our own templates' markup, without nested tables and without ``>``
inside attribute values of ``tr``, ``th`` and ``td`` tags (the pattern stops there).
Attributes a cell already has (its own ``data-label`` or ``role``) are kept; the added
ones come right after the tag's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup, escape

_TAG = re.compile(r"<(tr|td|th)\b([^>]*)>", re.IGNORECASE)
_COLSPAN = re.compile(r"""\bcolspan\s*=\s*["']?(\d+)""", re.IGNORECASE)


def _role(tag: str, attributes: str) -> str:
    if tag == "tr":
        return "row"
    if tag == "td":
        return "cell"
    return "rowheader" if re.search(r"""scope\s*=\s*["']?row""", attributes) else "columnheader"


Column = str | tuple[str, str]


def column_labels(columns: Sequence[Column]) -> list[str | None]:
    """The kit's column heads (a text, or (text, flags)) as cell labels: none for a
    column whose head only screen readers get (flag "hidden", such as "Actions")."""
    return [
        column if isinstance(column, str) else None if "hidden" in column[1].split() else column[0]
        for column in columns
    ]


def label_cells(rows: str, columns: Sequence[Column]) -> Markup:
    """``rows`` with ``role`` on every row and cell and ``data-label`` on every ``td``
    whose column has a visible head (see ``column_labels``)."""
    labels = column_labels(columns)
    column = 0

    def rewrite(match: re.Match[str]) -> str:
        nonlocal column
        tag, attributes = match.group(1).lower(), match.group(2)
        added = ""
        if "role=" not in attributes:
            added += f' role="{_role(tag, attributes)}"'
        if tag == "tr":
            column = 0
        else:
            label = labels[column] if column < len(labels) else None
            if tag == "td" and label and "data-label=" not in attributes:
                added += f' data-label="{escape(label)}"'
            span = _COLSPAN.search(attributes)
            column += int(span.group(1)) if span else 1
        # Added first, so the tag still ends as the template wrote it.
        return f"<{match.group(1)}{added}{attributes}>"

    return Markup(_TAG.sub(rewrite, str(rows)))
