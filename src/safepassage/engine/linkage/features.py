"""What linkage compares, computed once per record: name keys in both scripts, the birth date
as a Gregorian range with 1 January demoted to a year, identity numbers in one spelling.

Records are prepared once and compared many times, so everything costly (transliteration,
name keys, calendar conversion) happens here, and name features are interned: two records
with the same name text share one :class:`NameFeature`, and comparisons of two interned names
are memoised per run in :class:`FeatureCache`. Names repeat a great deal (a few thousand
distinct spellings among a hundred thousand people), which is what makes pure Python fast
enough. The cache lives only as long as one linkage run or one intake call; it is never
written anywhere and nothing here logs names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from safepassage.engine.dates import Calendar, PartialDate, to_latin_digits
from safepassage.engine.linkage.jaro_winkler import jaro_winkler
from safepassage.engine.linkage.records import PersonRecord
from safepassage.engine.names import is_fnu, name_key, name_keys

__all__ = [
    "DateFeature",
    "FeatureCache",
    "NameFeature",
    "PreparedRecord",
    "date_feature",
]

_SEPARATORS: Final = re.compile(r"[\s\-/.]+")


@dataclass(frozen=True, slots=True, eq=False)
class NameFeature:
    """The keys of one name field, from its Latin and its Arabic-script spelling.

    ``full`` holds :func:`name_key` of each spelling (compared for "exact"), ``all`` the union
    of :func:`name_keys` (compared for "variant": a compound's parts, the loose skeleton).
    ``ident`` is unique within one :class:`FeatureCache`, for memoising comparisons."""

    ident: int
    full: frozenset[str]
    all: frozenset[str]


@dataclass(frozen=True, slots=True)
class DateFeature:
    """A birth date as linkage sees it: the Gregorian range as ordinal days, whether it is a
    full date (a 1 January or 1 Hamal default counts as year-only: it is what clerks write when
    the day is unknown), whether it is loose (year or month only, or marked approximate), and
    its calendar and parts for spotting a Solar Hijri conversion slipped by one year."""

    first_day: int
    last_day: int
    full: bool
    loose: bool
    calendar: Calendar
    year: int
    month: int
    day: int

    @property
    def gregorian_years(self) -> tuple[int, ...]:
        """The Gregorian years the range touches (one or two), for blocking."""
        first, last = date.fromordinal(self.first_day).year, date.fromordinal(self.last_day).year
        return tuple(range(first, last + 1))


def date_feature(birth: PartialDate | None) -> DateFeature | None:
    """The :class:`DateFeature` of a birth date, None when unknown."""
    if birth is None:
        return None
    if birth.month == 1 and birth.day == 1:
        # 1 January (Gregorian) and 1 Hamal (Solar Hijri) are the defaults for "day unknown".
        birth = PartialDate(birth.year, None, None, birth.calendar, birth.approximate)
    first, last = birth.gregorian_range()
    full = birth.precision == "day"
    return DateFeature(
        first_day=first.toordinal(),
        last_day=last.toordinal(),
        full=full,
        loose=not full or birth.approximate,
        calendar=birth.calendar,
        year=birth.year,
        month=birth.month or 0,
        day=birth.day or 0,
    )


def _tazkira_key(tazkira: str | tuple[str, str, str]) -> str:
    """ "e:<digits>" for an e-tazkira, "p:<volume>/<page>/<registration>" for a paper one,
    "" for none; digits in any script, separators ignored."""
    if isinstance(tazkira, tuple):
        parts = [_SEPARATORS.sub("", to_latin_digits(part)).upper() for part in tazkira]
        return "p:" + "/".join(parts) if all(parts) else ""
    digits = _SEPARATORS.sub("", to_latin_digits(tazkira))
    return "e:" + digits if digits else ""


@dataclass(frozen=True, slots=True, eq=False)
class PreparedRecord:
    """A :class:`PersonRecord` with its comparison features. ``index`` is its position in
    the run; name features are None when the field holds no name."""

    index: int
    record: PersonRecord
    given: NameFeature | None
    father: NameFeature | None
    grandfather: NameFeature | None
    family: NameFeature | None
    birth: DateFeature | None
    tazkira: str
    passport: str
    phone: str
    sex: str
    province: str

    @property
    def father_or_family(self) -> NameFeature | None:
        """The father's name, or the family name when the father's slot is empty (forms with a
        "last name" but no "father's name" slot get the father's name there)."""
        return self.father if self.father is not None else self.family


class FeatureCache:
    """Interned name features and memoised name similarities for one run.

    Not thread-safe; create one per run (or per intake call)."""

    def __init__(self) -> None:
        self._spellings: dict[str, tuple[str, frozenset[str]]] = {}
        self._names: dict[tuple[str, str], NameFeature | None] = {}
        self._similarity: dict[tuple[int, int], float] = {}
        self._count = 0

    def _spelling(self, text: str) -> tuple[str, frozenset[str]]:
        found = self._spellings.get(text)
        if found is None:
            found = (name_key(text), name_keys(text))
            self._spellings[text] = found
        return found

    def name(self, latin: str, arabic: str) -> NameFeature | None:
        """The interned feature of a name given in Latin and/or Arabic script."""
        if (latin, arabic) in self._names:
            return self._names[(latin, arabic)]
        full: set[str] = set()
        every: set[str] = set()
        for text in (latin, arabic):
            if text and not is_fnu(text):
                key, keys = self._spelling(text)
                if key:
                    full.add(key)
                every |= keys
        feature = None
        if full:
            self._count += 1
            feature = NameFeature(self._count, frozenset(full), frozenset(every | full))
        self._names[(latin, arabic)] = feature
        return feature

    def similarity(self, left: NameFeature, right: NameFeature) -> float:
        """The best Jaro-Winkler similarity between the two names' keys (symmetric)."""
        pair = (left.ident, right.ident) if left.ident < right.ident else (right.ident, left.ident)
        found = self._similarity.get(pair)
        if found is None:
            found = max(jaro_winkler(*sorted((a, b))) for a in left.full for b in right.full)
            self._similarity[pair] = found
        return found

    def prepare(self, record: PersonRecord, index: int) -> PreparedRecord:
        """The features of ``record``, the ``index``-th of the run.

        A given name that is only a placeholder ("FNU") with a name in the family-name slot
        is a US form's rendering of a single name: the family-name slot is read as the given
        name, script by script."""
        given_latin, family_latin = record.given_name_latin, record.family_name_latin
        given_arabic, family_arabic = record.given_name_arabic, record.family_name_arabic
        if family_latin and given_latin and is_fnu(given_latin):
            given_latin, family_latin = family_latin, ""
        if family_arabic and given_arabic and is_fnu(given_arabic):
            given_arabic, family_arabic = family_arabic, ""
        return PreparedRecord(
            index=index,
            record=record,
            given=self.name(given_latin, given_arabic),
            father=self.name(record.father_name_latin, record.father_name_arabic),
            grandfather=self.name(record.grandfather_name_latin, record.grandfather_name_arabic),
            family=self.name(family_latin, family_arabic),
            birth=date_feature(record.birth_date),
            tazkira=_tazkira_key(record.tazkira),
            passport=_SEPARATORS.sub("", to_latin_digits(record.passport)).upper(),
            phone=record.phone.strip(),
            sex=record.sex.strip().lower(),
            province=record.birth_province.strip().upper(),
        )
