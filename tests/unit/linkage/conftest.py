"""Synthetic households with planted duplicates, linked once per test session."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from safepassage.engine.linkage import LinkResult, PersonRecord, link_batch
from safepassage.engine.linkage.evaluation import records_from_households, true_pairs
from safepassage.synth import SynthHousehold, generate_households


@dataclass(frozen=True)
class LinkedSample:
    """2,000 synthetic households (5% planted duplicates), their records, the truth and the
    batch result with a model fitted to them."""

    households: tuple[SynthHousehold, ...]
    records: tuple[PersonRecord, ...]
    identities: dict[str, str]
    truth: set[tuple[str, str]]
    result: LinkResult


@pytest.fixture(scope="session")
def linked_sample() -> LinkedSample:
    households = tuple(generate_households(2000, seed=11, duplicate_rate=0.05))
    identities: dict[str, str] = {}
    records = tuple(records_from_households(households, identities))
    return LinkedSample(
        households=households,
        records=records,
        identities=identities,
        truth=true_pairs(identities),
        result=link_batch(records),
    )
