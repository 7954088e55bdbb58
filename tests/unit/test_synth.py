"""The synthetic household generator: determinism, valid values, realistic shapes and planted
duplicates whose truth is known."""

from __future__ import annotations

import ast
import csv
import datetime
import io
import itertools
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from importlib import resources

import phonenumbers
import pytest

from safepassage.engine.dates import Calendar, PartialDate
from safepassage.engine.names import name_key
from safepassage.synth import (
    SynthEmployment,
    SynthHousehold,
    SynthPerson,
    generate_households,
    generate_people_count,
)
from safepassage.synth.names import FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES
from safepassage.synth.spelling import latin_spellings

SEED = 20210815
COUNT = 3000

EMPLOYER_KINDS = {
    "us_government_agency",
    "us_military",
    "us_government_contractor",
    "isaf_member_force",
    "us_funded_grantee",
    "us_based_media",
    "us_based_ngo",
    "other",
}
SOLAR_HIJRI_MONTH_DAYS = (31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 30, 29)
MOHAMMAD_SPELLINGS = {"Mohammad", "Muhammad", "Mohammed", "Mohamad", "Mohd", "Muhammed", "Mohamed"}
ARABIC_NAME = re.compile(r"^[\u0600-\u06ff\u200c ]+$")
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z' -]*$")
E164 = re.compile(r"^\+[1-9]\d{7,14}$")
E_TAZKIRA = re.compile(r"^\d{4}-\d{4}-\d{5}$")
EASTERN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


@pytest.fixture(scope="module")
def households() -> list[SynthHousehold]:
    return list(generate_households(COUNT, seed=SEED))


@pytest.fixture(scope="module")
def originals(households: list[SynthHousehold]) -> list[SynthHousehold]:
    return [household for household in households if household.duplicate_of is None]


@pytest.fixture(scope="module")
def duplicates(households: list[SynthHousehold]) -> list[SynthHousehold]:
    return [household for household in households if household.duplicate_of is not None]


def all_people(households: list[SynthHousehold]) -> Iterator[SynthPerson]:
    return (person for household in households for person in household.people)


def name_fields(person: SynthPerson, script: str) -> tuple[str, str, str, str]:
    return (
        getattr(person, f"given_name_{script}"),
        getattr(person, f"father_name_{script}"),
        getattr(person, f"grandfather_name_{script}"),
        getattr(person, f"family_name_{script}"),
    )


def assert_valid_date(date: PartialDate) -> None:
    if date.day is not None:
        assert date.month is not None
    if date.calendar is Calendar.GREGORIAN:
        datetime.date(date.year, date.month or 1, date.day or 1)  # raises if not a real date
    else:
        assert date.calendar is Calendar.SOLAR_HIJRI
        assert 1280 <= date.year <= 1410
        if date.month is not None:
            assert 1 <= date.month <= 12
            if date.day is not None:
                assert 1 <= date.day <= SOLAR_HIJRI_MONTH_DAYS[date.month - 1]


def gregorian_year(date: PartialDate) -> int:
    return date.year if date.calendar is Calendar.GREGORIAN else date.year + 621


# Determinism and streaming


def test_the_same_seed_gives_identical_households() -> None:
    first = list(generate_households(300, seed=7))
    second = list(generate_households(300, seed=7))
    assert first == second


def test_another_seed_gives_other_households() -> None:
    assert list(generate_households(50, seed=7)) != list(generate_households(50, seed=8))


def test_the_global_random_generator_is_neither_used_nor_disturbed() -> None:
    random.seed(1)
    state = random.getstate()
    first = list(generate_households(100, seed=3))
    assert random.getstate() == state
    random.seed(2)
    assert list(generate_households(100, seed=3)) == first


def test_a_longer_run_starts_with_the_households_of_a_shorter_one() -> None:
    short = list(generate_households(100, seed=5))
    long = list(generate_households(400, seed=5))
    assert long[:100] == short


