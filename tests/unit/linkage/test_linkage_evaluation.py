"""Cluster-level (B-cubed) evaluation used by the linkage benchmarks."""

from __future__ import annotations

import pytest

from safepassage.engine.linkage.evaluation import bcubed


def test_perfect_clusters_score_one() -> None:
    truth = {"a": "1", "b": "1", "c": "2"}
    metrics = bcubed([("a", "b"), ("c",)], truth)
    assert (metrics.precision, metrics.recall, metrics.f1) == (1.0, 1.0, 1.0)


def test_unclustered_records_are_singletons() -> None:
    truth = {"a": "1", "b": "1", "c": "2"}
    metrics = bcubed([], truth)
    assert metrics.precision == 1.0
    # a and b each see half of their true cluster, c all of its own
    assert metrics.recall == pytest.approx((0.5 + 0.5 + 1.0) / 3)


def test_over_merging_lowers_precision_only() -> None:
    truth = {"a": "1", "b": "1", "c": "2", "d": "3"}
    metrics = bcubed([("a", "b", "c", "d")], truth)
    assert metrics.recall == 1.0
    # a, b: 2/4 of their cluster is them; c, d: 1/4
    assert metrics.precision == pytest.approx((0.5 + 0.5 + 0.25 + 0.25) / 4)
    assert metrics.f1 == pytest.approx(2 * 0.375 / 1.375)


def test_unknown_record_ids_are_refused() -> None:
    with pytest.raises(KeyError):
        bcubed([("a", "x")], {"a": "1"})
