"""Comparison levels of the linkage engine: names across spellings and scripts, the father's
name in the family-name slot, birth dates across calendars and precisions, identity numbers."""

from __future__ import annotations

from typing import Any

import pytest

from safepassage.engine.dates import Calendar, PartialDate
from safepassage.engine.linkage import FeatureCache, PairComparer, PersonRecord
from safepassage.engine.linkage.comparisons import (
    BIRTH,
    DATE_DIFFERENT,
    DATE_EXACT,
    DATE_OVERLAP,
    DATE_TOLERANCE,
    FAMILY,
    FATHER,
    GIVEN,
    MISSING,
    NAME_DIFFERENT,
    NAME_EXACT,
    NAME_SIMILAR,
    NAME_VARIANT,
    NUMBER_CLOSE,
    NUMBER_DIFFERENT,
    NUMBER_EXACT,
    TAZKIRA,
    birth_level,
    number_level,
)
from safepassage.engine.linkage.features import DateFeature, NameFeature, date_feature
from safepassage.engine.linkage.jaro_winkler import jaro_winkler

SOLAR_HIJRI = Calendar.SOLAR_HIJRI


@pytest.fixture
def comparer() -> PairComparer:
    return PairComparer(FeatureCache())


def name_level(comparer: PairComparer, left: str, right: str) -> int:
    """Level of two names, each in whichever script it is written."""

    def feature(text: str) -> NameFeature | None:
        arabic = not text.isascii()
        return comparer.cache.name("" if arabic else text, text if arabic else "")

    return comparer.name_level(feature(left), feature(right))


def record(record_id: str, **fields: Any) -> PersonRecord:
    return PersonRecord(record_id=record_id, household_id=f"H-{record_id}", **fields)


def vector(comparer: PairComparer, left: PersonRecord, right: PersonRecord) -> tuple[int, ...]:
    cache = comparer.cache
    return comparer.vector(cache.prepare(left, 0), cache.prepare(right, 1))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Mohammad", "Muhammad"),
        ("Mohammad", "Mohd"),
        ("Muhammad", "Mohammed"),
        ("Zabihullah", "Zabiullah"),
        ("Gul Ahmad", "Gol Ahmad"),
        ("Abdul Ali", "Abdulali"),
    ],
)
def test_romanisation_variants_of_a_name_agree_exactly(
    comparer: PairComparer, left: str, right: str
) -> None:
    assert name_level(comparer, left, right) == NAME_EXACT


@pytest.mark.parametrize(
    ("left", "right"),
    [("Mohammad", "محمد"), ("Zabihullah", "ذبیح الله"), ("ذبیح الله", "ذبيح‌الله")],
)
def test_a_name_in_arabic_script_agrees_exactly_with_its_romanisation(
    comparer: PairComparer, left: str, right: str
) -> None:
    assert name_level(comparer, left, right) == NAME_EXACT


def test_a_compound_name_and_its_distinctive_part_are_variants(comparer: PairComparer) -> None:
    assert name_level(comparer, "Mohammad Zaman", "Zaman") == NAME_VARIANT
    assert name_level(comparer, "Abdul Karim", "Karim") == NAME_VARIANT


def test_a_spelling_slip_is_similar_and_another_name_is_different(comparer: PairComparer) -> None:
    assert name_level(comparer, "Bashir", "Basir") == NAME_SIMILAR
    assert name_level(comparer, "Ahmad", "Karim") == NAME_DIFFERENT


def test_an_absent_or_placeholder_name_is_missing(comparer: PairComparer) -> None:
    assert name_level(comparer, "", "Ahmad") == MISSING
    assert name_level(comparer, "FNU", "Ahmad") == MISSING


def test_father_name_in_the_family_name_slot_counts_as_the_father_name(
    comparer: PairComparer,
) -> None:
    full = record("a", given_name_latin="Yasin", father_name_latin="Noor Muhammad",
                  family_name_latin="Rahimi")  # fmt: skip
    swapped = record("b", given_name_latin="Yasin", family_name_latin="Noor Mohammad")

    levels = vector(comparer, full, swapped)

    assert levels[FATHER] == NAME_EXACT
    assert levels[FAMILY] == MISSING  # the slot held the father's name, not the family's
    assert levels == vector(comparer, swapped, full)
    notes = comparer.notes(comparer.cache.prepare(full, 0), comparer.cache.prepare(swapped, 1))
    assert "family-name slot" in notes[FATHER]


def test_family_names_compare_normally_when_both_fathers_are_given(comparer: PairComparer) -> None:
    left = record("a", father_name_latin="Karim", family_name_latin="Rahimi")
    right = record("b", father_name_latin="Karim", family_name_latin="Karimi")

    assert vector(comparer, left, right)[FAMILY] != MISSING


