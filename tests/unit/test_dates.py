"""Partial dates in the Gregorian and Solar Hijri calendars."""

# These tests feed Eastern Arabic, Persian and full-width digits and Arabic letters on
# purpose: the confusable-character check would flag the very input under test.

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepassage.engine.dates import (
    AFGHAN_MONTHS_DARI,
    AFGHAN_MONTHS_PASHTO,
    GREGORIAN_MONTHS,
    IRANIAN_MONTHS,
    Calendar,
    PartialDate,
    PartialDateError,
    gregorian_to_solar_hijri,
    month_name,
    parse_partial_date,
    solar_hijri_to_gregorian,
    to_latin_digits,
    to_local_digits,
)

SH = Calendar.SOLAR_HIJRI
G = Calendar.GREGORIAN

# --- strategies ---------------------------------------------------------------------------


@st.composite
def partial_dates(draw: st.DrawFn, calendar: Calendar | None = None) -> PartialDate:
    chosen = calendar or draw(st.sampled_from(list(Calendar)))
    lowest, highest = (1850, 2200) if chosen is G else (1230, 1580)
    year = draw(st.integers(lowest, highest))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    month = None if precision == "year" else draw(st.integers(1, 12))
    day = None
    if precision == "day" and month is not None:
        if chosen is G:
            last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        else:
            last = 31 if month <= 6 else 30 if month <= 11 else 29
        day = draw(st.integers(1, last))
    return PartialDate(year, month, day, chosen, draw(st.booleans()))


gregorian_days = st.dates(min_value=dt.date(1851, 3, 21), max_value=dt.date(2200, 12, 31))


# --- anchors and conversion ---------------------------------------------------------------


def test_first_of_hamal_1400_is_the_nowruz_of_2021() -> None:
    assert solar_hijri_to_gregorian(1400, 1, 1) == dt.date(2021, 3, 21)
    assert gregorian_to_solar_hijri(dt.date(2021, 3, 21)) == (1400, 1, 1)


def test_fall_of_kabul_is_24_asad_1400() -> None:
    assert solar_hijri_to_gregorian(1400, 5, 24) == dt.date(2021, 8, 15)
    assert gregorian_to_solar_hijri(dt.date(2021, 8, 15)) == (1400, 5, 24)


def test_last_day_of_a_solar_hijri_leap_year_is_30_hut() -> None:
    assert solar_hijri_to_gregorian(1399, 12, 30) == dt.date(2021, 3, 20)


def test_30_hut_of_a_common_year_does_not_exist() -> None:
    with pytest.raises(PartialDateError) as caught:
        solar_hijri_to_gregorian(1400, 12, 30)
    assert caught.value.code == "invalid_day"


def test_conversion_refuses_a_month_that_does_not_exist() -> None:
    with pytest.raises(PartialDateError) as caught:
        solar_hijri_to_gregorian(1400, 13, 1)
    assert caught.value.code == "invalid_month"


def test_conversion_refuses_dates_before_the_solar_hijri_era() -> None:
    with pytest.raises(PartialDateError) as caught:
        gregorian_to_solar_hijri(dt.date(600, 1, 1))
    assert caught.value.code == "year_out_of_range"


@given(gregorian_days)
def test_gregorian_to_solar_hijri_and_back_is_the_same_day(day: dt.date) -> None:
    assert solar_hijri_to_gregorian(*gregorian_to_solar_hijri(day)) == day


