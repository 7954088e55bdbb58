"""Record linkage on the Afghan benchmark: our pure-Python engine (safepassage.engine.linkage)
against Splink 5 on DuckDB, on seeded synthetic households with planted duplicates of known
truth, side by side in one run.

Data (safepassage.synth): families with siblings (the principal's brothers and sisters, the
children) and cousins (a nephew or niece on the case; with ``--related-rate``, a brother's
family on its own case, so brothers and cousins sit in different households); records from
four channels (web, import, api, staff); Latin and Arabic script. Re-entries differ as
documented in synth/duplicates.py; with ``--channel-profiles`` every channel has its own
romanisation and error process (rates in synth/duplicates.CHANNEL_PROFILES).

Baselines, each trained without labels in its own child process:

- "Splink plain" - the competent plain configuration (:func:`plain_settings`): Splink's own
  comparison library on the fields as a user without Afghan name knowledge would clean
  them (Latin names lower-cased; Arabic script as typed), exact and Jaro-Winkler levels per
  name and script, birth date exact / year / year +-1, Damerau-Levenshtein on identity
  numbers, term-frequency exact match on the phone, nine blocking rules over identity
  numbers, phone and name pairs in both scripts, never within a household; prior from the
  identity-number rules, u from 1e7 random pairs, m by EM in two sessions. This is the
  baseline of the issue's target.
- "Splink + our name keys" - Splink given the canonical name keys our engine computes (one
  per name), the same six blocking rules as ours and matching EM sessions: what is left to
  the model alone once normalisation is shared. What Splink cannot express is left out for
  it: both scripts' keys at once, name variants, the father's name in the family-name slot,
  the sibling rule, household-aware clustering.
- a naive exact match (same given, father's and grandfather's name keys, same birth year).

Figures: pairwise precision / recall / F1 (at match weight 0, our review threshold, and at
Splink's best threshold), cluster-level B-cubed (ours: household-aware clusters from weight
10; Splink: connected components from weight 10), wall time, CPU time and peak RSS
(linkage_common.py), the share of sibling pairs (record pairs of two brothers or sisters in
different households) linked, and the intake path's latency (score_one over blocked
candidates).

Run: nice python bench/linkage.py [--people 100000] [--seed 1] [--related-rate 0.1]
     [--channel-profiles] [--skip-splink]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from linkage_common import (
    Measured,
    Pair,
    cluster_pairs,
    cluster_row,
    cost_row,
    in_child,
    pair_row,
    ratio,
)
from safepassage.engine.linkage import (
    Blocker,
    Decision,
    FeatureCache,
    LinkageModel,
    LinkResult,
    PersonRecord,
    PreparedRecord,
    link_batch,
    score_one,
)
from safepassage.engine.linkage.evaluation import (
    PairMetrics,
    bcubed,
    pair_metrics,
    records_from_households,
    true_pairs,
)
from safepassage.synth import SynthHousehold, generate_people_count


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
    records: list[PersonRecord], truth: set[Pair], model: LinkageModel, samples: int
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
        scored = score_one(new, padded, model)
        cold.append(time.perf_counter() - started)
        score_one(new, padded, model, cache=worker_cache)
        started = time.perf_counter()
        score_one(new, padded, model, cache=worker_cache)
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


# --- Splink, plain ---------------------------------------------------------------------------

PLAIN_BLOCKING = (
    ("tazkira",),
    ("passport",),
    ("phone",),
    ("given_latin", "father_latin"),
    ("given_latin", "birth_year"),
    ("father_latin", "grandfather_latin"),
    ("given_arabic", "father_arabic"),
    ("given_arabic", "birth_year"),
    ("father_arabic", "grandfather_arabic"),
)
"""The plain configuration's blocking rules (each also requires another household)."""


