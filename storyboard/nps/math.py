"""NPS with its sample size and margin of error; pure functions, no database, no request.

NPS = % promoters (9–10) − % detractors (0–6), from −100 to +100. Every number comes
with ``n`` and a 95 % margin of error, because a weekly NPS from 40 answers moves by
±20 through chance alone.

Margin of error: each answer counts +1 (promoter), 0 (passive) or −1 (detractor); NPS is
the mean of those values times 100. Its standard error is
``sqrt((p_pro + p_det − (p_pro − p_det)²) / n)``, and the 95 % margin is 1.96 times that,
in NPS points. With n = 0 there is no NPS at all (``NpsResult.has_data`` is false), never
a misleading 0.

Small samples: the margin above is a normal approximation, which breaks down for a
handful of answers; with one answer, or answers that all agree, it even comes out as
± 0, which would read as "exact". Below ``MIN_RELIABLE_N`` answers a result is therefore
flagged ``few_answers`` (shown as "few answers", not as a margin), and a change between
two periods of which either has few answers is ``TOO_FEW`` to call: never "up" or
"down". 30 is the usual rule of thumb for the normal approximation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

Z_95 = 1.96
MIN_RELIABLE_N = 30
PROMOTER_MIN = 9
DETRACTOR_MAX = 6


def is_promoter(score: int) -> bool:
    return score >= PROMOTER_MIN


def is_detractor(score: int) -> bool:
    return score <= DETRACTOR_MAX


@dataclass(frozen=True)
class NpsResult:
    """The NPS of a set of answers with its counts and 95 % margin (both in points).

    ``score`` and ``margin`` are None when there are no answers ("no data").
    """

    promoters: int
    passives: int
    detractors: int

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def has_data(self) -> bool:
        return self.n > 0

    @property
    def few_answers(self) -> bool:
        """Some answers, but too few for the margin to mean much (see the module doc)."""
        return 0 < self.n < MIN_RELIABLE_N

    # Computed once per result (``cached_property`` writes the instance's ``__dict__``,
    # which a frozen dataclass allows): a dashboard reads each a dozen times.
    @cached_property
    def score(self) -> float | None:
        if not self.n:
            return None
        return (self.promoters - self.detractors) / self.n * 100

    @cached_property
    def margin(self) -> float | None:
        """Half-width of the 95 % interval, in NPS points."""
        if not self.n:
            return None
        p_pro, p_det = self.promoters / self.n, self.detractors / self.n
        variance = max(0.0, p_pro + p_det - (p_pro - p_det) ** 2)
        return Z_95 * math.sqrt(variance / self.n) * 100

    @property
    def low(self) -> float | None:
        """Lower end of the 95 % interval, never below −100."""
        if self.score is None or self.margin is None:
            return None
        return max(-100.0, self.score - self.margin)

    @property
    def high(self) -> float | None:
        """Upper end of the 95 % interval, never above +100."""
        if self.score is None or self.margin is None:
            return None
        return min(100.0, self.score + self.margin)


NO_DATA = NpsResult(0, 0, 0)


def nps_from_counts(promoters: int, passives: int, detractors: int) -> NpsResult:
    """The NPS of already counted answers (e.g. from a ``GROUP BY`` in the database)."""
    if min(promoters, passives, detractors) < 0:
        raise ValueError("counts cannot be negative")
    return NpsResult(promoters, passives, detractors)


def nps_with_margin(scores: Iterable[int]) -> NpsResult:
    """The NPS of a set of 0–10 scores; a score outside 0–10 is a ``ValueError``."""
    promoters = passives = detractors = 0
    for score in scores:
        if not 0 <= score <= 10:
            raise ValueError(f"score {score!r} is not in 0–10")
        if score >= PROMOTER_MIN:
            promoters += 1
        elif score <= DETRACTOR_MAX:
            detractors += 1
        else:
            passives += 1
    return NpsResult(promoters, passives, detractors)


class ChangeKind(StrEnum):
    UP = "up"
    DOWN = "down"
    WITHIN_NOISE = "within_noise"
    TOO_FEW = "too_few"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class NpsChange:
    """How an NPS moved from one period to the next, and whether that means anything."""

    kind: ChangeKind
    delta: float | None  # points; None when either period has no data
    noise: float | None  # the combined margin the delta is compared with

    @property
    def within_noise(self) -> bool:
        return self.kind is ChangeKind.WITHIN_NOISE


def compare_periods(before: NpsResult, after: NpsResult) -> NpsChange:
    """Week-over-week (or any two periods) change, labelled honestly.

    Rule: the change is "within noise" unless its size exceeds the combined margin
    ``sqrt(m_before² + m_after²)``, the 95 % margin of the difference of two independent
    NPS values. A change of exactly that size still counts as noise. When either side
    has no data, the change is ``NO_DATA``; when either has fewer than ``MIN_RELIABLE_N``
    answers it is ``TOO_FEW`` to call (the delta is still given).
    """
    if before.score is None or after.score is None:
        return NpsChange(ChangeKind.NO_DATA, None, None)
    assert before.margin is not None and after.margin is not None
    delta = after.score - before.score
    noise = math.hypot(before.margin, after.margin)
    if before.few_answers or after.few_answers:
        kind = ChangeKind.TOO_FEW
    elif abs(delta) <= noise:
        kind = ChangeKind.WITHIN_NOISE
    else:
        kind = ChangeKind.UP if delta > 0 else ChangeKind.DOWN
    return NpsChange(kind, delta, noise)


def signed_points(value: float) -> str:
    """An NPS or a change in points, rounded, with its sign: "+42", "-3", and "0" (not
    "+0" or "-0": nothing is up or down about zero)."""
    rounded = round(value)
    return f"{rounded:+d}" if rounded else "0"
