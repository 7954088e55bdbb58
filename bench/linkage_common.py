"""Shared by the linkage benchmarks (bench/linkage*.py): running one engine in a fresh child
process so that its wall time and peak memory are its own, and printing figures.

Peak memory is the child's ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (peak resident set
size, which counts DuckDB's native allocations too, unlike tracemalloc); "floor" is the same
figure taken after the child's imports and input loading, before the engine runs (a forked
child starts with its parent's resident pages, so there the floor includes the parent's
data). CPU is the child's user + system time over the same span (every thread, DuckDB's
included): on a shared machine it shows the work done when wall time is inflated by others.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from safepassage.engine.linkage.evaluation import ClusterMetrics, PairMetrics

Pair = tuple[str, str]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Measured:
    """What a child run returned, with its wall time and peak memory."""

    value: Any
    seconds: float
    peak_mib: float
    floor_mib: float
    cpu_seconds: float = 0.0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child(function: Callable[..., Any], args: tuple[Any, ...], queue: Any) -> None:
    try:
        loaded = function.__module__  # noqa: F841 (imports done by unpickling)
        floor = peak_rss_mib()
        started, cpu_started = time.perf_counter(), cpu_seconds()
        value = function(*args)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_started
        queue.put(("ok", Measured(value, seconds, peak_rss_mib(), floor, cpu)))
    except BaseException as error:  # report, never hang the parent
        queue.put(("error", f"{type(error).__name__}: {error}"))


def in_child(function: Callable[..., Any], *args: Any, method: str = "spawn") -> Measured:
    """Run ``function(*args)`` in a child process, a fresh interpreter by default ("fork":
    a copy of this one, sharing its data without pickling); raise RuntimeError on failure.
    ``function`` must be importable (module level)."""
    context = multiprocessing.get_context(method)
    queue = context.Queue()
    process = context.Process(target=_child, args=(function, args, queue))
    process.start()
    status, payload = queue.get()
    process.join()
    if status != "ok":
        raise RuntimeError(payload)
    return payload


def cluster_pairs(clusters: Iterable[Sequence[str]]) -> set[Pair]:
    pairs: set[Pair] = set()
    for cluster in clusters:
        ordered = sorted(cluster)
        for index, left in enumerate(ordered):
            pairs.update((left, right) for right in ordered[index + 1 :])
    return pairs


def pair_row(name: str, metrics: PairMetrics) -> str:
    return (
        f"  {name:<46} pairs {metrics.predicted:>7}  P {metrics.precision:.4f}  "
        f"R {metrics.recall:.4f}  F1 {metrics.f1:.4f}"
    )


def cluster_row(name: str, metrics: ClusterMetrics) -> str:
    return (
        f"  {name:<46} B-cubed      P {metrics.precision:.4f}  "
        f"R {metrics.recall:.4f}  F1 {metrics.f1:.4f}"
    )


def cost_row(name: str, measured: Measured) -> str:
    return (
        f"  {name:<46} {measured.seconds:8.2f} s (CPU {measured.cpu_seconds:.1f} s)  "
        f"peak RSS {measured.peak_mib:6.0f} MiB (floor {measured.floor_mib:.0f} MiB)"
    )


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.3f}" if theirs else "n/a"
