"""Scoring pairs of person records with a fitted model, and the intake path: is the person on
this new form already in the database?

A pair's match weight is the model's prior plus each comparison's log2 Bayes factor, with
phone agreement weakened when the number is shared by other people (a family phone says
little about *which* member this is), and every contribution is kept so that a reviewer sees
which fields agree and how much each weighed. Siblings (the same father's and grandfather's
names, different given names) are never proposed as one person, whatever their shared phone
and family name add up to. :func:`score_one` is the intake path: it scores one new record
against the candidates the caller's blocking found, in a few milliseconds for a hundred.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from safepassage.engine.linkage.comparisons import (
    COMPARISONS,
    EQUAL,
    FATHER,
    GIVEN,
    GRANDFATHER,
    MISSING,
    NAME_DIFFERENT,
    NAME_VARIANT,
    PHONE,
    PairComparer,
)
from safepassage.engine.linkage.features import FeatureCache, PreparedRecord
from safepassage.engine.linkage.model import LinkageModel, probability_from_weight
from safepassage.engine.linkage.records import PersonRecord

__all__ = [
    "DEFAULT_THRESHOLDS",
    "Contribution",
    "Decision",
    "PairScorer",
    "ScoredPair",
    "Thresholds",
    "are_siblings",
    "score_one",
]


class Decision(StrEnum):
    """What to do with a scored pair."""

    AUTO_LINK = "auto_link"
    REVIEW = "review"
    IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Match weights (log2 odds) from which a pair is linked without review, and from which
    a reviewer sees it; below ``review`` it is ignored. Raises ValueError when ``auto_link``
    is below ``review``."""

    auto_link: float
    review: float

    def __post_init__(self) -> None:
        if self.auto_link < self.review:
            raise ValueError("the auto-link threshold must not be below the review threshold")

    def decide(self, weight: float) -> Decision:
        """The decision for a pair of this match weight."""
        if weight >= self.auto_link:
            return Decision.AUTO_LINK
        if weight >= self.review:
            return Decision.REVIEW
        return Decision.IGNORE


DEFAULT_THRESHOLDS = Thresholds(auto_link=10.0, review=0.0)
"""Linked without review from a thousand-to-one odds, shown to a reviewer from even odds."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """How one comparison weighed in a pair's match weight: its level ("missing" when either
    side lacks the field), its weight in bits (log2 of the Bayes factor, term-frequency
    adjustment included) and that adjustment alone, and a note for reviewers."""

    comparison: str
    level: str
    weight: float
    term_frequency_adjustment: float = 0.0
    note: str = ""


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two records, how strongly they look like one person, and why.

    ``siblings`` is true when the pair was held back as siblings (decision then "ignore"
    whatever the weight)."""

    left_id: str
    right_id: str
    left_household: str
    right_household: str
    match_weight: float
    match_probability: float
    decision: Decision
    contributions: tuple[Contribution, ...]
    siblings: bool = False

    @property
    def agreeing(self) -> tuple[str, ...]:
        """The comparisons that counted for the match, strongest first."""
        ranked = sorted(self.contributions, key=lambda part: -part.weight)
        return tuple(part.comparison for part in ranked if part.weight > 0)


def are_siblings(vector: Sequence[int]) -> bool:
    """True for two different given names under the same father's and grandfather's names
    (exact or variant): brothers and sisters, never one person."""
    return (
        vector[GIVEN] == NAME_DIFFERENT
        and MISSING < vector[FATHER] <= NAME_VARIANT
        and MISSING < vector[GRANDFATHER] <= NAME_VARIANT
    )


