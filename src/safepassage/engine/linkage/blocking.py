"""Blocking: which pairs of records are worth comparing. Comparing every pair of a hundred
thousand records is five billion comparisons; records are instead grouped by several keys and
only records sharing a key are compared.

Keys are built from canonical name keys (:func:`safepassage.engine.names.name_key`), which
agree across Latin and Arabic script and across romanisations, so one key per rule covers
both scripts; several rules are united so that a record whose given name was respelled is
still found by its tazkira, phone or father's and grandfather's names. A pair found by more
than one rule is produced once, by the first rule that finds it (Splink's trick: no set of
seen pairs, so memory stays proportional to the records, not the pairs). Blocks larger than
``max_block_size`` are skipped and counted, so one very common key cannot make the run
quadratic; two records of the same household are never paired.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from safepassage.engine.linkage.features import NameFeature, PreparedRecord

__all__ = [
    "BLOCKING_RULES",
    "DEFAULT_MAX_BLOCK_SIZE",
    "SCALABLE_BLOCKING_RULES",
    "Blocker",
    "BlockingRule",
    "BlockingStats",
]

DEFAULT_MAX_BLOCK_SIZE: Final = 1000


@dataclass(frozen=True, slots=True)
class BlockingRule:
    """A named way of grouping records: ``keys`` gives the keys a record is filed under."""

    name: str
    keys: Callable[[PreparedRecord], tuple[str, ...]]


def _combined(
    left: NameFeature | None, right: Iterable[str] | NameFeature | None
) -> tuple[str, ...]:
    if left is None or right is None:
        return ()
    others = right.full if isinstance(right, NameFeature) else right
    return tuple(f"{a}|{b}" for a in left.full for b in others)


def _given_father(record: PreparedRecord) -> tuple[str, ...]:
    return _combined(record.given, record.father_or_family)


def _given_birth_year(record: PreparedRecord) -> tuple[str, ...]:
    if record.birth is None:
        return ()
    return _combined(record.given, [str(year) for year in record.birth.gregorian_years])


def _father_grandfather(record: PreparedRecord) -> tuple[str, ...]:
    return _combined(record.father_or_family, record.grandfather)


BLOCKING_RULES: Final[tuple[BlockingRule, ...]] = (
    BlockingRule("tazkira", lambda record: (record.tazkira,) if record.tazkira else ()),
    BlockingRule("passport", lambda record: (record.passport,) if record.passport else ()),
    BlockingRule("given_father", _given_father),
    BlockingRule("given_birth_year", _given_birth_year),
    BlockingRule("phone", lambda record: (record.phone,) if record.phone else ()),
    BlockingRule("father_grandfather", _father_grandfather),
)
"""The default rules, most specific first (a pair is credited to the first rule that finds
it). A father's name written in the family-name slot stands in for the father's name."""


def _triple(
    first: Iterable[str] | NameFeature | None,
    second: Iterable[str] | NameFeature | None,
    third: Iterable[str] | NameFeature | None,
) -> tuple[str, ...]:
    if first is None or second is None or third is None:
        return ()
    parts = [
        part.full if isinstance(part, NameFeature) else part for part in (first, second, third)
    ]
    return tuple(f"{a}|{b}|{c}" for a in parts[0] for b in parts[1] for c in parts[2])


def _years(record: PreparedRecord) -> tuple[str, ...] | None:
    return tuple(map(str, record.birth.gregorian_years)) if record.birth is not None else None


def _identity_rule(name: str, field: Callable[[PreparedRecord], str]) -> BlockingRule:
    return BlockingRule(name, lambda record: (field(record),) if field(record) else ())


SCALABLE_BLOCKING_RULES: Final[tuple[BlockingRule, ...]] = (
    _identity_rule("tazkira", lambda record: record.tazkira),
    _identity_rule("passport", lambda record: record.passport),
    _identity_rule("phone", lambda record: record.phone),
    BlockingRule(
        "given_father_grandfather",
        lambda record: _triple(record.given, record.father_or_family, record.grandfather),
    ),
    BlockingRule(
        "given_father_year",
        lambda record: _triple(record.given, record.father_or_family, _years(record)),
    ),
    BlockingRule(
        "given_grandfather_year",
        lambda record: _triple(record.given, record.grandfather, _years(record)),
    ),
    BlockingRule(
        "father_grandfather_year",
        lambda record: _triple(record.father_or_family, record.grandfather, _years(record)),
    ),
    BlockingRule(
        "given_year_province",
        lambda record: _triple(
            record.given, _years(record), (record.province,) if record.province else None
        ),
    ),
)
"""Rules for large runs (hundreds of thousands of records and more). The default rules'
two-part name keys draw on a vocabulary of a few thousand names, so their blocks grow with
the database and their pairs with its square; these rules join three parts (names, birth
year, province), so blocks stay small and pairs grow about linearly, while any two of a
person's given, father's and grandfather's names with the birth year still find a re-entry
whose third name was respelled beyond its key. Siblings rarely share a block (their given
names differ). They hold no rule broad enough for the training sessions:
:func:`~.batch.link_batch` fits the model on a sample with the default rules."""


@dataclass(frozen=True, slots=True)
class BlockingStats:
    """What blocking produced: records filed, pairs per rule (each pair counted once, under
    the first rule finding it), blocks skipped for exceeding the size cap and the records in
    them (a record may be in several)."""

    records: int
    pairs_by_rule: tuple[tuple[str, int], ...]
    capped_blocks: int
    capped_records: int

    @property
    def pairs(self) -> int:
        """All candidate pairs."""
        return sum(count for _, count in self.pairs_by_rule)


def _first_shared(left: tuple[str, ...], right: tuple[str, ...], capped: set[str]) -> str | None:
    """The smallest key both records are filed under in a block that was not skipped."""
    best: str | None = None
    for key in left:
        if key in right and key not in capped and (best is None or key < best):
            best = key
    return best


class Blocker:
    """Files records under the keys of each rule and produces the candidate pairs.

    Records are added one at a time (:meth:`add`), so a run can stream them from the
    database; :meth:`pairs` then yields each candidate pair once as (earlier index, later
    index) in the order of addition."""

    def __init__(
        self,
        rules: tuple[BlockingRule, ...] = BLOCKING_RULES,
        *,
        max_block_size: int = DEFAULT_MAX_BLOCK_SIZE,
    ) -> None:
        if max_block_size < 2:  # a block of one pairs nothing
            raise ValueError("max_block_size must be at least 2")
        self.rules = rules
        self.max_block_size = max_block_size
        self._blocks: list[dict[str, list[int]]] = [{} for _ in rules]
        self._keys: list[list[tuple[str, ...]]] = [[] for _ in rules]
        self._households: list[int] = []
        self._household_numbers: dict[str, int] = {}
        self._pairs_by_rule = [0] * len(rules)
        self._capped = (0, 0)

    def __len__(self) -> int:
        return len(self._households)

    def add(self, record: PreparedRecord) -> None:
        """File ``record``; its ``index`` must be the number of records added before it."""
        if record.index != len(self._households):
            raise ValueError("records must be added in index order")
        household = self._household_numbers.setdefault(
            record.record.household_id, len(self._household_numbers)
        )
        self._households.append(household)
        for rule, blocks, keys in zip(self.rules, self._blocks, self._keys, strict=True):
            record_keys = tuple(set(rule.keys(record)))
            keys.append(record_keys)
            for key in record_keys:
                blocks.setdefault(key, []).append(record.index)

    def keys_of(self, record: PreparedRecord) -> dict[str, tuple[str, ...]]:
        """The keys ``record`` is (or would be) filed under, by rule name."""
        return {rule.name: tuple(sorted(set(rule.keys(record)))) for rule in self.rules}

    def candidates_for(self, record: PreparedRecord) -> list[int]:
        """Indexes of the filed records sharing a key with ``record`` (not yet filed), from
        another household, in blocks within the cap: the intake path's candidate list."""
        household = self._household_numbers.get(record.record.household_id, -1)
        found: set[int] = set()
        for rule, blocks in zip(self.rules, self._blocks, strict=True):
            for key in set(rule.keys(record)):
                members = blocks.get(key, ())
                if len(members) <= self.max_block_size:
                    found.update(members)
        return sorted(index for index in found if self._households[index] != household)

    def pairs(self) -> Iterator[tuple[int, int]]:
        """Every candidate pair once, as (i, j) with i < j, block by block."""
        for left, right, _ in self.pairs_with_rules():
            yield left, right

    def pairs_with_rules(self) -> Iterator[tuple[int, int, int]]:
        """Every candidate pair once, as (i, j, rules) with i < j: ``rules`` has bit k set
        when rule k finds the pair (training runs EM on one rule's pairs at a time)."""
        capped: list[set[str]] = []
        capped_blocks = capped_records = 0
        for blocks in self._blocks:
            too_big = {key for key, members in blocks.items() if len(members) > self.max_block_size}
            capped_blocks += len(too_big)
            capped_records += sum(len(blocks[key]) for key in too_big)
            capped.append(too_big)
        self._capped = (capped_blocks, capped_records)
        self._pairs_by_rule = [0] * len(self.rules)
        households = self._households
        for rule_index, blocks in enumerate(self._blocks):
            keys, skipped = self._keys[rule_index], capped[rule_index]
            earlier = list(zip(self._keys[:rule_index], capped[:rule_index], strict=True))
            later = [
                (1 << later_index, self._keys[later_index], capped[later_index])
                for later_index in range(rule_index + 1, len(self.rules))
            ]
            for key, members in blocks.items():
                if key in skipped or len(members) < 2:
                    continue
                for position, left in enumerate(members):
                    left_household, left_keys = households[left], keys[left]
                    for right in members[position + 1 :]:
                        if households[right] == left_household:
                            continue
                        right_keys = keys[right]
                        if (len(left_keys) > 1 or len(right_keys) > 1) and _first_shared(
                            left_keys, right_keys, skipped
                        ) != key:
                            continue  # found under another key of this rule
                        if any(
                            _first_shared(rule_keys[left], rule_keys[right], rule_capped)
                            is not None
                            for rule_keys, rule_capped in earlier
                        ):
                            continue  # found by an earlier rule
                        self._pairs_by_rule[rule_index] += 1
                        mask = 1 << rule_index
                        for bit, rule_keys, rule_capped in later:
                            if _first_shared(rule_keys[left], rule_keys[right], rule_capped):
                                mask |= bit
                        yield left, right, mask

    def stats(self) -> BlockingStats:
        """The counts of the last complete :meth:`pairs` run."""
        return BlockingStats(
            records=len(self._households),
            pairs_by_rule=tuple(
                (rule.name, count)
                for rule, count in zip(self.rules, self._pairs_by_rule, strict=True)
            ),
            capped_blocks=self._capped[0],
            capped_records=self._capped[1],
        )
