"""How PostgreSQL answers a typed word or phrase: which tsqueries need their matches
checked in the vectors (phrases, field restrictions; the bounded ranking picks its plan
by it), and which phrases the word-pair index answers, alone or with that check."""

from __future__ import annotations

import re

import pytest

from storyboard.search.pg_query import Analysed, Leaf, needs_recheck, translate, word_pairs


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
        # A pair longer than a lexeme may be: not in the index, so not asked for.
        ([f"'{'a' * 1100}' <-> '{'b' * 1100}'"], (None, False)),
        (
            ["'" + "a" * 1000 + "' <-> '" + "b" * 1000 + "'"],
            ("( '" + "a" * 1000 + " " + "b" * 1000 + "' )", True),
        ),
        # One word, or nothing left of the phrase.
        (["'refund'"], (None, False)),
        ([], (None, False)),
    ],
)
def test_word_pairs_of_a_phrase(phrases: list[str], expected: tuple[str | None, bool]) -> None:
    assert word_pairs(phrases) == expected


def analysed_as_written(leaves: dict[str, Leaf]) -> dict[str, Analysed]:
    """Each leaf as PostgreSQL would analyse it if it neither stemmed nor dropped
    anything: the words in a chain, with their pairs (``PostgresBackend._analyse``
    gets the same from the server)."""
    result = {}
    for name, leaf in leaves.items():
        tsquery = " <-> ".join(f"'{word}'" for word in leaf.words.split())
        pairs, exact = word_pairs([tsquery])
        result[name] = Analysed(tsquery, pairs, exact)
    return result


@pytest.mark.parametrize(
    "query",
    [
        '"klant voorop" team:retail',
        'team:retail "klant voorop" channel:chat -"klant boos"',
        '"klant voorop gezet" OR channel:chat',
    ],
)
def test_both_conditions_name_the_same_values(query: str) -> None:
    """The condition with pairs and the one checked row by row share one set of
    parameters: a label must be bound to the same value in both."""
    translation = translate(query, analysed_as_written)
    for condition in (translation.condition, translation.checked_condition):
        for name in re.findall(r":(q\d+)", condition):
            assert translation.params[name] in {"retail", "chat"}, (name, condition)
    assert "storyboard_pairs" in translation.condition
    assert "storyboard_pairs" not in translation.checked_condition