class PairScorer:
    """Scores pairs with one model, thresholds and table of phone frequencies.

    ``phone_counts`` maps a phone number to how many records hold it, counting both records
    of the pair: agreement on a number that others hold too is adjusted down to
    u = (count - 2) / population, never up (Splink's term-frequency adjustment, but not
    counting the pair itself, so that a number held only by the two records keeps its full
    weight)."""

    def __init__(
        self,
        model: LinkageModel,
        comparer: PairComparer,
        *,
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        phone_counts: Mapping[str, int] | None = None,
    ) -> None:
        self.model = model
        self.comparer = comparer
        self.thresholds = thresholds
        self.phone_counts = phone_counts or {}

    def phone_adjustment(self, phone: str) -> float:
        """The term-frequency adjustment (bits, <= 0) of agreement on ``phone``."""
        others = self.phone_counts.get(phone, 2) - 2
        if others <= 0:
            return 0.0
        shared_u = others / self.model.population
        level_u = self.model.u[PHONE][EQUAL]
        return math.log2(level_u / shared_u) if shared_u > level_u else 0.0

    def weight(self, left: PreparedRecord, vector: Sequence[int], base: float) -> float:
        """The match weight of a pair whose vector weighs ``base`` without adjustments."""
        if vector[PHONE] == EQUAL:
            return base + self.phone_adjustment(left.phone)
        return base

    def decide(self, vector: Sequence[int], weight: float) -> tuple[Decision, bool]:
        """The decision for a pair, and whether the sibling rule made it."""
        if are_siblings(vector):
            return Decision.IGNORE, True
        return self.thresholds.decide(weight), False

    def score(
        self,
        left: PreparedRecord,
        right: PreparedRecord,
        vector: Sequence[int] | None = None,
    ) -> ScoredPair:
        """The scored pair with every comparison's contribution."""
        if vector is None:
            vector = self.comparer.vector(left, right)
        notes = self.comparer.notes(left, right)
        contributions = []
        total = self.model.prior_weight
        for index, (spec, level) in enumerate(zip(COMPARISONS, vector, strict=True)):
            adjustment = 0.0
            if index == PHONE and level == EQUAL:
                adjustment = self.phone_adjustment(left.phone)
            weight = self.model.level_weight(index, level) + adjustment
            total += weight
            note = notes.get(index, "")
            if adjustment:
                note = "the number is shared by other people"
            contributions.append(
                Contribution(
                    comparison=spec.name,
                    level="missing" if level == MISSING else spec.levels[level],
                    weight=weight,
                    term_frequency_adjustment=adjustment,
                    note=note,
                )
            )
        decision, siblings = self.decide(vector, total)
        return ScoredPair(
            left_id=left.record.record_id,
            right_id=right.record.record_id,
            left_household=left.record.household_id,
            right_household=right.record.household_id,
            match_weight=total,
            match_probability=probability_from_weight(total),
            decision=decision,
            contributions=tuple(contributions),
            siblings=siblings,
        )


def score_one(
    new: PersonRecord,
    candidates: Sequence[PersonRecord],
    model: LinkageModel,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    phone_counts: Mapping[str, int] | None = None,
    cache: FeatureCache | None = None,
) -> list[ScoredPair]:
    """Score a new record against candidate records, best first.

    ``candidates`` are the records the caller's blocking found (the keys of
    :class:`~.blocking.Blocker` over blind indexes); candidates of the new record's own
    household are skipped. ``phone_counts`` gives how many stored records hold each phone
    (plus the new one); without it they are counted among the new record and the candidates,
    which sees a family phone that the candidates share but not one shared with people who
    are not candidates. ``cache`` may be kept between calls by a long-lived intake worker to
    save recomputing name keys; by default each call has its own."""
    cache = cache or FeatureCache()
    comparer = PairComparer(cache)
    prepared_new = cache.prepare(new, 0)
    prepared = [
        cache.prepare(candidate, index)
        for index, candidate in enumerate(candidates, start=1)
        if candidate.household_id != new.household_id
    ]
    if phone_counts is None:
        phone_counts = Counter(record.phone for record in (new, *candidates) if record.phone)
    scorer = PairScorer(model, comparer, thresholds=thresholds, phone_counts=phone_counts)
    scored = [scorer.score(prepared_new, candidate) for candidate in prepared]
    scored.sort(key=lambda pair: (-pair.match_weight, pair.right_id))
    return scored