def test_fnu_given_name_reads_the_name_from_the_family_name_slot(comparer: PairComparer) -> None:
    us_form = record("a", given_name_latin="FNU", family_name_latin="Zabiullah")
    tazkira = record("b", given_name_latin="Zabihullah")

    assert vector(comparer, us_form, tazkira)[GIVEN] == NAME_EXACT


def birth(
    year: int,
    month: int | None = None,
    day: int | None = None,
    calendar: Calendar = Calendar.GREGORIAN,
) -> DateFeature | None:
    return date_feature(PartialDate(year, month, day, calendar))


def test_the_same_full_date_is_exact_also_across_calendars() -> None:
    assert birth_level(birth(1990, 6, 15), birth(1990, 6, 15)) == DATE_EXACT
    # 12 Mizan 1369 is 4 October 1990
    assert birth_level(birth(1369, 7, 12, calendar=SOLAR_HIJRI), birth(1990, 10, 4)) == DATE_EXACT


def test_a_year_and_a_date_in_it_overlap() -> None:
    assert birth_level(birth(1990), birth(1990, 6, 15)) == DATE_OVERLAP
    assert birth_level(birth(1369, calendar=SOLAR_HIJRI), birth(1990)) == DATE_OVERLAP


def test_a_year_only_date_one_year_off_is_within_tolerance() -> None:
    assert birth_level(birth(1990), birth(1991, 6, 15)) == DATE_TOLERANCE
    assert birth_level(birth(1991, 6, 15), birth(1990)) == DATE_TOLERANCE


def test_full_dates_one_year_apart_to_the_day_are_within_tolerance() -> None:
    assert birth_level(birth(1990, 6, 15), birth(1991, 6, 15)) == DATE_TOLERANCE
    assert birth_level(birth(1990, 6, 15), birth(1990, 9, 2)) == DATE_DIFFERENT


def test_dates_years_apart_are_different() -> None:
    assert birth_level(birth(1990), birth(1993, 6, 15)) == DATE_DIFFERENT


def test_first_of_january_counts_as_the_year_only() -> None:
    assert birth_level(birth(1990, 1, 1), birth(1990, 1, 1)) == DATE_OVERLAP
    assert birth_level(birth(1990, 1, 1), birth(1990, 8, 20)) == DATE_OVERLAP
    assert birth_level(birth(1990, 1, 1), birth(1991, 8, 20)) == DATE_TOLERANCE


def test_first_of_january_is_explained_to_reviewers(comparer: PairComparer) -> None:
    left = record("a", birth_date=PartialDate(1990, 1, 1))
    right = record("b", birth_date=PartialDate(1990, 1, 1))

    prepared = comparer.cache.prepare(left, 0), comparer.cache.prepare(right, 1)

    assert "1 January" in comparer.notes(*prepared)[BIRTH]


def test_an_unknown_birth_date_is_missing() -> None:
    assert birth_level(None, birth(1990)) == MISSING


def test_identity_numbers_exact_close_and_different() -> None:
    assert number_level("e:1398069165829", "e:1398069165829") == NUMBER_EXACT
    assert number_level("e:1398069165829", "e:1398069165828") == NUMBER_CLOSE
    assert number_level("P01234567", "P01243567") == NUMBER_CLOSE  # two digits swapped
    assert number_level("p:195/156/9312", "p:195/165/9312") == NUMBER_CLOSE
    assert number_level("p:195/156/9312", "p:12/7/44") == NUMBER_DIFFERENT


def test_a_paper_tazkira_and_an_e_tazkira_cannot_be_compared() -> None:
    assert number_level("p:195/156/9312", "e:1398069165829") == MISSING
    assert number_level("", "e:1398069165829") == MISSING


def test_tazkira_numbers_typed_with_eastern_arabic_digits_agree(comparer: PairComparer) -> None:
    latin = record("a", tazkira=("95", "53", "9830"))
    eastern = record("b", tazkira=("۹۵", "۵۳", "۹۸۳۰"))

    assert vector(comparer, latin, eastern)[TAZKIRA] == NUMBER_EXACT


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("MARTHA", "MARHTA", 0.9611),
        ("DWAYNE", "DUANE", 0.84),
        ("DIXON", "DICKSONX", 0.8133),
        ("JELLYFISH", "SMELLYFISH", 0.8963),
        ("abc", "xyz", 0.0),
        ("", "", 0.0),
    ],
)
def test_jaro_winkler_gives_the_published_values(left: str, right: str, expected: float) -> None:
    assert jaro_winkler(left, right) == pytest.approx(expected, abs=1e-4)
