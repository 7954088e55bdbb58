"""The one stage-change path: roles, transitions, guards, history and audit."""

from __future__ import annotations

from typing import Any

import pytest
from pipeline_builders import (
    TODAY,
    attach,
    days,
    move,
    open_siv_case,
    ready_for_com,
    submitted_case,
)

from safepassage.cases import services as case_services
from safepassage.cases.models import StageEvent
from safepassage.cases.stages import STAGES_BY_PROGRAM
from safepassage.core.errors import InvalidInputError, NotFoundError
from safepassage.engine.pipeline import PIPELINES
from safepassage.pipeline import services
from safepassage.pipeline.errors import StageMoveRefusedError
from safepassage.pipeline.models import MissingDocumentExplanation
from safepassage.protection.models import AuditEvent


def refused_codes(raised: pytest.ExceptionInfo[StageMoveRefusedError]) -> set[str]:
    return set(raised.value.codes)


def test_the_engine_knows_exactly_the_stages_of_each_program() -> None:
    for program, stages in STAGES_BY_PROGRAM.items():
        assert set(PIPELINES[program].stage_names) == {s.value for s in stages}, program


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["hr_letter", "recommendation", "tazkira", "ds157"])
def test_com_submission_is_refused_without_each_document(
    org: Any, caseworker: Any, missing: str
) -> None:
    case = open_siv_case(org, caseworker)
    ready_for_com(case, caseworker, leave_out=missing)
    move(case, caseworker, "com_preparation")
    with pytest.raises(StageMoveRefusedError) as raised:
        move(case, caseworker, "com_submitted")
    item = "identity" if missing == "tazkira" else missing
    assert [(f.code.value, f.params["document"]) for f in raised.value.failures] == [
        ("com_document_missing", item)
    ]
    case.refresh_from_db()
    assert case.stage == "com_preparation"
    assert not StageEvent.objects.filter(case=case, to_stage="com_submitted").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["hr_letter", "recommendation", "tazkira"])
def test_com_submission_is_allowed_with_a_written_explanation_instead(
    org: Any, caseworker: Any, missing: str
) -> None:
    case = open_siv_case(org, caseworker)
    ready_for_com(case, caseworker, leave_out=missing)
    document = "identity" if missing == "tazkira" else missing
    services.explanation_record(
        actor=caseworker, case=case, document=document, text="The employer's office closed."
    )
    move(case, caseworker, "com_preparation")
    event = move(case, caseworker, "com_submitted")
    assert event.to_stage == "com_submitted" and event.effective_on == TODAY


@pytest.mark.django_db
def test_a_passport_is_as_good_as_a_tazkira(org: Any, caseworker: Any) -> None:
    case = open_siv_case(org, caseworker)
    ready_for_com(case, caseworker, leave_out="tazkira")
    attach(case, caseworker, "passport")
    move(case, caseworker, "com_preparation")
    assert move(case, caseworker, "com_submitted").to_stage == "com_submitted"


@pytest.mark.django_db
def test_an_explanation_is_stored_encrypted_and_audited_without_its_text(
    org: Any, caseworker: Any
) -> None:
    from django.db import connection

    case = open_siv_case(org, caseworker)
    services.explanation_record(
        actor=caseworker, case=case, document="hr_letter", text="Kandahar office burned"
    )
    stored = MissingDocumentExplanation.objects.get(case=case)
    assert stored.text == "Kandahar office burned"
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM pipeline_missingdocumentexplanation")
        raw = cursor.fetchone()[0]
    assert "Kandahar" not in str(raw)
    audit = AuditEvent.objects.get(action="pipeline.explanation")
    assert "Kandahar" not in str(audit.details) and audit.details["document"] == "hr_letter"
    with pytest.raises(InvalidInputError):
        services.explanation_record(actor=caseworker, case=case, document="hr_letter", text=" ")
    with pytest.raises(InvalidInputError):
        services.explanation_record(actor=caseworker, case=case, document="badge", text="x")


@pytest.mark.django_db
@pytest.mark.parametrize(("appeal_day", "allowed"), [(120, True), (121, False)])
def test_an_appeal_is_accepted_120_days_after_the_denial_letter_but_not_121(
    org: Any, caseworker: Any, appeal_day: int, allowed: bool
) -> None:
    case = submitted_case(org, caseworker)
    move(case, caseworker, "com_denied", on=10)  # the date on the denial letter
    if allowed:
        assert move(case, caseworker, "appeal", on=10 + appeal_day).to_stage == "appeal"
        return
    with pytest.raises(StageMoveRefusedError) as raised:
        move(case, caseworker, "appeal", on=10 + appeal_day)
    (failure,) = raised.value.failures
    assert failure.code.value == "appeal_late"
    assert failure.params == {"days_since_denial": 121, "limit_days": 120}
    # The other way on: a new COM application.
    assert move(case, caseworker, "com_preparation", on=131).to_stage == "com_preparation"


