"""Random values of single attributes of synthetic people: birth dates as Afghans give them,
phone numbers, tazkira and passport numbers, e-mail addresses.

Every date produced is valid: Gregorian dates are real calendar dates, and Solar Hijri dates
keep days 1-31 in months 1-6, 1-30 in months 7-11 and 1-29 in month 12 (the 30th of Hut
exists only in leap years, so it is never produced). The shares of each kind of birth date
follow DOMAIN.md section 4 (Solar Hijri on Afghan documents, year-only and "1 January"
defaults common); the exact percentages are assumptions for test data.
"""

from __future__ import annotations

import datetime
import random

import jdatetime

from safepassage.engine.dates import Calendar, PartialDate

__all__ = [
    "afghan_mobile",
    "birth_date",
    "calendar_converted",
    "e_tazkira_number",
    "email_address",
    "foreign_mobile",
    "gregorian_days_in_month",
    "off_by_one_year",
    "paper_tazkira",
    "partial_date_from_month",
    "passport",
    "solar_hijri_days_in_month",
]

GREGORIAN = Calendar.GREGORIAN
SOLAR_HIJRI = Calendar.SOLAR_HIJRI

_GREGORIAN_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_SOLAR_HIJRI_MONTH_DAYS = (31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 30, 29)
# Solar Hijri year = Gregorian year - 621 from 1 Hamal (about 21 March) to the end of December,
# and - 622 from January to 1 Hamal. Months 1-9 (Hamal-Qaws) fall before January.
_SOLAR_HIJRI_OFFSET = 621


