"""Evaluating many cases at once: the engine applied to batches of plain case facts, in this
process or in a pool of worker processes, returning compact results (outcomes and missing
items) and, for a preview, the counts of what a rule change would change.

No Django here: pool workers import only this module and the engine, and receive rule files
as text (never personal data, which stays in the calling process until it is facts).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import multiprocessing
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from safepassage.engine import eligibility as engine

__all__ = [
    "CaseResult",
    "EvaluationPool",
    "PreviewCounts",
    "RuleTexts",
    "item_key",
    "rule_set_from_texts",
    "rules_digest",
]

# (program, file name, TOML text) of each program, in evaluation order.
RuleTexts = tuple[tuple[str, str, str], ...]


def revision_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rules_digest(texts: RuleTexts) -> str:
    """One digest for a set of rule files: what a stored assessment was computed under."""
    lines = sorted(f"{program}:{revision_digest(text)}" for program, _name, text in texts)
    return hashlib.sha256("\n".join(lines).encode("ascii")).hexdigest()


@functools.lru_cache(maxsize=16)
def rule_set_from_texts(texts: RuleTexts) -> engine.RuleSet:
    """The engine's rule set for ``texts``, built once per distinct set of files.

    Raises ``RuleFileError`` for a file the engine cannot use."""
    return engine.build_rule_set(
        engine.load_rules_text(text, name=name) for _p, name, text in texts
    )


def item_key(item: engine.MissingItem) -> str:
    """A missing item as a short stable key: ``document:hr_letter:0``,
    ``fact:birth_date:member:2``."""
    return ":".join(str(part) for part in item.as_tuple())


@dataclass(frozen=True, slots=True)
class CaseResult:
    """What is stored of one assessment: the outcome per program, the missing items (over
    all programs, once) and the missing items of each program."""

    outcomes: tuple[tuple[str, str], ...]
    missing: tuple[engine.MissingItem, ...]
    missing_by_program: tuple[tuple[str, tuple[engine.MissingItem, ...]], ...] = ()

    def outcome(self, program: str) -> str:
        return dict(self.outcomes).get(program, "not_assessed")

    def missing_for(self, programs: Iterable[str]) -> tuple[engine.MissingItem, ...]:
        """The missing items of ``programs``, once each, in the order found."""
        wanted = set(programs)
        return tuple(
            dict.fromkeys(
                item
                for program, items in self.missing_by_program
                if program in wanted
                for item in items
            )
        )


def compact(assessment: engine.Assessment) -> CaseResult:
    return CaseResult(
        outcomes=tuple((p.program, p.outcome.value) for p in assessment.programs),
        missing=assessment.missing,
        missing_by_program=tuple(
            (p.program, (*p.missing, *(item for m in p.members for item in m.missing)))
            for p in assessment.programs
        ),
    )


@dataclass
class PreviewCounts:
    """Counts over many cases of what a rule change would change (see ``summarise``), and the
    position (in the batch) of each case whose outcome would change, with the change."""

    cases: int = 0
    transitions: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    became_eligible: Counter[str] = field(default_factory=Counter)
    lost_eligibility: Counter[str] = field(default_factory=Counter)
    members_became_eligible: Counter[str] = field(default_factory=Counter)
    changed: list[tuple[int, str, str, str]] = field(default_factory=list)

    def add(self, other: PreviewCounts, offset: int = 0) -> None:
        self.cases += other.cases
        self.transitions.update(other.transitions)
        self.became_eligible.update(other.became_eligible)
        self.lost_eligibility.update(other.lost_eligibility)
        self.members_became_eligible.update(other.members_became_eligible)
        self.changed.extend((index + offset, p, old, new) for index, p, old, new in other.changed)

    def as_summary(self) -> engine.ChangeSummary:
        def outcome(value: str) -> engine.Outcome | None:
            return None if value == "not_assessed" else engine.Outcome(value)

        return engine.ChangeSummary(
            cases=self.cases,
            transitions=MappingProxyType(
                {
                    (p, outcome(old), outcome(new)): n
                    for (p, old, new), n in self.transitions.items()
                }
            ),
            became_eligible=MappingProxyType(dict(self.became_eligible)),
            lost_eligibility=MappingProxyType(dict(self.lost_eligibility)),
            members_became_eligible=MappingProxyType(dict(self.members_became_eligible)),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "transitions": [[p, old, new, n] for (p, old, new), n in self.transitions.items()],
            "became_eligible": dict(self.became_eligible),
            "lost_eligibility": dict(self.lost_eligibility),
            "members_became_eligible": dict(self.members_became_eligible),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PreviewCounts:
        counts = cls(cases=int(data.get("cases", 0)))
        for program, old, new, number in data.get("transitions", []):
            counts.transitions[(program, old, new)] = int(number)
        counts.became_eligible.update(data.get("became_eligible", {}))
        counts.lost_eligibility.update(data.get("lost_eligibility", {}))
        counts.members_became_eligible.update(data.get("members_became_eligible", {}))
        return counts


def _value(outcome: engine.Outcome | None) -> str:
    return outcome.value if outcome is not None else "not_assessed"


def assess_batch(
    facts: Sequence[engine.CaseFacts], texts: RuleTexts, today: dt.date
) -> list[CaseResult]:
    rules = rule_set_from_texts(texts)
    return [compact(engine.evaluate(one, rules, today=today)) for one in facts]


def preview_batch(
    facts: Sequence[engine.CaseFacts], old: RuleTexts, new: RuleTexts, today: dt.date
) -> PreviewCounts:
    old_rules, new_rules = rule_set_from_texts(old), rule_set_from_texts(new)
    changes = []
    counts = PreviewCounts()
    for index, one in enumerate(facts):
        change = engine.compare(
            engine.evaluate(one, old_rules, today=today),
            engine.evaluate(one, new_rules, today=today),
        )
        changes.append(change)
        counts.changed.extend(
            (index, p.program, _value(p.old_outcome), _value(p.new_outcome))
            for p in change.programs
            if p.outcome_changed
        )
    summary = engine.summarise(changes)
    counts.cases = summary.cases
    for (program, old_outcome, new_outcome), number in summary.transitions.items():
        counts.transitions[(program, _value(old_outcome), _value(new_outcome))] += number
    counts.became_eligible.update(summary.became_eligible)
    counts.lost_eligibility.update(summary.lost_eligibility)
    counts.members_became_eligible.update(summary.members_became_eligible)
    return counts


def _chunks(items: Sequence[Any], parts: int) -> list[Sequence[Any]]:
    size = max(1, -(-len(items) // parts))
    return [items[start : start + size] for start in range(0, len(items), size)]


class _Done(Future[Any]):
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.set_result(value)


class EvaluationPool:
    """Evaluates batches in ``processes`` worker processes (spawned: they share nothing with
    this process, database connections included), or here when ``processes`` is 1.

    ``assess`` and ``preview`` return futures, so the caller can read the next batch and
    write the previous one while the engine works."""

    def __init__(self, processes: int) -> None:
        self.processes = max(1, processes)
        self._executor: ProcessPoolExecutor | None = None
        if self.processes > 1:
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes, mp_context=multiprocessing.get_context("spawn")
            )

    def __enter__(self) -> EvaluationPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def assess(
        self, facts: Sequence[engine.CaseFacts], texts: RuleTexts, today: dt.date
    ) -> list[Future[list[CaseResult]]]:
        if self._executor is None:
            return [_Done(assess_batch(facts, texts, today))]
        return [
            self._executor.submit(assess_batch, part, texts, today)
            for part in _chunks(facts, self.processes)
        ]

    def preview(
        self, facts: Sequence[engine.CaseFacts], old: RuleTexts, new: RuleTexts, today: dt.date
    ) -> list[Future[PreviewCounts]]:
        if self._executor is None:
            return [_Done(preview_batch(facts, old, new, today))]
        return [
            self._executor.submit(preview_batch, part, old, new, today)
            for part in _chunks(facts, self.processes)
        ]


def gather_results(futures: Iterable[Future[list[CaseResult]]]) -> list[CaseResult]:
    return [result for future in futures for result in future.result()]


def gather_counts(futures: Iterable[Future[PreviewCounts]]) -> PreviewCounts:
    total = PreviewCounts()
    offset = 0
    for future in futures:
        part = future.result()
        total.add(part, offset)
        offset += part.cases
    return total
