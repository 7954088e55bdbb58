"""Planted duplicates: a household entered again, through another channel, by someone who
spells and remembers things differently. The real-world identities stay the same (same
``identity_key``), so a matcher can be scored against the truth.

The kinds of difference are the ones DOMAIN.md section 1 and 4 report from the 2021
caseload: other Latin spellings, Arabic-script variants (yeh/kaf forms, teh marbuta,
diacritics, tatweel, ZWNJ, hamza), the father's name put in the family-name slot, "FNU"
for a missing first name, missing birth dates, phones or documents, a birth year off by one
from a Solar Hijri conversion, the birth date given in the other calendar, a new phone
number abroad, one script only, a member left out or a newborn added, and employers called
by another name. The rates are assumptions for test data.

With ``channel_profiles`` each channel has its own romanisation and error process
(:data:`CHANNEL_PROFILES`, rates documented there); without it every channel shares the one
process above, as before.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from safepassage.engine.dates import PartialDate
from safepassage.synth import attributes, spelling
from safepassage.synth.employment import restated_employment
from safepassage.synth.naming import (
    ARABIC_ONLY,
    BOTH_SCRIPTS,
    FEMALE,
    LATIN_ONLY,
    MALE,
    FormWriter,
    pick_name,
)
from safepassage.synth.people import (
    HouseholdTruth,
    MemberTruth,
    PersonDraft,
    household_key,
    identity_key,
    new_phone,
    person_key,
    render_person,
)
from safepassage.synth.places import pick_district, pick_province
from safepassage.synth.records import CHANNELS, PROGRAMS, SynthHousehold, SynthPerson

__all__ = ["CHANNEL_PROFILES", "ChannelProfile", "plant_duplicate"]

MAX_PEOPLE = 12


@dataclass(frozen=True, slots=True)
class ChannelProfile:
    """How one intake channel writes a household (all rates are probabilities).

    ``scripts``: shares of forms with both scripts, Latin only, Arabic only; ``arabic_keyboard``:
    share of forms whose Arabic script was typed on an Arabic (not Persian) keyboard;
    ``arabic_slip_rate``: share of Arabic-script names carrying a typing slip (diacritic,
    tatweel, ZWNJ, teh marbuta, hamza, alef maksura); ``canonical_share``: share of names a
    new household writes in the commonest romanisation (the rest: any listed variant);
    ``respell_rate``: share of names a re-entry spells differently from the first entry;
    ``father_in_family_slot``: share of re-entered people whose father's name went into the
    family-name slot (forms without a father's-name field); ``fnu_rate``: share of re-entered
    people without a family name written "FNU <name>"."""

    scripts: tuple[float, float, float]
    arabic_keyboard: float
    arabic_slip_rate: float
    canonical_share: float
    respell_rate: float
    father_in_family_slot: float
    fnu_rate: float

    def script(self, rng: random.Random) -> str:
        draw = rng.random()
        both, latin, _ = self.scripts
        return BOTH_SCRIPTS if draw < both else LATIN_ONLY if draw < both + latin else ARABIC_ONLY


CHANNEL_PROFILES: dict[str, ChannelProfile] = {
    # The applicant on a phone: mixed scripts, own romanisation, Arabic keyboards, slips.
    "web": ChannelProfile((0.45, 0.40, 0.15), 0.35, 0.25, 0.35, 0.60, 0.05, 0.02),
    # A partner's spreadsheet from US-style forms: Latin only, "last name" fields, FNU.
    "import": ChannelProfile((0.10, 0.85, 0.05), 0.10, 0.05, 0.50, 0.50, 0.25, 0.15),
    # A partner's case system through the API: validated fields, both scripts, few slips.
    "api": ChannelProfile((0.75, 0.20, 0.05), 0.05, 0.02, 0.70, 0.30, 0.03, 0.01),
    # A caseworker on the phone: names as heard, often respelled, often Arabic only.
    "staff": ChannelProfile((0.30, 0.40, 0.30), 0.15, 0.10, 0.30, 0.75, 0.10, 0.05),
}
"""Per-channel romanisation and error process (assumptions for test data)."""

_DEFAULT_FATHER_SLOT, _DEFAULT_FNU = 0.10, 0.06


def _script(rng: random.Random) -> str:
    draw = rng.random()
    return BOTH_SCRIPTS if draw < 0.55 else LATIN_ONLY if draw < 0.85 else ARABIC_ONLY


def _restated_birth_date(
    rng: random.Random, recorded: PartialDate | None, birth_year: int
) -> PartialDate | None:
    draw = rng.random()
    if recorded is None:
        return attributes.birth_date(rng, birth_year) if draw < 0.4 else None
    if draw < 0.12:
        return None
    if draw < 0.22:
        return attributes.off_by_one_year(rng, recorded)
    if draw < 0.34:
        return attributes.calendar_converted(recorded)
    return recorded


def _restated_person(
    rng: random.Random,
    writer: FormWriter,
    member: MemberTruth,
    person_key: str,
    phones: dict[str, str],
    father_slot: float = _DEFAULT_FATHER_SLOT,
    fnu_rate: float = _DEFAULT_FNU,
) -> SynthPerson:
    draft, original = member.draft, member.person
    given_latin, given_arabic = writer.write(draft.given)
    father_latin, father_arabic = writer.write(draft.father)
    grandfather_latin, grandfather_arabic = writer.write(draft.grandfather)
    family_latin, family_arabic = writer.write(draft.family)
    draw = rng.random()
    if draw < father_slot:
        # A form with "last name" but no "father's name": the father's name goes there.
        family_latin, family_arabic = father_latin, father_arabic
        father_latin = father_arabic = ""
    elif draw < father_slot + fnu_rate and draft.family is None and given_latin:
        # A US form turns a single name into "FNU <name>" (first name unknown).
        family_latin, given_latin = given_latin, "FNU"

    # Family members who shared a phone still share it, old or new.
    phone = original.phone
    if phone in phones:
        phone = phones[phone]
    else:
        draw = rng.random()
        if draw < 0.15:
            phone = ""
        elif draw < 0.27 or (not phone and draft.adult and draw < 0.35):
            phone = new_phone(rng, foreign_share=0.6)
        if original.phone:
            phones[original.phone] = phone

    tazkira_kind, tazkira_number = original.tazkira_kind, original.tazkira_number
    volume, page = original.tazkira_volume, original.tazkira_page
    registration = original.tazkira_registration
    draw = rng.random()
    if draw < 0.10:
        tazkira_kind = tazkira_number = volume = page = registration = ""
    elif draw < 0.18:
        # Typed from the Dari side of the card: Eastern Arabic digits.
        eastern = spelling.to_eastern_arabic_digits
        tazkira_number, volume = eastern(tazkira_number), eastern(volume)
        page, registration = eastern(page), eastern(registration)

    birth_province, birth_district = original.birth_province, original.birth_district
    draw = rng.random()
    if draw < 0.05:
        birth_province = birth_district = ""
    elif draw < 0.25:
        birth_district = ""

    keep_passport = rng.random() >= 0.12
    return SynthPerson(
        person_key=person_key,
        identity_key=original.identity_key,
        relationship=original.relationship,
        sex=original.sex,
        given_name_latin=given_latin,
        father_name_latin=father_latin,
        grandfather_name_latin=grandfather_latin,
        family_name_latin=family_latin,
        given_name_arabic=given_arabic,
        father_name_arabic=father_arabic,
        grandfather_name_arabic=grandfather_arabic,
        family_name_arabic=family_arabic,
        birth_date=_restated_birth_date(rng, original.birth_date, draft.birth_year),
        birth_province=birth_province,
        birth_district=birth_district,
        tazkira_kind=tazkira_kind,
        tazkira_number=tazkira_number,
        tazkira_volume=volume,
        tazkira_page=page,
        tazkira_registration=registration,
        passport_number=original.passport_number if keep_passport else "",
        passport_expiry=original.passport_expiry if keep_passport else None,
        phone=phone,
        email="" if rng.random() < 0.3 else original.email,
    )


def _newborn(rng: random.Random, members: list[MemberTruth]) -> PersonDraft | None:
    """A child born since the first application, when the principal is a father whose wife
    is young enough; ``None`` otherwise."""
    principal = members[0].draft
    spouse = next((m.draft for m in members if m.draft.relationship == "spouse"), None)
    if principal.sex != "male" or spouse is None or spouse.birth_year < 1982:
        return None
    sex = rng.choice(("male", "female"))
    taken = {m.draft.given for m in members}
    return PersonDraft(
        relationship="child",
        sex=sex,
        given=pick_name(rng, MALE if sex == "male" else FEMALE, taken),
        father=principal.given,
        grandfather=principal.father,
        family=principal.family,
        birth_year=rng.randint(2022, 2024),
        province=None,
    )


def plant_duplicate(
    rng: random.Random, original: HouseholdTruth, number: int, *, channel_profiles: bool = False
) -> SynthHousehold:
    """The household of ``original`` entered again as household ``number``: new household
    and person keys, the same identity keys, another channel, and the differences listed in
    the module docstring (with ``channel_profiles``, the new channel's own process)."""
    source = original.household
    key = household_key(number)
    channel = rng.choice([other for other in CHANNELS if other != source.channel])
    program = source.program if rng.random() < 0.8 else rng.choice(PROGRAMS)
    current_province, current_district = source.current_province, source.current_district
    if rng.random() < 0.25:
        moved_to = pick_province(rng)
        current_province = moved_to.code if rng.random() < 0.8 else ""
        current_district = pick_district(rng, moved_to) if current_province else ""

    profile = CHANNEL_PROFILES[channel] if channel_profiles else None
    if profile is None:
        writer = FormWriter(
            rng,
            script=_script(rng),
            arabic_keyboard=rng.random() < 0.3,
            arabic_slip_rate=0.2,
        )
        writer.respelled(rng, original.spelling, respell_rate=0.5)
        father_slot, fnu_rate = _DEFAULT_FATHER_SLOT, _DEFAULT_FNU
    else:
        writer = FormWriter(
            rng,
            script=profile.script(rng),
            arabic_keyboard=rng.random() < profile.arabic_keyboard,
            arabic_slip_rate=profile.arabic_slip_rate,
            canonical_share=profile.canonical_share,
        )
        writer.respelled(rng, original.spelling, respell_rate=profile.respell_rate)
        father_slot, fnu_rate = profile.father_in_family_slot, profile.fnu_rate

    members = list(original.members)
    if len(members) > 2 and rng.random() < 0.15:
        del members[rng.randrange(1, len(members))]
    phones: dict[str, str] = {}
    people = [
        _restated_person(rng, writer, member, person_key(key, index), phones, father_slot, fnu_rate)
        for index, member in enumerate(members, start=1)
    ]
    if len(people) < MAX_PEOPLE and rng.random() < 0.05:
        draft = _newborn(rng, members)
        if draft is not None:
            index = len(people) + 1
            people.append(
                render_person(
                    rng,
                    writer,
                    draft,
                    person_key=person_key(key, index),
                    identity_key=identity_key(number, index),
                    birth_date=attributes.birth_date(rng, draft.birth_year),
                    principal_phone=people[0].phone,
                )
            )

    return SynthHousehold(
        household_key=key,
        program=program,
        channel=channel,
        current_province=current_province,
        current_district=current_district,
        people=tuple(people),
        employment=restated_employment(rng, source.employment),
        duplicate_of=source.household_key,
    )
