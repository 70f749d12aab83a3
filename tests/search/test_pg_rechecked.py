"""How PostgreSQL answers a typed word or phrase: which tsqueries need their matches
checked in the vectors (phrases, field restrictions; the bounded ranking picks its plan
by it), and which phrases the word-pair index answers, alone or with that check."""

from __future__ import annotations

import pytest

from storyboard.search.pg_query import needs_recheck, word_pairs


@pytest.mark.parametrize(
    ("tsquery", "expected"),
    [
        ("( 'refund' ) | ( '~refund' )", False),
        ("( 'stond' <-> 'voorop' ) | ( '~stond' <-> '~voorop' )", True),
        ("'proof' <2> 'postag'", True),
        ("( 'refund':AC )", True),
        ("'refund' & !'warehous'", False),
    ],
)
def test_phrases_and_field_restrictions_are_rechecked(tsquery: str, expected: bool) -> None:
    assert needs_recheck(tsquery) is expected


@pytest.mark.parametrize(
    ("phrases", "expected"),
    [
        # Two adjacent words: one pair per language, and the pair decides.
        (
            ["'stond' <-> 'voorop'", "'~stood' <-> '~first'"],
            ("( 'stond voorop' ) | ( '~stood ~first' )", True),
        ),
        # Three words: both pairs must be there, and the positions still checked.
        (["'custom' <-> 'for' <-> 'lif'"], ("( 'custom for' & 'for lif' )", False)),
        # A repeated word is a pair like any other.
        (["'heel' <-> 'heel'"], ("( 'heel heel' )", True)),
        # A quote inside a lexeme stays doubled, as tsquery text wants it.
        (["'o''neil' <-> 'bell'"], ("( 'o''neil bell' )", True)),
        # A stop word's gap (<2>) is not in the pair index: no pairs at all.
        (["'proof' <2> 'postag'", "'~proof' <2> '~postag'"], (None, False)),
        (["'oprecht' <-> 'excus'", "'~oprecht' <2> '~excus'"], (None, False)),
        # One word, or nothing left of the phrase.
        (["'refund'"], (None, False)),
        ([], (None, False)),
    ],
)
def test_word_pairs_of_a_phrase(phrases: list[str], expected: tuple[str | None, bool]) -> None:
    assert word_pairs(phrases) == expected