def gregorian_days_in_month(year: int, month: int) -> int:
    """Days in a Gregorian month."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _GREGORIAN_MONTH_DAYS[month - 1]


def solar_hijri_days_in_month(month: int) -> int:
    """Days in a Solar Hijri month, counting Hut (12) as 29 days in every year."""
    return _SOLAR_HIJRI_MONTH_DAYS[month - 1]


def birth_date(rng: random.Random, year: int) -> PartialDate | None:
    """A birth date as recorded for someone born in Gregorian ``year``: a full Solar Hijri date
    (27%), a Solar Hijri year (15%), a Gregorian year (10%), a full Gregorian date (20%), the
    "1 January" default (19%), the "1 Hamal" default (3%) or unknown (6%)."""
    draw = rng.random()
    if draw < 0.27:
        month = rng.randint(1, 12)
        day = rng.randint(1, _SOLAR_HIJRI_MONTH_DAYS[month - 1])
        shift = _SOLAR_HIJRI_OFFSET if month <= 9 else _SOLAR_HIJRI_OFFSET + 1
        return PartialDate(year - shift, month, day, SOLAR_HIJRI, rng.random() < 0.03)
    if draw < 0.42:
        shift = _SOLAR_HIJRI_OFFSET + (rng.random() < 0.25)
        return PartialDate(year - shift, None, None, SOLAR_HIJRI, rng.random() < 0.4)
    if draw < 0.52:
        return PartialDate(year, None, None, GREGORIAN, rng.random() < 0.4)
    if draw < 0.72:
        month = rng.randint(1, 12)
        day = rng.randint(1, gregorian_days_in_month(year, month))
        return PartialDate(year, month, day, GREGORIAN, rng.random() < 0.02)
    if draw < 0.91:
        return PartialDate(year, 1, 1, GREGORIAN, rng.random() < 0.1)
    if draw < 0.94:
        return PartialDate(year - _SOLAR_HIJRI_OFFSET, 1, 1, SOLAR_HIJRI, False)
    return None


def off_by_one_year(rng: random.Random, date: PartialDate) -> PartialDate:
    """The same date with the year one too high or too low, the usual slip when a Solar Hijri
    year is converted by hand. Feb 29 becomes Feb 28 where the new year has none."""
    year = date.year + rng.choice((-1, 1))
    day = date.day
    if date.calendar == GREGORIAN and date.month is not None and day is not None:
        day = min(day, gregorian_days_in_month(year, date.month))
    return PartialDate(year, date.month, day, date.calendar, date.approximate)


def calendar_converted(date: PartialDate) -> PartialDate:
    """The date written in the other calendar, as a passport (Gregorian) and a tazkira (Solar
    Hijri) give the same birth date. A full date is converted exactly; a year alone becomes
    the year that starts in it (SH + 621), which is a year off for births in Jadi to Hut. A
    month without a day is kept as it is."""
    if date.month is None:
        if date.calendar == SOLAR_HIJRI:
            return PartialDate(date.year + _SOLAR_HIJRI_OFFSET, None, None, GREGORIAN, True)
        return PartialDate(date.year - _SOLAR_HIJRI_OFFSET, None, None, SOLAR_HIJRI, True)
    if date.day is None:
        return date
    if date.calendar == SOLAR_HIJRI:
        converted: datetime.date = jdatetime.date(date.year, date.month, date.day).togregorian()
        return PartialDate(
            converted.year, converted.month, converted.day, GREGORIAN, date.approximate
        )
    solar = jdatetime.date.fromgregorian(date=datetime.date(date.year, date.month, date.day))
    year, month, day = int(solar.year), int(solar.month), int(solar.day)
    if day > _SOLAR_HIJRI_MONTH_DAYS[month - 1]:
        return date  # 30 Hut of a leap year: not produced, see the module docstring
    return PartialDate(year, month, day, SOLAR_HIJRI, date.approximate)


def partial_date_from_month(rng: random.Random, month_index: int) -> PartialDate:
    """A date in the month ``month_index`` (year * 12 + month - 1) as an HR letter gives it:
    mostly a full Gregorian date, sometimes month or year only, rarely Solar Hijri."""
    year, month = divmod(month_index, 12)
    month += 1
    draw = rng.random()
    day = rng.randint(1, gregorian_days_in_month(year, month))
    if draw < 0.70:
        return PartialDate(year, month, day)
    if draw < 0.93:
        return PartialDate(year, month)
    if draw < 0.97:
        return PartialDate(year)
    return calendar_converted(PartialDate(year, month, day))


# Mobile prefixes checked against libphonenumber's metadata (all numbers below are valid).
_AFGHAN_PREFIXES = ("70", "71", "72", "73", "74", "75", "76", "77", "78", "79")
_PAKISTAN_PREFIXES = tuple(f"3{n:02d}" for n in range(50) if n != 38)
_IRAN_PREFIXES = (
    *(f"90{n}" for n in range(1, 6)),
    *(f"91{n}" for n in range(10)),
    "920",
    "921",
    "922",
    *(f"93{n}" for n in range(10)),
    "990",
    "991",
)
_TURKEY_PREFIXES = (
    *(f"50{n}" for n in range(1, 8)),
    *(f"53{n}" for n in range(10)),
    *(f"54{n}" for n in range(1, 10)),
    *(f"55{n}" for n in range(10)),
)


def afghan_mobile(rng: random.Random) -> str:
    """An Afghan mobile number in E.164 (+93 7X XXX XXXX)."""
    return f"+93{rng.choice(_AFGHAN_PREFIXES)}{rng.randrange(10_000_000):07d}"


def foreign_mobile(rng: random.Random) -> str:
    """A Pakistani, Iranian or Turkish mobile number in E.164, as used for WhatsApp or Signal
    by Afghans who left (Pakistan most often)."""
    draw = rng.random()
    if draw < 0.5:
        return f"+92{rng.choice(_PAKISTAN_PREFIXES)}{rng.randrange(10_000_000):07d}"
    if draw < 0.8:
        return f"+98{rng.choice(_IRAN_PREFIXES)}{rng.randrange(10_000_000):07d}"
    return f"+90{rng.choice(_TURKEY_PREFIXES)}{rng.randrange(10_000_000):07d}"


def e_tazkira_number(rng: random.Random) -> str:
    """An e-tazkira number in the common written form year-block-serial ("1399-0101-12345").
    DOMAIN.md marks the exact format *verify*; consumers must not rely on it."""
    year = rng.randint(1397, 1400)
    return f"{year}-{rng.randint(1, 3499):04d}-{rng.randrange(100_000):05d}"


def paper_tazkira(rng: random.Random) -> tuple[str, str, str]:
    """Volume (jild), page (safha) and registration (sabt) numbers of a paper tazkira."""
    return str(rng.randint(1, 600)), str(rng.randint(1, 300)), str(rng.randint(1, 20_000))


def passport(rng: random.Random) -> tuple[str, datetime.date]:
    """An Afghan passport number ("P" and 8 digits) and its expiry date."""
    expiry = datetime.date(rng.randint(2014, 2034), rng.randint(1, 12), rng.randint(1, 28))
    return f"P{rng.randrange(100_000_000):08d}", expiry


_MAIL_DOMAINS = ("mail.example", "example.com", "example.net", "example.org")


def email_address(rng: random.Random, first: str, second: str) -> str:
    """An e-mail address made from two names, on a reserved example domain (RFC 2606)."""
    local = "".join(char for char in first.lower() if char.isascii() and char.isalnum())
    other = "".join(char for char in second.lower() if char.isascii() and char.isalnum())
    if other:
        local = f"{local}{rng.choice(('.', '_', ''))}{other}"
    if rng.random() < 0.6:
        local += str(rng.randint(1, 99))
    return f"{local or 'user'}@{rng.choice(_MAIL_DOMAINS)}"
