"""The batch path: link a whole database of person records at once (block, compare, train
when asked, score, cluster, propose household merges) and report what it found.

Records are consumed from any iterable, one at a time, so the caller can stream them from the
database; what stays in memory is one prepared record per person (interned name features make
these small), the blocking index, and three integers per candidate pair. Only the pairs at
or above the review threshold become :class:`~.scoring.ScoredPair` objects with their
explanations. Splink is the reference for national-scale batch linkage (``bench/linkage.py``
compares the two); this path exists so that the household rules, the Afghan comparisons and
the intake path share one model and one implementation.
"""

from __future__ import annotations

import logging
import random
import time
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from safepassage.engine.linkage.blocking import (
    BLOCKING_RULES,
    DEFAULT_MAX_BLOCK_SIZE,
    Blocker,
    BlockingRule,
    BlockingStats,
)
from safepassage.engine.linkage.clustering import (
    HouseholdMerge,
    Link,
    household_aware_clusters,
    household_merges,
    one_per_household,
)
from safepassage.engine.linkage.comparisons import PairComparer
from safepassage.engine.linkage.features import FeatureCache, PreparedRecord
from safepassage.engine.linkage.model import LinkageModel
from safepassage.engine.linkage.records import PersonRecord
from safepassage.engine.linkage.scoring import (
    DEFAULT_THRESHOLDS,
    PairScorer,
    ScoredPair,
    Thresholds,
)
from safepassage.engine.linkage.training import (
    DEFAULT_RANDOM_PAIRS,
    TRAINING_SESSIONS,
    EMResult,
    Vector,
    estimate_m_by_em,
    estimate_m_in_sessions,
    estimate_u_from_random_pairs,
    prior_from_candidates,
)

__all__ = ["LinkResult", "TrainingReport", "link_batch", "train_model"]

logger = logging.getLogger(__name__)

Labels = Mapping[tuple[str, str], bool]
"""Reviewers' decisions: (record id, record id) -> same person? Either order."""