@pytest.mark.django_db
def test_a_late_appeal_goes_through_only_on_a_supervisors_override_with_a_reason(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    case = submitted_case(org, caseworker)
    move(case, caseworker, "com_denied", on=1)
    with pytest.raises(StageMoveRefusedError) as raised:
        move(case, caseworker, "appeal", on=200, override=True, reason="NVC accepted it")
    assert refused_codes(raised) == {"override_not_allowed", "appeal_late"}
    with pytest.raises(StageMoveRefusedError) as raised:
        move(case, supervisor, "appeal", on=200, override=True)
    assert refused_codes(raised) == {"reason_required", "appeal_late"}
    event = move(case, supervisor, "appeal", on=200, override=True, reason="NVC accepted it")
    assert event.to_stage == "appeal"
    audit = AuditEvent.objects.filter(action="case.stage").order_by("-pk").first()
    assert audit is not None and audit.details["overridden"] == "appeal_late"


@pytest.mark.django_db
def test_a_caseworker_is_refused_a_supervisors_move(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    case = open_siv_case(org, caseworker)
    for stage in ("closed", "withdrawn"):
        with pytest.raises(StageMoveRefusedError) as raised:
            move(case, caseworker, stage, reason="The family reached Germany")
        assert refused_codes(raised) == {"role_not_allowed"}
    move(case, supervisor, "withdrawn", reason="The family reached Germany")
    with pytest.raises(StageMoveRefusedError) as raised:
        move(case, caseworker, "intake", reason="Back in touch")
    assert refused_codes(raised) == {"role_not_allowed"}
    assert move(case, supervisor, "intake", reason="Back in touch").to_stage == "intake"


@pytest.mark.django_db
def test_a_backward_move_without_a_reason_is_refused_and_with_one_is_marked_backward(
    org: Any, caseworker: Any
) -> None:
    case = submitted_case(org, caseworker)
    with pytest.raises(StageMoveRefusedError) as raised:
        move(case, caseworker, "com_preparation", reason="   ")
    assert refused_codes(raised) == {"reason_required"}
    event = move(case, caseworker, "com_preparation", reason="Recommendation letter unsigned")
    assert event.backward and event.reason == "Recommendation letter unsigned"
    audit = AuditEvent.objects.filter(action="case.stage").order_by("-pk").first()
    assert audit is not None and audit.details["backward"] is True
    assert "unsigned" not in str(audit.details)


@pytest.mark.django_db
def test_the_date_it_happened_is_kept_and_may_not_be_in_the_future(
    org: Any, caseworker: Any
) -> None:
    case = open_siv_case(org, caseworker)
    with pytest.raises(StageMoveRefusedError) as raised:
        services.stage_move(
            actor=caseworker,
            case=case,
            to_stage="eligibility_review",
            reason="",
            effective_on=days(1),
        )
    assert refused_codes(raised) == {"effective_date_in_future"}
    event = services.stage_move(
        actor=caseworker, case=case, to_stage="eligibility_review", reason=""
    )
    assert event.effective_on == TODAY and not event.backward


@pytest.mark.django_db
def test_petition_follows_com_approval_only_for_the_old_process(org: Any, caseworker: Any) -> None:
    case = submitted_case(org, caseworker)  # applied today: the DS-157 is also the petition
    move(case, caseworker, "com_approved", on=5)
    with pytest.raises(StageMoveRefusedError) as raised:
        move(case, caseworker, "petition", on=6)
    assert refused_codes(raised) == {"transition_not_allowed"}
    assert move(case, caseworker, "visa_application", on=6).to_stage == "visa_application"


@pytest.mark.django_db
def test_a_case_of_another_organisation_or_a_weaker_role_is_not_found(
    org: Any, caseworker: Any, outsider: Any, logistics_officer: Any
) -> None:
    case = open_siv_case(org, caseworker)
    for actor in (outsider, logistics_officer):
        with pytest.raises(NotFoundError):
            move(case, actor, "eligibility_review")
        with pytest.raises(NotFoundError):
            services.explanation_record(actor=actor, case=case, document="ds157", text="x")
    case.refresh_from_db()
    assert case.stage == "intake"


@pytest.mark.django_db
def test_the_cases_service_delegates_to_the_pipeline(org: Any, caseworker: Any) -> None:
    case = open_siv_case(org, caseworker)
    case_services.case_change_stage(
        actor=caseworker, case=case, to_stage="com_preparation", reason=""
    )
    with pytest.raises(StageMoveRefusedError):
        case_services.case_change_stage(
            actor=caseworker, case=case, to_stage="com_submitted", reason=""
        )
    audit = AuditEvent.objects.filter(action="case.stage").order_by("-pk").first()
    assert audit is not None and audit.details["kind"] == "forward"
