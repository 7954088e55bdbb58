"""Fitting the Fellegi-Sunter model without labels: u probabilities from random pairs (almost
all of which are different people), m probabilities and the share of matches by expectation
maximisation over the candidate pairs that blocking produced, with reviewers' decisions, when
there are any, held fixed (a pair a reviewer called the same person counts as a match in
every iteration, a rejected pair as a non-match).

This is Splink's training recipe (``estimate_u_using_random_sampling`` then
``estimate_parameters_using_expectation_maximisation`` with u fixed). EM runs on the counts of
distinct comparison vectors, not on pairs, so it takes milliseconds however many pairs there
are. Hand-written because it is short and Splink needs a SQL engine.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from safepassage.engine.linkage.comparisons import COMPARISONS, MISSING, PairComparer
from safepassage.engine.linkage.features import PreparedRecord

__all__ = [
    "TRAINING_SESSIONS",
    "EMResult",
    "TrainingSession",
    "Vector",
    "estimate_m_by_em",
    "estimate_m_in_sessions",
    "estimate_u_from_random_pairs",
    "prior_from_candidates",
]

logger = logging.getLogger(__name__)

Vector = tuple[int, ...]

DEFAULT_RANDOM_PAIRS: Final = 100_000
_PSEUDO_COUNT: Final = 1.0  # EM's m estimates start from this many pairs spread like initial m
_FLOOR: Final = 1e-7
_M_FLOOR: Final = 1e-3  # no single disagreement outweighs ten bits: real forms have slips


def estimate_u_from_random_pairs(
    records: Sequence[PreparedRecord],
    comparer: PairComparer,
    *,
    pairs: int = DEFAULT_RANDOM_PAIRS,
    seed: int = 0,
) -> tuple[tuple[float, ...], ...]:
    """The u probabilities: each level's share among random pairs of records from different
    households, where the same person appears about once in a hundred thousand pairs.

    A level never seen among the sample gets half a pair's share (a sample of n pairs cannot
    tell a probability below 1/n from zero), so agreement on a tazkira number is strong
    evidence but not infinite. Raises ValueError with fewer than two households."""
    count = len(records)
    if count < 2:
        raise ValueError("u needs at least two records")
    rng = random.Random(seed)  # noqa: S311 - a statistical sample, not a secret
    tallies = [[0] * len(spec.levels) for spec in COMPARISONS]
    sampled = attempts = 0
    while sampled < pairs and attempts < pairs * 10:
        attempts += 1
        left, right = rng.randrange(count), rng.randrange(count)
        first, second = records[left], records[right]
        if first.record.household_id == second.record.household_id:
            continue
        sampled += 1
        for comparison, level in enumerate(comparer.vector(first, second)):
            if level != MISSING:
                tallies[comparison][level] += 1
    if not sampled:
        raise ValueError("u needs records from at least two households")
    estimates = []
    for tally in tallies:
        observed = sum(tally)
        if not observed:
            estimates.append(tuple(1.0 / len(tally) for _ in tally))
            continue
        smoothed = [max(found, 0.5) for found in tally]
        total = sum(smoothed)
        estimates.append(tuple(found / total for found in smoothed))
    logger.info("u estimated from %s random pairs", sampled)
    return tuple(estimates)


@dataclass(frozen=True, slots=True)
class EMResult:
    """EM's estimates: m per comparison level, the share of matches among the candidate
    pairs, and how the iteration ended."""

    m: tuple[tuple[float, ...], ...]
    match_share: float
    iterations: int
    converged: bool


def _posterior(
    vector: Vector,
    m: list[list[float]],
    u: list[list[float]],
    share: float,
) -> float:
    match, non_match = share, 1.0 - share
    for comparison, level in enumerate(vector):
        if level != MISSING:
            match *= m[comparison][level]
            non_match *= u[comparison][level]
    total = match + non_match
    return match / total if total > 0.0 else 0.0


def _marginal_shares(vectors: Mapping[Vector, int]) -> list[list[float]]:
    """Each level's share among the candidate pairs: where the non-match class starts."""
    tallies = [[1.0] * len(spec.levels) for spec in COMPARISONS]
    for vector, number in vectors.items():
        for comparison, level in enumerate(vector):
            if level != MISSING:
                tallies[comparison][level] += number
    return [[found / sum(tally) for found in tally] for tally in tallies]