def test_households_are_generated_lazily() -> None:
    stream = generate_households(10**12, seed=1)
    first_two = list(itertools.islice(stream, 2))
    assert [household.household_key for household in first_two] == ["H000001", "H000002"]


def test_generate_people_count_stops_just_past_the_target() -> None:
    households = list(generate_people_count(5000, seed=11))
    people = sum(len(household.people) for household in households)
    assert 5000 <= people < 5000 + 13
    assert people - len(households[-1].people) < 5000
    assert households == list(generate_households(len(households), seed=11))


def test_zero_households_or_people_yield_nothing() -> None:
    assert list(generate_households(0)) == []
    assert list(generate_people_count(0)) == []


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_a_duplicate_rate_outside_zero_to_one_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="duplicate_rate"):
        generate_households(10, duplicate_rate=rate)
    with pytest.raises(ValueError, match="duplicate_rate"):
        generate_people_count(10, duplicate_rate=rate)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="count"):
        generate_households(-1)
    with pytest.raises(ValueError, match="target_people"):
        generate_people_count(-1)


def test_the_synthetic_data_package_imports_no_django_and_no_app() -> None:
    package = resources.files("safepassage.synth")
    imported: set[str] = set()
    for source in package.iterdir():
        if source.name.endswith(".py"):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imported.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module:
                    imported.add(node.module)
    ours = {module for module in imported if module.split(".")[0] in {"safepassage", "django"}}
    assert ours
    for module in ours:
        assert module.startswith(("safepassage.synth", "safepassage.engine")), module


# Keys and household composition


def test_household_keys_and_person_keys_are_unique(households: list[SynthHousehold]) -> None:
    household_keys = [household.household_key for household in households]
    assert household_keys == [f"H{number:06d}" for number in range(1, COUNT + 1)]
    person_keys = [person.person_key for person in all_people(households)]
    assert len(person_keys) == len(set(person_keys))
    for household in households:
        for index, person in enumerate(household.people, start=1):
            assert person.person_key == f"{household.household_key}-P{index}"


def test_every_household_has_exactly_one_principal_and_it_comes_first(
    households: list[SynthHousehold],
) -> None:
    for household in households:
        relationships = [person.relationship for person in household.people]
        assert relationships[0] == "principal"
        assert relationships.count("principal") == 1
        assert set(relationships) <= {"principal", "spouse", "child", "parent", "sibling", "other"}
        assert {person.sex for person in household.people} <= {"male", "female"}
        assert household.program in {"siv", "p2", "p1", "undetermined"}
        assert household.channel in {"web", "import", "api", "staff"}


def test_households_have_three_to_four_family_members_per_principal_on_average(
    originals: list[SynthHousehold],
) -> None:
    sizes = [len(household.people) for household in originals]
    family_members_per_principal = sum(size - 1 for size in sizes) / len(sizes)
    assert 3.0 <= family_members_per_principal <= 4.0
    assert max(sizes) <= 12
    assert max(sizes) >= 10
    relationships = Counter(person.relationship for person in all_people(originals))
    assert relationships["spouse"] > 0.7 * len(originals)
    assert relationships["parent"] > 0
    assert relationships["sibling"] > 0
    assert relationships["other"] > 0


def test_identity_keys_are_unique_among_original_households(
    originals: list[SynthHousehold],
) -> None:
    identities = [person.identity_key for person in all_people(originals)]
    assert len(identities) == len(set(identities))


def test_siblings_sharing_father_grandfather_and_family_name_are_distinct_identities(
    originals: list[SynthHousehold],
) -> None:
    checked = 0
    for household in originals:
        children = [person for person in household.people if person.relationship == "child"]
        if len(children) < 2:
            continue
        fathers = {(child.father_name_latin, child.grandfather_name_latin) for child in children}
        assert len(fathers) == 1  # one form, one spelling of the shared names
        assert len({child.identity_key for child in children}) == len(children)
        given = [(child.sex, child.given_name_latin, child.given_name_arabic) for child in children]
        assert len(set(given)) == len(given)
        checked += 1
    assert checked > 100


