"""Seeded, streaming generator of synthetic Afghan households: a principal applicant, the
family on the case, the principal's employment history, and planted duplicates whose truth is
known.

Household shapes follow DOMAIN.md section 1 ("3-4 family members per principal"): most
principals are married men born 1958-2000 with children of various ages; some households
include the principal's parents, unmarried siblings or a nephew or niece; up to 12 people.
Names follow DOMAIN.md section 4: the father's and grandfather's names are part of every
person's identity, siblings share them (and often the family name and the phone), children
take their father's given name as father's name, and many people have no family name.
All shares are assumptions for test data, not statistics.

Two options, off by default (the stream is then unchanged): ``channel_profiles`` gives each
intake channel its own romanisation and error process (:data:`~.duplicates.CHANNEL_PROFILES`)
for first entries and re-entries alike; ``related_rate`` is the share of new households that
are a related family on its own case - the principal is an earlier male principal's brother
(same father's, grandfather's and family names), so the two principals are siblings and
their children cousins, in different households.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

from safepassage.engine.dates import PartialDate
from safepassage.synth import attributes
from safepassage.synth.duplicates import CHANNEL_PROFILES, MAX_PEOPLE, plant_duplicate
from safepassage.synth.employment import employment_history, program_for
from safepassage.synth.naming import (
    ARABIC_ONLY,
    BOTH_SCRIPTS,
    FAMILY,
    FEMALE,
    LATIN_ONLY,
    MALE,
    FormWriter,
    NameRef,
    pick_name,
)
from safepassage.synth.people import (
    CENSUS_YEAR,
    NO_PHONE,
    OWN_PHONE,
    SHARED_PHONE,
    HouseholdTruth,
    MemberTruth,
    PersonDraft,
    household_key,
    identity_key,
    person_key,
    render_person,
)
from safepassage.synth.places import Province, pick_district, pick_province, province_by_code
from safepassage.synth.records import SynthHousehold

__all__ = ["generate_households", "generate_people_count"]

_DUPLICATE_POOL_SIZE = 2000
"""Originals kept for planting duplicates: bounds memory however long the stream runs."""

_LAST_BIRTH_YEAR = 2024
# Number of children of a couple before age limits cut it short (weights for 0, 1, 2, ...).
_CHILDREN_WEIGHTS = (12, 14, 18, 17, 14, 10, 7, 4, 2, 1, 1)
_CHILDREN_CUMULATIVE = tuple(itertools.accumulate(_CHILDREN_WEIGHTS))
_CHANNEL_SHARES = (("web", 0.5), ("import", 0.3), ("api", 0.1), ("staff", 0.1))


def _share(rng: random.Random, shares: tuple[tuple[str, float], ...]) -> str:
    draw = rng.random()
    for value, share in shares:
        draw -= share
        if draw < 0:
            return value
    return shares[-1][0]


def _phone_use(rng: random.Random, own: float, shared: float) -> str:
    draw = rng.random()
    return OWN_PHONE if draw < own else SHARED_PHONE if draw < own + shared else NO_PHONE


def _given_table(sex: str) -> int:
    return MALE if sex == "male" else FEMALE


def _random_sex(rng: random.Random) -> str:
    return "male" if rng.random() < 0.5 else "female"


def _family_drafts(
    rng: random.Random, home: Province, brother_of: PersonDraft | None = None
) -> list[PersonDraft]:
    """The people on one case, principal first; every person's given name is distinct from
    the other names in the household, so siblings differ by given name (and maybe not much
    else). With ``brother_of`` the principal is that principal's brother: a man with the
    same father's, grandfather's and family names, born within twelve years of him, with
    another given name."""
    if brother_of is None:
        sex = "female" if rng.random() < 0.06 else "male"
        year = int(rng.triangular(1958, 2000, 1986))
        family = pick_name(rng, FAMILY) if rng.random() < 0.45 else None
        father = pick_name(rng, MALE)
        used: set[NameRef] = {father}
        grandfather = pick_name(rng, MALE, used)
        used.add(grandfather)
    else:
        sex = "male"
        year = min(max(brother_of.birth_year + rng.randint(-12, 12), 1940), 2004)
        family, father, grandfather = brother_of.family, brother_of.father, brother_of.grandfather
        used = {father, grandfather, brother_of.given}
    principal = PersonDraft(
        "principal",
        sex,
        pick_name(rng, _given_table(sex), used),
        father,
        grandfather,
        family,
        year,
        home,
        OWN_PHONE if rng.random() < 0.95 else NO_PHONE,
    )
    used.add(principal.given)
    drafts = [principal]

    def other_place() -> Province:
        return home if rng.random() < 0.7 else pick_province(rng)

    def room() -> bool:
        return len(drafts) < MAX_PEOPLE

    spouse: PersonDraft | None = None
    if rng.random() < (0.88 if sex == "male" else 0.55):
        spouse_sex = "female" if sex == "male" else "male"
        spouse_year = year + rng.randint(0, 10) if sex == "male" else year - rng.randint(0, 8)
        spouse_father = pick_name(rng, MALE, used)
        used.add(spouse_father)
        spouse_grandfather = pick_name(rng, MALE, used)
        used.add(spouse_grandfather)
        draw = rng.random()
        if family is not None and sex == "male" and draw < 0.3:
            spouse_family: NameRef | None = family  # took her husband's family name
        elif draw < 0.55:
            spouse_family = pick_name(rng, FAMILY)
        else:
            spouse_family = None
        spouse = PersonDraft(
            "spouse",
            spouse_sex,
            pick_name(rng, _given_table(spouse_sex), used),
            spouse_father,
            spouse_grandfather,
            spouse_family,
            min(spouse_year, 2004),
            other_place(),
            _phone_use(rng, own=0.25, shared=0.55),
        )
        used.add(spouse.given)
        drafts.append(spouse)

    if spouse is not None or rng.random() < 0.25:
        # Children carry their father's given name as father's name; a widowed mother's
        # late husband is not on the case but his names are on the children's papers.
        if sex == "male":
            child_father, child_grandfather, child_family = principal.given, father, family
            mother_year = spouse.birth_year if spouse is not None else year + 5
        elif spouse is not None:
            child_father, child_grandfather = spouse.given, spouse.father
            child_family = spouse.family
            mother_year = year
        else:
            child_father = pick_name(rng, MALE, used)
            used.add(child_father)
            child_grandfather = pick_name(rng, MALE, used)
            used.add(child_grandfather)
            child_family, mother_year = family, year
        if rng.random() < 0.05:
            child_family = pick_name(rng, FAMILY)  # the new generation took a family name
        wanted = _children_wanted(rng)
        child_year = mother_year + rng.randint(17, 25)
        for _ in range(wanted):
            if child_year > _LAST_BIRTH_YEAR or child_year - mother_year > 46 or not room():
                break
            child_sex = _random_sex(rng)
            twin_of = None
            if drafts[-1].relationship == "child" and rng.random() < 0.03:
                twin_of = len(drafts) - 1
                child_year = drafts[-1].birth_year
            adult = CENSUS_YEAR - child_year >= 18
            child = PersonDraft(
                "child",
                child_sex,
                pick_name(rng, _given_table(child_sex), used),
                child_father,
                child_grandfather,
                child_family,
                child_year,
                other_place(),
                _phone_use(rng, own=0.4, shared=0.25) if adult else _phone_use(rng, 0.0, 0.1),
                twin_of,
            )
            used.add(child.given)
            drafts.append(child)
            child_year += rng.randint(1, 4) if twin_of is None else rng.randint(1, 3)

    if rng.random() < 0.12 and year - 22 >= 1925 and room():
        draw = rng.random()
        father_year = year - rng.randint(22, 40)
        if draw < 0.7:
            drafts.append(
                PersonDraft(
                    "parent",
                    "male",
                    father,
                    grandfather,
                    pick_name(rng, MALE, used),
                    family,
                    max(father_year, 1925),
                    home,
                    _phone_use(rng, own=0.1, shared=0.5),
                )
            )
        if draw >= 0.2 and room():
            mother = PersonDraft(
                "parent",
                "female",
                pick_name(rng, FEMALE, used),
                pick_name(rng, MALE, used),
                pick_name(rng, MALE, used),
                None if rng.random() < 0.8 else pick_name(rng, FAMILY),
                max(father_year + rng.randint(0, 10), 1925),
                other_place(),
                _phone_use(rng, own=0.1, shared=0.5),
            )
            used.add(mother.given)
            drafts.append(mother)

    if rng.random() < 0.10:
        for _ in range(rng.randint(1, 2)):
            if not room():
                break
            sibling_sex = _random_sex(rng)
            sibling = PersonDraft(
                "sibling",
                sibling_sex,
                pick_name(rng, _given_table(sibling_sex), used),
                father,
                grandfather,
                family,
                min(year + rng.randint(-12, 14), 2012),
                home,
                _phone_use(rng, own=0.5, shared=0.3),
            )
            used.add(sibling.given)
            drafts.append(sibling)

    if rng.random() < 0.04 and room():
        # A nephew or niece: the principal's brother (not on the case) is the father, so the
        # grandfather's name is the principal's father's name.
        relative_sex = _random_sex(rng)
        brother = pick_name(rng, MALE, used)
        used.add(brother)
        relative = PersonDraft(
            "other",
            relative_sex,
            pick_name(rng, _given_table(relative_sex), used),
            brother,
            father,
            family,
            min(year + rng.randint(15, 30), 2020),
            home,
            _phone_use(rng, own=0.3, shared=0.3),
        )
        used.add(relative.given)
        drafts.append(relative)
    return drafts


def _children_wanted(rng: random.Random) -> int:
    draw = rng.random() * _CHILDREN_CUMULATIVE[-1]
    for count, cumulative in enumerate(_CHILDREN_CUMULATIVE):
        if draw < cumulative:
            return count
    return len(_CHILDREN_CUMULATIVE) - 1


def _script(rng: random.Random) -> str:
    draw = rng.random()
    return BOTH_SCRIPTS if draw < 0.75 else LATIN_ONLY if draw < 0.95 else ARABIC_ONLY


def _current_place(rng: random.Random, home: Province) -> tuple[str, str]:
    draw = rng.random()
    if draw < 0.45:
        province = home
    elif draw < 0.75:
        province = province_by_code("AF-KAB")
    elif draw < 0.9:
        province = pick_province(rng)
    else:
        return "", ""  # not known, or already outside Afghanistan
    return province.code, pick_district(rng, province) if rng.random() < 0.75 else ""


def _new_household(
    rng: random.Random,
    number: int,
    *,
    channel_profiles: bool = False,
    related: HouseholdTruth | None = None,
) -> HouseholdTruth:
    key = household_key(number)
    home = pick_province(rng)
    if related is not None and related.members[0].draft.province is not None:
        home = related.members[0].draft.province  # brothers come from one place
    drafts = _family_drafts(rng, home, related.members[0].draft if related else None)
    channel = _share(rng, _CHANNEL_SHARES) if channel_profiles else ""
    if channel_profiles:
        profile = CHANNEL_PROFILES[channel]
        writer = FormWriter(
            rng,
            script=profile.script(rng),
            arabic_keyboard=rng.random() < profile.arabic_keyboard,
            arabic_slip_rate=profile.arabic_slip_rate,
            canonical_share=profile.canonical_share,
        )
    else:
        writer = FormWriter(
            rng,
            script=_script(rng),
            arabic_keyboard=rng.random() < 0.1,
            arabic_slip_rate=0.03,
        )
    principal_phone = ""
    members: list[MemberTruth] = []
    birth_dates: list[PartialDate | None] = []
    for index, draft in enumerate(drafts, start=1):
        if draft.twin_of is not None:
            birth_date = birth_dates[draft.twin_of]
        else:
            birth_date = attributes.birth_date(rng, draft.birth_year)
        birth_dates.append(birth_date)
        person = render_person(
            rng,
            writer,
            draft,
            person_key=person_key(key, index),
            identity_key=identity_key(number, index),
            birth_date=birth_date,
            principal_phone=principal_phone,
        )
        if index == 1:
            principal_phone = person.phone
        members.append(MemberTruth(draft, person))
    employment = employment_history(rng, birth_year=drafts[0].birth_year, home=home)
    current_province, current_district = _current_place(rng, home)
    household = SynthHousehold(
        household_key=key,
        program=program_for(rng, employment),
        channel=channel or _share(rng, _CHANNEL_SHARES),
        current_province=current_province,
        current_district=current_district,
        people=tuple(member.person for member in members),
        employment=employment,
        duplicate_of=None,
        related_to=related.household.household_key if related is not None else None,
    )
    return HouseholdTruth(household, tuple(members), dict(writer.spelling))


def _stream(
    seed: int, duplicate_rate: float, channel_profiles: bool = False, related_rate: float = 0.0
) -> Iterator[SynthHousehold]:
    rng = random.Random(seed)
    pool: list[HouseholdTruth] = []
    for number in itertools.count(1):
        if pool and rng.random() < duplicate_rate:
            yield plant_duplicate(rng, rng.choice(pool), number, channel_profiles=channel_profiles)
            continue
        related = None
        if related_rate and pool and rng.random() < related_rate:
            candidate = rng.choice(pool)
            if candidate.members[0].draft.sex == "male":
                related = candidate
        truth = _new_household(rng, number, channel_profiles=channel_profiles, related=related)
        if len(pool) < _DUPLICATE_POOL_SIZE:
            pool.append(truth)
        else:
            pool[rng.randrange(_DUPLICATE_POOL_SIZE)] = truth
        yield truth.household


def _check_duplicate_rate(duplicate_rate: float, related_rate: float = 0.0) -> None:
    if not 0.0 <= duplicate_rate <= 1.0:
        raise ValueError("duplicate_rate must be between 0 and 1")
    if not 0.0 <= related_rate <= 1.0:
        raise ValueError("related_rate must be between 0 and 1")


def generate_households(
    count: int,
    *,
    seed: int = 0,
    duplicate_rate: float = 0.05,
    channel_profiles: bool = False,
    related_rate: float = 0.0,
) -> Iterator[SynthHousehold]:
    """Yield ``count`` synthetic households, one at a time (nothing is kept but a bounded
    pool of originals for duplicates).

    ``seed`` fixes the output: the same seed and rate give the same households, and a longer
    run starts with the households of a shorter one. About ``duplicate_rate`` of the
    households (after the first) are planted duplicates of an earlier household, marked by
    ``duplicate_of``. ``channel_profiles`` and ``related_rate`` are the options of the module
    docstring. Raises ValueError for a negative ``count`` or a rate outside 0-1."""
    if count < 0:
        raise ValueError("count must not be negative")
    _check_duplicate_rate(duplicate_rate, related_rate)
    return itertools.islice(_stream(seed, duplicate_rate, channel_profiles, related_rate), count)


def generate_people_count(
    target_people: int,
    *,
    seed: int = 0,
    duplicate_rate: float = 0.05,
    channel_profiles: bool = False,
    related_rate: float = 0.0,
) -> Iterator[SynthHousehold]:
    """Yield households until they hold at least ``target_people`` people (overshooting by
    less than one household). Same stream as :func:`generate_households` for the same seed
    and rate. Raises ValueError for a negative target or a rate outside 0-1."""
    if target_people < 0:
        raise ValueError("target_people must not be negative")
    _check_duplicate_rate(duplicate_rate, related_rate)
    return _until_people(
        _stream(seed, duplicate_rate, channel_profiles, related_rate), target_people
    )


def _until_people(stream: Iterator[SynthHousehold], target_people: int) -> Iterator[SynthHousehold]:
    people = 0
    for household in stream:
        if people >= target_people:
            return
        yield household
        people += len(household.people)
