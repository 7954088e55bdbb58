"""Record linkage at scale: batch deduplication of generated people (default 1,000,000) by
SafePassage's engine and by Splink 5 on DuckDB (the plain configuration of
bench/linkage.py) on the same data, and the intake check's latency against a large
in-memory index, with Splink's own new-record matching (``predict_between``, Splink 5's
successor of find_matches_to_new_records) for comparison.

The people are generated once (not timed); each engine then runs in its own forked child
process sharing them (wall time, CPU time and peak RSS are its own; see
linkage_common.py). Splink's figures include its training (u from 1e7 random pairs, EM) as
ours include ours.

Ours uses the engine's scalable blocking rules (SCALABLE_BLOCKING_RULES: three-part keys;
the model is fitted on a 100,000-record sample with the default rules and rescaled to the
whole run).

Intake: the index is the engine's blocking index (scalable rules) over every record (the
in-memory stand-in for the blind-index look-ups), a model fitted by ``train_model`` on the
first 100,000 and rescaled to the index's size; each
sampled newcomer (a record that has a duplicate) is looked up (``Blocker.candidates_for``)
and scored (``score_one`` with a long-lived worker cache). Latency = look-up + scoring.

Run: nice python bench/linkage_scale.py [--people 1000000] [--splink-people N]
     [--intake-people 1000000] [--splink-intake-people 100000] [--skip-batch]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

from linkage import plain_rows, run_splink_plain, train_plain
from linkage_common import cost_row, in_child, pair_row, ratio
from safepassage.engine.linkage import (
    SCALABLE_BLOCKING_RULES,
    Blocker,
    Decision,
    FeatureCache,
    link_batch,
    score_one,
    train_model,
)
from safepassage.engine.linkage.evaluation import pair_metrics, records_from_households, true_pairs
from safepassage.synth import generate_people_count

_DATA: dict[int, tuple[list[Any], set[tuple[str, str]]]] = {}
"""Generated records and their truth by size, filled by the parent before forking."""


def _data(people: int, seed: int) -> tuple[list[Any], set[tuple[str, str]]]:
    """The first ``people`` generated people (a prefix of the largest set generated) and
    the true pairs among them."""
    if people in _DATA:
        return _DATA[people]
    larger = [size for size in _DATA if size >= people]
    if larger:
        records, truth = _DATA[min(larger)]
        records = records[:people]
        kept = {record.record_id for record in records}
        truth = {pair for pair in truth if pair[0] in kept and pair[1] in kept}
    else:
        identities: dict[str, str] = {}
        households = generate_people_count(people, seed=seed)
        records = list(records_from_households(households, identities))
        truth = true_pairs(identities)
    _DATA[people] = (records, truth)
    return records, truth


def _timed_child(function: Any, people: int, seed: int) -> dict[str, Any]:
    """Time ``function(records)`` alone."""
    records, truth = _data(people, seed)
    started = time.perf_counter()
    pairs, detail = function(records)
    seconds = time.perf_counter() - started
    metrics = pair_metrics(pairs, truth)
    return {"records": len(records), "seconds": seconds, "metrics": metrics, "detail": detail}


def _ours(records: list[Any]) -> tuple[list[tuple[str, str]], Any]:
    result = link_batch(records, rules=SCALABLE_BLOCKING_RULES)
    return [(p.left_id, p.right_id) for p in result.pairs], {
        "timings": list(result.timings),
        "candidates": result.blocking.pairs,
        "auto": sum(p.decision is Decision.AUTO_LINK for p in result.pairs),
    }


def _splink(records: list[Any]) -> tuple[list[tuple[str, str]], Any]:
    started = time.perf_counter()
    rows = plain_rows(records)
    rows_seconds = time.perf_counter() - started
    found = run_splink_plain(rows, 0.0)
    pairs = [(a, b) for a, b, _ in found["scored"]]
    return pairs, {
        "train": found["train_seconds"],
        "predict": found["predict_seconds"],
        "rows": rows_seconds,
    }


def ours_batch(people: int, seed: int) -> dict[str, Any]:
    return _timed_child(_ours, people, seed)


def splink_batch(people: int, seed: int) -> dict[str, Any]:
    return _timed_child(_splink, people, seed)


def _newcomers(records: list[Any], truth: set[tuple[str, str]], samples: int) -> list[int]:
    by_id = {record.record_id: index for index, record in enumerate(records)}
    later = sorted({right for _, right in truth})
    return [by_id[record_id] for record_id in random.Random(7).sample(later, samples)]


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (
        f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"max {ordered[-1] * 1000:.1f} ms"
    )


def ours_intake(people: int, seed: int, samples: int) -> dict[str, Any]:
    records, truth = _data(people, seed)
    started = time.perf_counter()
    model = train_model(records[:100_000]).for_population(len(records))
    train_seconds = time.perf_counter() - started
    started = time.perf_counter()
    cache, blocker = FeatureCache(), Blocker(SCALABLE_BLOCKING_RULES)
    prepared = []
    for index, record in enumerate(records):
        prepared.append(cache.prepare(record, index))
        blocker.add(prepared[-1])
    index_seconds = time.perf_counter() - started
    latencies: list[float] = []
    candidate_counts: list[int] = []
    found = 0
    for position in _newcomers(records, truth, samples):
        new = records[position]
        started = time.perf_counter()
        candidates = [records[i] for i in blocker.candidates_for(prepared[position])]
        scored = score_one(new, candidates, model, cache=cache)
        latencies.append(time.perf_counter() - started)
        candidate_counts.append(len(candidates))
        best = scored[0] if scored else None
        if best is not None and best.decision is not Decision.IGNORE:
            pair = tuple(sorted((best.left_id, best.right_id)))
            found += pair in truth
    return {
        "records": len(records),
        "train_seconds": train_seconds,
        "index_seconds": index_seconds,
        "latency": _percentiles(latencies),
        "candidates": statistics.mean(candidate_counts),
        "max_candidates": max(candidate_counts),
        "found": found,
        "samples": samples,
    }


def splink_intake(people: int, seed: int, samples: int) -> dict[str, Any]:
    import pyarrow as pa

    records, truth = _data(people, seed)
    rows = plain_rows(records)
    started = time.perf_counter()
    linker, api, table = train_plain(rows)
    train_seconds = time.perf_counter() - started
    latencies: list[float] = []
    found = 0
    for position in _newcomers(records, truth, samples):
        row = dict(rows[position])
        started = time.perf_counter()
        new = api.register(pa.Table.from_pylist([row]))
        predictions = linker.inference.predict_between(table, new, threshold_match_weight=0.0)
        matches = predictions.as_record_list()
        latencies.append(time.perf_counter() - started)
        if matches:
            best = max(matches, key=lambda match: match["match_weight"])
            pair = tuple(sorted((best["unique_id_l"], best["unique_id_r"])))
            found += pair in truth
    return {
        "records": len(records),
        "train_seconds": train_seconds,
        "latency": _percentiles(latencies),
        "found": found,
        "samples": samples,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--splink-people", type=int, default=None)
    parser.add_argument("--intake-people", type=int, default=1_000_000)
    parser.add_argument("--splink-intake-people", type=int, default=100_000)
    parser.add_argument("--intake-samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-intake", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    sizes = sorted(
        {
            args.people,
            args.splink_people or args.people,
            args.intake_people,
            args.splink_intake_people,
        },
        reverse=True,
    )
    for size in sizes:
        _data(size, args.seed)
    print(f"generated {sizes[0]:,} people in {time.perf_counter() - started:.0f} s (not timed)")

    if not args.skip_batch:
        print(f"batch deduplication, seed {args.seed}")
        ours = in_child(ours_batch, args.people, args.seed, method="fork")
        value = ours.value
        print(
            f"  ours: {value['records']:,} records, {value['detail']['candidates']:,} candidate "
            "pairs; phases " + ", ".join(f"{n} {s:.1f} s" for n, s in value["detail"]["timings"])
        )
        print(pair_row("ours, review and above", value["metrics"]))
        print(cost_row("ours, link_batch (training included)", ours))
        splink_people = args.splink_people or args.people
        try:
            splink = in_child(splink_batch, splink_people, args.seed, method="fork")
        except RuntimeError as error:
            print(f"  Splink at {splink_people:,}: failed: {error}")
        else:
            detail = splink.value["detail"]
            print(
                f"  Splink: {splink.value['records']:,} records; train {detail['train']:.1f} s, "
                f"predict {detail['predict']:.1f} s, input columns {detail['rows']:.1f} s"
            )
            print(pair_row("Splink plain, weight >= 0", splink.value["metrics"]))
            print(cost_row("Splink plain (columns, train, predict)", splink))
            if splink.value["records"] == value["records"]:
                print(
                    f"  ratios ours / Splink: wall time {ratio(ours.seconds, splink.seconds)}, "
                    f"peak RSS {ratio(ours.peak_mib, splink.peak_mib)}, F1 "
                    f"{ratio(value['metrics'].f1, splink.value['metrics'].f1)}"
                )

    if not args.skip_intake:
        print(f"\nintake check, {args.intake_samples} newcomers with a duplicate")
        ours_in = in_child(
            ours_intake, args.intake_people, args.seed, args.intake_samples, method="fork"
        )
        v = ours_in.value
        print(
            f"  ours against {v['records']:,} records: {v['latency']}; candidates "
            f"{v['candidates']:.0f} on average, {v['max_candidates']} at most; best is the "
            f"duplicate {v['found']}/{v['samples']} (index built in {v['index_seconds']:.1f} s, "
            f"model trained on 100,000 in {v['train_seconds']:.1f} s; peak RSS "
            f"{ours_in.peak_mib:.0f} MiB)"
        )
        try:
            splink_in = in_child(
                splink_intake,
                args.splink_intake_people,
                args.seed,
                min(args.intake_samples, 100),
                method="fork",
            )
        except RuntimeError as error:
            print(f"  Splink predict_between: failed: {error}")
        else:
            v = splink_in.value
            print(
                f"  Splink predict_between against {v['records']:,} records: {v['latency']}; "
                f"best is the duplicate {v['found']}/{v['samples']} (trained in "
                f"{v['train_seconds']:.1f} s; peak RSS {splink_in.peak_mib:.0f} MiB)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