def test_children_of_a_male_principal_carry_his_given_name_as_their_father_name(
    originals: list[SynthHousehold],
) -> None:
    checked = 0
    for household in originals:
        principal = household.people[0]
        if principal.sex != "male" or not principal.given_name_latin:
            continue
        for child in household.people[1:]:
            if child.relationship == "child":
                assert child.father_name_latin == principal.given_name_latin
                assert child.grandfather_name_latin == principal.father_name_latin
                checked += 1
    assert checked > 1000


def test_principals_siblings_share_the_principals_father_and_grandfather(
    originals: list[SynthHousehold],
) -> None:
    for household in originals:
        principal = household.people[0]
        for person in household.people:
            if person.relationship == "sibling":
                assert person.father_name_latin == principal.father_name_latin
                assert person.grandfather_name_latin == principal.grandfather_name_latin
                assert person.identity_key != principal.identity_key


def test_spouses_often_share_the_principals_phone(originals: list[SynthHousehold]) -> None:
    shared = sum(
        1
        for household in originals
        for person in household.people
        if person.relationship == "spouse"
        and person.phone
        and person.phone == household.people[0].phone
    )
    assert shared > 0.3 * len(originals)


# Values


def test_every_date_is_a_valid_date(households: list[SynthHousehold]) -> None:
    for person in all_people(households):
        if person.birth_date is not None:
            assert_valid_date(person.birth_date)
        if person.passport_expiry is not None:
            assert isinstance(person.passport_expiry, datetime.date)
    for household in households:
        for job in household.employment:
            assert_valid_date(job.start_date)
            if job.end_date is not None:
                assert_valid_date(job.end_date)


def test_birth_dates_mix_calendars_precisions_and_january_first_defaults(
    originals: list[SynthHousehold],
) -> None:
    dates = [person.birth_date for person in all_people(originals)]
    total = len(dates)
    known = [date for date in dates if date is not None]
    solar_full = sum(1 for d in known if d.calendar is Calendar.SOLAR_HIJRI and d.day is not None)
    solar_year = sum(1 for d in known if d.calendar is Calendar.SOLAR_HIJRI and d.month is None)
    gregorian_year_only = sum(
        1 for d in known if d.calendar is Calendar.GREGORIAN and d.month is None
    )
    january_first = sum(
        1 for d in known if d.calendar is Calendar.GREGORIAN and (d.month, d.day) == (1, 1)
    )
    assert solar_full > 0.15 * total
    assert solar_year > 0.08 * total
    assert gregorian_year_only > 0.05 * total
    assert january_first > 0.12 * total
    assert 0 < total - len(known) < 0.15 * total
    assert any(d.approximate for d in known)


def test_every_phone_is_a_valid_e164_number(households: list[SynthHousehold]) -> None:
    phones = {person.phone for person in all_people(households) if person.phone}
    assert phones
    for phone in phones:
        assert E164.match(phone), phone
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone)), phone
        assert phone[:3] in {"+93", "+92", "+98", "+90"}
        if phone.startswith("+93"):
            assert phone[3] == "7" and len(phone) == 12


def test_phones_are_mostly_afghan_mobiles_with_some_foreign_numbers(
    originals: list[SynthHousehold],
) -> None:
    phones = [household.people[0].phone for household in originals if household.people[0].phone]
    afghan = sum(1 for phone in phones if phone.startswith("+93"))
    assert 0.7 < afghan / len(phones) < 0.95
    assert {phone[:3] for phone in phones} == {"+93", "+92", "+98", "+90"}


def test_tazkiras_are_paper_with_volume_page_and_registration_or_electronic(
    households: list[SynthHousehold],
) -> None:
    kinds: Counter[str] = Counter()
    for person in all_people(households):
        kinds[person.tazkira_kind] += 1
        if person.tazkira_kind == "electronic":
            assert E_TAZKIRA.match(person.tazkira_number.translate(EASTERN_DIGITS))
            assert not (person.tazkira_volume or person.tazkira_page)
        elif person.tazkira_kind == "paper":
            assert person.tazkira_number == ""
            for part in (person.tazkira_volume, person.tazkira_page, person.tazkira_registration):
                assert part.translate(EASTERN_DIGITS).isdigit()
        else:
            assert person.tazkira_kind == ""
            assert not (person.tazkira_number or person.tazkira_volume)
    assert kinds["paper"] > 0 and kinds["electronic"] > 0 and kinds[""] > 0


