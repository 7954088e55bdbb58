"""Partial dates as Afghans give them: year only, year and month, or a full date, in the
Gregorian or the Solar Hijri calendar, possibly approximate.

Solar Hijri calendar arithmetic (leap years, conversion to and from Gregorian) is done by
``jdatetime``. What no library covers is written here: partial dates and the ranges they
stand for, the Afghan month names (Dari and Pashto; ``jdatetime`` only knows the Iranian
ones), the Afghan spelling of Gregorian months, and reading dates typed with Eastern Arabic
or Persian digits.
"""

from __future__ import annotations

import calendar as gregorian_calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final, Literal

import jdatetime

__all__ = [
    "AFGHAN_MONTHS_DARI",
    "AFGHAN_MONTHS_PASHTO",
    "GREGORIAN_MONTHS",
    "IRANIAN_MONTHS",
    "Calendar",
    "PartialDate",
    "PartialDateError",
    "Precision",
    "gregorian_to_solar_hijri",
    "month_name",
    "parse_partial_date",
    "solar_hijri_to_gregorian",
    "to_latin_digits",
    "to_local_digits",
]


class Calendar(StrEnum):
    GREGORIAN = "gregorian"
    SOLAR_HIJRI = "solar_hijri"


class PartialDateError(ValueError):
    """A date that cannot exist or cannot be read. ``code`` is stable; the Django layer
    turns it into a translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


Precision = Literal["year", "month", "day"]

# Years outside these bounds are typing mistakes, not birth or service dates.
YEAR_RANGE: Final[Mapping[Calendar, tuple[int, int]]] = MappingProxyType(
    {Calendar.GREGORIAN: (1850, 2200), Calendar.SOLAR_HIJRI: (1230, 1580)}
)

_STORAGE_PREFIX: Final[Mapping[Calendar, str]] = MappingProxyType(
    {Calendar.GREGORIAN: "g", Calendar.SOLAR_HIJRI: "sh"}
)
_STORAGE_PATTERN: Final = re.compile(
    r"(?P<prefix>g|sh):(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?"
    r"(?P<approximate>~)?"
)


# --- digits -------------------------------------------------------------------------------

_EASTERN_ARABIC_DIGITS: Final = "".join(map(chr, range(0x0660, 0x066A)))  # used in Arabic
_PERSIAN_DIGITS: Final = "".join(map(chr, range(0x06F0, 0x06FA)))  # used in Dari and Pashto
_LATIN_DIGITS: Final = "0123456789"
_ARABIC_DECIMAL_SEPARATOR: Final = "\u066b"
_ARABIC_THOUSANDS_SEPARATOR: Final = "\u066c"

# The Arabic decimal separator becomes a full stop and the Arabic thousands separator a
# comma, so the text keeps its meaning and its structure ("1,234.5").
_TO_LATIN: Final = str.maketrans(
    _EASTERN_ARABIC_DIGITS
    + _PERSIAN_DIGITS
    + _ARABIC_DECIMAL_SEPARATOR
    + _ARABIC_THOUSANDS_SEPARATOR,
    _LATIN_DIGITS + _LATIN_DIGITS + ".,",
)
_TO_PERSIAN: Final = str.maketrans(
    _LATIN_DIGITS + _EASTERN_ARABIC_DIGITS, _PERSIAN_DIGITS + _PERSIAN_DIGITS
)
_PERSIAN_DIGIT_LANGUAGES: Final = frozenset({"fa", "ps", "prs"})


def to_latin_digits(text: str) -> str:
    """Return ``text`` with Eastern Arabic (U+0660-U+0669) and Persian (U+06F0-U+06F9)
    digits as 0-9.

    The Arabic decimal separator (U+066B) becomes "." and the Arabic thousands separator
    (U+066C) becomes ","; everything else is left as it is.
    """
    return text.translate(_TO_LATIN)


def _primary_language(language: str) -> str:
    return language.replace("_", "-").split("-", 1)[0].strip().lower()


def to_local_digits(text: str, language: str) -> str:
    """Return ``text`` with its digits in Persian form (U+06F0-U+06F9), as Dari and Pashto
    readers write them, when ``language`` is Dari ("fa", "fa-AF", "prs") or Pashto ("ps");
    otherwise unchanged."""
    if _primary_language(language) in _PERSIAN_DIGIT_LANGUAGES:
        return text.translate(_TO_PERSIAN)
    return text


# --- month names --------------------------------------------------------------------------

_DARI_MONTHS_LATIN: Final = (
    "Hamal", "Sawr", "Jawza", "Saratan", "Asad", "Sunbula",
    "Mizan", "Aqrab", "Qaws", "Jadi", "Dalw", "Hut",
)  # fmt: skip
_DARI_MONTHS_SCRIPT: Final = (
    "حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله",
    "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت",
)  # fmt: skip
_PASHTO_MONTHS_LATIN: Final = (
    "Wray", "Ghwayay", "Ghbargolay", "Changakh", "Zmaray", "Wagay",
    "Tala", "Laram", "Lindey", "Marghumay", "Salwagha", "Kab",
)  # fmt: skip
_PASHTO_MONTHS_SCRIPT: Final = (
    "وری", "غویی", "غبرګولی", "چنګاښ", "زمری", "وږی",
    "تله", "لړم", "لیندۍ", "مرغومی", "سلواغه", "کب",
)  # fmt: skip
_IRANIAN_MONTHS_LATIN: Final = (
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
)  # fmt: skip
_IRANIAN_MONTHS_SCRIPT: Final = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
# Spelled out: ``calendar.month_name`` follows the process locale.
_ENGLISH_MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_ENGLISH_MONTHS_SHORT: Final = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
# How Afghans write the Gregorian months in Dari and Pashto (from English, not French as
# in Iran).
_AFGHAN_GREGORIAN_MONTHS: Final = (
    "جنوری", "فبروری", "مارچ", "اپریل", "می", "جون",
    "جولای", "اگست", "سپتمبر", "اکتوبر", "نومبر", "دسمبر",
)  # fmt: skip
_IRANIAN_GREGORIAN_MONTHS: Final = (
    "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن",
    "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر",
)  # fmt: skip


def _month_table(*names: tuple[str, ...], variants: Mapping[str, int]) -> Mapping[str, int]:
    table = {name: number for column in names for number, name in enumerate(column, start=1)}
    table.update(variants)
    return MappingProxyType(table)


AFGHAN_MONTHS_DARI: Final[Mapping[str, int]] = _month_table(
    _DARI_MONTHS_SCRIPT,
    _DARI_MONTHS_LATIN,
    # Romanisation is not standardised; these spellings are common on forms.
    variants={
        "Saur": 2, "Sowr": 2, "Jauza": 3, "Jowza": 3, "Sonbola": 6, "Sunbulah": 6,
        "Sombola": 6, "Akrab": 8, "Qaus": 9, "Qows": 9,
        "Jaddi": 10, "Jadey": 10, "Dalv": 11, "Hoot": 12, "Hout": 12, "جوزاء": 3,
    },
)  # fmt: skip
AFGHAN_MONTHS_PASHTO: Final[Mapping[str, int]] = _month_table(
    _PASHTO_MONTHS_SCRIPT,
    _PASHTO_MONTHS_LATIN,
    variants={
        "Wrai": 1, "Ghwayai": 2, "Ghwayi": 2, "Ghbargolai": 3, "Changash": 4, "Zmarai": 5,
        "Wazhay": 6, "Wagai": 6, "Lindai": 9, "Marghumai": 10, "Marghomay": 10,
        "غوایی": 2,
    },
)  # fmt: skip
IRANIAN_MONTHS: Final[Mapping[str, int]] = _month_table(
    _IRANIAN_MONTHS_SCRIPT,
    _IRANIAN_MONTHS_LATIN,
    variants={"Amordad": 5, "امرداد": 5, "Isfand": 12},
)
GREGORIAN_MONTHS: Final[Mapping[str, int]] = _month_table(
    _ENGLISH_MONTHS,
    _ENGLISH_MONTHS_SHORT,
    _AFGHAN_GREGORIAN_MONTHS,
    _IRANIAN_GREGORIAN_MONTHS,
    variants={"Sept": 9, "جولائی": 7, "اگوست": 8, "آگوست": 8, "مې": 5},
)

# Spellings of the same letter that keyboards and documents mix (Arabic and Persian yeh and
# kaf, Pashto letters typed on a Dari keyboard, hamza forms, teh marbuta); folded away only
# to look a month name up, never to store text.
_ARABIC_SCRIPT_FOLD: Final = str.maketrans(
    {
        # yeh: Arabic, alef maksura, Pashto e, Pashto feminine yeh, yeh with hamza -> Farsi yeh
        "\u064a": "\u06cc", "\u0649": "\u06cc", "\u06d0": "\u06cc", "\u06cd": "\u06cc",
        "\u0626": "\u06cc",
        "\u0643": "\u06a9",  # Arabic kaf -> keheh
        "\u06ab": "\u06af",  # Pashto gaf with ring -> gaf
        "\u069a": "\u0634",  # Pashto xin -> sheen
        "\u0696": "\u0698",  # Pashto zhe -> jeh
        "\u0693": "\u0631",  # Pashto rreh -> reh
        "\u0629": "\u0647", "\u06c0": "\u0647",  # teh marbuta, heh with yeh -> heh
        # alef with hamza above, below, madda, wasla -> alef; waw with hamza -> waw
        "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
        "\u0624": "\u0648",
        # hamza, tatweel, zero-width non-joiner and joiner are dropped
        "\u0621": None, "\u0640": None, "\u200c": None, "\u200d": None,
    }
)  # fmt: skip
_DIACRITICS: Final = re.compile("[\u064b-\u065f\u0670]")


def _fold_month_name(name: str) -> str:
    return _DIACRITICS.sub("", name.casefold().translate(_ARABIC_SCRIPT_FOLD))


def _month_lookup() -> Mapping[str, tuple[Calendar, int]]:
    lookup: dict[str, tuple[Calendar, int]] = {}
    tables = (
        (Calendar.SOLAR_HIJRI, AFGHAN_MONTHS_DARI),
        (Calendar.SOLAR_HIJRI, AFGHAN_MONTHS_PASHTO),
        (Calendar.SOLAR_HIJRI, IRANIAN_MONTHS),
        (Calendar.GREGORIAN, GREGORIAN_MONTHS),
    )
    for calendar, table in tables:
        for name, number in table.items():
            key = _fold_month_name(name)
            if lookup.setdefault(key, (calendar, number)) != (calendar, number):
                raise AssertionError("month name tables disagree")  # a bug in the tables
    return MappingProxyType(lookup)


_MONTH_LOOKUP: Final = _month_lookup()


def month_name(month: int, calendar: Calendar, language: str) -> str:
    """Name of ``month`` (1-12) of ``calendar`` as readers of ``language`` know it.

    Solar Hijri months take their Afghan names: Dari for "fa", Pashto for "ps", the Dari
    names in Latin letters otherwise. Gregorian months are English, or in Dari and Pashto
    the Afghan spelling in Arabic script (جنوری ...). Raises ``PartialDateError``
    ("invalid_month") for a month outside 1-12.
    """
    if not 1 <= month <= 12:
        raise PartialDateError("invalid_month")
    language = _primary_language(language)
    if Calendar(calendar) is Calendar.SOLAR_HIJRI:
        if language in {"fa", "prs"}:
            return _DARI_MONTHS_SCRIPT[month - 1]
        if language == "ps":
            return _PASHTO_MONTHS_SCRIPT[month - 1]
        return _DARI_MONTHS_LATIN[month - 1]
    if language in _PERSIAN_DIGIT_LANGUAGES:
        return _AFGHAN_GREGORIAN_MONTHS[month - 1]
    return _ENGLISH_MONTHS[month - 1]


# --- calendar arithmetic ------------------------------------------------------------------


def _is_solar_hijri_leap_year(year: int) -> bool:
    return bool(jdatetime.date(year, 1, 1).isleap())


def _days_in_month(year: int, month: int, calendar: Calendar) -> int:
    if calendar is Calendar.GREGORIAN:
        return gregorian_calendar.monthrange(year, month)[1]
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if _is_solar_hijri_leap_year(year) else 29


def _check_solar_hijri(year: int, month: int, day: int) -> None:
    if not 1 <= month <= 12:
        raise PartialDateError("invalid_month")
    if not 1 <= year <= jdatetime.MAXYEAR:
        raise PartialDateError("year_out_of_range")
    if not 1 <= day <= _days_in_month(year, month, Calendar.SOLAR_HIJRI):
        raise PartialDateError("invalid_day")


def solar_hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of day ``day`` of month ``month`` of Solar Hijri year ``year``.

    Raises ``PartialDateError`` ("invalid_month", "invalid_day", "year_out_of_range") for a
    date that does not exist.
    """
    _check_solar_hijri(year, month, day)
    gregorian = jdatetime.date(year, month, day).togregorian()
    return dt.date(int(gregorian.year), int(gregorian.month), int(gregorian.day))


