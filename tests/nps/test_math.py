"""NPS math against hand-computed cases, and its properties (Hypothesis)."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyboard.nps.math import (
    NO_DATA,
    ChangeKind,
    compare_periods,
    nps_from_counts,
    nps_with_margin,
)


def test_all_promoters_is_100_with_no_spread() -> None:
    result = nps_with_margin([9, 10, 10, 9])
    assert (result.promoters, result.passives, result.detractors, result.n) == (4, 0, 0, 4)
    assert result.score == 100
    assert result.margin == 0


def test_all_detractors_is_minus_100() -> None:
    result = nps_with_margin([0, 3, 6])
    assert result.score == -100
    assert result.detractors == 3


@pytest.mark.parametrize(
    ("score", "kind"),
    [
        (0, "detractor"),
        (6, "detractor"),
        (7, "passive"),
        (8, "passive"),
        (9, "promoter"),
        (10, "promoter"),
    ],
)
def test_boundaries(score: int, kind: str) -> None:
    result = nps_with_margin([score])
    counts = {
        "promoter": result.promoters,
        "passive": result.passives,
        "detractor": result.detractors,
    }
    assert counts[kind] == 1 and result.n == 1
    assert result.score == {"promoter": 100, "passive": 0, "detractor": -100}[kind]


def test_n_is_one() -> None:
    result = nps_with_margin([8])
    assert result.n == 1 and result.score == 0 and result.margin == 0
    assert result.has_data
    # ± 0 from one answer is not precision: the result says it rests on few answers.
    assert result.few_answers


def test_n_is_zero_means_no_data_not_zero() -> None:
    result = nps_with_margin([])
    assert result == NO_DATA
    assert not result.has_data
    assert result.score is None and result.margin is None
    assert result.low is None and result.high is None


def test_hand_computed_margin() -> None:
    # 5 promoters, 3 passives, 2 detractors: NPS 30.
    # p_pro = .5, p_det = .2: variance .5 + .2 - .3² = .61; SE sqrt(.61/10) = .24698;
    # margin 1.96 × .24698 × 100 = 48.41 points.
    result = nps_with_margin([10, 9, 9, 10, 9, 7, 8, 7, 0, 6])
    assert result.score == pytest.approx(30)
    assert result.margin == pytest.approx(48.408, abs=0.01)
    assert result.low == pytest.approx(30 - 48.408, abs=0.01)
    assert result.high == pytest.approx(78.408, abs=0.01)


def test_forty_answers_move_by_about_twenty_points() -> None:
    # The design brief: a weekly NPS from 40 answers moves by ±20 through chance alone.
    result = nps_from_counts(promoters=20, passives=12, detractors=8)
    assert result.score == pytest.approx(30)
    assert 20 <= result.margin <= 30  # type: ignore[operator]


def test_interval_stays_within_the_scale() -> None:
    result = nps_from_counts(promoters=9, passives=0, detractors=1)
    assert result.high == 100
    assert result.low >= -100  # type: ignore[operator]


def test_scores_outside_0_to_10_are_refused() -> None:
    with pytest.raises(ValueError):
        nps_with_margin([11])
    with pytest.raises(ValueError):
        nps_with_margin([-1])
    with pytest.raises(ValueError):
        nps_from_counts(-1, 0, 0)


class TestWeekOverWeek:
    def test_small_change_on_few_answers_is_within_noise(self) -> None:
        before = nps_from_counts(20, 12, 8)  # 30 ± ~25
        after = nps_from_counts(22, 10, 8)  # 35 ± ~25
        change = compare_periods(before, after)
        assert change.kind is ChangeKind.WITHIN_NOISE and change.within_noise
        assert change.delta == pytest.approx(5)
        assert before.margin is not None and after.margin is not None
        assert change.noise == pytest.approx(math.hypot(before.margin, after.margin))

    def test_large_change_on_many_answers_is_real(self) -> None:
        before = nps_from_counts(2000, 1200, 800)  # 30 ± ~2.5
        after = nps_from_counts(2400, 1200, 400)  # 50 ± ~2.2
        assert compare_periods(before, after).kind is ChangeKind.UP
        assert compare_periods(after, before).kind is ChangeKind.DOWN

    def test_few_answers_are_too_few_to_call_whatever_the_change(self) -> None:
        one_promoter, one_detractor = nps_with_margin([10]), nps_with_margin([0])
        assert one_promoter.margin == 0 and one_promoter.few_answers
        change = compare_periods(one_promoter, one_detractor)
        assert change.kind is ChangeKind.TOO_FEW and change.delta == -200
        # 29 answers on one side are still too few; 30 on both sides are enough.
        assert (
            compare_periods(nps_from_counts(29, 0, 0), nps_from_counts(0, 0, 400)).kind
            is ChangeKind.TOO_FEW
        )
        assert (
            compare_periods(nps_from_counts(30, 0, 0), nps_from_counts(0, 0, 30)).kind
            is ChangeKind.DOWN
        )
        assert not NO_DATA.few_answers and not nps_from_counts(30, 0, 0).few_answers

    def test_no_data_on_either_side(self) -> None:
        some = nps_from_counts(1, 1, 1)
        assert compare_periods(NO_DATA, some).kind is ChangeKind.NO_DATA
        assert compare_periods(some, NO_DATA).delta is None


scores = st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=300)
# No per-example deadline: a loaded CI machine must not turn slowness into failures.
properties = settings(deadline=None)


@properties
@given(scores)
def test_nps_lies_within_minus_100_and_100(values: list[int]) -> None:
    result = nps_with_margin(values)
    assert result.score is not None and result.margin is not None
    assert -100 <= result.score <= 100
    assert result.margin >= 0
    assert -100 <= result.low <= result.score <= result.high <= 100  # type: ignore[operator]


@properties
@given(scores, st.integers(min_value=2, max_value=20))
def test_margin_shrinks_as_n_grows_for_the_same_mix(values: list[int], factor: int) -> None:
    small, large = nps_with_margin(values), nps_with_margin(values * factor)
    assert large.score == pytest.approx(small.score)
    assert large.margin <= small.margin  # type: ignore[operator]
    if small.margin:
        assert large.margin == pytest.approx(small.margin / math.sqrt(factor))


@settings(max_examples=50, deadline=None)
@given(scores, st.randoms(use_true_random=False))
def test_order_does_not_matter(values: list[int], rng: random.Random) -> None:
    shuffled = list(values)
    rng.shuffle(shuffled)
    assert nps_with_margin(shuffled) == nps_with_margin(values)
    assert nps_with_margin(reversed(values)) == nps_with_margin(values)


@properties
@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500))
def test_counts_and_scores_agree(promoters: int, passives: int, detractors: int) -> None:
    values = [10] * promoters + [8] * passives + [3] * detractors
    assert nps_with_margin(values) == nps_from_counts(promoters, passives, detractors)


def test_points_are_written_with_their_sign_and_zero_without_one() -> None:
    from storyboard.nps.math import signed_points

    assert [signed_points(v) for v in (42.4, -3.2, 0.0, 0.4, -0.4, 100.0)] == [
        "+42",
        "-3",
        "0",
        "0",
        "0",
        "+100",
    ]
