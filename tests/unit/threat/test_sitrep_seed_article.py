"""The seed news article of 4 August 2021: Kabul, Helmand and Lashkar Gah, nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safepassage.engine.places import PlaceKind
from safepassage.engine.sitrep import SituationReport, read_situation_report
from safepassage.engine.threat import EventKind

# A copy of ../shared/data/seed-article.txt (news agency text, used as test data), kept in the
# repository so the test runs on every checkout.
SEED = Path(__file__).resolve().parents[2] / "data" / "sitreps" / "seed-article.txt"
PUBLISHED = dt.date(2021, 8, 4)  # a Wednesday


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(seed_text: str) -> SituationReport:
    return read_situation_report(seed_text, PUBLISHED)


def test_the_seed_article_names_kabul_helmand_and_lashkar_gah_and_no_other_place(
    report: SituationReport,
) -> None:
    assert {p.name_en for p in report.places} == {"Kabul", "Helmand", "Lashkar Gah"}
    assert {p.province_code for p in report.places} == {"AF-KAB", "AF-HEL"}


def test_helmand_is_read_as_a_province_and_lashkar_gah_as_its_capital(
    report: SituationReport,
) -> None:
    kinds = {(p.name_en, p.kind) for p in report.places}
    assert ("Helmand", PlaceKind.PROVINCE) in kinds
    assert ("Lashkar Gah", PlaceKind.CITY) in kinds


def test_no_place_comes_from_taliban_washington_people_or_the_page_furniture(
    report: SituationReport, seed_text: str
) -> None:
    found = {p.text for p in report.places}
    assert found <= {"Kabul", "Helmand", "Lashkar Gah"}
    tail = seed_text.index("Check Also")
    assert all(p.start < tail for p in report.places)


def test_every_span_points_at_the_matched_words(report: SituationReport, seed_text: str) -> None:
    spans = (
        [(m.start, m.end, m.text) for m in report.places]
        + [(m.start, m.end, m.text) for m in report.dates]
        + [(m.start, m.end, m.text) for m in report.events]
        + [(m.start, m.end, m.text) for m in report.affiliates]
    )
    for start, end, written in spans:
        assert seed_text[start:end] == written


def test_late_tuesday_is_the_day_before_a_wednesday_publication(
    report: SituationReport,
) -> None:
    late_tuesday = next(d for d in report.dates if d.text == "late Tuesday")
    assert late_tuesday.day == dt.date(2021, 8, 3)
    assert late_tuesday.relative
    wednesdays = [d for d in report.dates if d.text == "Wednesday"]
    assert wednesdays and all(d.day == PUBLISHED for d in wednesdays)


def test_the_kabul_raid_is_proposed_as_an_explosion_on_3_august(
    report: SituationReport, seed_text: str
) -> None:
    raid = next(
        p for p in report.proposals if p.kind is EventKind.EXPLOSION and p.place.name_en == "Kabul"
    )
    assert raid.day == dt.date(2021, 8, 3)
    assert raid.province_code == "AF-KAB"
    assert "suicide car bomb" in seed_text[raid.evidence_start : raid.evidence_end]
    assert 0 < raid.confidence < 1


def test_the_lashkar_gah_fighting_is_proposed_as_an_armed_clash_in_helmand(
    report: SituationReport,
) -> None:
    clash = next(p for p in report.proposals if p.kind is EventKind.ARMED_CLASH)
    assert clash.place.name_en == "Lashkar Gah"
    assert clash.province_code == "AF-HEL"
    assert clash.district_code is not None
    assert clash.day == PUBLISHED
    assert all(p.place.name_en in {"Kabul", "Lashkar Gah"} for p in report.proposals)


def test_interpreters_are_noticed_as_affiliates(report: SituationReport) -> None:
    assert any("interpreters" in a.text for a in report.affiliates)
