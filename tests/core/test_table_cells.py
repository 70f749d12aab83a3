"""label_cells: a stacked table's rows get their column names and ARIA roles."""

from __future__ import annotations

from storyboard.table_cells import column_labels, label_cells

COLUMNS = ["Team", ("NPS", "num"), "Note", ("Actions", "hidden")]


def test_each_cell_gets_its_columns_name_and_each_row_and_cell_a_role() -> None:
    rows = '<tr class="x"><th scope="row">Retail</th><td class="num">40</td><td>Kind</td><td><a href="/e">Edit</a></td></tr>'
    assert label_cells(rows, COLUMNS) == (
        '<tr role="row" class="x"><th role="rowheader" scope="row">Retail</th>'
        '<td role="cell" data-label="NPS" class="num">40</td>'
        '<td role="cell" data-label="Note">Kind</td>'
        '<td role="cell"><a href="/e">Edit</a></td></tr>'
    )


def test_a_spanning_cell_moves_the_next_cells_column_on() -> None:
    rows = '<tr><td colspan="2">Both</td><td>Third</td></tr><tr><td>First</td></tr>'
    labelled = label_cells(rows, COLUMNS)
    assert '<td role="cell" data-label="Team" colspan="2">Both</td>' in labelled
    assert '<td role="cell" data-label="Note">Third</td>' in labelled
    # A new row starts at the first column again.
    assert '<td role="cell" data-label="Team">First</td>' in labelled


def test_what_a_cell_already_says_is_kept_and_labels_are_escaped() -> None:
    rows = '<tr role="row"><td role="cell" data-label="Own">x</td><td>y</td></tr>'
    labelled = label_cells(rows, ["A", 'Say "hi" <b>'])
    assert '<td role="cell" data-label="Own">x</td>' in labelled
    assert 'data-label="Say &#34;hi&#34; &lt;b&gt;"' in labelled
    assert labelled.count('role="row"') == 1


def test_a_column_whose_head_only_screen_readers_get_shows_no_label() -> None:
    assert column_labels(COLUMNS) == ["Team", "NPS", "Note", None]
