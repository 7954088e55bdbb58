"""Stored assessments: written by the engine's run on a case, kept current when the case's
facts change, and what is missing turned into tasks and document requests once each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from eligibility_support import run_queued_tasks, siv_case
from tests.conftest import sample_pdf

from safepassage.cases import services as case_services
from safepassage.cases.eligibility import com_application_date
from safepassage.cases.models import StageEvent, Task
from safepassage.eligibility import services
from safepassage.eligibility.models import CaseAssessment, Referral, WorkItem
from safepassage.intake.models import DocumentRequest
from safepassage.protection.models import AuditEvent

# Under the 2021 law (one year), a COM application in January 2022.
COM_2022 = dt.date(2022, 1, 10)


@pytest.mark.django_db
def test_an_assessment_stores_outcomes_rules_and_missing_items(org: Any) -> None:
    case = siv_case(org, service_days=400, documents=("tazkira",), com_submitted_on=COM_2022)

    stored = services.case_assess(case_id=case.pk)

    assert stored is not None
    assert stored.siv_outcome == "undetermined"  # the threat is not on file
    assert stored.revisions == "siv:1 p2:1 p1:1"
    assert len(stored.rules_digest) == 64
    assert "fact:threat_reported" in stored.missing
    assert "document:hr_letter:0" in stored.missing
    assert stored.assessed_on == timezone.localdate()
    assert CaseAssessment.objects.filter(siv_outcome="undetermined").count() == 1


@pytest.mark.django_db
def test_missing_items_become_tasks_and_document_requests_once(org: Any) -> None:
    case = siv_case(org, service_days=400, documents=("tazkira",), com_submitted_on=COM_2022)

    services.case_assess(case_id=case.pk)
    services.case_assess(case_id=case.pk)

    stored = CaseAssessment.objects.get(case=case)
    tasks = list(Task.objects.filter(case=case))
    task_keys = set(WorkItem.objects.filter(case=case, kind="task").values_list("key", flat=True))
    assert len(tasks) == len(task_keys) and task_keys <= set(stored.missing)
    assert "document:hr_letter:0" in task_keys
    # An SIV case gets work for the SIV only, not for the P-2 referral it lacks.
    assert "condition:referral" in stored.missing and "condition:referral" not in task_keys
    titles = {task.title for task in tasks}
    assert any("HR" in title or "employment verification" in title for title in titles)
    assert all(title.startswith("Eligibility: ") for title in titles)
    requested = sorted(
        DocumentRequest.objects.filter(case=case, fulfilled_at__isnull=True).values_list(
            "kind", flat=True
        )
    )
    assert requested == ["hr_letter", "recommendation", "threat_evidence"]
    assert WorkItem.objects.filter(case=case, closed_at__isnull=True).count() == len(tasks) + 3


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_work_is_closed_when_the_document_arrives(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = siv_case(org, service_days=400, documents=("tazkira",), com_submitted_on=COM_2022)
    services.case_assess(case_id=case.pk)
    hr_task = WorkItem.objects.get(case=case, kind="task", key="document:hr_letter:0").task
    assert hr_task is not None and not hr_task.done

    with django_capture_on_commit_callbacks(execute=True):
        case_services.document_attach(
            actor=None, case=case, kind="hr_letter", content=sample_pdf(), original_name="hr.pdf"
        )
    run_queued_tasks()

    hr_task.refresh_from_db()
    assert hr_task.done and hr_task.done_at is not None
    assert not DocumentRequest.objects.filter(
        case=case, kind="hr_letter", fulfilled_at__isnull=True
    ).exists()
    assert DocumentRequest.objects.filter(
        case=case, kind="recommendation", fulfilled_at__isnull=True
    ).exists()
    assert "document:hr_letter:0" not in CaseAssessment.objects.get(case=case).missing
    assert AuditEvent.objects.filter(action="eligibility.assess_batch").count() >= 2


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_change_to_the_facts_queues_a_reassessment_on_commit(
    org: Any, caseworker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = siv_case(org, service_days=200, com_submitted_on=COM_2022)
    services.case_assess(case_id=case.pk)
    assert CaseAssessment.objects.get(case=case).siv_outcome == "not_eligible"
    job = case.employment.get()

    with django_capture_on_commit_callbacks(execute=True):
        case_services.employment_update(
            actor=caseworker,
            employment=job,
            data={"end_date": job.start_date.__class__(2017, 6, 30)},
        )
    assert CaseAssessment.objects.get(case=case).siv_outcome == "not_eligible"  # not yet
    run_queued_tasks()

    assert CaseAssessment.objects.get(case=case).siv_outcome == "eligible"


@pytest.mark.django_db
def test_the_com_application_date_is_the_first_move_to_com_submitted(org: Any) -> None:
    case = siv_case(org, service_days=400, com_submitted_on=dt.date(2018, 6, 1))
    StageEvent.objects.create(
        case=case, from_stage="com_denied", to_stage="com_submitted", reason="again",
        effective_on=dt.date(2022, 2, 2),
    )  # fmt: skip
    events = list(case.stage_events.all())

    assert com_application_date(events) == dt.date(2018, 6, 1)
    undated = StageEvent.objects.create(case=case, to_stage="com_submitted", reason="")
    assert com_application_date([undated]) == undated.at.date()


@pytest.mark.django_db
def test_a_p2_referral_is_read_by_the_engine(org: Any, caseworker: Any) -> None:
    case = siv_case(org, service_days=200, com_submitted_on=COM_2022)
    services.case_assess(case_id=case.pk)
    before = CaseAssessment.objects.get(case=case)
    assert "condition:referral" in before.missing

    services.referral_add(
        actor=caseworker,
        case=case,
        program="p2",
        category="us_government_work",
        referrer_kind="us_military",
        referred_on=dt.date(2022, 3, 1),
    )
    services.case_assess(case_id=case.pk)

    after = CaseAssessment.objects.get(case=case)
    assert "condition:referral" not in after.missing
    assert Referral.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(action="eligibility.referral_add").exists()


@pytest.mark.django_db
def test_a_caseworker_of_another_organisation_cannot_add_a_referral(
    org: Any, outsider: Any
) -> None:
    from safepassage.core.errors import NotFoundError

    case = siv_case(org, service_days=200)
    with pytest.raises(NotFoundError):
        services.referral_add(actor=outsider, case=case, program="p2", referrer_kind="us_military")


@pytest.mark.django_db
def test_a_run_records_its_progress_batch_by_batch(org: Any) -> None:
    from safepassage.eligibility.assessments import reassess
    from safepassage.eligibility.models import RuleChangeRun
    from safepassage.eligibility.rulebook import published_rules

    for days in (200, 400, 800):
        siv_case(org, service_days=days)
    run = RuleChangeRun.objects.create(kind="reassess", total=3, status="running")
    seen: list[int] = []

    counts = reassess(
        rules=published_rules(),
        today=timezone.localdate(),
        run_id=run.pk,
        batch_size=1,
        on_batch=lambda _n: seen.append(RuleChangeRun.objects.get(pk=run.pk).processed),
    )

    assert seen == [1, 2, 3]
    assert counts.cases == 3
    assert CaseAssessment.objects.count() == 3