def plain_rows(records: Iterable[PersonRecord]) -> list[dict[str, Any]]:
    """Splink's input for the plain configuration: the fields as a competent user would
    clean them without knowing Afghan names - Latin names lower-cased with spaces, hyphens
    and apostrophes removed; Arabic-script names with spaces removed (no letter folding);
    the birth date as ISO text (Solar Hijri dates converted to their first Gregorian day,
    as any converter would) and its year; identity numbers, phone, sex and province as
    stored."""
    import datetime
    import re

    latin_junk = re.compile(r"[\s\-'.`]+")

    def latin(text: str) -> str | None:
        return latin_junk.sub("", text.lower()) or None

    def arabic(text: str) -> str | None:
        return re.sub(r"\s+", "", text) or None

    rows = []
    for record in records:
        birth, year = None, None
        if record.birth_date is not None:
            first, _ = record.birth_date.gregorian_range()
            year = first.year
            if record.birth_date.precision == "day":
                birth = first.isoformat()
        tazkira = record.tazkira
        if isinstance(tazkira, tuple):
            tazkira = "/".join(tazkira)
        rows.append(
            {
                "unique_id": record.record_id,
                "household_id": record.household_id,
                "given_latin": latin(record.given_name_latin),
                "father_latin": latin(record.father_name_latin),
                "grandfather_latin": latin(record.grandfather_name_latin),
                "family_latin": latin(record.family_name_latin),
                "given_arabic": arabic(record.given_name_arabic),
                "father_arabic": arabic(record.father_name_arabic),
                "grandfather_arabic": arabic(record.grandfather_name_arabic),
                "family_arabic": arabic(record.family_name_arabic),
                "birth_date": birth,
                "birth_year": year,
                "tazkira": tazkira or None,
                "passport": record.passport or None,
                "phone": record.phone or None,
                "sex": record.sex or None,
                "province": record.birth_province or None,
            }
        )
    _ = datetime  # (dates come from PartialDate.gregorian_range)
    return rows