@given(partial_dates(SH).filter(lambda d: d.precision == "day"))
def test_solar_hijri_to_gregorian_and_back_is_the_same_day(date: PartialDate) -> None:
    assert date.month is not None and date.day is not None
    gregorian = solar_hijri_to_gregorian(date.year, date.month, date.day)
    assert gregorian_to_solar_hijri(gregorian) == (date.year, date.month, date.day)


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "day", "calendar", "code"),
    [
        (1990, 13, None, G, "invalid_month"),
        (1990, 0, None, G, "invalid_month"),
        (1990, None, 5, G, "day_without_month"),
        (1990, 2, 29, G, "invalid_day"),
        (1990, 4, 31, G, "invalid_day"),
        (1990, 1, 0, G, "invalid_day"),
        (1849, None, None, G, "year_out_of_range"),
        (2201, None, None, G, "year_out_of_range"),
        (1365, None, None, G, "year_out_of_range"),
        (1229, None, None, SH, "year_out_of_range"),
        (1581, None, None, SH, "year_out_of_range"),
        (1990, None, None, SH, "year_out_of_range"),
        (1400, 7, 31, SH, "invalid_day"),
        (1400, 11, 31, SH, "invalid_day"),
        (1400, 12, 30, SH, "invalid_day"),
        (1400, 13, None, SH, "invalid_month"),
    ],
)
def test_impossible_dates_are_refused_with_a_code(
    year: int, month: int | None, day: int | None, calendar: Calendar, code: str
) -> None:
    with pytest.raises(PartialDateError) as caught:
        PartialDate(year, month, day, calendar)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("year", "month", "day", "calendar"),
    [
        (2000, 2, 29, G),
        (1850, None, None, G),
        (2200, 12, 31, G),
        (1400, 6, 31, SH),
        (1400, 7, 30, SH),
        (1400, 12, 29, SH),
        (1403, 12, 30, SH),
        (1230, None, None, SH),
        (1580, 12, None, SH),
    ],
)
def test_possible_dates_are_accepted(
    year: int, month: int | None, day: int | None, calendar: Calendar
) -> None:
    assert PartialDate(year, month, day, calendar).year == year


def test_error_message_is_the_code_and_not_the_date() -> None:
    with pytest.raises(PartialDateError) as caught:
        PartialDate(1987, 2, 30)
    assert str(caught.value) == "invalid_day"
    assert "1987" not in str(caught.value)


def test_calendar_given_as_text_becomes_a_calendar() -> None:
    date = PartialDate(1365, calendar="solar_hijri")  # type: ignore[arg-type]
    assert date.calendar is SH


def test_unknown_calendar_is_refused() -> None:
    with pytest.raises(PartialDateError) as caught:
        PartialDate(1365, calendar="lunar_hijri")  # type: ignore[arg-type]
    assert caught.value.code == "invalid_calendar"


def test_partial_date_cannot_be_changed() -> None:
    date = PartialDate(1990)
    with pytest.raises(dataclasses.FrozenInstanceError):
        date.year = 1991  # type: ignore[misc]


# --- precision and text -------------------------------------------------------------------


def test_precision_says_how_much_of_the_date_is_known() -> None:
    assert PartialDate(1365, calendar=SH).precision == "year"
    assert PartialDate(1365, 7, calendar=SH).precision == "month"
    assert PartialDate(1365, 7, 15, calendar=SH).precision == "day"


def test_text_is_iso_like_in_its_own_calendar() -> None:
    assert str(PartialDate(1365, 7, calendar=SH)) == "1365-07"
    assert str(PartialDate(1990, 3, 14)) == "1990-03-14"
    assert str(PartialDate(1990)) == "1990"


def test_text_of_an_approximate_date_starts_with_a_tilde() -> None:
    assert str(PartialDate(1365, calendar=SH, approximate=True)) == "~1365"


# --- storage ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "stored"),
    [
        (PartialDate(1365, 7, 15, SH, approximate=True), "sh:1365-07-15~"),
        (PartialDate(1365, calendar=SH), "sh:1365"),
        (PartialDate(1990, 3), "g:1990-03"),
        (PartialDate(1990, 3, 14), "g:1990-03-14"),
        (PartialDate(1990, approximate=True), "g:1990~"),
    ],
)
def test_storage_form_is_compact_and_stable(date: PartialDate, stored: str) -> None:
    assert date.to_storage() == stored
    assert PartialDate.from_storage(stored) == date


