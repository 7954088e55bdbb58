"""The eligibility table: cases from DOMAIN.md and the State Department's public FAQs, each
with the expected outcome and the states of the criteria that decide it (rows in
``eligibility_rows_siv.py`` and ``eligibility_rows_family.py``).

Unless a row says otherwise the case is assessed on 2025-06-01 with a complete COM package
(HR letter per job, recommendation, tazkira, threat evidence) and a reported threat.
"""

from __future__ import annotations

import pytest
from eligibility_builders import TODAY, Row, case, d, job, member, pd
from eligibility_rows_family import FAMILY_ROWS
from eligibility_rows_siv import COM_2021, SIV_ROWS

from safepassage.engine.eligibility import evaluate, load_shipped_rules

TABLE = SIV_ROWS + FAMILY_ROWS


def test_the_table_has_at_least_sixty_cases() -> None:
    assert len(TABLE) >= 60


@pytest.mark.parametrize("row", TABLE)
def test_eligibility_table(row: Row) -> None:
    assessment = evaluate(row.facts, load_shipped_rules(), today=row.today)

    program = assessment.program(row.program)
    if row.version is not None:
        assert program.version_id == row.version
    flags: tuple[str, ...] = ()
    if row.member is None:
        subject_outcome, missing = program.outcome, program.missing
        find = program.criterion
    else:
        subject = program.member(row.member)
        subject_outcome, missing, flags = subject.outcome, subject.missing, subject.flags
        find = subject.criterion
        if row.missing:
            missing = missing + program.missing
    assert subject_outcome is row.outcome
    for criterion_id, state in row.criteria.items():
        assert find(criterion_id).state.value == state, criterion_id
    for criterion_id, variant in row.variants.items():
        assert find(criterion_id).variant == variant, criterion_id
    machine = {item.as_tuple() for item in missing}
    for expected in row.missing:
        assert expected in machine
    assert set(row.flags) <= set(flags)


def test_an_undetermined_service_names_only_the_dates_that_matter() -> None:
    facts = case(jobs=[job("2020-01", "2020-12-31")], com=COM_2021)

    program = evaluate(facts, load_shipped_rules(), today=TODAY).program("siv")

    assert [item.as_tuple() for item in program.missing] == [("fact", "exact_start_date", 0)]
    details = program.criterion("qualifying_service").details
    assert (details["min_days"], details["max_days"], details["minimum_days"]) == (336, 366, 365)


def test_a_criterion_reports_its_version_source_and_facts() -> None:
    facts = case(jobs=[job(kind="us_government_contractor", documents=["hr_letter", "badge"])])

    program = evaluate(facts, load_shipped_rules(), today=d("2021-09-01")).program("siv")

    service = program.criterion("qualifying_service")
    assert "P.L. 117-31" in service.source
    assert service.facts_used == ("employment[0]",)
    assert "employment[0].badge" in service.documents_used
    assert program.version_source.startswith("Emergency Security Supplemental")
    assert program.selecting_date_assumed


def test_the_assessment_lists_missing_items_across_programs_once() -> None:
    facts = case(jobs=[job(documents=[])], com=COM_2021, members=[member("child")])

    assessment = evaluate(facts, load_shipped_rules(), today=TODAY)

    codes = [item.as_tuple() for item in assessment.missing]
    assert ("document", "hr_letter", 0) in codes
    assert len(codes) == len(set(codes))
    assert assessment.eligible_programs == ("siv",)
    assert pd("2019").precision == "year"  # the builder reads partial dates