def test_passports_have_a_number_and_an_expiry_date_or_neither(
    households: list[SynthHousehold],
) -> None:
    for person in all_people(households):
        assert bool(person.passport_number) == (person.passport_expiry is not None)
        if person.passport_number:
            assert re.match(r"^P\d{8}$", person.passport_number)


def test_e_mails_use_reserved_example_domains(households: list[SynthHousehold]) -> None:
    emails = [person.email for person in all_people(households) if person.email]
    emails += [
        job.supervisor_email
        for household in households
        for job in household.employment
        if job.supervisor_email
    ]
    assert emails
    for email in emails:
        domain = email.rsplit("@", 1)[1]
        assert domain.endswith(".example") or domain in {
            "example.com",
            "example.net",
            "example.org",
        }


def test_names_are_in_latin_or_arabic_script_as_labelled(
    households: list[SynthHousehold],
) -> None:
    for person in all_people(households):
        for name in name_fields(person, "latin"):
            assert name == "" or LATIN_NAME.match(name), name
        for name in name_fields(person, "arabic"):
            assert name == "" or ARABIC_NAME.match(name), name
        assert person.given_name_latin or person.given_name_arabic


def test_many_people_have_no_family_name(originals: list[SynthHousehold]) -> None:
    principals = [household.people[0] for household in originals]
    without = sum(1 for p in principals if not (p.family_name_latin or p.family_name_arabic))
    assert 0.3 < without / len(principals) < 0.8


def test_places_come_from_the_gazetteer(households: list[SynthHousehold]) -> None:
    data = resources.files("safepassage.data") / "gazetteer" / "districts.csv"
    rows = csv.DictReader(io.StringIO(data.read_text(encoding="utf-8")))
    province_of = {row["code"]: row["province_iso_3166_2"] for row in rows}
    provinces = set(province_of.values())
    for household in households:
        places = [(household.current_province, household.current_district)]
        places += [(p.birth_province, p.birth_district) for p in household.people]
        for province, district in places:
            assert province == "" or province in provinces
            if district:
                assert province_of[district] == province
        for job in household.employment:
            assert job.location_province in provinces


# Employment


def test_employment_histories_have_one_to_three_valid_jobs_within_2001_to_2021(
    households: list[SynthHousehold],
) -> None:
    kinds: Counter[str] = Counter()
    for household in households:
        assert 1 <= len(household.employment) <= 3
        for job in household.employment:
            assert isinstance(job, SynthEmployment)
            assert job.employer_kind in EMPLOYER_KINDS
            kinds[job.employer_kind] += 1
            assert job.employer_name and job.role
            assert 2001 <= gregorian_year(job.start_date) <= 2021
            if job.end_date is not None:
                assert 2001 <= gregorian_year(job.end_date) <= 2021
                assert gregorian_year(job.start_date) <= gregorian_year(job.end_date) + 1
            if job.interpreter:
                assert job.sensitive_and_trusted
    assert set(kinds) == EMPLOYER_KINDS


def test_employment_histories_include_gaps_overlaps_and_open_ended_jobs(
    originals: list[SynthHousehold],
) -> None:
    open_ended = sum(1 for h in originals for job in h.employment if job.end_date is None)
    several = sum(1 for h in originals if len(h.employment) > 1)
    assert open_ended > 0
    assert several > 0.3 * len(originals)


def test_programs_follow_the_kind_of_work(originals: list[SynthHousehold]) -> None:
    by_program: dict[str, Counter[str]] = defaultdict(Counter)
    for household in originals:
        for job in household.employment:
            by_program[household.program][job.employer_kind] += 1
    assert by_program["siv"].most_common(1)[0][0] in {"us_military", "us_government_contractor"}
    assert set(by_program) == {"siv", "p2", "p1", "undetermined"}


