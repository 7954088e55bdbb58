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
from safepassage.engine.dates import PartialDate
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


def _work(case: Any) -> WorkItem:
    return WorkItem.objects.get(case=case, closed_at__isnull=True)


def _open_requests(case: Any) -> list[str]:
    return sorted(
        DocumentRequest.objects.filter(case=case, fulfilled_at__isnull=True).values_list(
            "kind", flat=True
        )
    )


@pytest.mark.django_db
def test_missing_items_become_one_task_and_document_requests_once(org: Any) -> None:
    case = siv_case(org, service_days=400, documents=("tazkira",), com_submitted_on=COM_2022)

    services.case_assess(case_id=case.pk)
    services.case_assess(case_id=case.pk)

    stored = CaseAssessment.objects.get(case=case)
    work = _work(case)
    [task] = Task.objects.filter(case=case)
    assert work.kind == "case" and work.task_id == task.pk and not task.done
    assert "document:hr_letter:0" in work.items and set(work.items) <= set(stored.missing)
    # An SIV case gets work for the SIV only, not for the P-2 referral it lacks.
    assert "condition:referral" in stored.missing and "condition:referral" not in work.items
    # The caseworker's task lists every missing item, in the engine's words.
    assert task.title.startswith("Eligibility: still needed: ")
    assert "HR employment letter for employment 1" in task.title
    assert task.title.count(";") == len(work.items) - 1
    assert _open_requests(case) == ["hr_letter", "recommendation", "threat_evidence"]
    assert sorted(work.requests) == ["hr_letter", "recommendation", "threat_evidence"]
    assert set(work.requests.values()) == {
        str(pk) for pk in DocumentRequest.objects.filter(case=case).values_list("pk", flat=True)
    }


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_work_is_updated_when_the_document_arrives(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = siv_case(org, service_days=400, documents=("tazkira",), com_submitted_on=COM_2022)
    services.case_assess(case_id=case.pk)
    task = _work(case).task
    assert task is not None and "HR employment letter" in task.title

    with django_capture_on_commit_callbacks(execute=True):
        case_services.document_attach(
            actor=None, case=case, kind="hr_letter", content=sample_pdf(), original_name="hr.pdf"
        )
    run_queued_tasks()

    # The same task, still open for what is still missing, no longer lists the HR letter.
    work = _work(case)
    task.refresh_from_db()
    assert work.task_id == task.pk and not task.done
    assert "HR employment letter" not in task.title and "recommendation" in task.title
    assert "document:hr_letter:0" not in work.items and "hr_letter" not in work.requests
    assert Task.objects.filter(case=case).count() == 1
    assert _open_requests(case) == ["recommendation", "threat_evidence"]
    assert "document:hr_letter:0" not in CaseAssessment.objects.get(case=case).missing
    assert AuditEvent.objects.filter(action="eligibility.assess_batch").count() >= 2


@pytest.mark.django_db
def test_work_is_closed_when_nothing_is_missing(org: Any) -> None:
    case = siv_case(org, service_days=400, documents=("tazkira",), com_submitted_on=COM_2022)
    services.case_assess(case_id=case.pk)
    task = _work(case).task
    assert task is not None

    for kind in ("hr_letter", "recommendation", "threat_evidence"):
        case_services.document_attach(
            actor=None, case=case, kind=kind, content=sample_pdf(kind), original_name="a.pdf"
        )
    services.case_assess(case_id=case.pk)

    assert CaseAssessment.objects.get(case=case).siv_outcome == "eligible"
    task.refresh_from_db()
    assert task.done and task.done_at is not None
    assert not WorkItem.objects.filter(case=case, closed_at__isnull=True).exists()
    assert _open_requests(case) == []
    assert Task.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_a_task_the_caseworker_finished_comes_back_only_for_something_new(
    org: Any, caseworker: Any
) -> None:
    case = siv_case(org, service_days=400, documents=("tazkira",), com_submitted_on=COM_2022)
    services.case_assess(case_id=case.pk)
    first = _work(case).task
    assert first is not None
    case_services.task_set_done(actor=caseworker, task=first)

    services.case_assess(case_id=case.pk)
    assert Task.objects.filter(case=case, done=False).count() == 0  # nothing new

    principal = case.people.get()
    case_services.employment_add(
        actor=None,
        case=case,
        person=principal,
        data={
            "employer_name": "Embassy",
            "employer_kind": "us_government_agency",
            "start_date": PartialDate(2019, 1, 1),
            "end_date": PartialDate(2019, 12, 31),
        },
    )
    services.case_assess(case_id=case.pk)

    work = _work(case)
    [second] = Task.objects.filter(case=case, done=False)
    assert work.task_id == second.pk != first.pk
    assert "document:hr_letter:1" in work.items and "employment 2" in second.title
    first.refresh_from_db()
    assert first.done  # the caseworker's record stays as they left it


@pytest.mark.django_db
def test_work_from_one_row_per_item_is_replaced_by_one_task_keeping_the_requests(
    org: Any,
) -> None:
    # Rows as the first version of this app wrote them: a task per item, a request per kind.
    case = siv_case(org, service_days=400, documents=("tazkira",), com_submitted_on=COM_2022)
    now = timezone.now()
    old_task = Task.objects.create(case=case, title="Eligibility: Still needed: a referral")
    kept = DocumentRequest.objects.create(case=case, kind="hr_letter")
    dropped = DocumentRequest.objects.create(case=case, kind="passport")
    WorkItem.objects.bulk_create(
        [
            WorkItem(
                case=case, kind="task", key="condition:referral", task=old_task, opened_at=now
            ),
            WorkItem(case=case, kind="request", key="hr_letter", request=kept, opened_at=now),
            WorkItem(case=case, kind="request", key="passport", request=dropped, opened_at=now),
        ]
    )

    services.case_assess(case_id=case.pk)

    assert set(WorkItem.objects.filter(closed_at__isnull=True).values_list("kind", flat=True)) == {
        "case"
    }
    work = _work(case)
    assert work.requests["hr_letter"] == str(kept.pk)  # the applicant keeps the same request
    old_task.refresh_from_db()
    dropped.refresh_from_db()
    assert old_task.done and dropped.fulfilled_at is not None
    assert _open_requests(case) == ["hr_letter", "recommendation", "threat_evidence"]
    assert Task.objects.filter(case=case, done=False).count() == 1


def test_a_long_list_of_missing_items_is_cut_to_the_title_limit_with_a_count() -> None:
    from safepassage.eligibility.assessments import task_title
    from safepassage.engine import eligibility as engine

    items = [engine.MissingItem("fact", "marital_status", member=m) for m in range(12)]

    title = task_title(items)

    assert len(title) <= 300
    assert "the marital status of family member 1" in title
    shown = title.count("the marital status of family member")
    assert 1 <= shown < 12
    assert title.endswith(f"and {12 - shown} more, listed on the case page")
    assert task_title(items[:2]) == (  # members are counted from 1 for people
        "Eligibility: still needed: the marital status of family member 1; "
        "the marital status of family member 2"
    )


@pytest.mark.django_db
def test_a_batch_of_cases_takes_the_same_queries_however_many_cases(
    org: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safepassage.eligibility.assessments import reassess
    from safepassage.eligibility.rulebook import published_rules

    def queries_to_assess() -> int:
        CaseAssessment.objects.all().delete()
        WorkItem.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            reassess(rules=published_rules(), today=timezone.localdate(), processes=1)
        return len(captured)

    for _ in range(2):
        siv_case(org, service_days=400, documents=("tazkira",), com_submitted_on=COM_2022)
    published_rules()
    few = queries_to_assess()
    for _ in range(4):
        siv_case(org, service_days=400, documents=("tazkira",), com_submitted_on=COM_2022)

    assert queries_to_assess() == few


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