def _normalised(counts: list[list[float]], floor: float = _FLOOR) -> list[list[float]]:
    shares = []
    for tally in counts:
        raised = [max(found / sum(tally), floor) for found in tally]
        shares.append([value / sum(raised) for value in raised])
    return shares


def estimate_m_by_em(
    vectors: Mapping[Vector, int],
    *,
    labelled: Mapping[Vector, tuple[int, int]] | None = None,
    fixed_m: Sequence[Sequence[float]] | None = None,
    free: frozenset[int] = frozenset(),
    initial_share: float = 0.05,
    max_iterations: int = 200,
    tolerance: float = 1e-6,
) -> EMResult:
    """The m probabilities by expectation maximisation over the candidate pairs.

    ``vectors`` counts the candidate pairs by comparison vector; ``labelled`` counts pairs
    that reviewers decided, by vector, as (same person, different people): their posterior is
    fixed at 1 or 0. Blocked pairs of different people are not like random pairs (they share
    a father, a phone or a birth year), so the non-match class gets its own u *inside* EM,
    starting from the levels' shares among all candidates; only m leaves EM; the model's u
    comes from random pairs (:func:`estimate_u_from_random_pairs`). m starts from each
    comparison's ``initial_m``, and a pseudo-count of one pair spread like it and a floor
    of 0.001 keep rare levels from collapsing to zero (the synthetic data has no typing
    slips; real forms do). Stops when no probability moves by more than
    ``tolerance``. With ``fixed_m``, m stays as given and only the share of matches (and the
    non-match class) is estimated, except for the comparisons (indexes) in ``free``, whose m
    EM estimates starting from ``fixed_m``. Raises ValueError when there are no pairs at
    all."""
    labelled = labelled or {}
    if not vectors and not labelled:
        raise ValueError("EM needs candidate pairs")
    m = [list(levels) for levels in fixed_m or [spec.initial_m for spec in COMPARISONS]]
    u = _marginal_shares(vectors)
    share = initial_share
    items = list(vectors.items())
    total_pairs = sum(vectors.values())
    fixed = [
        (vector, float(same), float(different)) for vector, (same, different) in labelled.items()
    ]
    converged = False
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 - reported after the loop
        match_counts = [[_PSEUDO_COUNT * start for start in spec.initial_m] for spec in COMPARISONS]
        non_match_counts = [
            [_PSEUDO_COUNT / len(spec.levels)] * len(spec.levels) for spec in COMPARISONS
        ]
        expected_matches = 0.0
        weighted = []
        for vector, number in items:
            posterior = _posterior(vector, m, u, share)
            expected_matches += number * posterior
            weighted.append((vector, number * posterior, number * (1.0 - posterior)))
        weighted.extend(fixed)
        for vector, matches, non_matches in weighted:
            for comparison, level in enumerate(vector):
                if level != MISSING:
                    match_counts[comparison][level] += matches
                    non_match_counts[comparison][level] += non_matches
        if fixed_m is None:
            new_m = _normalised(match_counts, _M_FLOOR)
        elif free:
            estimated = _normalised(match_counts, _M_FLOOR)
            new_m = [estimated[c] if c in free else m[c] for c in range(len(m))]
        else:
            new_m = m
        new_u = _normalised(non_match_counts)
        change = max(
            abs(new - old)
            for new_levels, old_levels in zip(new_m + new_u, m + u, strict=True)
            for new, old in zip(new_levels, old_levels, strict=True)
        )
        m, u = new_m, new_u
        if total_pairs:
            share = min(max(expected_matches / total_pairs, _FLOOR), 1.0 - _FLOOR)
        if change < tolerance:
            converged = True
            break
    logger.info("EM finished after %s iterations (converged: %s)", iteration, converged)
    return EMResult(
        m=tuple(tuple(levels) for levels in m),
        match_share=share,
        iterations=iteration,
        converged=converged,
    )


@dataclass(frozen=True, slots=True)
class TrainingSession:
    """One EM run, Splink style: over the candidate pairs found by blocking rule ``rule``,
    estimating every comparison but those in ``fixed`` (which all those pairs agree on by
    construction, so they cannot tell matches apart there)."""

    rule: str
    fixed: frozenset[str]