def gregorian_to_solar_hijri(day: dt.date) -> tuple[int, int, int]:
    """The Solar Hijri (year, month, day) of the Gregorian date ``day``.

    Raises ``PartialDateError("year_out_of_range")`` for dates before the Solar Hijri era.
    """
    if day < _SOLAR_HIJRI_EPOCH:
        raise PartialDateError("year_out_of_range")
    solar = jdatetime.date.fromgregorian(date=dt.date(day.year, day.month, day.day))
    return int(solar.year), int(solar.month), int(solar.day)


_SOLAR_HIJRI_EPOCH: Final = solar_hijri_to_gregorian(1, 1, 1)


def _completed_years(born: dt.date, on: dt.date) -> int:
    # Someone born on 29 February completes a year on 1 March in common years.
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# --- partial dates ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day, in the calendar it was given in.

    Construction validates: ``PartialDateError`` with code "year_out_of_range" (Gregorian
    1850-2200, Solar Hijri 1230-1580), "invalid_month", "day_without_month" or
    "invalid_day". ``approximate`` records that the person was unsure; it does not widen
    :meth:`gregorian_range`, callers decide how much tolerance it earns.
    """

    year: int
    month: int | None = None
    day: int | None = None
    calendar: Calendar = Calendar.GREGORIAN
    approximate: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.calendar, Calendar):
            try:
                object.__setattr__(self, "calendar", Calendar(self.calendar))
            except ValueError:
                raise PartialDateError("invalid_calendar") from None
        for part in (self.year, self.month, self.day):
            if part is not None and (isinstance(part, bool) or not isinstance(part, int)):
                raise PartialDateError("invalid_part")
        lowest, highest = YEAR_RANGE[self.calendar]
        if not lowest <= self.year <= highest:
            raise PartialDateError("year_out_of_range")
        if self.month is not None and not 1 <= self.month <= 12:
            raise PartialDateError("invalid_month")
        if self.day is not None:
            if self.month is None:
                raise PartialDateError("day_without_month")
            if not 1 <= self.day <= _days_in_month(self.year, self.month, self.calendar):
                raise PartialDateError("invalid_day")

    @property
    def precision(self) -> Precision:
        """How much of the date is known: "year", "month" or "day"."""
        if self.month is None:
            return "year"
        if self.day is None:
            return "month"
        return "day"

    def gregorian_range(self) -> tuple[dt.date, dt.date]:
        """The earliest and the latest Gregorian date this partial date can mean.

        A Solar Hijri year runs from about 21 March to about 20 March of the next Gregorian
        year, and a Solar Hijri month straddles two Gregorian months.
        """
        if self.calendar is Calendar.GREGORIAN:
            if self.month is None:
                return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
            if self.day is None:
                last = _days_in_month(self.year, self.month, self.calendar)
                return dt.date(self.year, self.month, 1), dt.date(self.year, self.month, last)
            exact = dt.date(self.year, self.month, self.day)
            return exact, exact
        if self.month is None:
            first = solar_hijri_to_gregorian(self.year, 1, 1)
            next_year = solar_hijri_to_gregorian(self.year + 1, 1, 1)
            return first, next_year - dt.timedelta(days=1)
        if self.day is None:
            last = _days_in_month(self.year, self.month, self.calendar)
            return (
                solar_hijri_to_gregorian(self.year, self.month, 1),
                solar_hijri_to_gregorian(self.year, self.month, last),
            )
        exact = solar_hijri_to_gregorian(self.year, self.month, self.day)
        return exact, exact

    def is_after(self, day: dt.date) -> bool:
        """True only if every date this can mean is after ``day`` (a birth date "in the
        future" must be so whatever the unknown month and day are)."""
        return self.gregorian_range()[0] > day

    def age_range_on(self, on: dt.date) -> tuple[int, int]:
        """Least and greatest completed years of age on ``on`` of someone born on this date.

        Years are counted in the Gregorian calendar, as the laws of receiving countries count
        them. Raises ``PartialDateError("after_reference_date")`` if the person cannot have
        been born by ``on``; if only some of the possible dates are after ``on`` the least
        age is 0.
        """
        earliest, latest = self.gregorian_range()
        if earliest > on:
            raise PartialDateError("after_reference_date")
        return max(0, _completed_years(latest, on)), _completed_years(earliest, on)

    def to_storage(self) -> str:
        """Compact, stable text such as "sh:1365-07-15~" or "g:1990"; see
        :meth:`from_storage`."""
        text = f"{_STORAGE_PREFIX[self.calendar]}:{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text + ("~" if self.approximate else "")

    @classmethod
    def from_storage(cls, text: str) -> PartialDate:
        """The partial date stored as ``text`` by :meth:`to_storage`.

        Raises ``PartialDateError("invalid_storage")`` for text it did not write, or the
        validation codes if the stored date cannot exist.
        """
        match = _STORAGE_PATTERN.fullmatch(text)
        if match is None:
            raise PartialDateError("invalid_storage")
        month, day = match["month"], match["day"]
        return cls(
            year=int(match["year"]),
            month=None if month is None else int(month),
            day=None if day is None else int(day),
            calendar=(Calendar.GREGORIAN if match["prefix"] == "g" else Calendar.SOLAR_HIJRI),
            approximate=match["approximate"] is not None,
        )

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return ("~" if self.approximate else "") + text


# --- reading typed dates ------------------------------------------------------------------

# Bidirectional controls that right-to-left editors insert around digits.
_INVISIBLE: Final = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NUMERIC_SEPARATOR: Final = r"(?:\s*[-/.]\s*|\s+)"
_NUMERIC_DATE: Final = re.compile(
    rf"(?P<year>[0-9]{{4}})(?:{_NUMERIC_SEPARATOR}(?P<month>[0-9]{{1,2}})"
    rf"(?:{_NUMERIC_SEPARATOR}(?P<day>[0-9]{{1,2}}))?)?"
)
_TOKEN_SEPARATOR: Final = re.compile(r"[\s\-/.,،]+")
_YEAR_TOKEN: Final = re.compile(r"[0-9]{4}")
_DAY_TOKEN: Final = re.compile(r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?")
_MAX_INPUT_LENGTH: Final = 64


def parse_partial_date(text: str, calendar: Calendar, *, approximate: bool = False) -> PartialDate:
    """Read a date as a person types it, in ``calendar``.

    Accepts, with Latin, Eastern Arabic or Persian digits and any spacing:

    - numbers, year first, separated by "-", "/", "." or spaces: "1365", "1365-7",
      "1365/07/15";
    - a month name (Dari, Pashto, Iranian or Gregorian, in Arabic script or Latin letters) with
      a four-digit year and perhaps a day, in any order: "15 Hamal 1365", "1365 حمل 15",
      "March 1990", "14 March 1990".

    A leading "~" marks the date approximate, as does ``approximate=True``.

    Raises ``PartialDateError``: "unreadable" for any other text (day-first numbers such as
    "15/07/1365" are refused as ambiguous), "calendar_mismatch" for a month name of the
    other calendar, or a validation code for a date that cannot exist.
    """
    calendar = Calendar(calendar)
    cleaned = _INVISIBLE.sub("", to_latin_digits(text)).strip()
    if len(cleaned) > _MAX_INPUT_LENGTH:
        raise PartialDateError("unreadable")
    if cleaned.startswith("~"):
        approximate = True
        cleaned = cleaned[1:].lstrip()

    numeric = _NUMERIC_DATE.fullmatch(cleaned)
    if numeric is not None:
        month, day = numeric["month"], numeric["day"]
        return PartialDate(
            year=int(numeric["year"]),
            month=None if month is None else int(month),
            day=None if day is None else int(day),
            calendar=calendar,
            approximate=approximate,
        )
    return _parse_named_month(cleaned, calendar, approximate=approximate)


def _parse_named_month(text: str, calendar: Calendar, *, approximate: bool) -> PartialDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    for token in filter(None, _TOKEN_SEPARATOR.split(text)):
        day_match = _DAY_TOKEN.fullmatch(token.casefold())
        if _YEAR_TOKEN.fullmatch(token) and year is None:
            year = int(token)
        elif day_match is not None and day is None:
            day = int(day_match["day"])
        elif (named := _MONTH_LOOKUP.get(_fold_month_name(token))) is not None and month is None:
            named_calendar, month = named
            if named_calendar is not calendar:
                raise PartialDateError("calendar_mismatch")
        else:
            raise PartialDateError("unreadable")
    if year is None or month is None:
        raise PartialDateError("unreadable")
    return PartialDate(year=year, month=month, day=day, calendar=calendar, approximate=approximate)
