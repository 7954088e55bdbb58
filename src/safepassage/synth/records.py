"""The records the synthetic data generator yields (households, people, employment) and the
allowed values of their coded fields."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from safepassage.engine.dates import PartialDate

__all__ = [
    "CHANNELS",
    "PROGRAMS",
    "RELATIONSHIPS",
    "SEXES",
    "TAZKIRA_KINDS",
    "SynthEmployment",
    "SynthHousehold",
    "SynthPerson",
]

RELATIONSHIPS: tuple[str, ...] = ("principal", "spouse", "child", "parent", "sibling", "other")
SEXES: tuple[str, ...] = ("male", "female")
PROGRAMS: tuple[str, ...] = ("siv", "p2", "p1", "undetermined")
CHANNELS: tuple[str, ...] = ("web", "import", "api", "staff")
TAZKIRA_KINDS: tuple[str, ...] = ("paper", "electronic", "")


@dataclass(frozen=True, slots=True)
class SynthPerson:
    """One person as entered on one form.

    ``person_key`` names this record; ``identity_key`` names the real-world person, so a
    planted duplicate shares it with the original and the truth is known. Name fields are ""
    when not given; names are as written on the form (spelling variants included)."""

    person_key: str
    identity_key: str
    relationship: str
    sex: str
    given_name_latin: str
    father_name_latin: str
    grandfather_name_latin: str
    family_name_latin: str
    given_name_arabic: str
    father_name_arabic: str
    grandfather_name_arabic: str
    family_name_arabic: str
    birth_date: PartialDate | None
    birth_province: str
    birth_district: str
    tazkira_kind: str
    tazkira_number: str
    tazkira_volume: str
    tazkira_page: str
    tazkira_registration: str
    passport_number: str
    passport_expiry: datetime.date | None
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class SynthEmployment:
    """One job of the principal, as an HR letter or the applicant states it."""

    employer_name: str
    employer_kind: str
    role: str
    interpreter: bool
    sensitive_and_trusted: bool
    start_date: PartialDate
    end_date: PartialDate | None
    location_province: str
    supervisor_name: str
    supervisor_email: str
    badge_number: str


@dataclass(frozen=True, slots=True)
class SynthHousehold:
    """A principal applicant with the family members on the same case.

    ``people[0]`` is the principal. ``duplicate_of`` is the ``household_key`` of the original
    when this household is a planted duplicate (the same family entered again).
    ``related_to`` is the ``household_key`` of an earlier household whose principal is this
    principal's brother (a related family on its own case: the principals are siblings, their
    children cousins), None otherwise."""

    household_key: str
    program: str
    channel: str
    current_province: str
    current_district: str
    people: tuple[SynthPerson, ...]
    employment: tuple[SynthEmployment, ...]
    duplicate_of: str | None
    related_to: str | None = None