@given(partial_dates())
def test_storage_round_trip_gives_back_the_same_date(date: PartialDate) -> None:
    stored = date.to_storage()
    assert PartialDate.from_storage(stored) == date
    assert PartialDate.from_storage(stored).to_storage() == stored


@pytest.mark.parametrize(
    "stored", ["", "1990", "x:1990", "g:90", "g:1990-3", "g:1990-03-4", "G:1990", " g:1990"]
)
def test_storage_text_not_written_by_to_storage_is_refused(stored: str) -> None:
    with pytest.raises(PartialDateError) as caught:
        PartialDate.from_storage(stored)
    assert caught.value.code == "invalid_storage"


def test_stored_date_that_cannot_exist_is_refused_with_its_validation_code() -> None:
    with pytest.raises(PartialDateError) as caught:
        PartialDate.from_storage("sh:1400-12-30")
    assert caught.value.code == "invalid_day"


# --- Gregorian ranges ---------------------------------------------------------------------


def test_solar_hijri_year_spans_two_gregorian_years() -> None:
    assert PartialDate(1400, calendar=SH).gregorian_range() == (
        dt.date(2021, 3, 21),
        dt.date(2022, 3, 20),
    )


def test_solar_hijri_month_spans_two_gregorian_months() -> None:
    assert PartialDate(1400, 5, calendar=SH).gregorian_range() == (
        dt.date(2021, 7, 23),
        dt.date(2021, 8, 22),
    )


def test_hut_of_a_leap_year_ends_on_its_30th_day() -> None:
    first, last = PartialDate(1399, 12, calendar=SH).gregorian_range()
    assert (last - first).days == 29


def test_gregorian_year_runs_from_january_to_december() -> None:
    assert PartialDate(1990).gregorian_range() == (dt.date(1990, 1, 1), dt.date(1990, 12, 31))


def test_gregorian_february_of_a_leap_year_has_29_days() -> None:
    assert PartialDate(2000, 2).gregorian_range() == (dt.date(2000, 2, 1), dt.date(2000, 2, 29))


def test_full_date_range_is_a_single_day() -> None:
    assert PartialDate(1990, 3, 14).gregorian_range() == (
        dt.date(1990, 3, 14),
        dt.date(1990, 3, 14),
    )


@given(gregorian_days)
def test_range_of_a_solar_hijri_year_or_month_contains_each_of_its_days(day: dt.date) -> None:
    year, month, day_of_month = gregorian_to_solar_hijri(day)
    for partial in (
        PartialDate(year, calendar=SH),
        PartialDate(year, month, calendar=SH),
        PartialDate(year, month, day_of_month, calendar=SH),
    ):
        first, last = partial.gregorian_range()
        assert first <= day <= last


@given(partial_dates())
def test_range_is_ordered_and_never_longer_than_a_year(date: PartialDate) -> None:
    first, last = date.gregorian_range()
    assert first <= last
    assert (last - first).days <= 365


@given(partial_dates(SH).filter(lambda d: d.precision != "day"))
def test_consecutive_solar_hijri_periods_leave_no_gap(date: PartialDate) -> None:
    _, last = date.gregorian_range()
    year, month, day = gregorian_to_solar_hijri(last + dt.timedelta(days=1))
    assert day == 1
    if date.month is None:
        assert (year, month) == (date.year + 1, 1)
    else:
        assert month == date.month % 12 + 1


# --- "in the future" and ages -------------------------------------------------------------


def test_date_is_after_a_day_only_if_its_earliest_possible_day_is() -> None:
    assert PartialDate(2030).is_after(dt.date(2029, 12, 31))
    assert not PartialDate(2030).is_after(dt.date(2030, 1, 1))
    assert PartialDate(2030, 6).is_after(dt.date(2030, 5, 31))
    assert not PartialDate(2030, 6).is_after(dt.date(2030, 6, 1))


