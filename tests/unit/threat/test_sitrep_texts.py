"""Short reports in English, Dari and Pashto (tests/data/sitreps/cases.json), with the
places, dates, kinds of events and proposals each must yield, false friends included."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from safepassage.engine.places import PlaceKind
from safepassage.engine.sitrep import (
    SituationReport,
    find_dates,
    find_events,
    find_places,
    read_situation_report,
)
from safepassage.engine.threat import EventKind

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[2] / "data" / "sitreps" / "cases.json").read_text(encoding="utf-8")
)


def written_spans(report: SituationReport) -> list[tuple[int, int, str]]:
    """(start, end, text) of every place, date, event and affiliate mention."""
    return (
        [(m.start, m.end, m.text) for m in report.places]
        + [(m.start, m.end, m.text) for m in report.dates]
        + [(m.start, m.end, m.text) for m in report.events]
        + [(m.start, m.end, m.text) for m in report.affiliates]
    )


def test_there_are_at_least_five_texts_in_each_language() -> None:
    for language in ("en", "fa", "ps"):
        assert sum(1 for c in CASES if c["language"] == language) >= 5


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_report_yields_the_expected_places_dates_kinds_and_proposals(case: dict[str, Any]) -> None:
    text = case["text"]
    report = read_situation_report(text, dt.date.fromisoformat(case["published"]))

    assert {p.name_en for p in report.places} == set(case["places"])
    assert {d.day.isoformat() for d in report.dates} == set(case["dates"])
    assert {e.kind.value for e in report.events} == set(case["kinds"])
    assert bool(report.affiliates) is case["affiliates"]
    proposals = {(p.kind.value, p.place.name_en, p.day.isoformat()) for p in report.proposals}
    assert {tuple(p) for p in case["proposals"]} <= proposals
    for start, end, written in written_spans(report):
        assert text[start:end] == written
    for proposal in report.proposals:
        assert 0 < proposal.confidence <= 1
        assert proposal.event.start >= proposal.evidence_start
        assert proposal.event.end <= proposal.evidence_end


def test_spelling_variants_possessives_and_hyphenated_forms_are_found() -> None:
    text = "Lashkargah, Lashkar Gah and LASHKAR-GAH; Helmand's governor; a Kabul-based group."
    found = [(p.text, p.name_en) for p in find_places(text)]
    assert found == [
        ("Lashkargah", "Lashkar Gah"),
        ("Lashkar Gah", "Lashkar Gah"),
        ("LASHKAR-GAH", "Lashkar Gah"),
        ("Helmand", "Helmand"),
        ("Kabul", "Kabul"),
    ]


def test_a_kind_word_chooses_between_a_province_and_its_capital() -> None:
    city, province, district = find_places(
        "the city of Kandahar, Kandahar province, Kandahar district"
    )
    assert (city.kind, province.kind, district.kind) == (
        PlaceKind.CITY,
        PlaceKind.PROVINCE,
        PlaceKind.DISTRICT,
    )
    assert (PlaceKind.PROVINCE, "AF-KAN") in city.alternatives


def test_a_district_named_like_a_word_needs_a_cue() -> None:
    assert find_places("the reg was wrong and Reg was a name") == ()
    (reg,) = find_places("Fighting spread to Reg district.")
    assert reg.kind is PlaceKind.DISTRICT and reg.province_code == "AF-HEL"
    assert reg.needed_context
    (daman, kandahar) = find_places("Clashes in Daman, east of Kandahar.")
    assert daman.province_code == "AF-KAN" and kandahar.name_en == "Kandahar"


def test_a_person_named_like_a_province_is_not_a_place_without_a_preposition() -> None:
    assert find_places("Rahim Wardak and Farah Pahlavi met.") == ()
    assert [p.name_en for p in find_places("He fled to Wardak, then to Farah.")] == [
        "Wardak",
        "Farah",
    ]


def test_dari_and_pashto_prepositions_may_be_glued_to_the_name() -> None:
    for text in ("درکابل", "در کابل", "پهکابل کې", "په کابل کې", "دکابل", "کابلکې"):
        (kabul,) = find_places(text)
        assert kabul.name_en == "Kabul"
        assert text[kabul.start : kabul.end] in ("کابل",)


def test_arabic_letters_zwnj_and_diacritics_do_not_hide_a_name() -> None:
    for text in ("مزار شريف", "مزارشریف", "جلال‌آباد", "جلال آباد", "هِرات", "قندهار", "كندهار"):
        assert len(find_places(text)) == 1, text


def test_english_absolute_dates_in_common_forms() -> None:
    published = dt.date(2021, 8, 10)
    text = "On 4 August 2021, on Aug. 5, on August 6th, 2021 and on 2021-08-07 and 8 Aug"
    days = [d.day for d in find_dates(text, published)]
    assert days == [dt.date(2021, 8, d) for d in (4, 5, 6, 7, 8)]


def test_a_date_without_a_year_is_not_put_after_publication() -> None:
    (december,) = find_dates("on December 30", dt.date(2021, 1, 5))
    assert december.day == dt.date(2020, 12, 30)


def test_may_the_verb_is_not_a_month() -> None:
    assert find_dates("the militants may 3 times attack", dt.date(2021, 8, 4)) == ()


def test_solar_hijri_dates_with_eastern_digits_in_dari_and_pashto() -> None:
    published = dt.date(2021, 8, 20)
    (dari,) = find_dates("۲۴ اسد ۱۴۰۰", published)
    assert dari.day == dt.date(2021, 8, 15)
    (pashto,) = find_dates("د زمري ۲۴مه", published)
    assert pashto.day == dt.date(2021, 8, 15)


def test_dari_night_of_a_weekday_is_the_evening_before() -> None:
    published = dt.date(2021, 8, 4)  # Wednesday
    (night,) = find_dates("شب سه‌شنبه", published)
    assert night.day == dt.date(2021, 8, 2)
    (tuesday,) = find_dates("روز سه شنبه", published)
    assert tuesday.day == dt.date(2021, 8, 3)


def test_last_weekday_of_the_same_name_goes_back_a_week() -> None:
    (last,) = find_dates("last Wednesday", dt.date(2021, 8, 4))
    assert last.day == dt.date(2021, 7, 28)


def test_event_words_in_three_languages() -> None:
    assert {e.kind for e in find_events("a suicide bombing and an abduction")} == {
        EventKind.EXPLOSION,
        EventKind.ABDUCTION,
    }
    assert {e.kind for e in find_events("شب‌نامه و انفجار")} == {
        EventKind.THREAT_LETTER,
        EventKind.EXPLOSION,
    }
    assert {e.kind for e in find_events("چاودنه او نښته")} == {
        EventKind.EXPLOSION,
        EventKind.ARMED_CLASH,
    }


def test_a_ten_kilobyte_report_finds_what_each_of_its_paragraphs_finds() -> None:
    # Speed is not asserted here (no timed unit tests); a long report must give the same
    # places as one copy of its paragraph, and the same answer every time.
    paragraph = (
        "Taliban fighters attacked a checkpoint in Nad-e Ali district of Helmand late Tuesday; "
        "an interpreter was shot dead in Kandahar on 3 August 2021.\n\n"
        "طالبان روز سه‌شنبه ۱۲ اسد ۱۴۰۰ ولسوالی موسی‌قلعه را تصرف کردند.\n\n"
        "د زمري په ۱۰مه په لښکرګاه کې سختې نښتې وشوې.\n\n"
    )
    copies = 10_240 // len(paragraph)
    text = paragraph * copies
    published = dt.date(2021, 8, 4)
    one = read_situation_report(paragraph, published)
    many = read_situation_report(text, published)
    assert {p.code for p in many.places} == {p.code for p in one.places}
    assert len(many.places) == copies * len(one.places)
    assert read_situation_report(text, published) == many
