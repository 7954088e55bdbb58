"""Measuring linkage against known truth: person records from the synthetic generator
(:mod:`safepassage.synth`, whose planted duplicates share an ``identity_key``), the true
pairs, and precision and recall of predicted pairs. Used by the tests and
``bench/linkage.py``; production code never needs it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from safepassage.engine.identity import (
    IdentityError,
    normalize_etazkira_number,
    normalize_passport_number,
    validate_paper_tazkira,
)
from safepassage.engine.linkage.records import PaperTazkira, PersonRecord
from safepassage.synth import SynthHousehold, SynthPerson

__all__ = [
    "ClusterMetrics",
    "PairMetrics",
    "bcubed",
    "pair_metrics",
    "record_from_synth",
    "records_from_households",
    "true_pairs",
]


def _tazkira(person: SynthPerson) -> str | PaperTazkira:
    try:
        if person.tazkira_kind == "electronic":
            return normalize_etazkira_number(person.tazkira_number)
        if person.tazkira_kind == "paper":
            return validate_paper_tazkira(
                person.tazkira_volume, person.tazkira_page, person.tazkira_registration
            )
    except IdentityError:
        return ""
    return ""


def _passport(person: SynthPerson) -> str:
    try:
        return normalize_passport_number(person.passport_number) if person.passport_number else ""
    except IdentityError:
        return ""


def record_from_synth(person: SynthPerson, household_id: str) -> PersonRecord:
    """The :class:`PersonRecord` of a synthetic person (identity numbers normalised as the
    cases app would store them)."""
    return PersonRecord(
        record_id=person.person_key,
        household_id=household_id,
        given_name_latin=person.given_name_latin,
        father_name_latin=person.father_name_latin,
        grandfather_name_latin=person.grandfather_name_latin,
        family_name_latin=person.family_name_latin,
        given_name_arabic=person.given_name_arabic,
        father_name_arabic=person.father_name_arabic,
        grandfather_name_arabic=person.grandfather_name_arabic,
        family_name_arabic=person.family_name_arabic,
        sex=person.sex,
        birth_date=person.birth_date,
        birth_province=person.birth_province,
        tazkira=_tazkira(person),
        passport=_passport(person),
        phone=person.phone,
        relationship=person.relationship,
    )


def records_from_households(
    households: Iterable[SynthHousehold], identities: dict[str, str] | None = None
) -> Iterator[PersonRecord]:
    """The records of synthetic households, one at a time; when ``identities`` is given it
    is filled with record id -> identity key (the truth)."""
    for household in households:
        for person in household.people:
            if identities is not None:
                identities[person.person_key] = person.identity_key
            yield record_from_synth(person, household.household_key)


def true_pairs(identities: dict[str, str]) -> set[tuple[str, str]]:
    """Pairs of record ids (sorted) that are the same real person."""
    by_identity: dict[str, list[str]] = defaultdict(list)
    for record_id, identity in identities.items():
        by_identity[identity].append(record_id)
    pairs: set[tuple[str, str]] = set()
    for record_ids in by_identity.values():
        ordered = sorted(record_ids)
        for index, left in enumerate(ordered):
            pairs.update((left, right) for right in ordered[index + 1 :])
    return pairs


@dataclass(frozen=True, slots=True)
class PairMetrics:
    """Pairwise precision, recall and F1 of predicted pairs against the truth."""

    predicted: int
    true: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.true if self.true else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def pair_metrics(predicted: Iterable[tuple[str, str]], truth: set[tuple[str, str]]) -> PairMetrics:
    """Precision and recall of ``predicted`` record-id pairs (either order) against ``truth``."""
    found = {(a, b) if a < b else (b, a) for a, b in predicted}
    return PairMetrics(predicted=len(found), true=len(truth), correct=len(found & truth))


@dataclass(frozen=True, slots=True)
class ClusterMetrics:
    """Cluster-level (B-cubed) precision, recall and F1: per record, the share of its
    predicted cluster that is truly it (precision) and the share of its true cluster that
    was predicted with it (recall), averaged over all records."""

    records: int
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def bcubed(predicted: Iterable[Iterable[str]], truth: dict[str, str]) -> ClusterMetrics:
    """B-cubed precision and recall of ``predicted`` clusters of record ids against
    ``truth`` (record id -> true entity). Records of ``truth`` in no predicted cluster are
    singletons; predicted ids missing from ``truth`` raise KeyError."""
    cluster_of: dict[str, int] = {}
    for number, members in enumerate(predicted):
        for record_id in members:
            cluster_of[record_id] = number
    next_cluster = -1
    for record_id in truth:
        if record_id not in cluster_of:
            cluster_of[record_id] = next_cluster
            next_cluster -= 1
    predicted_sizes: dict[int, int] = defaultdict(int)
    true_sizes: dict[str, int] = defaultdict(int)
    both: dict[tuple[int, str], int] = defaultdict(int)
    for record_id, entity in truth.items():
        cluster = cluster_of[record_id]
        predicted_sizes[cluster] += 1
        true_sizes[entity] += 1
        both[(cluster, entity)] += 1
    if len(cluster_of) != len(truth):
        raise KeyError("predicted clusters hold record ids that are not in the truth")
    precision = recall = 0.0
    for (cluster, entity), shared in both.items():
        # each of the ``shared`` records contributes shared/size to the average
        precision += shared * shared / predicted_sizes[cluster]
        recall += shared * shared / true_sizes[entity]
    records = len(truth)
    return ClusterMetrics(
        records=records,
        precision=precision / records if records else 1.0,
        recall=recall / records if records else 1.0,
    )
