"""Record linkage: finding the same person entered twice, across scripts, spellings,
calendars and households.

The public surface is small (Splink's shape: a model *described* by typed objects, *executed*
here in pure Python):

- :class:`PersonRecord` - one person on one form, in plain values;
- :func:`score_one` - the intake path: a new record against its candidates, in milliseconds;
- :func:`link_batch` - the whole database: blocking, comparison, training when no model is
  given, scoring, household-aware clustering, household merge proposals;
- :func:`train_model` and :class:`LinkageModel` - the Fellegi-Sunter model, fitted without
  labels (and with reviewers' labels when there are some), storable with ``to_dict``;
- :class:`Thresholds` - auto-link / review / ignore.

It never imports Django or the apps: the review app turns rows into records and results into
review tasks.
"""

from __future__ import annotations

from safepassage.engine.linkage.batch import LinkResult, TrainingReport, link_batch, train_model
from safepassage.engine.linkage.blocking import (
    BLOCKING_RULES,
    SCALABLE_BLOCKING_RULES,
    Blocker,
    BlockingStats,
)
from safepassage.engine.linkage.clustering import (
    HouseholdMerge,
    household_aware_clusters,
    household_merges,
)
from safepassage.engine.linkage.comparisons import COMPARISONS, ComparisonSpec, PairComparer
from safepassage.engine.linkage.features import FeatureCache, PreparedRecord
from safepassage.engine.linkage.model import LinkageModel, probability_from_weight
from safepassage.engine.linkage.records import PaperTazkira, PersonRecord
from safepassage.engine.linkage.scoring import (
    DEFAULT_THRESHOLDS,
    Contribution,
    Decision,
    PairScorer,
    ScoredPair,
    Thresholds,
    are_siblings,
    score_one,
)

__all__ = [
    "BLOCKING_RULES",
    "COMPARISONS",
    "DEFAULT_THRESHOLDS",
    "SCALABLE_BLOCKING_RULES",
    "Blocker",
    "BlockingStats",
    "ComparisonSpec",
    "Contribution",
    "Decision",
    "FeatureCache",
    "HouseholdMerge",
    "LinkResult",
    "LinkageModel",
    "PairComparer",
    "PairScorer",
    "PaperTazkira",
    "PersonRecord",
    "PreparedRecord",
    "ScoredPair",
    "Thresholds",
    "TrainingReport",
    "are_siblings",
    "household_aware_clusters",
    "household_merges",
    "link_batch",
    "probability_from_weight",
    "score_one",
    "train_model",
]