TRAINING_SESSIONS: Final[tuple[TrainingSession, ...]] = (
    # Namesakes born the same year: the father's and grandfather's names tell them apart.
    TrainingSession("given_birth_year", frozenset({"given_name", "birth_date"})),
    # Siblings and cousins: the given name, birth date and documents tell them apart.
    TrainingSession("father_grandfather", frozenset({"father_name", "grandfather_name"})),
)
"""Without sessions, EM over all candidates finds the family, not the person: siblings agree
on the father's and grandfather's names, family name, phone and province, and outnumber the
duplicates. Within pairs that already share the father's and grandfather's names, the
remaining difference between the two classes is the person."""


def _without(vector: Vector, fixed: frozenset[int]) -> Vector:
    return tuple(MISSING if index in fixed else level for index, level in enumerate(vector))


def estimate_m_in_sessions(
    vectors: Mapping[tuple[Vector, int], int],
    rule_names: Sequence[str],
    *,
    sessions: Sequence[TrainingSession] = TRAINING_SESSIONS,
    labelled: Mapping[Vector, tuple[int, int]] | None = None,
) -> tuple[tuple[tuple[float, ...], ...], list[EMResult]]:
    """m probabilities averaged over EM sessions.

    ``vectors`` counts candidate pairs by (comparison vector, bit mask of the blocking rules
    that find the pair: bit i for ``rule_names[i]``). Each session runs
    :func:`estimate_m_by_em` on the pairs of its rule with its fixed comparisons blanked out;
    each comparison's m is the mean over the sessions that estimated it (a comparison no
    session estimated keeps its starting value). Returns the m and each session's result;
    a session whose rule found no pairs is skipped."""
    names = [spec.name for spec in COMPARISONS]
    totals = [[0.0] * len(spec.levels) for spec in COMPARISONS]
    estimated = [0] * len(COMPARISONS)
    results: list[EMResult] = []
    for session in sessions:
        if session.rule not in rule_names:
            raise ValueError(f"no blocking rule named {session.rule!r}")
        bit = 1 << list(rule_names).index(session.rule)
        fixed = frozenset(names.index(name) for name in session.fixed)
        selected: Counter[Vector] = Counter()
        for (vector, mask), number in vectors.items():
            if mask & bit:
                selected[_without(vector, fixed)] += number
        if not selected:
            continue
        session_labels: dict[Vector, tuple[int, int]] = {}
        for vector, (same, different) in (labelled or {}).items():
            old_same, old_different = session_labels.get(_without(vector, fixed), (0, 0))
            session_labels[_without(vector, fixed)] = (old_same + same, old_different + different)
        result = estimate_m_by_em(selected, labelled=session_labels)
        results.append(result)
        for comparison, levels in enumerate(result.m):
            if comparison not in fixed:
                estimated[comparison] += 1
                for level, value in enumerate(levels):
                    totals[comparison][level] += value
    unestimated = {index for index, count in enumerate(estimated) if not count}
    if unestimated and results:
        # A session found no pairs (data without fathers' names, say): the comparisons only
        # it would have estimated are fitted on every candidate pair instead, with the
        # estimated comparisons' m held fixed so that the family does not pass for the person.
        everything: Counter[Vector] = Counter()
        for (vector, _), number in vectors.items():
            everything[vector] += number
        partial = tuple(
            spec.initial_m if count == 0 else tuple(value / count for value in levels)
            for levels, count, spec in zip(totals, estimated, COMPARISONS, strict=True)
        )
        fallback = estimate_m_by_em(everything, fixed_m=partial, free=frozenset(unestimated))
        for comparison in unestimated:
            if any(vector[comparison] != MISSING for vector in everything):
                estimated[comparison] = 1
                totals[comparison] = list(fallback.m[comparison])
    m = tuple(
        tuple(value / count for value in levels) if count else spec.initial_m
        for levels, count, spec in zip(totals, estimated, COMPARISONS, strict=True)
    )
    return m, results


def prior_from_candidates(
    match_share: float, candidate_pairs: int, records: int, *, blocking_recall: float = 1.0
) -> float:
    """The probability that two random records are the same person, from EM's share of
    matches among the candidate pairs: expected matches over all pairs, corrected for the
    matches blocking misses."""
    all_pairs = records * (records - 1) / 2
    expected = match_share * candidate_pairs / max(blocking_recall, _FLOOR)
    return min(max(expected / all_pairs, 1.0 / all_pairs), 0.5)