@dataclass(frozen=True, slots=True)
class TrainingReport:
    """How the model was fitted: random pairs behind u, the EM sessions behind m, the share
    of matches among all candidate pairs, and the labelled pairs used."""

    random_pairs: int
    sessions: tuple[EMResult, ...]
    match_share: float
    labelled_pairs: int


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What a batch run found.

    ``pairs`` are the pairs decided "auto_link" or "review", strongest first, with their
    explanations; ``clusters`` the records that are one person (from auto-linked pairs and
    pairs reviewers confirmed); ``household_merges`` the households proposed as one family
    entered twice; ``siblings_held`` counts pairs at or above the review threshold held back
    by the sibling rule, ``household_conflicts_held`` those dropped because one of the records
    already matches another member of the other record's household more strongly;
    ``timings`` gives seconds per phase."""

    model: LinkageModel
    thresholds: Thresholds
    pairs: tuple[ScoredPair, ...]
    clusters: tuple[tuple[str, ...], ...]
    household_merges: tuple[HouseholdMerge, ...]
    blocking: BlockingStats
    training: TrainingReport | None
    siblings_held: int
    household_conflicts_held: int
    timings: tuple[tuple[str, float], ...]

    @property
    def records(self) -> int:
        return self.blocking.records


class _Run:
    """One batch run's state: prepared records, blocking index, candidate pairs."""

    def __init__(
        self,
        records: Iterable[PersonRecord],
        *,
        max_block_size: int,
        rules: tuple[BlockingRule, ...] = BLOCKING_RULES,
    ) -> None:
        self.started = time.perf_counter()
        self.timings: list[tuple[str, float]] = []
        self.cache = FeatureCache()
        self.comparer = PairComparer(self.cache)
        self.blocker = Blocker(rules, max_block_size=max_block_size)
        self.prepared: list[PreparedRecord] = []
        self.index_of: dict[str, int] = {}
        for index, record in enumerate(records):
            if record.record_id in self.index_of:
                raise ValueError("record ids must be unique")
            prepared = self.cache.prepare(record, index)
            self.prepared.append(prepared)
            self.index_of[record.record_id] = index
            self.blocker.add(prepared)
        self._lap("prepare_and_block")
        self.phone_counts = Counter(record.phone for record in self.prepared if record.phone)
        self.household_sizes = Counter(record.record.household_id for record in self.prepared)
        self.lefts, self.rights, self.patterns = array("l"), array("l"), array("l")
        self.vectors: list[Vector] = []
        self.by_rules: Counter[tuple[Vector, int]] = Counter()
        pattern_ids: dict[Vector, int] = {}
        vector_of, prepared_records = self.comparer.vector, self.prepared
        for left, right, mask in self.blocker.pairs_with_rules():
            vector = vector_of(prepared_records[left], prepared_records[right])
            pattern = pattern_ids.get(vector)
            if pattern is None:
                pattern = pattern_ids[vector] = len(self.vectors)
                self.vectors.append(vector)
            self.lefts.append(left)
            self.rights.append(right)
            self.patterns.append(pattern)
            self.by_rules[(vector, mask)] += 1
        self._lap("compare")
        if len(self.prepared) < 2:
            raise ValueError("linkage needs at least two records")

    def _lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings.append((phase, now - self.started))
        self.started = now

    def train(
        self, labels: Labels, *, random_pairs: int, seed: int
    ) -> tuple[LinkageModel, TrainingReport]:
        u = estimate_u_from_random_pairs(
            self.prepared, self.comparer, pairs=random_pairs, seed=seed
        )
        labelled: dict[Vector, tuple[int, int]] = {}
        for (left_id, right_id), same in labels.items():
            if left_id in self.index_of and right_id in self.index_of:
                vector = self.comparer.vector(
                    self.prepared[self.index_of[left_id]], self.prepared[self.index_of[right_id]]
                )
                matches, non_matches = labelled.get(vector, (0, 0))
                labelled[vector] = (matches + same, non_matches + (not same))
        rule_names = [rule.name for rule in self.blocker.rules]
        m, sessions = estimate_m_in_sessions(self.by_rules, rule_names, labelled=labelled)
        all_vectors: Counter[Vector] = Counter()
        for (vector, _), number in self.by_rules.items():
            all_vectors[vector] += number
        share = estimate_m_by_em(all_vectors, fixed_m=m).match_share if all_vectors else 0.0
        candidates = len(self.lefts)
        model = LinkageModel(
            m=m,
            u=u,
            prior=prior_from_candidates(share, candidates, len(self.prepared)),
            population=len(self.prepared),
        )
        self._lap("train")
        report = TrainingReport(
            random_pairs=random_pairs,
            sessions=tuple(sessions),
            match_share=share,
            labelled_pairs=sum(same + different for same, different in labelled.values()),
        )
        return model, report

    def link(
        self,
        model: LinkageModel,
        thresholds: Thresholds,
        labels: Labels,
        cluster_threshold: float,
    ) -> tuple[list[ScoredPair], list[Link], int]:
        """The pairs at or above the review threshold, the links to cluster, and how many
        pairs the sibling rule held back."""
        scorer = PairScorer(
            model, self.comparer, thresholds=thresholds, phone_counts=self.phone_counts
        )
        base = [model.vector_weight(vector) for vector in self.vectors]
        prepared, vectors = self.prepared, self.vectors
        kept: list[ScoredPair] = []
        links: list[Link] = []
        siblings_held = 0
        decided = {
            (min(left, right), max(left, right)): same for (left, right), same in labels.items()
        }
        for left, right, pattern in zip(self.lefts, self.rights, self.patterns, strict=True):
            first = prepared[left]
            weight = scorer.weight(first, vectors[pattern], base[pattern])
            if weight < thresholds.review and not decided:
                continue
            second = prepared[right]
            left_id, right_id = first.record.record_id, second.record.record_id
            label = decided.get((min(left_id, right_id), max(left_id, right_id)))
            if label is False or (label is None and weight < thresholds.review):
                continue
            scored = scorer.score(first, second, vectors[pattern])
            if scored.siblings and label is None:
                siblings_held += 1
                continue
            if label is True:
                links.append((left_id, right_id, max(weight, cluster_threshold)))
            elif weight >= cluster_threshold:
                links.append((left_id, right_id, weight))
            kept.append(scored)
        kept.sort(key=lambda pair: (-pair.match_weight, pair.left_id, pair.right_id))
        self._lap("score")
        return kept, links, siblings_held


def train_model(
    records: Iterable[PersonRecord],
    *,
    labels: Labels | None = None,
    max_block_size: int = DEFAULT_MAX_BLOCK_SIZE,
    random_pairs: int = DEFAULT_RANDOM_PAIRS,
    seed: int = 0,
) -> LinkageModel:
    """Fit a model to ``records`` without labels (u from random pairs, m by EM over the
    candidate pairs), using reviewers' ``labels`` when given. Raises ValueError with fewer
    than two records or duplicate record ids."""
    run = _Run(records, max_block_size=max_block_size)
    return run.train(labels or {}, random_pairs=random_pairs, seed=seed)[0]


