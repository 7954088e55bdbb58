"""The person record that record linkage compares: one person as entered on one form, in
plain values (no ORM rows), built by the calling app's services from what it stores."""

from __future__ import annotations

from dataclasses import dataclass

from safepassage.engine.dates import PartialDate

__all__ = ["PaperTazkira", "PersonRecord"]

PaperTazkira = tuple[str, str, str]
"""A paper tazkira's normalised (volume, page, registration) numbers, as
:func:`safepassage.engine.identity.validate_paper_tazkira` returns them."""


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One person on one household's form, as linkage sees them.

    ``record_id`` names the record and ``household_id`` the household (case) it belongs to:
    two records of one household are never linked to each other. Names are as written, in
    Latin and in Arabic script, "" when not given; the linkage engine normalises them itself
    (:mod:`safepassage.engine.names`). ``sex`` is "male", "female" or "". ``tazkira`` is the
    normalised e-tazkira number (digits only) or a paper tazkira's (volume, page,
    registration) triple, "" when none; ``passport`` is normalised (upper case, no spaces) and
    ``phone`` is E.164, both "" when none. ``birth_province`` is a province code ("AF-KAB"),
    ``relationship`` the person's place in the household ("principal", "spouse", "child"...).
    """

    record_id: str
    household_id: str
    given_name_latin: str = ""
    father_name_latin: str = ""
    grandfather_name_latin: str = ""
    family_name_latin: str = ""
    given_name_arabic: str = ""
    father_name_arabic: str = ""
    grandfather_name_arabic: str = ""
    family_name_arabic: str = ""
    sex: str = ""
    birth_date: PartialDate | None = None
    birth_province: str = ""
    tazkira: str | PaperTazkira = ""
    passport: str = ""
    phone: str = ""
    relationship: str = ""
