"""ACLED and UCDP GED files: columns mapped, names placed in the gazetteer, bad rows reported
by line and code, other countries left out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safepassage.engine.conflict_files import (
    ConflictFileError,
    ConflictFormat,
    FileProblem,
    RowProblem,
    acled_kind,
    district_code_for,
    nearest_district,
    parse_conflict_file,
    place_key,
    province_code_for,
    targets_affiliates,
)
from safepassage.engine.places import districts
from safepassage.engine.threat import EventKind

DATA = Path(__file__).resolve().parents[2] / "data" / "conflict"


def _name(code: str | None) -> str | None:
    return districts()[code].name_en if code else None


def test_acled_export_rows_become_placed_events_and_bad_rows_are_reported_by_line() -> None:
    parsed = parse_conflict_file((DATA / "acled_afghanistan_2021.csv").read_bytes())

    assert parsed.format is ConflictFormat.ACLED
    by_id = {event.source_event_id: event for event in parsed.events}
    assert list(by_id) == ["AFG60001", "AFG60002", "AFG60003", "AFG60004", "AFG60005", "AFG60006"]
    clash = by_id["AFG60001"]
    assert (clash.day, clash.province, _name(clash.district)) == (
        dt.date(2021, 8, 4),
        "AF-HEL",
        "Lashkar Gah",
    )
    assert (clash.kind, clash.fatalities, clash.targets_affiliates) == (
        EventKind.ARMED_CLASH,
        12,
        False,
    )
    killing = by_id["AFG60002"]
    assert killing.kind is EventKind.TARGETED_KILLING and killing.targets_affiliates
    assert "interpreter" in killing.notes and "\n" in killing.notes
    assert _name(by_id["AFG60003"].district) == "Nad Ali"  # "Nad-e-Ali" in the file
    assert by_id["AFG60003"].kind is EventKind.CONTROL_CHANGE
    assert by_id["AFG60004"].kind is EventKind.EXPLOSION
    assert by_id["AFG60005"].kind is EventKind.ABDUCTION and by_id["AFG60005"].targets_affiliates
    letters = by_id["AFG60006"]  # no admin2: placed by its coordinates
    assert letters.kind is EventKind.THREAT_LETTER and _name(letters.district) == "Ghazni"
    # The second record spans two physical lines, so the bad rows start at line 9.
    assert [(bad.line, bad.problem) for bad in parsed.bad_rows] == [
        (9, RowProblem.MISSING_DATE),
        (10, RowProblem.BAD_DATE),
        (11, RowProblem.UNKNOWN_PROVINCE),
        (12, RowProblem.BAD_FATALITIES),
        (13, RowProblem.NOT_AFGHANISTAN),
        (14, RowProblem.DUPLICATE_ID),
    ]


def test_ucdp_ged_rows_become_events_and_province_level_rows_have_no_district() -> None:
    parsed = parse_conflict_file((DATA / "ucdp_ged_afghanistan_2021.csv").read_bytes())

    assert parsed.format is ConflictFormat.UCDP
    by_id = {event.source_event_id: event for event in parsed.events}
    assert list(by_id) == ["400001", "400002", "400003", "400004"]
    assert _name(by_id["400001"].district) == "Lashkar Gah"
    assert by_id["400001"].fatalities == 15
    assert by_id["400002"].kind is EventKind.TARGETED_KILLING
    assert by_id["400002"].targets_affiliates
    assert by_id["400003"].province == "AF-KAN" and by_id["400003"].district is None
    assert by_id["400004"].kind is EventKind.HOUSE_SEARCH and by_id["400004"].targets_affiliates
    assert [(bad.line, bad.problem.value) for bad in parsed.bad_rows] == [
        (6, "missing_date"),
        (7, "bad_date"),
        (8, "unknown_province"),
        (9, "bad_fatalities"),
        (10, "not_afghanistan"),
        (11, "duplicate_id"),
    ]


def test_a_row_with_the_wrong_number_of_fields_is_a_bad_row_and_the_rest_is_kept() -> None:
    lines = (DATA / "acled_afghanistan_2021.csv").read_text(encoding="utf-8").splitlines()
    text = "\n".join([lines[0], "AFG1,04 August 2021,short", lines[1]]) + "\n"

    parsed = parse_conflict_file(text)

    assert [(bad.line, bad.problem) for bad in parsed.bad_rows] == [(2, RowProblem.BAD_ROW)]
    assert [event.source_event_id for event in parsed.events] == ["AFG60001"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", FileProblem.EMPTY),
        (b"\xff\xfe\x00bad", FileProblem.NOT_TEXT),
        (b"name,phone\nx,y\n", FileProblem.UNKNOWN_FORMAT),
        (b"event_id_cnty,event_date\nAFG1,04 August 2021\n", FileProblem.MISSING_COLUMNS),
    ],
)
def test_files_that_cannot_be_read_as_a_whole_are_refused_with_a_code(
    content: bytes, problem: FileProblem
) -> None:
    with pytest.raises(ConflictFileError) as refused:
        parse_conflict_file(content)
    assert refused.value.problem is problem


def test_a_file_of_the_other_format_than_expected_is_refused() -> None:
    with pytest.raises(ConflictFileError):
        parse_conflict_file(
            (DATA / "ucdp_ged_afghanistan_2021.csv").read_bytes(), ConflictFormat.ACLED
        )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Helmand", "AF-HEL"),
        ("Hilmand Province", "AF-HEL"),
        ("Sar-i-Pul", "AF-SAR"),
        ("Maidan Wardak", "AF-WAR"),
        ("هلمند", "AF-HEL"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_province_names_match_in_their_variants(name: str, code: str | None) -> None:
    assert province_code_for(name) == code


def test_district_names_match_variants_and_close_misspellings_within_the_province() -> None:
    assert _name(district_code_for("Lashkargah", "AF-HEL")) == "Lashkar Gah"
    assert _name(district_code_for("Lashkar Gah district", "AF-HEL")) == "Lashkar Gah"
    assert _name(district_code_for("Lashkergah", "AF-HEL")) == "Lashkar Gah"
    assert _name(district_code_for("Nad-e Ali", "AF-HEL")) == "Nad Ali"
    assert district_code_for("Lashkar Gah", "AF-KAB") is None
    assert place_key("Nad-e-Ali District") == place_key("Nad Ali")


def test_the_nearest_district_by_coordinates_stays_in_the_province_when_given() -> None:
    assert nearest_district(31.5938, 64.3716).name_en == "Lashkar Gah"
    assert nearest_district(31.5938, 64.3716, province="AF-KAN").province_code == "AF-KAN"


def test_acled_types_map_to_kinds() -> None:
    assert acled_kind("Violence against civilians", "Attack", 0, "") is EventKind.OTHER
    assert acled_kind("Violence against civilians", "Attack", 2, "") is EventKind.TARGETED_KILLING
    assert acled_kind("Strategic developments", "Arrests", 0, "") is EventKind.CHECKPOINT_ARREST
    assert acled_kind("Protests", "Peaceful protest", 0, "") is EventKind.OTHER
    assert (
        acled_kind("Strategic developments", "Looting/property destruction", 0, "house searches")
        is EventKind.HOUSE_SEARCH
    )


def test_affiliates_are_targeted_only_by_events_aimed_at_people() -> None:
    text = "a former ANA soldier was shot"
    assert targets_affiliates(EventKind.TARGETED_KILLING, text)
    assert not targets_affiliates(EventKind.ARMED_CLASH, text)
    assert not targets_affiliates(EventKind.TARGETED_KILLING, "a shopkeeper was shot")