DEFAULT_TRAINING_SAMPLE = 100_000
"""Records drawn to fit the model when a run's blocking rules cannot train it."""


def link_batch(
    records: Iterable[PersonRecord],
    model: LinkageModel | None = None,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    labels: Labels | None = None,
    cluster_threshold: float | None = None,
    max_block_size: int = DEFAULT_MAX_BLOCK_SIZE,
    random_pairs: int = DEFAULT_RANDOM_PAIRS,
    seed: int = 0,
    rules: tuple[BlockingRule, ...] = BLOCKING_RULES,
    training_sample: int = DEFAULT_TRAINING_SAMPLE,
) -> LinkResult:
    """Link every record with every other: the whole-database path.

    With ``model`` None the model is first fitted to these records (as :func:`train_model`,
    reusing the same candidate pairs). ``labels`` are reviewers' decisions: used in training,
    and a pair decided "same person" is linked, one decided "different" never is. Clusters
    join pairs at or above ``cluster_threshold`` (default: the auto-link threshold), never two
    records of one household; household merges are proposed from the pairs at or above the
    review threshold. ``rules`` are the blocking rules (default :data:`BLOCKING_RULES`; for
    large runs :data:`~.blocking.SCALABLE_BLOCKING_RULES`); when they lack a rule the
    training sessions need, the model is fitted with the default rules on ``training_sample``
    records drawn at random (seeded) and applied to the whole run
    (:meth:`LinkageModel.for_population`). Raises ValueError with fewer than two records or
    duplicate record ids.
    """
    labels = labels or {}
    session_rules = {session.rule for session in TRAINING_SESSIONS}
    trains_itself = session_rules <= {rule.name for rule in rules}
    if model is not None or trains_itself:
        run = _Run(records, max_block_size=max_block_size, rules=rules)
        training = None
        if model is None:
            model, training = run.train(labels, random_pairs=random_pairs, seed=seed)
    else:
        records = list(records)
        started = time.perf_counter()
        sample = records
        if len(records) > training_sample:
            sample = random.Random(seed).sample(records, training_sample)  # noqa: S311 (not secret)
        sampled = _Run(sample, max_block_size=max_block_size)
        fitted, training = sampled.train(labels, random_pairs=random_pairs, seed=seed)
        del sampled
        trained_seconds = time.perf_counter() - started
        run = _Run(records, max_block_size=max_block_size, rules=rules)
        model = fitted.for_population(len(run.prepared))
        run.timings.insert(0, ("train_on_sample", trained_seconds))
    threshold = thresholds.auto_link if cluster_threshold is None else cluster_threshold
    scored, links, siblings_held = run.link(model, thresholds, labels, threshold)
    households = {record.record.record_id: record.record.household_id for record in run.prepared}
    confirmed = {tuple(sorted(pair)) for pair, same in labels.items() if same}
    consistent = {
        (left, right)
        for left, right, _ in one_per_household(
            ((pair.left_id, pair.right_id, pair.match_weight) for pair in scored), households
        )
    }
    pairs = [
        pair
        for pair in scored
        if (pair.left_id, pair.right_id) in consistent
        or tuple(sorted((pair.left_id, pair.right_id))) in confirmed
    ]
    links = [
        link
        for link in links
        if (link[0], link[1]) in consistent or tuple(sorted(link[:2])) in confirmed
    ]
    clusters = household_aware_clusters(links, households)
    merges = household_merges(
        ((pair.left_id, pair.right_id, pair.match_weight) for pair in pairs),
        households,
        run.household_sizes,
    )
    run._lap("cluster")
    logger.info(
        "linked %s records: %s candidate pairs, %s kept, %s clusters, %s household merges",
        len(run.prepared),
        len(run.lefts),
        len(pairs),
        len(clusters),
        len(merges),
    )
    return LinkResult(
        model=model,
        thresholds=thresholds,
        pairs=tuple(pairs),
        clusters=tuple(clusters),
        household_merges=tuple(merges),
        blocking=run.blocker.stats(),
        training=training,
        siblings_held=siblings_held,
        household_conflicts_held=len(scored) - len(pairs),
        timings=tuple(run.timings),
    )
