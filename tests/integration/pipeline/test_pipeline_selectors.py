"""Clocks from the stored history, the overdue queue, service levels and bulk actions."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pipeline_builders import TODAY, days, move, open_siv_case, submitted_case

from safepassage.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from safepassage.engine.pipeline import Owner
from safepassage.pipeline import selectors, services
from safepassage.pipeline.models import StageSLA
from safepassage.protection.models import AuditEvent


@pytest.mark.django_db
def test_clocks_come_from_the_stored_history_with_the_dates_it_happened(
    org: Any, caseworker: Any
) -> None:
    case = submitted_case(org, caseworker)  # intake, preparation and submission today
    move(case, caseworker, "com_approved", on=100)  # government: 100 days
    move(case, caseworker, "visa_application", on=130)  # applicant: 30 + 20 days
    move(case, caseworker, "interview", on=150)  # government: 50 days so far
    clocks = selectors.case_clocks(case=case, today=days(200))
    assert clocks.total_days == 200
    assert clocks.days_by_owner[Owner.GOVERNMENT] == 150
    assert clocks.days_by_owner[Owner.APPLICANT] == 50
    assert clocks.stage == "interview" and clocks.owner is Owner.GOVERNMENT
    assert clocks.days_in_stage == 50 and clocks.sla_days == 90 and clocks.overdue_days == 0
    assert clocks.statutory is not None
    assert clocks.statutory.started_on == TODAY and clocks.statutory.government_days == 150
    assert clocks.statutory.remaining_days == 274 - 150


@pytest.mark.django_db
def test_an_organisations_service_level_replaces_the_default_in_the_clocks(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    case = submitted_case(org, caseworker)
    assert selectors.case_clocks(case=case, today=days(130)).overdue_days == 10
    services.stage_slas_set(
        actor=supervisor, organization=org, days={("siv", "com_submitted"): 200}
    )
    assert selectors.case_clocks(case=case, today=days(130)).overdue_days == 0
    services.stage_slas_set(
        actor=supervisor, organization=org, days={("siv", "com_submitted"): None}
    )
    assert not StageSLA.objects.exists()
    assert AuditEvent.objects.filter(action="pipeline.sla").count() == 2


@pytest.mark.django_db
def test_only_supervisors_set_service_levels_and_only_for_real_stages(
    org: Any, caseworker: Any, supervisor: Any, outsider: Any
) -> None:
    with pytest.raises(PermissionDeniedError):
        services.stage_slas_set(actor=caseworker, organization=org, days={("siv", "intake"): 3})
    with pytest.raises(NotFoundError):
        services.stage_slas_set(actor=outsider, organization=org, days={("siv", "intake"): 3})
    for bad in ({("siv", "referral"): 3}, {("siv", "closed"): 3}, {("siv", "intake"): 0}):
        with pytest.raises(InvalidInputError):
            services.stage_slas_set(actor=supervisor, organization=org, days=bad)


@pytest.mark.django_db
def test_the_overdue_queue_lists_late_cases_most_overdue_first_with_whose_move_it_is(
    org: Any, other_org: Any, caseworker: Any, supervisor: Any, outsider: Any
) -> None:
    in_time = open_siv_case(org, caseworker, "InTime")
    move(in_time, caseworker, "eligibility_review", on=120)  # 14-day service level
    waiting = submitted_case(org, caseworker, "Waiting")  # 120 days for the government
    intake = open_siv_case(org, caseworker, "Intake")  # 7 days at intake
    closed = open_siv_case(org, caseworker, "Closed")
    move(closed, supervisor, "closed", reason="Duplicate")
    open_siv_case(other_org, outsider, "Elsewhere")
    rows, total = selectors.overdue_cases_for(
        user=supervisor, organization_id=org.pk, today=days(130)
    )
    assert total == 2
    assert [row.case.reference for row in rows] == [intake.reference, waiting.reference]
    assert [(row.overdue_days, row.owner) for row in rows] == [
        (123, Owner.PROGRAM),
        (10, Owner.GOVERNMENT),
    ]
    assert in_time.reference not in {row.case.reference for row in rows}
    every, total = selectors.overdue_cases_for(
        user=supervisor, organization_id=org.pk, today=days(130), overdue_only=False
    )
    assert total == 3 and every[-1].case.reference == in_time.reference
    with pytest.raises(NotFoundError):
        selectors.overdue_cases_for(user=caseworker, organization_id=org.pk)


@pytest.mark.django_db
def test_the_overdue_queue_takes_the_same_number_of_queries_for_more_cases(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rows, _total = selectors.overdue_cases_for(
                user=supervisor, organization_id=org.pk, today=days(30)
            )
            for row in rows:
                _ = row.case.assigned_to
        return len(queries)

    for n in range(2):
        open_siv_case(org, caseworker, f"A{n}")
    few = count()
    for n in range(5):
        open_siv_case(org, caseworker, f"B{n}")
    assert count() == few


@pytest.mark.django_db
def test_a_bulk_move_preview_names_the_refused_cases_and_the_confirmation_moves_the_rest(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    from pipeline_builders import ready_for_com

    ready = open_siv_case(org, caseworker, "Ready")
    ready_for_com(ready, caseworker)
    bare = open_siv_case(org, caseworker, "Bare")
    for case in (ready, bare):
        move(case, caseworker, "com_preparation")
    references = [ready.reference, bare.reference.lower(), "NOT-A-CASE"]
    preview = selectors.bulk_move_preview(
        user=supervisor, organization_id=org.pk, references=references, to_stage="com_submitted"
    )
    verdicts = {row.case.reference: row.check.allowed for row in preview}
    assert verdicts == {ready.reference: True, bare.reference: False}
    (refused,) = [row for row in preview if not row.check.allowed]
    assert {f.params["document"] for f in refused.check.failures} == {
        "hr_letter",
        "recommendation",
        "ds157",
        "identity",
    }
    result = services.cases_bulk_move(
        actor=supervisor,
        organization=org,
        references=references,
        to_stage="com_submitted",
        reason="",
    )
    assert [c.reference for c in result.done] == [ready.reference]
    assert [c.reference for c, _error in result.refused] == [bare.reference]
    ready.refresh_from_db()
    bare.refresh_from_db()
    assert (ready.stage, bare.stage) == ("com_submitted", "com_preparation")
    audit = AuditEvent.objects.get(action="pipeline.bulk_move")
    assert (audit.details["moved"], audit.details["refused"]) == (1, 1)


@pytest.mark.django_db
def test_bulk_actions_are_for_supervisors_of_the_organisation(
    org: Any, other_org: Any, caseworker: Any, supervisor: Any, outsider: Any
) -> None:
    mine = open_siv_case(org, caseworker, "Mine")
    theirs = open_siv_case(other_org, outsider, "Theirs")
    with pytest.raises(PermissionDeniedError):
        services.cases_bulk_assign(
            actor=caseworker, organization=org, references=[mine.reference], assignee=caseworker
        )
    with pytest.raises(NotFoundError):
        services.cases_bulk_move(
            actor=outsider,
            organization=org,
            references=[mine.reference],
            to_stage="eligibility_review",
            reason="",
        )
    assigned = services.cases_bulk_assign(
        actor=supervisor,
        organization=org,
        references=[mine.reference, theirs.reference],
        assignee=caseworker,
    )
    assert [c.reference for c in assigned] == [mine.reference]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.assigned_to == caseworker and theirs.assigned_to is None
    with pytest.raises(InvalidInputError):
        services.cases_bulk_assign(
            actor=supervisor, organization=org, references=[mine.reference], assignee=outsider
        )


@pytest.mark.django_db
def test_where_time_goes_sums_the_open_cases_of_the_supervised_organisation_only(
    org: Any, other_org: Any, caseworker: Any, supervisor: Any, outsider: Any
) -> None:
    waiting = submitted_case(org, caseworker, "Waiting")  # with the government from day 0
    move(waiting, caseworker, "com_approved", on=300)  # 300 government days, then applicant
    open_siv_case(org, caseworker, "Intake")
    closed = open_siv_case(org, caseworker, "Closed")
    move(closed, supervisor, "closed", reason="Duplicate")
    open_siv_case(other_org, outsider, "Elsewhere")
    summary = selectors.time_summary_for(user=supervisor, organization_id=org.pk, today=days(310))
    assert summary.cases == 2
    assert summary.days_by_owner[Owner.GOVERNMENT] == 300
    assert summary.days_by_owner[Owner.APPLICANT] == 10
    assert summary.days_by_owner[Owner.PROGRAM] == 310
    assert summary.statutory_cases == 1 and summary.over_target == 1
    with pytest.raises(NotFoundError):
        selectors.time_summary_for(user=caseworker, organization_id=org.pk)
