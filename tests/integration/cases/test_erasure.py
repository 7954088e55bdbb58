from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from tests.conftest import sample_jpeg

from safepassage.cases import erasure, services
from safepassage.cases.models import Case, ErasureRequest, Person, StageEvent
from safepassage.core.errors import PermissionDeniedError
from safepassage.protection import keys
from safepassage.protection.models import AuditEvent, DataKey, SecurityAlert


def open_case(org: Any, actor: Any, name: str = "Ahmad") -> Case:
    case = services.case_open(
        actor=actor,
        organization=org,
        channel="staff",
        program="siv",
        principal={"given_name_latin": name},
    )
    services.person_add(
        actor=actor, case=case, data={"relationship": "child", "given_name_latin": "Sana"}
    )
    services.document_attach(
        actor=actor, case=case, kind="photo", content=sample_jpeg(), original_name="p.jpg"
    )
    return case


@pytest.mark.django_db
def test_erasing_a_case_destroys_its_key_and_keeps_only_statistics(
    org: Any, caseworker: Any
) -> None:
    case = open_case(org, caseworker)
    kept = open_case(org, caseworker, "Kept")
    services.case_change_stage(
        actor=caseworker, case=case, to_stage="eligibility_review", reason="Letters checked"
    )
    erasure.case_erase(actor=caseworker, case=case, reason="test")
    case.refresh_from_db()
    assert case.erased_at is not None and case.household_size == 2
    assert case.program == "siv" and case.stage == "eligibility_review"
    assert not Person.objects.filter(case=case).exists()
    assert StageEvent.objects.filter(case=case).count() == 2  # stage statistics remain
    assert DataKey.objects.get(scope=case.pk).wrapped_key is None
    assert Person.objects.get(case=kept, relationship="principal").given_name_latin == "Kept"
    assert AuditEvent.objects.filter(action="case.erase", object_id=str(case.pk)).exists()
    with pytest.raises(keys.KeyDestroyedError):
        _ = StageEvent.objects.get(case=case, to_stage="eligibility_review").reason


@pytest.mark.django_db
def test_an_erasure_request_is_verified_approved_by_another_person_then_carried_out(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    case = open_case(org, caseworker)
    request = erasure.erasure_request_open(
        actor=caseworker, case=case, kind="erasure", details="Applicant asked by phone"
    )
    with pytest.raises(erasure.ErasureStateError):
        erasure.erasure_request_approve(actor=supervisor, request=request)
    erasure.erasure_request_verify(actor=caseworker, request=request, method="call_back")
    erasure.erasure_request_approve(actor=supervisor, request=request)
    erasure.erasure_request_execute(actor=supervisor, request=request)
    case.refresh_from_db()
    assert case.erased_at is not None
    # Its own details were sealed with the case's key: only the status is left to read.
    status = ErasureRequest.objects.values_list("status", flat=True).get(pk=request.pk)
    assert status == ErasureRequest.Status.EXECUTED
    actions = list(
        AuditEvent.objects.filter(object_id=str(request.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["erasure.request", "erasure.verify", "erasure.approve", "erasure.execute"]


@pytest.mark.django_db
def test_the_requester_cannot_approve_their_own_erasure(org: Any, supervisor: Any) -> None:
    case = open_case(org, supervisor)
    request = erasure.erasure_request_open(actor=supervisor, case=case, kind="erasure", details="x")
    erasure.erasure_request_verify(actor=supervisor, request=request, method="in_person")
    with pytest.raises(PermissionDeniedError):
        erasure.erasure_request_approve(actor=supervisor, request=request)


@pytest.mark.django_db
def test_retention_erases_closed_cases_past_their_period_only(
    org: Any, caseworker: Any, supervisor: Any, settings: Any
) -> None:
    settings.RETENTION_DAYS_BY_STAGE = {"closed": 30}
    old = open_case(org, caseworker, "Old")
    # Closing a case is a supervisor's move (see safepassage.engine.pipeline).
    services.case_change_stage(actor=supervisor, case=old, to_stage="closed", reason="done")
    Case.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=31))
    recent = open_case(org, caseworker, "Recent")
    services.case_change_stage(actor=supervisor, case=recent, to_stage="closed", reason="done")
    active = open_case(org, caseworker, "Active")
    Case.objects.filter(pk=active.pk).update(updated_at=timezone.now() - dt.timedelta(days=400))
    call_command("retention", "run")
    erased = set(Case.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {old.pk}


@pytest.mark.django_db
def test_a_failing_retention_run_alerts_the_organisation(
    org: Any, caseworker: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.RETENTION_DAYS_BY_STAGE = {"intake": 0}
    open_case(org, caseworker)

    def broken(**kwargs: Any) -> bool:
        raise OSError("key store offline")

    monkeypatch.setattr(keys, "destroy_scope", broken)
    erased, failed = erasure.retention_run(now=timezone.now() + dt.timedelta(days=1))
    assert (erased, failed) == (0, 1)
    assert SecurityAlert.objects.filter(kind="retention_failed", organization=org).exists()


@pytest.mark.django_db
def test_identity_verification_accepts_only_the_known_methods(org: Any, caseworker: Any) -> None:
    from safepassage.core.errors import InvalidInputError

    case = open_case(org, caseworker)
    request = erasure.erasure_request_open(
        actor=caseworker, case=case, kind="correction", details="Phone number changed"
    )
    with pytest.raises(InvalidInputError):
        erasure.erasure_request_verify(actor=caseworker, request=request, method="Ahmad said so")
    erasure.erasure_request_verify(actor=caseworker, request=request, method="call_back")