def test_solar_hijri_year_that_began_already_is_not_in_the_future() -> None:
    # 1403 began on 20 March 2024: a birth "in 1403" may be in the past on 1 May 2024.
    assert not PartialDate(1403, calendar=SH).is_after(dt.date(2024, 5, 1))
    assert PartialDate(1404, calendar=SH).is_after(dt.date(2024, 5, 1))


def test_age_of_a_full_date_is_exact() -> None:
    born = PartialDate(2003, 8, 15)
    assert born.age_range_on(dt.date(2024, 8, 14)) == (20, 20)
    assert born.age_range_on(dt.date(2024, 8, 15)) == (21, 21)


def test_age_of_a_year_only_birth_date_spans_one_year() -> None:
    assert PartialDate(2003).age_range_on(dt.date(2024, 6, 1)) == (20, 21)


def test_age_of_a_solar_hijri_year_counts_gregorian_years() -> None:
    # 1382 ran from 21 March 2003 to 19 March 2004.
    assert PartialDate(1382, calendar=SH).age_range_on(dt.date(2024, 1, 1)) == (19, 20)


def test_someone_born_on_29_february_is_a_year_older_on_1_march() -> None:
    born = PartialDate(2000, 2, 29)
    assert born.age_range_on(dt.date(2001, 2, 28)) == (0, 0)
    assert born.age_range_on(dt.date(2001, 3, 1)) == (1, 1)


def test_least_age_is_zero_when_birth_may_be_after_the_day() -> None:
    assert PartialDate(2024).age_range_on(dt.date(2024, 6, 1)) == (0, 0)


def test_age_before_any_possible_birth_is_refused() -> None:
    with pytest.raises(PartialDateError) as caught:
        PartialDate(2025).age_range_on(dt.date(2024, 6, 1))
    assert caught.value.code == "after_reference_date"


@given(partial_dates(), gregorian_days)
def test_age_range_is_ordered_and_at_most_one_year_wide(date: PartialDate, on: dt.date) -> None:
    if date.is_after(on):
        return
    least, greatest = date.age_range_on(on)
    assert 0 <= least <= greatest <= least + 1


# --- digits -------------------------------------------------------------------------------


def test_persian_and_eastern_arabic_digits_become_latin() -> None:
    assert to_latin_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_latin_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"


def test_arabic_separators_become_latin_punctuation() -> None:
    assert to_latin_digits("۱\u066c۲۳۴\u066b۵") == "1,234.5"


def test_text_around_digits_is_left_alone() -> None:
    assert to_latin_digits("تاریخ: ۱۴۰۰/۰۵/۲۴ (Asad)") == "تاریخ: 1400/05/24 (Asad)"


@pytest.mark.parametrize("language", ["fa", "ps", "fa-AF", "ps_AF", "FA"])
def test_dari_and_pashto_readers_get_persian_digits(language: str) -> None:
    assert to_local_digits("1400-05-24 ٣", language) == "۱۴۰۰-۰۵-۲۴ ۳"


@pytest.mark.parametrize("language", ["en", "de", ""])
def test_other_readers_get_the_text_unchanged(language: str) -> None:
    assert to_local_digits("1400-05-24", language) == "1400-05-24"


@given(st.text(alphabet="0123456789-/ "))
def test_local_digits_read_back_as_latin(text: str) -> None:
    assert to_latin_digits(to_local_digits(text, "fa")) == text


# --- month names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table", [AFGHAN_MONTHS_DARI, AFGHAN_MONTHS_PASHTO, IRANIAN_MONTHS, GREGORIAN_MONTHS]
)
def test_every_month_table_covers_all_twelve_months(table: Mapping[str, int]) -> None:
    assert set(table.values()) == set(range(1, 13))


