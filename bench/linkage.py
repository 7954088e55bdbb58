"""Record linkage: our pure-Python engine (safepassage.engine.linkage) against Splink on
DuckDB, on synthetic households with planted duplicates of known truth.

Both get the same inputs and comparable models: Splink is given the canonical name keys our
engine computes (it has no Dari/Pashto transliteration of its own), one birth year and full
date per record with 1 January demoted to a year, the same identity numbers and phone, the
same six blocking rules (same-household pairs excluded), u by random sampling, m by EM in the
same two sessions (given name + birth year; father + grandfather), and term-frequency
adjustment on the phone. What Splink cannot express is left out for it: both scripts' keys
at once, name variants (compound parts), the father's name in the family-name slot, the
sibling rule, household-aware clustering. Scores are compared at match weight 0 (even odds,
our review threshold) and at our auto-link threshold.

Baseline: Splink if it installs (``pip install -e '.[linkage-bench]'``) and runs offline;
otherwise, and always as a floor, a naive exact match (same given, father's and
grandfather's name keys and the same birth year).

Run: python bench/linkage.py [--people 100000] [--seed 1] [--skip-splink]
Reports pairs, precision / recall / F1 against the truth and wall time, with ratios
ours / baseline, and the intake path's latency (score_one over blocked candidates).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from safepassage.engine.linkage import (
    Blocker,
    Decision,
    FeatureCache,
    LinkResult,
    PersonRecord,
    PreparedRecord,
    link_batch,
    score_one,
)
from safepassage.engine.linkage.evaluation import (
    PairMetrics,
    pair_metrics,
    records_from_households,
    true_pairs,
)
from safepassage.synth import generate_people_count

Pair = tuple[str, str]


def _row(name: str, metrics: PairMetrics, seconds: float | None = None) -> str:
    timing = f"{seconds:9.2f} s" if seconds is not None else " " * 11
    return (
        f"  {name:<38} pairs {metrics.predicted:>7}  precision {metrics.precision:.4f}  "
        f"recall {metrics.recall:.4f}  F1 {metrics.f1:.4f} {timing}"
    )


def _cluster_pairs(clusters: Iterable[Sequence[str]]) -> set[Pair]:
    pairs: set[Pair] = set()
    for cluster in clusters:
        ordered = sorted(cluster)
        for index, left in enumerate(ordered):
            pairs.update((left, right) for right in ordered[index + 1 :])
    return pairs


# --- ours ------------------------------------------------------------------------------------


def run_ours(records: list[PersonRecord], truth: set[Pair]) -> tuple[LinkResult, float]:
    started = time.perf_counter()
    result = link_batch(records)
    seconds = time.perf_counter() - started
    print(f"\nours: link_batch on {len(records):,} records (training included)")
    for phase, phase_seconds in result.timings:
        print(f"  {phase:<20} {phase_seconds:7.2f} s")
    stats = result.blocking
    by_rule = ", ".join(f"{name} {count:,}" for name, count in stats.pairs_by_rule)
    print(f"  candidate pairs {stats.pairs:,} ({by_rule}); capped blocks {stats.capped_blocks}")
    return result, seconds


def blocking_recall(records: list[PersonRecord], truth: set[Pair]) -> PairMetrics:
    cache, blocker = FeatureCache(), Blocker()
    for index, record in enumerate(records):
        blocker.add(cache.prepare(record, index))
    found = [(records[left].record_id, records[right].record_id) for left, right in blocker.pairs()]
    return pair_metrics(found, truth)


def intake_latency(
    records: list[PersonRecord], truth: set[Pair], result: LinkResult, samples: int
) -> None:
    """score_one for records that have a duplicate: the candidates are what blocking over the
    other records finds (as blind-index look-ups would), plus random padding to 100."""
    cache, blocker = FeatureCache(), Blocker()
    prepared: list[PreparedRecord] = []
    for index, record in enumerate(records):
        prepared.append(cache.prepare(record, index))
        blocker.add(prepared[-1])
    by_id = {record.record_id: index for index, record in enumerate(records)}
    rng = random.Random(7)
    newcomers = rng.sample(sorted(right for _, right in truth), min(samples, len(truth)))
    cold: list[float] = []
    warm: list[float] = []
    found = candidates_total = 0
    worker_cache = FeatureCache()
    for record_id in newcomers:
        new = records[by_id[record_id]]
        candidates = [records[i] for i in blocker.candidates_for(prepared[by_id[record_id]])]
        candidates = [c for c in candidates if c.record_id != record_id]
        candidates_total += len(candidates)
        padded = candidates + rng.sample(records, max(0, 100 - len(candidates)))
        started = time.perf_counter()
        scored = score_one(new, padded, result.model)
        cold.append(time.perf_counter() - started)
        score_one(new, padded, result.model, cache=worker_cache)
        started = time.perf_counter()
        score_one(new, padded, result.model, cache=worker_cache)
        warm.append(time.perf_counter() - started)
        best = scored[0] if scored else None
        if best is not None and best.decision is not Decision.IGNORE:
            pair = (min(best.left_id, best.right_id), max(best.left_id, best.right_id))
            found += pair in truth
    cold.sort()
    warm.sort()
    print(
        f"\nintake (score_one, {len(newcomers)} duplicates, ~100 candidates each, "
        f"{candidates_total / max(len(newcomers), 1):.1f} found by blocking on average)"
    )
    print(
        f"  fresh cache: median {statistics.median(cold) * 1000:.1f} ms, "
        f"p95 {cold[int(len(cold) * 0.95) - 1] * 1000:.1f} ms"
    )
    print(
        f"  worker cache: median {statistics.median(warm) * 1000:.1f} ms, "
        f"p95 {warm[int(len(warm) * 0.95) - 1] * 1000:.1f} ms"
    )
    print(f"  best candidate is a true duplicate at or above review: {found}/{len(newcomers)}")


# --- naive baseline --------------------------------------------------------------------------


def run_naive(prepared: list[PreparedRecord]) -> tuple[set[Pair], float]:
    """Pairs of records with the same given, father's and grandfather's name keys and birth
    year (any of the scripts' keys), from different households."""
    started = time.perf_counter()
    groups: dict[tuple[str, str, str, int], list[PreparedRecord]] = defaultdict(list)
    for record in prepared:
        if None in (record.given, record.father, record.grandfather, record.birth):
            continue
        assert record.given and record.father and record.grandfather and record.birth
        year = record.birth.gregorian_years[0]
        for given in record.given.full:
            for father in record.father.full:
                for grandfather in record.grandfather.full:
                    groups[(given, father, grandfather, year)].append(record)
    pairs: set[Pair] = set()
    for members in groups.values():
        for index, left in enumerate(members):
            for right in members[index + 1 :]:
                if left.record.household_id != right.record.household_id:
                    a, b = left.record.record_id, right.record.record_id
                    pairs.add((a, b) if a < b else (b, a))
    return pairs, time.perf_counter() - started


# --- Splink ----------------------------------------------------------------------------------


def _key(feature: Any) -> str | None:
    return min(feature.full) if feature is not None else None


def splink_rows(prepared: list[PreparedRecord]) -> list[dict[str, Any]]:
    """Splink's input: one canonical key per name (the smallest of the scripts' keys) and
    the other fields as our engine normalises them."""
    import datetime

    rows = []
    for record in prepared:
        birth = record.birth
        full = None
        if birth is not None and birth.full:
            full = datetime.date.fromordinal(birth.first_day).isoformat()
        rows.append(
            {
                "unique_id": record.record.record_id,
                "household_id": record.record.household_id,
                "given_key": _key(record.given),
                "father_key": _key(record.father),
                "grandfather_key": _key(record.grandfather),
                "family_key": _key(record.family),
                "father_or_family_key": _key(record.father_or_family),
                "birth_year": birth.gregorian_years[0] if birth is not None else None,
                "birth_full": full,
                "tazkira": record.tazkira or None,
                "passport": record.passport or None,
                "phone": record.phone or None,
                "sex": record.sex or None,
                "province": record.province or None,
            }
        )
    return rows


def run_splink(rows: list[dict[str, Any]], thresholds: tuple[float, float]) -> dict[str, Any]:
    import pyarrow as pa
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI
    from splink.blocking_rule_library import And, CustomRule

    started = time.perf_counter()
    other_household = CustomRule("l.household_id <> r.household_id")

    def rule(*columns: str) -> Any:
        return And(block_on(*columns), other_household)

    def name(column: str) -> Any:
        return cl.JaroWinklerAtThresholds(column, [0.92])

    birth = cl.CustomComparison(
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_full"),
            cll.ExactMatchLevel("birth_year"),
            cll.AbsoluteDifferenceLevel("birth_year", 1),
            cll.ElseLevel(),
        ],
        output_column_name="birth",
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            name("given_key"),
            name("father_key"),
            name("grandfather_key"),
            name("family_key"),
            birth,
            cl.DamerauLevenshteinAtThresholds("tazkira", [1]),
            cl.DamerauLevenshteinAtThresholds("passport", [1]),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("province"),
        ],
        blocking_rules_to_generate_predictions=[
            rule("tazkira"),
            rule("passport"),
            rule("given_key", "father_or_family_key"),
            rule("given_key", "birth_year"),
            rule("phone"),
            rule("father_or_family_key", "grandfather_key"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    api = DuckDBAPI()
    table = api.register(pa.Table.from_pylist(rows))
    linker = Linker(table, settings, log_level=30)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("tazkira"), block_on("passport")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for session in (block_on("given_key", "birth_year"), block_on("father_key", "grandfather_key")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            session, record_sample_proportion=1.0
        )
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_weight=min(thresholds))
    scored = predictions.as_record_list()
    finished = time.perf_counter()
    grid = sorted({*thresholds, *range(-5, 31)})
    by_threshold = {
        threshold: {
            (
                min(row["unique_id_l"], row["unique_id_r"]),
                max(row["unique_id_l"], row["unique_id_r"]),
            )
            for row in scored
            if row["match_weight"] >= threshold
        }
        for threshold in grid
        if threshold >= min(thresholds)
    }
    return {
        "pairs": by_threshold,
        "seconds": finished - started,
        "train_seconds": trained - started,
        "predict_seconds": finished - trained,
    }


# --- report ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duplicate-rate", type=float, default=0.05)
    parser.add_argument("--intake-samples", type=int, default=200)
    parser.add_argument("--skip-splink", action="store_true")
    args = parser.parse_args()

    identities: dict[str, str] = {}
    started = time.perf_counter()
    households = generate_people_count(
        args.people, seed=args.seed, duplicate_rate=args.duplicate_rate
    )
    records = list(records_from_households(households, identities))
    truth = true_pairs(identities)
    print(
        f"{len(records):,} synthetic records, {len(truth):,} true duplicate pairs "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )

    result, ours_seconds = run_ours(records, truth)
    review = result.thresholds.review
    auto = result.thresholds.auto_link
    ours_review = pair_metrics(((p.left_id, p.right_id) for p in result.pairs), truth)
    ours_auto = pair_metrics(
        ((p.left_id, p.right_id) for p in result.pairs if p.decision is Decision.AUTO_LINK), truth
    )
    ours_clusters = pair_metrics(_cluster_pairs(result.clusters), truth)
    print(
        f"  blocking recall {blocking_recall(records, truth).recall:.4f}; "
        f"siblings held back {result.siblings_held:,}; household merges proposed "
        f"{len(result.household_merges):,}"
    )

    cache = FeatureCache()
    prepared = [cache.prepare(record, index) for index, record in enumerate(records)]
    naive_pairs, naive_seconds = run_naive(prepared)
    naive = pair_metrics(naive_pairs, truth)

    splink: dict[str, Any] | None = None
    splink_error = "skipped (--skip-splink)"
    if not args.skip_splink:
        try:
            rows_started = time.perf_counter()
            rows = splink_rows(prepared)
            rows_seconds = time.perf_counter() - rows_started
            splink = run_splink(rows, (review, auto))
            splink["rows_seconds"] = rows_seconds
        except ImportError as error:
            splink_error = f"not installed ({error.name}): pip install -e '.[linkage-bench]'"
        except Exception as error:  # report any Splink failure, carry on
            splink_error = f"failed: {type(error).__name__}: {error}"

    print(f"\nresults against the truth (review = weight {review:g}, auto-link = {auto:g})")
    print(_row("ours, review and above", ours_review, ours_seconds))
    print(_row("ours, auto-link", ours_auto))
    print(_row("ours, household-aware clusters", ours_clusters))
    print(_row("naive exact (names + birth year)", naive, naive_seconds))
    if splink is not None:
        splink_review = pair_metrics(splink["pairs"][review], truth)
        splink_auto = pair_metrics(splink["pairs"][auto], truth)
        print(_row("Splink/DuckDB, weight >= review", splink_review, splink["seconds"]))
        print(_row("Splink/DuckDB, weight >= auto-link", splink_auto))
        best_threshold, best = max(
            (
                (threshold, pair_metrics(pairs, truth))
                for threshold, pairs in splink["pairs"].items()
            ),
            key=lambda item: item[1].f1,
        )
        print(_row(f"Splink/DuckDB, best F1 (weight >= {best_threshold:g})", best))
        print(
            f"  Splink time: training {splink['train_seconds']:.2f} s, predict "
            f"{splink['predict_seconds']:.2f} s; its input columns (our name keys) took "
            f"{splink['rows_seconds']:.2f} s more, not counted"
        )
        baseline_name, baseline, baseline_seconds = "Splink", splink_review, splink["seconds"]
    else:
        print(f"  Splink: {splink_error}")
        baseline_name, baseline, baseline_seconds = "naive exact match", naive, naive_seconds

    def ratio(ours: float, theirs: float) -> str:
        return f"{ours / theirs:.3f}" if theirs else "n/a"

    print(f"\nratios ours / {baseline_name} (review threshold)")
    print(f"  precision {ratio(ours_review.precision, baseline.precision)}")
    print(f"  recall    {ratio(ours_review.recall, baseline.recall)}")
    print(f"  F1        {ratio(ours_review.f1, baseline.f1)}")
    print(f"  pairs     {ratio(ours_review.predicted, baseline.predicted)}")
    print(f"  wall time {ratio(ours_seconds, baseline_seconds)}")

    intake_latency(records, truth, result, args.intake_samples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