# Planted duplicates


def test_about_the_requested_share_of_households_are_duplicates(
    households: list[SynthHousehold], duplicates: list[SynthHousehold]
) -> None:
    assert 0.03 < len(duplicates) / len(households) < 0.07
    assert not any(h.duplicate_of for h in generate_households(500, seed=1, duplicate_rate=0.0))


def test_duplicates_point_to_an_earlier_original_and_share_its_identities(
    households: list[SynthHousehold],
) -> None:
    seen: dict[str, SynthHousehold] = {}
    for household in households:
        if household.duplicate_of is not None:
            original = seen[household.duplicate_of]  # earlier in the stream
            assert original.duplicate_of is None
            assert household.channel != original.channel
            original_identities = {p.identity_key: p for p in original.people}
            principal = household.people[0]
            assert principal.identity_key == original.people[0].identity_key
            shared = [p for p in household.people if p.identity_key in original_identities]
            assert len(shared) >= len(original.people) - 1
            for person in shared:
                twin = original_identities[person.identity_key]
                assert person.person_key != twin.person_key
                assert person.relationship == twin.relationship
                assert person.sex == twin.sex
        seen[household.household_key] = household


def test_duplicates_are_written_differently_from_their_originals(
    households: list[SynthHousehold], duplicates: list[SynthHousehold]
) -> None:
    by_key = {household.household_key: household for household in households}
    changes: Counter[str] = Counter()
    for duplicate in duplicates:
        assert duplicate.duplicate_of is not None
        original = {p.identity_key: p for p in by_key[duplicate.duplicate_of].people}
        for person in duplicate.people:
            before = original.get(person.identity_key)
            if before is None:
                changes["newborn"] += 1
                continue
            latin, latin_before = name_fields(person, "latin"), name_fields(before, "latin")
            if all(latin) and all(latin_before) and latin != latin_before:
                changes["latin spelling"] += 1
            arabic, arabic_before = name_fields(person, "arabic"), name_fields(before, "arabic")
            if person.given_name_arabic and before.given_name_arabic and arabic != arabic_before:
                changes["arabic script"] += 1
            if before.father_name_latin and person.family_name_latin == before.father_name_latin:
                changes["father's name as family name"] += 1
            if person.given_name_latin == "FNU":
                changes["FNU"] += 1
            if before.birth_date is not None and person.birth_date is None:
                changes["birth date dropped"] += 1
            if (
                before.birth_date is not None
                and person.birth_date is not None
                and person.birth_date.calendar == before.birth_date.calendar
                and abs(person.birth_date.year - before.birth_date.year) == 1
            ):
                changes["birth year off by one"] += 1
            if (
                before.birth_date is not None
                and person.birth_date is not None
                and person.birth_date.calendar != before.birth_date.calendar
            ):
                changes["other calendar"] += 1
            if before.phone and not person.phone:
                changes["phone dropped"] += 1
            if before.given_name_latin and not person.given_name_latin:
                changes["arabic only"] += 1
            if before.given_name_arabic and not person.given_name_arabic:
                changes["latin only"] += 1
    expected = {
        "latin spelling",
        "arabic script",
        "father's name as family name",
        "FNU",
        "birth date dropped",
        "birth year off by one",
        "other calendar",
        "phone dropped",
        "arabic only",
        "latin only",
    }
    assert expected <= set(changes), changes


def test_arabic_script_variants_appear_in_duplicates(duplicates: list[SynthHousehold]) -> None:
    text = "".join("".join(name_fields(person, "arabic")) for person in all_people(duplicates))
    for variant in ("\u064a", "\u0643", "\u0640", "\u200c"):  # yeh, kaf, tatweel, ZWNJ
        assert variant in text, hex(ord(variant))
    assert re.search("[\u064b-\u0652]", text)  # a diacritic


