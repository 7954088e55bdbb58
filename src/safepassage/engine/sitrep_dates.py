"""Dates in situation reports: absolute English, Dari and Pashto dates (Solar Hijri and
Gregorian, Eastern digits) and weekdays or "yesterday" counted back from the publication
date. Used by ``engine/sitrep.py``; calendar arithmetic is ``engine/dates.py``'s."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from safepassage.engine import sitrep_words as words
from safepassage.engine.dates import (
    AFGHAN_MONTHS_DARI,
    AFGHAN_MONTHS_PASHTO,
    GREGORIAN_MONTHS,
    IRANIAN_MONTHS,
    PartialDateError,
    gregorian_to_solar_hijri,
    solar_hijri_to_gregorian,
)
from safepassage.engine.names import normalize_arabic_script
from safepassage.engine.sitrep_text import (
    ARABIC_LETTER,
    NOT_ARABIC_AFTER,
    NOT_ARABIC_BEFORE,
    PreparedText,
    plain_text,
    prepare,
)

__all__ = ["DateMention", "find_dates", "find_dates_in"]


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str
    day: dt.date
    relative: bool  # "on Tuesday", "yesterday": resolved against the publication date


_ENGLISH_WEEKDAYS: Final = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip
_ENGLISH_MONTHS: Final = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_ENGLISH_MONTH_WORDS: Final[Mapping[str, int]] = {
    **{name: number for number, name in enumerate(_ENGLISH_MONTHS, start=1)},
    **{name[:3]: number for number, name in enumerate(_ENGLISH_MONTHS, start=1)},
    "sept": 9,
}
_MONTH_ALTERNATION: Final = "|".join(sorted(_ENGLISH_MONTH_WORDS, key=len, reverse=True))
_ORDINAL: Final = r"(?:st|nd|rd|th)?"
_ENGLISH_DAY_MONTH: Final = re.compile(
    rf"\b(?P<day>[0-3]?\d){_ORDINAL}\s+(?:of\s+)?(?P<month>{_MONTH_ALTERNATION})\b\.?"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
_ENGLISH_MONTH_DAY: Final = re.compile(
    rf"\b(?P<month>{_MONTH_ALTERNATION})\b\.?\s+(?P<day>[0-3]?\d){_ORDINAL}\b(?!\s*%)"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
_ISO_DATE: Final = re.compile(r"\b(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})\b")
_SOLAR_DMY: Final = re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>1[34]\d\d)\b")
_WEEKDAY_EN: Final = re.compile(
    r"\b(?:(?P<last>last|this\s+past|past)\s+|(?:late|early)\s+)?(?P<weekday>"
    + "|".join(_ENGLISH_WEEKDAYS)
    + r")\b(?:\s+(?P<part>night|morning|evening|afternoon))?",
    re.IGNORECASE,
)
_RELATIVE_EN: Final = re.compile(
    r"\b(?P<word>the\s+day\s+before\s+yesterday|yesterday|today|tonight|last\s+night|"
    r"earlier\s+today|this\s+morning)\b",
    re.IGNORECASE,
)


@functools.cache
def _arabic_months() -> Mapping[str, tuple[bool, int]]:
    """Month names in Arabic script (normalised) -> (Solar Hijri?, month number)."""
    months: dict[str, tuple[bool, int]] = {}
    ambiguous = {"دی", "مه", "مې"}  # "Dey" is also "that", "Mah" the Pashto ordinal ending
    for solar, table in (
        (True, AFGHAN_MONTHS_DARI),
        (True, AFGHAN_MONTHS_PASHTO),
        (True, IRANIAN_MONTHS),
        (False, GREGORIAN_MONTHS),
    ):
        for name, number in table.items():
            if name in ambiguous or ARABIC_LETTER.search(name) is None:
                continue
            for key in (
                plain_text(name),
                plain_text(normalize_arabic_script(name, fold_pashto=True)),
            ):
                months.setdefault(key, (solar, number))
                months.setdefault(key.replace(" ", ""), (solar, number))
    return months


@functools.cache
def _arabic_date_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    alternation = "|".join(
        re.escape(m).replace(r"\ ", r"\s?") for m in sorted(_arabic_months(), key=len, reverse=True)
    )
    month = f"{NOT_ARABIC_BEFORE}(?P<month>{alternation}){NOT_ARABIC_AFTER}"
    year = r"(?:\s*(?:سال\s*|د\s*)?(?P<year>\d{4})(?!\d))?"
    day_first = re.compile(
        rf"(?<!\d)(?P<day>[0-3]?\d)(?:\s?(?:ام|مه|م))?(?!\d)\s*(?:د\s+|ماه\s+|میاشتی\s+)?{month}{year}"
    )
    # Pashto: «د اسد ۱۳مه», «د زمري په ۱۳مه»
    month_first = re.compile(
        rf"{NOT_ARABIC_BEFORE}د\s+{month[len(NOT_ARABIC_BEFORE) :]}\s+(?:د\s+میاشتی\s+)?(?:په\s+)?"
        rf"(?P<day>[0-3]?\d)(?!\d)(?:\s?(?:مه|م))?{year}"
    )
    return day_first, month_first


@functools.cache
def _arabic_day_words() -> tuple[re.Pattern[str], Mapping[str, int], Mapping[str, int]]:
    weekdays = {plain_text(k): v for k, v in words.ARABIC_WEEKDAYS.items()}
    relative = {plain_text(k): v for k, v in words.ARABIC_RELATIVE_DAYS.items()}
    day_words = sorted({*weekdays, *relative}, key=len, reverse=True)
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s?") for w in day_words)
    pattern = re.compile(
        rf"{NOT_ARABIC_BEFORE}(?:(?P<night>شب)\s+)?(?P<word>{alternation}){NOT_ARABIC_AFTER}"
    )
    return pattern, weekdays, relative


def _infer_year(month: int, day: int, published: dt.date) -> dt.date | None:
    for year in (published.year, published.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= published + dt.timedelta(days=1):
            return candidate
    return None


def _weekday_before(published: dt.date, weekday: int, *, strictly_before: bool) -> dt.date:
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - dt.timedelta(days=back)


def find_dates(text: str, published: dt.date) -> tuple[DateMention, ...]:
    """The dates ``text`` names, as days: absolute dates in English ("4 August 2021",
    "Aug. 4", "2021-08-04") or in Dari/Pashto (Solar Hijri or Afghan Gregorian month
    names, Eastern digits), and relative ones ("late Tuesday", "yesterday", «دیروز»,
    «پرون») counted back from ``published``. A date without a year takes the latest year
    that does not put it after publication."""
    return find_dates_in(prepare(text), published)


def find_dates_in(prepared: PreparedText, published: dt.date) -> tuple[DateMention, ...]:
    found: list[tuple[int, int, dt.date, bool]] = []
    plain = prepared.plain

    taken = bytearray(len(plain) + 1)  # characters already part of a date

    def add(start: int, end: int, day: dt.date | None, *, relative: bool) -> None:
        if day is None or any(taken[start:end]):
            return
        taken[start:end] = b"\x01" * (end - start)
        found.append((start, end, day, relative))

    for pattern in (_ENGLISH_DAY_MONTH, _ENGLISH_MONTH_DAY):
        for match in pattern.finditer(plain):
            month_word = match.group("month")
            if month_word.casefold() in ("may", "mar", "march") and not month_word[0].isupper():
                continue  # "may 4 people": the verb
            month = _ENGLISH_MONTH_WORDS[month_word.casefold()]
            day_number = int(match.group("day"))
            add(
                match.start(),
                match.end(),
                _gregorian(match.group("year"), month, day_number, published),
                relative=False,
            )
    for match in _ISO_DATE.finditer(plain):
        year, month, day_number = (int(match.group(g)) for g in ("year", "month", "day"))
        if 1300 <= year < 1500:
            add(match.start(), match.end(), _solar(year, month, day_number), relative=False)
        elif 1900 <= year < 2100:
            add(
                match.start(),
                match.end(),
                _gregorian(str(year), month, day_number, published),
                relative=False,
            )
    for match in _SOLAR_DMY.finditer(plain):
        year, month, day_number = (int(match.group(g)) for g in ("year", "month", "day"))
        add(match.start(), match.end(), _solar(year, month, day_number), relative=False)
    months = _arabic_months()
    for pattern in _arabic_date_patterns():
        for match in pattern.finditer(plain):
            solar, month = months[" ".join(match.group("month").split())]
            day_number, year_text = int(match.group("day")), match.group("year")
            day = (
                _solar_with_inference(year_text, month, day_number, published)
                if solar
                else _gregorian(year_text, month, day_number, published)
            )
            add(match.start(), match.end(), day, relative=False)
    for match in _RELATIVE_EN.finditer(plain):
        days_before = words.ENGLISH_RELATIVE_DAYS[" ".join(match.group("word").casefold().split())]
        add(match.start(), match.end(), published - dt.timedelta(days=days_before), relative=True)
    for match in _WEEKDAY_EN.finditer(plain):
        weekday = _ENGLISH_WEEKDAYS.index(match.group("weekday").casefold())
        strictly = match.group("last") is not None
        add(
            match.start(),
            match.end(),
            _weekday_before(published, weekday, strictly_before=strictly),
            relative=True,
        )
    pattern, weekdays, relative_words = _arabic_day_words()
    for match in pattern.finditer(plain):
        word = " ".join(match.group("word").split())
        compact = word.replace(" ", "")
        if word in relative_words or compact in relative_words:
            days_before = (
                relative_words[word] if word in relative_words else relative_words[compact]
            )
            add(
                match.start("word"),
                match.end(),
                published - dt.timedelta(days=days_before),
                relative=True,
            )
            continue
        weekday_number = weekdays.get(word) if word in weekdays else weekdays.get(compact)
        if weekday_number is None:
            continue
        day = _weekday_before(published, weekday_number, strictly_before=False)
        if match.group("night"):
            # «شب سه‌شنبه» is the night before Tuesday: Monday evening
            day -= dt.timedelta(days=1)
        add(match.start(), match.end(), day, relative=True)

    mentions = []
    for start, end, day, relative in sorted(found):
        original_start, original_end = prepared.span(start, end)
        mentions.append(
            DateMention(
                original_start,
                original_end,
                prepared.original[original_start:original_end],
                day,
                relative,
            )
        )
    return tuple(mentions)


def _gregorian(year_text: str | None, month: int, day: int, published: dt.date) -> dt.date | None:
    if year_text:
        try:
            return dt.date(int(year_text), month, day)
        except ValueError:
            return None
    return _infer_year(month, day, published)


def _solar(year: int, month: int, day: int) -> dt.date | None:
    try:
        return solar_hijri_to_gregorian(year, month, day)
    except (PartialDateError, ValueError, OverflowError):
        return None


def _solar_with_inference(
    year_text: str | None, month: int, day: int, published: dt.date
) -> dt.date | None:
    if year_text:
        year = int(year_text)
        if 1900 <= year < 2100:
            return None  # a Solar Hijri month with a Gregorian year: not a date we can trust
        return _solar(year, month, day)
    solar_year = gregorian_to_solar_hijri(published)[0]
    for year in (solar_year, solar_year - 1):
        candidate = _solar(year, month, day)
        if candidate is not None and candidate <= published + dt.timedelta(days=1):
            return candidate
    return None
