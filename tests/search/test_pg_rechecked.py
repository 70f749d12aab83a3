"""Which PostgreSQL searches need their matches checked in the vectors (phrases, field
restrictions): the bounded ranking picks its plan by it."""

from __future__ import annotations

import pytest

from storyboard.search.pg_backend import rechecked


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"t0": "( 'refund' ) | ( '~refund' )"}, False),
        ({"t0": "( 'stond' <-> 'voorop' ) | ( '~stond' <-> '~voorop' )"}, True),
        ({"t0": "'proof' <2> 'postag'"}, True),
        ({"t0": "( 'refund':AC )"}, True),
        ({"t0": "'refund'", "t1": "!'warehous'"}, False),
        # Only the tsqueries count: a typed label or filter value never does.
        ({"t0": "'refund'", "q1": "<->", "f_team": "'x':A"}, False),
    ],
)
def test_phrases_and_field_restrictions_are_rechecked(
    params: dict[str, str], expected: bool
) -> None:
    assert rechecked(params) is expected