def test_mohammad_is_spelled_several_ways_across_the_stream(
    households: list[SynthHousehold],
) -> None:
    words = {
        word
        for person in all_people(households)
        for name in name_fields(person, "latin")
        for word in name.split(" ")
    }
    assert len(words & MOHAMMAD_SPELLINGS) >= 4
    assert {"Ahmad", "Ahmed"} <= words
    assert {"Gul", "Gol"} <= words
    assert any(word.endswith("zay") for word in words)
    assert any(word.endswith("ulla") for word in words)
    assert any(word.startswith("Abd al-") or word == "Abdol" for word in words) or any(
        "Abd al-" in person.given_name_latin for person in all_people(households)
    )


# Name tables


def test_name_tables_are_large_and_written_in_both_scripts() -> None:
    assert len(MALE_GIVEN_NAMES) >= 150
    assert len(FEMALE_GIVEN_NAMES) >= 80
    assert len(FAMILY_NAMES) >= 40
    for table in (MALE_GIVEN_NAMES, FEMALE_GIVEN_NAMES, FAMILY_NAMES):
        assert len({name.arabic for name in table}) == len(table)
        for name in table:
            assert ARABIC_NAME.match(name.arabic), name
            assert name.latin and len(set(name.latin)) == len(name.latin)
            assert all(LATIN_NAME.match(latin) for latin in name.latin), name
    assert sum(1 for name in MALE_GIVEN_NAMES if " " in name.arabic) >= 50  # compound names


def test_latin_spellings_cover_the_known_romanisation_variants() -> None:
    assert set(latin_spellings("Mohammad")) >= MOHAMMAD_SPELLINGS
    assert "Abd al-Rahman" in latin_spellings("Abdul Rahman")
    assert "Abdol Ali" in latin_spellings("Abdul Ali")
    assert {"Zabihulla", "Zabihallah", "Zabiullah"} <= set(
        latin_spellings("Zabihullah", ("Zabiullah",))
    )
    assert "Popalzay" in latin_spellings("Popalzai")
    assert "Gol Ahmad" in latin_spellings("Gul Ahmad")
    assert latin_spellings("Ali") == ("Ali",)


def test_related_households_are_a_brothers_family_on_its_own_case() -> None:
    households = list(generate_households(600, seed=5, related_rate=0.2))
    by_key = {household.household_key: household for household in households}
    related = [household for household in households if household.related_to is not None]

    assert len(related) > 30
    agreeing = compared = 0
    for household in related:
        brother, principal = by_key[household.related_to].people[0], household.people[0]
        assert principal.sex == brother.sex == "male"
        assert principal.identity_key != brother.identity_key
        for field in ("father_name", "grandfather_name"):
            for script in ("latin", "arabic"):
                mine = getattr(principal, f"{field}_{script}")
                theirs = getattr(brother, f"{field}_{script}")
                if mine and theirs:  # the same name; each family's form spells it its way
                    compared += 1
                    agreeing += name_key(mine) == name_key(theirs)
    assert compared > 60
    assert agreeing >= 0.95 * compared
    assert all(household.related_to is None for household in generate_households(300, seed=5))


def test_channel_profiles_give_each_channel_its_own_scripts() -> None:
    households = list(generate_households(3000, seed=6, duplicate_rate=0.3, channel_profiles=True))
    latin_only: dict[str, list[bool]] = defaultdict(list)
    for household in households:
        principal = household.people[0]
        latin_only[household.channel].append(
            bool(principal.given_name_latin) and not principal.given_name_arabic
        )
    share = {channel: sum(flags) / len(flags) for channel, flags in latin_only.items()}

    assert set(share) == {"web", "import", "api", "staff"}
    assert share["import"] > 0.7  # partner spreadsheets: Latin only (profile 0.85)
    assert share["api"] < 0.35  # partner systems: mostly both scripts (profile 0.20)
    assert list(generate_households(50, seed=6, channel_profiles=True)) == list(
        generate_households(50, seed=6, channel_profiles=True)
    )
