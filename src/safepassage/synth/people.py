"""The truth behind a synthetic person (which names, born when and where) and how it is first
written on a form."""

from __future__ import annotations

import random
from dataclasses import dataclass

from safepassage.engine.dates import PartialDate
from safepassage.synth import attributes
from safepassage.synth.naming import FormWriter, NameRef, name_entry
from safepassage.synth.places import Province, pick_district
from safepassage.synth.records import SynthHousehold, SynthPerson

__all__ = [
    "CENSUS_YEAR",
    "HouseholdTruth",
    "MemberTruth",
    "PersonDraft",
    "household_key",
    "identity_key",
    "new_phone",
    "person_key",
    "render_person",
]

CENSUS_YEAR = 2021
"""Ages (adult or minor) are judged in the year of the evacuation."""

# How a person's phone is recorded.
OWN_PHONE = "own"
SHARED_PHONE = "shared"  # the principal's number, as families share one phone
NO_PHONE = "none"


@dataclass(slots=True)
class PersonDraft:
    """Who a person really is: names (as table references, independent of spelling), sex,
    Gregorian birth year, birthplace and how their phone is recorded."""

    relationship: str
    sex: str
    given: NameRef
    father: NameRef
    grandfather: NameRef
    family: NameRef | None
    birth_year: int
    province: Province | None
    phone: str = NO_PHONE
    twin_of: int | None = None  # index of the sibling whose recorded birth date this one shares

    @property
    def adult(self) -> bool:
        return CENSUS_YEAR - self.birth_year >= 18


@dataclass(frozen=True, slots=True)
class MemberTruth:
    """A household member: the truth and the record first entered for it."""

    draft: PersonDraft
    person: SynthPerson


@dataclass(frozen=True, slots=True)
class HouseholdTruth:
    """A household as first entered, with its members' truth and the Latin spelling chosen
    for each name, kept so that a planted duplicate can be written differently."""

    household: SynthHousehold
    members: tuple[MemberTruth, ...]
    spelling: dict[NameRef, int]


def household_key(number: int) -> str:
    """ "H000123" for household number 123."""
    return f"H{number:06d}"


def person_key(household: str, index: int) -> str:
    """ "H000123-P2" for the second person on household H000123's form."""
    return f"{household}-P{index}"


def identity_key(number: int, index: int) -> str:
    """ "I000123-2" for the real person first entered as the second person of household 123."""
    return f"I{number:06d}-{index}"


def new_phone(rng: random.Random, *, foreign_share: float = 0.15) -> str:
    """A mobile number: Afghan, or with ``foreign_share`` a Pakistani/Iranian/Turkish one."""
    if rng.random() < foreign_share:
        return attributes.foreign_mobile(rng)
    return attributes.afghan_mobile(rng)


def render_person(
    rng: random.Random,
    writer: FormWriter,
    draft: PersonDraft,
    *,
    person_key: str,
    identity_key: str,
    birth_date: PartialDate | None,
    principal_phone: str,
) -> SynthPerson:
    """Write ``draft`` on a form: names through ``writer``, documents and contact details
    drawn at the rates typical for the person's role and age."""
    given_latin, given_arabic = writer.write(draft.given)
    father_latin, father_arabic = writer.write(draft.father)
    grandfather_latin, grandfather_arabic = writer.write(draft.grandfather)
    family_latin, family_arabic = writer.write(draft.family)

    birth_province = birth_district = ""
    if draft.province is not None and rng.random() < 0.93:
        birth_province = draft.province.code
        if rng.random() < 0.7:
            birth_district = pick_district(rng, draft.province)

    principal = draft.relationship == "principal"
    adult = draft.adult
    tazkira_kind = tazkira_number = volume = page = registration = ""
    if rng.random() < (0.97 if principal else 0.8 if adult else 0.5):
        electronic_share = 0.5 if draft.birth_year >= 1990 else 0.3
        if rng.random() < electronic_share:
            tazkira_kind, tazkira_number = "electronic", attributes.e_tazkira_number(rng)
        else:
            tazkira_kind = "paper"
            volume, page, registration = attributes.paper_tazkira(rng)

    passport_number, passport_expiry = "", None
    if rng.random() < (0.45 if principal else 0.25 if adult else 0.1):
        passport_number, passport_expiry = attributes.passport(rng)

    if draft.phone == OWN_PHONE:
        phone = new_phone(rng)
    elif draft.phone == SHARED_PHONE:
        phone = principal_phone
    else:
        phone = ""

    email = ""
    if rng.random() < (0.65 if principal else 0.12 if adult else 0.0):
        second = draft.family if draft.family is not None and rng.random() < 0.8 else draft.father
        email = attributes.email_address(
            rng, name_entry(draft.given).latin[0], name_entry(second).latin[0]
        )

    return SynthPerson(
        person_key=person_key,
        identity_key=identity_key,
        relationship=draft.relationship,
        sex=draft.sex,
        given_name_latin=given_latin,
        father_name_latin=father_latin,
        grandfather_name_latin=grandfather_latin,
        family_name_latin=family_latin,
        given_name_arabic=given_arabic,
        father_name_arabic=father_arabic,
        grandfather_name_arabic=grandfather_arabic,
        family_name_arabic=family_arabic,
        birth_date=birth_date,
        birth_province=birth_province,
        birth_district=birth_district,
        tazkira_kind=tazkira_kind,
        tazkira_number=tazkira_number,
        tazkira_volume=volume,
        tazkira_page=page,
        tazkira_registration=registration,
        passport_number=passport_number,
        passport_expiry=passport_expiry,
        phone=phone,
        email=email,
    )