def test_afghan_names_map_to_their_month_numbers() -> None:
    assert AFGHAN_MONTHS_DARI["Hamal"] == AFGHAN_MONTHS_DARI["حمل"] == 1
    assert AFGHAN_MONTHS_DARI["Asad"] == AFGHAN_MONTHS_DARI["اسد"] == 5
    assert AFGHAN_MONTHS_DARI["Hut"] == AFGHAN_MONTHS_DARI["حوت"] == 12
    assert AFGHAN_MONTHS_PASHTO["Wray"] == AFGHAN_MONTHS_PASHTO["وری"] == 1
    assert AFGHAN_MONTHS_PASHTO["Kab"] == AFGHAN_MONTHS_PASHTO["کب"] == 12
    assert IRANIAN_MONTHS["Farvardin"] == 1
    assert IRANIAN_MONTHS["Esfand"] == 12


@pytest.mark.parametrize(
    ("month", "calendar", "language", "name"),
    [
        (1, SH, "fa", "حمل"),
        (5, SH, "fa", "اسد"),
        (12, SH, "fa", "حوت"),
        (1, SH, "ps", "وری"),
        (9, SH, "ps", "لیندۍ"),
        (12, SH, "ps", "کب"),
        (1, SH, "en", "Hamal"),
        (7, SH, "en", "Mizan"),
        (7, SH, "de", "Mizan"),
        (1, G, "en", "January"),
        (12, G, "en", "December"),
        (1, G, "fa", "جنوری"),
        (5, G, "ps", "می"),
        (7, G, "fa", "جولای"),
        (12, G, "ps", "دسمبر"),
    ],
)
def test_month_names_follow_afghan_usage(
    month: int, calendar: Calendar, language: str, name: str
) -> None:
    assert month_name(month, calendar, language) == name


@pytest.mark.parametrize("month", [0, 13])
def test_month_name_of_a_month_that_does_not_exist_is_refused(month: int) -> None:
    with pytest.raises(PartialDateError) as caught:
        month_name(month, SH, "fa")
    assert caught.value.code == "invalid_month"


@given(st.integers(1, 12), st.sampled_from(list(Calendar)), st.sampled_from(["fa", "ps", "en"]))
def test_every_month_name_reads_back_as_its_month(
    month: int, calendar: Calendar, language: str
) -> None:
    year = 1990 if calendar is G else 1365
    parsed = parse_partial_date(f"{year} {month_name(month, calendar, language)}", calendar)
    assert parsed == PartialDate(year, month, calendar=calendar)


# --- reading typed dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1365", PartialDate(1365, calendar=SH)),
        ("1365-7", PartialDate(1365, 7, calendar=SH)),
        ("1365/07/15", PartialDate(1365, 7, 15, SH)),
        ("1365.7.15", PartialDate(1365, 7, 15, SH)),
        ("1365 7 15", PartialDate(1365, 7, 15, SH)),
        ("  1365 / 07 / 15  ", PartialDate(1365, 7, 15, SH)),
        ("۱۳۶۵/۰۷/۱۵", PartialDate(1365, 7, 15, SH)),
        ("١٣٦٥-٧-١٥", PartialDate(1365, 7, 15, SH)),
        ("\u200f۱۳۶۵/۷\u200e", PartialDate(1365, 7, calendar=SH)),
        ("15 Hamal 1365", PartialDate(1365, 1, 15, SH)),
        ("15 hamal 1365", PartialDate(1365, 1, 15, SH)),
        ("1365 حمل 15", PartialDate(1365, 1, 15, SH)),
        ("۱۵ حمل ۱۳۶۵", PartialDate(1365, 1, 15, SH)),
        ("Asad 1400", PartialDate(1400, 5, calendar=SH)),
        ("24 Asad 1400", PartialDate(1400, 5, 24, SH)),
        ("1365 سنبلة", PartialDate(1365, 6, calendar=SH)),
        ("1365 جوزاء", PartialDate(1365, 3, calendar=SH)),
        ("1365 Saur", PartialDate(1365, 2, calendar=SH)),
        ("3 Zmaray 1365", PartialDate(1365, 5, 3, SH)),
        ("1365 لړم", PartialDate(1365, 8, calendar=SH)),
        ("1365 غبرگولی", PartialDate(1365, 3, calendar=SH)),
        ("1 Farvardin 1400", PartialDate(1400, 1, 1, SH)),
        ("1400 اردیبهشت", PartialDate(1400, 2, calendar=SH)),
    ],
)
def test_solar_hijri_dates_are_read_as_people_type_them(text: str, expected: PartialDate) -> None:
    assert parse_partial_date(text, SH) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990", PartialDate(1990)),
        ("1990-03-14", PartialDate(1990, 3, 14)),
        ("March 1990", PartialDate(1990, 3)),
        ("14 March 1990", PartialDate(1990, 3, 14)),
        ("14 MAR 1990", PartialDate(1990, 3, 14)),
        ("14-Mar-1990", PartialDate(1990, 3, 14)),
        ("14th March 1990", PartialDate(1990, 3, 14)),
        ("March 14, 1990", PartialDate(1990, 3, 14)),
        ("1 Sept. 1990", PartialDate(1990, 9, 1)),
        ("۱۴ مارچ ۱۹۹۰", PartialDate(1990, 3, 14)),
        ("1990 جنوری", PartialDate(1990, 1)),
        ("1990 ژانویه", PartialDate(1990, 1)),
    ],
)
def test_gregorian_dates_are_read_as_people_type_them(text: str, expected: PartialDate) -> None:
    assert parse_partial_date(text, G) == expected


