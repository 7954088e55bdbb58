"""The comparisons of two prepared person records and their levels: for each field, how well
two records agree (exact, a close variant, different, or missing on one side).

These are the comparison levels of a Fellegi-Sunter model (:mod:`.model` gives each level its
m and u probabilities). Hand-written rather than Splink's comparison library because the
levels that matter here are Afghan ones Splink cannot express out of the box: a name's
canonical key in either script, the father's name found in the family-name slot, a birth date
given in the Solar Hijri calendar or as a year, a 1 January default, a paper tazkira's three
numbers. ``bench/linkage.py`` gives Splink the closest equivalent levels it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from safepassage.engine.linkage.features import (
    DateFeature,
    FeatureCache,
    NameFeature,
    PreparedRecord,
)

__all__ = [
    "COMPARISONS",
    "MISSING",
    "ComparisonSpec",
    "PairComparer",
]

MISSING: Final = -1
"""The level of a comparison when either record lacks the field: no evidence either way."""

# Comparison indexes in a comparison vector.
GIVEN, FATHER, GRANDFATHER, FAMILY, BIRTH, TAZKIRA, PASSPORT, PHONE, SEX, PROVINCE = range(10)
# Levels of the name comparisons.
NAME_EXACT, NAME_VARIANT, NAME_SIMILAR, NAME_DIFFERENT = range(4)
# Levels of the birth date comparison.
DATE_EXACT, DATE_OVERLAP, DATE_TOLERANCE, DATE_DIFFERENT = range(4)
# Levels of the identity number comparisons (tazkira, passport).
NUMBER_EXACT, NUMBER_CLOSE, NUMBER_DIFFERENT = range(3)
# Levels of the equality comparisons (phone, sex, province).
EQUAL, UNEQUAL = range(2)

SIMILAR_NAME_THRESHOLD: Final = 0.92
"""Jaro-Winkler similarity of two name keys from which they are a "similar" name: a typing
slip or an unlisted romanisation. Keys are consonant skeletons, so similarities run high:
Rahim and Rahman score 0.94, Bashir and Basir 0.93, Ahmad and Mohammad 0.83."""

TOLERANCE_DAYS: Final = 366
"""How far apart two birth dates may be and still be "within tolerance" when either is a
year, approximate, or in the other calendar: a Solar Hijri year converted by hand is often
off by one Gregorian year."""


@dataclass(frozen=True, slots=True)
class ComparisonSpec:
    """One comparison: its name, what it compares, its level labels strongest first (the
    last is disagreement), the m probabilities EM starts from, and whether agreement is
    adjusted for how common the agreed value is."""

    name: str
    description: str
    levels: tuple[str, ...]
    initial_m: tuple[float, ...]
    term_frequency: bool = False


_NAME_LEVELS: Final = ("exact", "variant", "similar", "different")
COMPARISONS: Final[tuple[ComparisonSpec, ...]] = (
    ComparisonSpec("given_name", "given name", _NAME_LEVELS, (0.85, 0.08, 0.04, 0.03)),
    ComparisonSpec("father_name", "father's name", _NAME_LEVELS, (0.85, 0.08, 0.04, 0.03)),
    ComparisonSpec("grandfather_name", "grandfather's name", _NAME_LEVELS, (0.8, 0.1, 0.05, 0.05)),
    ComparisonSpec("family_name", "family name", _NAME_LEVELS, (0.8, 0.1, 0.05, 0.05)),
    ComparisonSpec(
        "birth_date",
        "birth date",
        ("exact", "overlap", "within_tolerance", "different"),
        (0.5, 0.3, 0.15, 0.05),
    ),
    ComparisonSpec("tazkira", "tazkira number", ("exact", "close", "different"), (0.9, 0.05, 0.05)),
    ComparisonSpec(
        "passport", "passport number", ("exact", "close", "different"), (0.9, 0.05, 0.05)
    ),
    ComparisonSpec("phone", "phone number", ("exact", "different"), (0.6, 0.4), True),
    ComparisonSpec("sex", "sex", ("exact", "different"), (0.99, 0.01)),
    ComparisonSpec("birth_province", "province of birth", ("exact", "different"), (0.9, 0.1)),
)


def _one_edit_apart(left: str, right: str) -> bool:
    """Same length and one substituted character, or two adjacent characters swapped."""
    if len(left) != len(right):
        return False
    differing = [index for index, (a, b) in enumerate(zip(left, right, strict=True)) if a != b]
    if len(differing) == 1:
        return True
    if len(differing) == 2:  # a transposition touches two positions
        first, second = differing
        return second == first + 1 and left[first] == right[second] and left[second] == right[first]
    return False


def number_level(left: str, right: str) -> int:
    """Level of two identity numbers ("e:..."/"p:..." tazkira keys or passport numbers).

    A paper tazkira and an e-tazkira cannot be compared (one person may hold both): missing.
    Two paper tazkiras agreeing on two of their three numbers, or two numbers one typing slip
    apart, are "close"."""
    if not left or not right:
        return MISSING
    if left == right:
        return NUMBER_EXACT
    if left[:2] != right[:2] and (left[:2] in ("e:", "p:") or right[:2] in ("e:", "p:")):
        return MISSING
    if left.startswith("p:"):
        agreeing = sum(
            a == b for a, b in zip(left[2:].split("/"), right[2:].split("/"), strict=False)
        )
        return NUMBER_CLOSE if agreeing >= 2 else NUMBER_DIFFERENT  # two of three numbers
    return NUMBER_CLOSE if _one_edit_apart(left, right) else NUMBER_DIFFERENT


def birth_level(left: DateFeature | None, right: DateFeature | None) -> int:
    """Level of two birth dates: "exact" (the same day, both full dates), "overlap" (the
    ranges share a day: a year against a date in it, a Solar Hijri year against a Gregorian
    year), "within_tolerance" (a year or approximate or converted date within a year of the
    other; or two full dates one year apart to the day, the slip of a hand conversion), else
    "different". A 1 January or 1 Hamal date counts as its year (see :class:`DateFeature`)."""
    if left is None or right is None:
        return MISSING
    if left.full and right.full and left.first_day == right.first_day:
        return DATE_EXACT
    if left.first_day <= right.last_day and right.first_day <= left.last_day:
        return DATE_OVERLAP
    if left.loose or right.loose or left.calendar is not right.calendar:
        gap = max(left.first_day, right.first_day) - min(left.last_day, right.last_day)
        return DATE_TOLERANCE if gap <= TOLERANCE_DAYS else DATE_DIFFERENT
    if left.month == right.month and left.day == right.day and abs(left.year - right.year) == 1:
        return DATE_TOLERANCE
    return DATE_DIFFERENT


class PairComparer:
    """Computes comparison vectors, memoising name levels within one run.

    The vector has one level per entry of :data:`COMPARISONS` (:data:`MISSING` when either
    side lacks the field). Every level is symmetric: comparing (a, b) and (b, a) gives the
    same vector."""

    def __init__(
        self, cache: FeatureCache, *, similar_threshold: float = SIMILAR_NAME_THRESHOLD
    ) -> None:
        self.cache = cache
        self.similar_threshold = similar_threshold
        self._name_levels: dict[tuple[int, int], int] = {}

    def name_level(self, left: NameFeature | None, right: NameFeature | None) -> int:
        """Level of two names: "exact" when their canonical keys meet in either script,
        "variant" when any of their keys meet (a compound's part, the loose skeleton),
        "similar" when the best Jaro-Winkler similarity of their keys reaches the threshold,
        else "different"."""
        if left is None or right is None:
            return MISSING
        if left is right:
            return NAME_EXACT
        pair = (left.ident, right.ident) if left.ident < right.ident else (right.ident, left.ident)
        level = self._name_levels.get(pair)
        if level is None:
            if not left.full.isdisjoint(right.full):
                level = NAME_EXACT
            elif not left.all.isdisjoint(right.all):
                level = NAME_VARIANT
            elif self.cache.similarity(left, right) >= self.similar_threshold:
                level = NAME_SIMILAR
            else:
                level = NAME_DIFFERENT
            self._name_levels[pair] = level
        return level

    def swapped_father(self, left: PreparedRecord, right: PreparedRecord) -> int:
        """The father's-name level when one record has no father's name but has the other's
        father's name in its family-name slot (exact or variant), else :data:`MISSING`."""
        for one, other in ((left, right), (right, left)):
            if one.father is None and one.family is not None and other.father is not None:
                level = self.name_level(one.family, other.father)
                if level <= NAME_VARIANT:
                    return level
        return MISSING

    def vector(self, left: PreparedRecord, right: PreparedRecord) -> tuple[int, ...]:
        """The comparison vector of two records."""
        name_level = self.name_level
        father = name_level(left.father, right.father)
        family = MISSING
        if father == MISSING:
            father = self.swapped_father(left, right)
        if father == MISSING or (left.father is not None and right.father is not None):
            # When the family-name slot held the father's name it says nothing of the family.
            family = name_level(left.family, right.family)
        return (
            name_level(left.given, right.given),
            father,
            name_level(left.grandfather, right.grandfather),
            family,
            birth_level(left.birth, right.birth),
            number_level(left.tazkira, right.tazkira),
            number_level(left.passport, right.passport),
            MISSING if not left.phone or not right.phone else int(left.phone != right.phone),
            MISSING if not left.sex or not right.sex else int(left.sex != right.sex),
            MISSING
            if not left.province or not right.province
            else int(left.province != right.province),
        )

    def notes(self, left: PreparedRecord, right: PreparedRecord) -> dict[int, str]:
        """Explanations beyond the level, by comparison index, for reviewers."""
        found: dict[int, str] = {}
        if (left.father is None or right.father is None) and self.swapped_father(
            left, right
        ) != MISSING:
            found[FATHER] = "father's name found in the family-name slot"
        for one in (left, right):
            if one.record.birth_date is not None and one.birth is not None:
                date = one.record.birth_date
                if date.month == 1 and date.day == 1:
                    found[BIRTH] = "a 1 January or 1 Hamal date is treated as its year only"
        return found