def plain_settings() -> Any:
    """A competent plain Splink 5 configuration for these records: Splink's own comparison
    library on each name in each script (exact, then Jaro-Winkler 0.92 / 0.88 / 0.7 for
    Latin; exact then Jaro-Winkler 0.9 for Arabic script), birth date exact / year /
    year +-1, Damerau-Levenshtein <= 1 on identity numbers, term-frequency exact match on
    phone, exact sex and province; blocking on identity numbers, phone and name pairs in
    each script (:data:`PLAIN_BLOCKING`), never within a household."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on
    from splink.blocking_rule_library import And, CustomRule

    other_household = CustomRule("l.household_id <> r.household_id")

    def name(part: str) -> Any:
        latin, arabic = f"{part}_latin", f"{part}_arabic"
        return cl.CustomComparison(
            comparison_levels=[
                cll.And(cll.NullLevel(latin), cll.NullLevel(arabic)),
                cll.ExactMatchLevel(latin),
                cll.ExactMatchLevel(arabic),
                cll.JaroWinklerLevel(latin, 0.92),
                cll.JaroWinklerLevel(arabic, 0.9),
                cll.JaroWinklerLevel(latin, 0.88),
                cll.JaroWinklerLevel(latin, 0.7),
                cll.ElseLevel(),
            ],
            output_column_name=part,
        )

    birth = cl.CustomComparison(
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_date"),
            cll.ExactMatchLevel("birth_year"),
            cll.AbsoluteDifferenceLevel("birth_year", 1),
            cll.ElseLevel(),
        ],
        output_column_name="birth",
    )
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            name("given"),
            name("father"),
            name("grandfather"),
            name("family"),
            birth,
            cl.DamerauLevenshteinAtThresholds("tazkira", [1]),
            cl.DamerauLevenshteinAtThresholds("passport", [1]),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("province"),
        ],
        blocking_rules_to_generate_predictions=[
            And(block_on(*columns), other_household) for columns in PLAIN_BLOCKING
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def train_plain(rows: list[dict[str, Any]]) -> tuple[Any, Any, Any]:
    """A Splink linker with the plain settings, trained on ``rows`` without labels: prior
    from identity-number rules, u by random sampling (1e7 pairs), m by EM in two sessions
    (given name + birth year; father + grandfather, Latin). Returns (linker, db_api,
    registered table)."""
    import logging

    import pyarrow as pa
    from splink import Linker, block_on
    from splink.backends.duckdb import DuckDBAPI

    logging.disable(logging.WARNING)  # Splink narrates every training step
    api = DuckDBAPI()
    table = api.register(pa.Table.from_pylist(rows))
    linker = Linker(table, plain_settings())
    linker.training.estimate_probability_two_random_records_match(
        [block_on("tazkira"), block_on("passport")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for session in (
        block_on("given_latin", "birth_year"),
        block_on("father_latin", "grandfather_latin"),
    ):
        linker.training.estimate_parameters_using_expectation_maximisation(session)
    return linker, api, table


def run_splink_plain(rows: list[dict[str, Any]], low: float) -> dict[str, Any]:
    """Train the plain configuration and predict every pair from match weight ``low``."""
    started = time.perf_counter()
    linker, _, _ = train_plain(rows)
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_weight=low)
    relation = predictions.as_duckdbpyrelation()
    scored = relation.select("unique_id_l, unique_id_r, match_weight").fetchall()
    finished = time.perf_counter()
    return {
        "scored": [(min(a, b), max(a, b), weight) for a, b, weight in scored],
        "seconds": finished - started,
        "train_seconds": trained - started,
        "predict_seconds": finished - trained,
    }


# --- report ----------------------------------------------------------------------------------


def sibling_pairs(
    households: Sequence[SynthHousehold], identities: dict[str, str]
) -> tuple[set[Pair], set[Pair]]:
    """Record pairs, in different households, of two different people who are brothers or
    sisters, and of two who are cousins. Siblings: the principal and the principal's
    siblings, two children of the principal, and a related household's principal (a
    brother on his own case) with the first principal's side. Cousins: the children of two
    brothers' households, and a nephew or niece on the case with the principal's children.
    Originals define who is who; planted duplicates carry the same identities."""
    sibling_groups: list[list[str]] = []
    cousin_sides: list[tuple[list[str], list[str]]] = []
    principal_side: dict[str, list[str]] = {}
    children_of: dict[str, list[str]] = {}
    for household in households:
        if household.duplicate_of is not None:
            continue
        key = household.household_key
        principal_side[key] = [
            p.identity_key for p in household.people if p.relationship in ("principal", "sibling")
        ]
        children_of[key] = [p.identity_key for p in household.people if p.relationship == "child"]
        nephews = [p.identity_key for p in household.people if p.relationship == "other"]
        sibling_groups.append(children_of[key])
        cousin_sides.append((children_of[key], nephews))
    for household in households:
        related = household.related_to
        if household.duplicate_of is None and related is not None:
            key = household.household_key
            sibling_groups.append(principal_side[related] + principal_side[key])
            cousin_sides.append((children_of[related], children_of[key]))
    sibling_groups.extend(principal_side.values())

    def identity_pairs_to_records(identity_pairs: set[tuple[str, str]]) -> set[Pair]:
        pairs: set[Pair] = set()
        for left_identity, right_identity in identity_pairs:
            for left in records_of[left_identity]:
                for right in records_of[right_identity]:
                    if household_of[left] != household_of[right]:
                        pairs.add((min(left, right), max(left, right)))
        return pairs

    records_of: dict[str, list[str]] = defaultdict(list)
    for record_id, identity in identities.items():
        records_of[identity].append(record_id)
    household_of = {p.person_key: h.household_key for h in households for p in h.people}
    siblings: set[tuple[str, str]] = set()
    for group in sibling_groups:
        for index, left in enumerate(group):
            for right in group[index + 1 :]:
                siblings.add((min(left, right), max(left, right)))
    cousins = {
        (min(left, right), max(left, right))
        for one, other in cousin_sides
        for left in one
        for right in other
    }
    return identity_pairs_to_records(siblings), identity_pairs_to_records(cousins)


def connected(pairs: Iterable[Pair]) -> list[list[str]]:
    """Connected components of ``pairs`` (plain transitive closure, as Splink clusters)."""
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for left, right in pairs:
        parent[find(left)] = find(right)
    members: dict[str, list[str]] = defaultdict(list)
    for item in parent:
        members[find(item)].append(item)
    return list(members.values())


def ours_child(records: list[PersonRecord]) -> dict[str, Any]:
    result = link_batch(records)
    return {
        "review": [(p.left_id, p.right_id) for p in result.pairs],
        "auto": [(p.left_id, p.right_id) for p in result.pairs if p.decision is Decision.AUTO_LINK],
        "clusters": [list(cluster) for cluster in result.clusters],
        "timings": list(result.timings),
        "blocking": result.blocking,
        "siblings_held": result.siblings_held,
        "household_merges": len(result.household_merges),
        "thresholds": (result.thresholds.review, result.thresholds.auto_link),
        "model": result.model,
    }


def splink_keys_child(records: list[PersonRecord], thresholds: tuple[float, float]) -> Any:
    import logging

    logging.disable(logging.WARNING)  # Splink narrates every training step
    cache = FeatureCache()
    prepared = [cache.prepare(record, index) for index, record in enumerate(records)]
    return run_splink(splink_rows(prepared), thresholds)


def splink_plain_child(records: list[PersonRecord]) -> Any:
    return run_splink_plain(plain_rows(records), -5.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duplicate-rate", type=float, default=0.05)
    parser.add_argument("--related-rate", type=float, default=0.0)
    parser.add_argument("--channel-profiles", action="store_true")
    parser.add_argument("--intake-samples", type=int, default=200)
    parser.add_argument("--skip-splink", action="store_true")
    args = parser.parse_args()

    identities: dict[str, str] = {}
    started = time.perf_counter()
    households = list(
        generate_people_count(
            args.people,
            seed=args.seed,
            duplicate_rate=args.duplicate_rate,
            **_generator_options(args),
        )
    )
    records = list(records_from_households(households, identities))
    truth = true_pairs(identities)
    siblings, cousins = sibling_pairs(households, identities)
    print(
        f"{len(records):,} synthetic records, {len(truth):,} true duplicate pairs, "
        f"{len(siblings):,} sibling and {len(cousins):,} cousin record pairs across households "
        f"(generated in {time.perf_counter() - started:.1f} s; {_generator_options(args)})"
    )

    ours = in_child(ours_child, records)
    value = ours.value
    review, auto = value["thresholds"]
    print(f"\nours: link_batch on {len(records):,} records (training included)")
    for phase, phase_seconds in value["timings"]:
        print(f"  {phase:<20} {phase_seconds:7.2f} s")
    stats = value["blocking"]
    by_rule = ", ".join(f"{name} {count:,}" for name, count in stats.pairs_by_rule)
    print(f"  candidate pairs {stats.pairs:,} ({by_rule}); capped blocks {stats.capped_blocks}")
    print(
        f"  blocking recall {blocking_recall(records, truth).recall:.4f}; "
        f"siblings held back {value['siblings_held']:,}; household merges proposed "
        f"{value['household_merges']:,}"
    )
    ours_review = pair_metrics(value["review"], truth)
    ours_auto = pair_metrics(value["auto"], truth)
    ours_bcubed = bcubed(value["clusters"], identities)
    ours_cluster_pairs = cluster_pairs(value["clusters"])

    def sibling_share(pairs: Iterable[Pair]) -> str:
        found = {(a, b) if a < b else (b, a) for a, b in pairs}
        merged, cousins_merged = len(found & siblings), len(found & cousins)
        return (
            f"siblings {merged}/{len(siblings)} = {merged / max(len(siblings), 1):.2%}, "
            f"cousins {cousins_merged}/{len(cousins)} = "
            f"{cousins_merged / max(len(cousins), 1):.2%}"
        )

    cache = FeatureCache()
    prepared = [cache.prepare(record, index) for index, record in enumerate(records)]
    naive_pairs, naive_seconds = run_naive(prepared)
    naive = pair_metrics(naive_pairs, truth)

    print(f"\nresults against the truth (review = weight {review:g}, auto-link = {auto:g})")
    print(pair_row("ours, review and above", ours_review))
    print(pair_row("ours, auto-link", ours_auto))
    print(cluster_row("ours, household-aware clusters", ours_bcubed))
    print(cost_row("ours, link_batch", ours))
    print(
        f"  ours relatives linked: review and above {sibling_share(value['review'])}, "
        f"clusters {sibling_share(ours_cluster_pairs)}"
    )
    print(pair_row("naive exact (names + birth year)", naive) + f"  {naive_seconds:.2f} s")
    if args.skip_splink:
        print("  Splink: skipped (--skip-splink)")
        intake_latency(records, truth, value["model"], args.intake_samples)
        return 0

    baselines: list[tuple[str, PairMetrics, PairMetrics, float, Measured]] = []
    for name, function, extra in (
        ("Splink plain", splink_plain_child, ()),
        ("Splink + our name keys", splink_keys_child, ((review, auto),)),
    ):
        try:
            measured = in_child(function, records, *extra)
        except RuntimeError as error:
            print(f"  {name}: failed: {error}")
            continue
        if "scored" in measured.value:
            scored = measured.value["scored"]
            by_threshold = {
                t: {(a, b) for a, b, w in scored if w >= t}
                for t in sorted({*range(-5, 31), review, auto})
            }
        else:
            by_threshold = measured.value["pairs"]
        at_review = pair_metrics(by_threshold[review], truth)
        best_threshold, best = max(
            ((t, pair_metrics(pairs, truth)) for t, pairs in by_threshold.items()),
            key=lambda item: item[1].f1,
        )
        print(pair_row(f"{name}, weight >= {review:g}", at_review))
        print(pair_row(f"{name}, best F1 (weight >= {best_threshold:g})", best))
        print(
            cluster_row(
                f"{name}, clusters at weight >= {auto:g}",
                bcubed(connected(by_threshold[auto]), identities),
            )
        )
        print(cost_row(f"{name} (train + predict)", measured))
        print(
            f"  {name} relatives linked: weight >= {review:g} "
            f"{sibling_share(by_threshold[review])}, best-F1 threshold "
            f"{sibling_share(by_threshold[best_threshold])}"
        )
        baselines.append((name, at_review, best, best_threshold, measured))

    for name, at_review, best, best_threshold, measured in baselines:
        print(f"\nours (review) against {name}")
        print(
            f"  pairwise F1 difference: {100 * (ours_review.f1 - at_review.f1):+.1f} points at "
            f"weight {review:g}, {100 * (ours_review.f1 - best.f1):+.1f} points against its best "
            f"threshold ({best_threshold:g})"
        )
        print(
            f"  ratios ours / {name}: precision {ratio(ours_review.precision, at_review.precision)}"
            f", recall {ratio(ours_review.recall, at_review.recall)}, F1 "
            f"{ratio(ours_review.f1, at_review.f1)}, "
            f"wall time {ratio(ours.seconds, measured.seconds)}, "
            f"peak RSS {ratio(ours.peak_mib, measured.peak_mib)}"
        )

    intake_latency(records, truth, value["model"], args.intake_samples)
    return 0


def _generator_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if args.related_rate:
        options["related_rate"] = args.related_rate
    if args.channel_profiles:
        options["channel_profiles"] = True
    return options


if __name__ == "__main__":
    raise SystemExit(main())