def test_approximate_flag_is_kept() -> None:
    assert parse_partial_date("1365", SH, approximate=True).approximate


def test_leading_tilde_marks_a_date_approximate() -> None:
    assert parse_partial_date("~1365-07", SH) == PartialDate(1365, 7, calendar=SH, approximate=True)


@given(partial_dates())
def test_text_of_a_date_reads_back_as_the_same_date(date: PartialDate) -> None:
    assert parse_partial_date(str(date), date.calendar) == date


@given(partial_dates(), st.sampled_from(["fa", "ps"]))
def test_date_written_with_persian_digits_reads_back(date: PartialDate, language: str) -> None:
    assert parse_partial_date(to_local_digits(str(date), language), date.calendar) == date


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "15/07/1365",
        "07/1365",
        "65",
        "13650",
        "1365--07",
        "1365-07-15-01",
        "Hamal",
        "15 Hamal",
        "Hamal Saur 1365",
        "1365 1366 Hamal",
        "15 16 Hamal 1365",
        "1365 Hamalx",
        "yesterday",
        "1365-07-15 " + "x" * 80,
    ],
)
def test_unreadable_text_is_refused(text: str) -> None:
    with pytest.raises(PartialDateError) as caught:
        parse_partial_date(text, SH)
    assert caught.value.code == "unreadable"


def test_month_name_of_the_other_calendar_is_refused() -> None:
    with pytest.raises(PartialDateError) as caught:
        parse_partial_date("15 Hamal 1990", G)
    assert caught.value.code == "calendar_mismatch"
    with pytest.raises(PartialDateError) as caught:
        parse_partial_date("March 1365", SH)
    assert caught.value.code == "calendar_mismatch"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1400-12-30", "invalid_day"),
        ("1365-13", "invalid_month"),
        ("30 Hut 1400", "invalid_day"),
        ("1990", "year_out_of_range"),
    ],
)
def test_readable_text_for_a_date_that_cannot_exist_gives_its_validation_code(
    text: str, code: str
) -> None:
    with pytest.raises(PartialDateError) as caught:
        parse_partial_date(text, SH)
    assert caught.value.code == code


@given(st.text(max_size=40))
def test_any_text_is_either_a_date_or_a_coded_error(text: str) -> None:
    try:
        parsed = parse_partial_date(text, SH)
    except PartialDateError as error:
        assert error.code in {
            "unreadable",
            "calendar_mismatch",
            "invalid_month",
            "invalid_day",
            "year_out_of_range",
        }
    else:
        assert parsed.calendar is SH
