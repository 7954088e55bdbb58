"""Export requests, approval by a second person, download limits, sharing agreements and the
audit trail, through the services."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from exports_support import RECIPIENT, download, open_xlsx

from safepassage.cases import services as case_services
from safepassage.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from safepassage.exports import services
from safepassage.exports.canary import canary_loads
from safepassage.exports.errors import (
    AgreementRequiredError,
    ApproverRoleError,
    DownloadNotAvailableError,
    ExportExpiredError,
    ExportPasswordError,
    ExportScopeChangedError,
    FieldNotAllowedError,
    ReauthenticationRequiredError,
    SelfApprovalError,
)
from safepassage.exports.models import ExportRequest, ExportStatus
from safepassage.exports.selectors import export_find_by_canary_phone
from safepassage.protection.models import AuditEvent


def _agreement(org: Any, partner: Any, supervisor: Any, **overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "actor": supervisor,
        "organization": org,
        "recipient_organization": partner,
        "purpose": "Resettlement placement",
        "legal_basis": "vital_interests",
        "allowed_fields": ["reference", "stage", "given_name_latin"],
        "expires_at": timezone.now() + dt.timedelta(days=90),
        "recent_auth": True,
        **overrides,
    }
    return services.agreement_record(**arguments)


@pytest.mark.django_db
def test_twenty_six_people_wait_for_a_second_person_and_cannot_be_downloaded(
    org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 26)

    export = request_export(caseworker, org)

    assert export.row_count == 26
    assert export.approval_required
    assert export.status == ExportStatus.PENDING
    with pytest.raises(DownloadNotAvailableError):
        services.export_password_issue(actor=caseworker, export=export, recent_auth=True)


@pytest.mark.django_db
def test_twenty_five_people_are_ready_without_approval_but_need_recent_authentication(
    org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 25)

    with pytest.raises(ReauthenticationRequiredError):
        request_export(caseworker, org, recent_auth=False)
    export = request_export(caseworker, org)

    assert not export.approval_required
    assert export.status == ExportStatus.APPROVED
    with pytest.raises(ReauthenticationRequiredError):
        services.export_password_issue(actor=caseworker, export=export, recent_auth=False)
    content, _password = download(caseworker, export)
    assert content


@pytest.mark.django_db
def test_the_threshold_counts_people_not_households(
    org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    cases = open_cases(caseworker, org, 13)
    for case in cases:
        case_services.person_add(
            actor=caseworker,
            case=case,
            data={"relationship": "child", "given_name_latin": "Zainab", "sex": "female"},
        )

    households = request_export(caseworker, org)
    principals = request_export(caseworker, org, scope=services.ExportScope(people="principals"))

    assert (households.case_count, households.row_count) == (13, 26)
    assert households.approval_required
    assert principals.row_count == 13
    assert not principals.approval_required


@pytest.mark.django_db
def test_the_threshold_is_a_setting(
    settings: Any, org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    settings.EXPORT_FOUR_EYES_MIN_ROWS = 2
    open_cases(caseworker, org, 3)

    assert request_export(caseworker, org).approval_required


@pytest.mark.django_db
def test_the_requester_cannot_approve_their_own_request(
    org: Any, supervisor: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(supervisor, org, 26)
    export = request_export(supervisor, org)

    with pytest.raises(SelfApprovalError):
        services.export_approve(actor=supervisor, export=export, recent_auth=True)
    with pytest.raises(SelfApprovalError):
        services.export_reject(actor=supervisor, export=export, reason="no")

    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING


@pytest.mark.django_db
def test_a_second_supervising_person_approves_after_recent_authentication(
    org: Any, supervisor: Any, admin_member: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(supervisor, org, 26)
    export = request_export(supervisor, org)

    with pytest.raises(ReauthenticationRequiredError):
        services.export_approve(actor=admin_member, export=export, recent_auth=False)
    approved = services.export_approve(actor=admin_member, export=export, recent_auth=True)

    assert approved.status == ExportStatus.APPROVED
    assert approved.approved_by == admin_member
    assert approved.download_expires_at is not None
    assert approved.download_expires_at > timezone.now()


@pytest.mark.django_db
def test_a_caseworker_or_another_organisation_cannot_approve(
    org: Any,
    caseworker: Any,
    second_caseworker: Any,
    outsider: Any,
    open_cases: Any,
    request_export: Any,
) -> None:
    open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)

    for person in (second_caseworker, outsider):
        with pytest.raises(ApproverRoleError):
            services.export_approve(actor=person, export=export, recent_auth=True)


@pytest.mark.django_db
def test_after_approval_the_download_works_once(
    org: Any, caseworker: Any, supervisor: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)
    services.export_approve(actor=supervisor, export=export, recent_auth=True)

    content, _password = download(caseworker, export)

    export.refresh_from_db()
    assert content
    assert export.download_count == 1
    assert export.status == ExportStatus.COMPLETED
    assert export.password_digest == ""
    with pytest.raises(DownloadNotAvailableError):
        download(caseworker, export)


@pytest.mark.django_db
def test_only_the_requester_downloads_and_only_with_the_password_issued(
    org: Any, caseworker: Any, supervisor: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 3)
    export = request_export(caseworker, org)

    with pytest.raises(ExportPasswordError):
        services.export_download(
            actor=caseworker, export=export, password="chosen-by-me", recent_auth=True
        )
    password = services.export_password_issue(actor=caseworker, export=export, recent_auth=True)
    with pytest.raises(ExportPasswordError):
        services.export_download(
            actor=caseworker, export=export, password=password + "x", recent_auth=True
        )
    with pytest.raises(PermissionDeniedError):
        services.export_download(
            actor=supervisor, export=export, password=password, recent_auth=True
        )
    export.refresh_from_db()
    assert export.download_count == 0
    assert export.password_digest and password not in export.password_digest


@pytest.mark.django_db
def test_an_expired_request_cannot_be_approved(
    org: Any, caseworker: Any, supervisor: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)
    # Time passes: the request's 48 hours are over.
    ExportRequest.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    with pytest.raises(ExportExpiredError):
        services.export_approve(actor=supervisor, export=export, recent_auth=True)
    export.refresh_from_db()
    assert export.state == "expired"


@pytest.mark.django_db
def test_an_approval_expires_with_its_download_window(
    org: Any, caseworker: Any, supervisor: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)
    services.export_approve(actor=supervisor, export=export, recent_auth=True)
    ExportRequest.objects.filter(pk=export.pk).update(
        download_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    with pytest.raises(DownloadNotAvailableError):
        download(caseworker, export)


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_ends_the_request(
    org: Any, caseworker: Any, supervisor: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)

    with pytest.raises(InvalidInputError):
        services.export_reject(actor=supervisor, export=export, reason="  ")
    rejected = services.export_reject(actor=supervisor, export=export, reason="Too many columns")

    assert rejected.status == ExportStatus.REJECTED
    assert rejected.rejection_reason == "Too many columns"
    with pytest.raises(DownloadNotAvailableError):
        services.export_password_issue(actor=caseworker, export=export, recent_auth=True)


@pytest.mark.django_db
def test_identity_numbers_only_when_explicitly_confirmed(
    org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 2)

    with pytest.raises(InvalidInputError) as refused:
        request_export(caseworker, org, fields=["reference", "passport_number"])
    assert refused.value.field == "identity_numbers_confirmed"
    export = request_export(
        caseworker, org, fields=["reference", "passport_number"], identity_numbers_confirmed=True
    )
    assert export.fields == ["reference", "passport_number"]


@pytest.mark.django_db
def test_only_columns_of_the_allow_list(
    org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 2)

    with pytest.raises(InvalidInputError):
        request_export(caseworker, org, fields=["reference", "email"])
    with pytest.raises(InvalidInputError):
        request_export(caseworker, org, fields=[])


@pytest.mark.django_db
def test_the_scope_by_reference_must_name_cases_open_to_the_requester(
    org: Any,
    other_org: Any,
    caseworker: Any,
    outsider: Any,
    open_cases: Any,
    request_export: Any,
) -> None:
    mine = open_cases(caseworker, org, 3)
    theirs = open_cases(outsider, other_org, 1)

    export = request_export(
        caseworker,
        org,
        scope=services.ExportScope(references=(mine[0].reference, mine[1].reference.lower())),
    )
    assert export.row_count == 2
    assert set(export.cases.values_list("pk", flat=True)) == {mine[0].pk, mine[1].pk}
    with pytest.raises(InvalidInputError) as refused:
        request_export(
            caseworker, org, scope=services.ExportScope(references=(theirs[0].reference,))
        )
    assert refused.value.field == "references"


@pytest.mark.django_db
def test_a_stranger_cannot_request_an_export_of_an_organisation(
    org: Any,
    caseworker: Any,
    outsider: Any,
    logistics_officer: Any,
    open_cases: Any,
    request_export: Any,
) -> None:
    open_cases(caseworker, org, 2)

    for person in (outsider, logistics_officer):
        with pytest.raises(NotFoundError):
            request_export(person, org)


@pytest.mark.django_db
def test_a_partner_export_needs_an_active_agreement(
    org: Any, other_org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 2)

    with pytest.raises(AgreementRequiredError):
        request_export(caseworker, org, recipient_organization=other_org)


@pytest.mark.django_db
def test_a_partner_export_is_limited_to_the_agreement_columns(
    org: Any,
    other_org: Any,
    caseworker: Any,
    supervisor: Any,
    open_cases: Any,
    request_export: Any,
) -> None:
    open_cases(caseworker, org, 2)
    agreement = _agreement(org, other_org, supervisor)

    with pytest.raises(FieldNotAllowedError):
        request_export(
            caseworker, org, agreement=agreement, fields=["reference", "phone"], legal_basis=""
        )
    export = request_export(
        caseworker, org, agreement=agreement, fields=["reference", "stage"], legal_basis=""
    )

    assert export.recipient_organization == other_org
    assert export.legal_basis == agreement.legal_basis
    workbook_bytes, password = download(caseworker, export)
    workbook, _package = open_xlsx(workbook_bytes, password)
    header = [cell.value for cell in workbook.active[2]]
    assert header == ["Case reference", "Stage"]


@pytest.mark.django_db
def test_a_revoked_or_expired_agreement_allows_no_more_exports(
    org: Any,
    other_org: Any,
    caseworker: Any,
    supervisor: Any,
    open_cases: Any,
    request_export: Any,
) -> None:
    open_cases(caseworker, org, 2)
    agreement = _agreement(org, other_org, supervisor)
    export = request_export(caseworker, org, agreement=agreement, fields=["reference"])

    services.agreement_revoke(actor=supervisor, agreement=agreement)

    with pytest.raises(AgreementRequiredError):
        request_export(caseworker, org, agreement=agreement, fields=["reference"])
    with pytest.raises(AgreementRequiredError):
        download(caseworker, export)


@pytest.mark.django_db
def test_only_a_supervising_person_records_an_agreement(
    org: Any, other_org: Any, caseworker: Any, supervisor: Any
) -> None:
    with pytest.raises(ApproverRoleError):
        _agreement(org, other_org, caseworker)
    with pytest.raises(ReauthenticationRequiredError):
        _agreement(org, other_org, supervisor, recent_auth=False)
    with pytest.raises(InvalidInputError):
        _agreement(org, other_org, supervisor, allowed_fields=["email"])
    agreement = _agreement(org, other_org, supervisor)
    assert agreement.approved_by == supervisor
    assert agreement.is_active()


@pytest.mark.django_db
def test_a_download_with_more_people_than_approved_is_refused(
    org: Any, caseworker: Any, supervisor: Any, open_cases: Any, request_export: Any
) -> None:
    cases = open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)
    services.export_approve(actor=supervisor, export=export, recent_auth=True)
    case_services.person_add(
        actor=caseworker,
        case=cases[0],
        data={"relationship": "spouse", "given_name_latin": "Maryam", "sex": "female"},
    )

    with pytest.raises(ExportScopeChangedError):
        download(caseworker, export)


@pytest.mark.django_db
def test_request_approval_and_download_are_audited_without_personal_data(
    org: Any, caseworker: Any, supervisor: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)
    services.export_approve(actor=supervisor, export=export, recent_auth=True)
    download(caseworker, export)

    events = {e.action: e for e in AuditEvent.objects.filter(object_type="exportrequest")}
    assert {"export.request", "export.approve", "export.download"} <= set(events)
    downloaded = events["export.download"]
    assert downloaded.object_id == str(export.pk)
    assert downloaded.actor_id == caseworker.pk
    assert downloaded.details["rows"] == 26
    assert downloaded.details["recipient_organization_id"] == org.pk
    assert events["export.approve"].actor_id == supervisor.pk
    everything = json.dumps([e.details for e in AuditEvent.objects.all()])
    canary = canary_loads(export.canary)
    for secret in (RECIPIENT, "Flight manifest", canary["phone"], canary["given_name_latin"]):
        assert secret not in everything


@pytest.mark.django_db
def test_rejection_is_audited_without_its_reason(
    org: Any, caseworker: Any, supervisor: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)

    services.export_reject(actor=supervisor, export=export, reason="Recipient unknown to us")

    event = AuditEvent.objects.get(action="export.reject")
    assert event.actor_id == supervisor.pk
    assert "Recipient unknown" not in json.dumps(event.details)


@pytest.mark.django_db
def test_a_leaked_canary_phone_finds_its_export(
    org: Any,
    caseworker: Any,
    supervisor: Any,
    outsider: Any,
    open_cases: Any,
    request_export: Any,
) -> None:
    open_cases(caseworker, org, 2)
    export = request_export(caseworker, org)
    phone = canary_loads(export.canary)["phone"]

    assert export_find_by_canary_phone(user=supervisor, phone="'" + phone) == export
    assert export_find_by_canary_phone(user=outsider, phone=phone) is None


@pytest.mark.django_db
def test_the_recipient_purpose_and_canary_are_not_in_clear_in_the_database(
    org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 2)
    export = request_export(caseworker, org)
    password = services.export_password_issue(actor=caseworker, export=export, recent_auth=True)
    canary = canary_loads(export.canary)

    with connection.cursor() as cursor:
        table = connection.ops.quote_name(ExportRequest._meta.db_table)
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a fixed table name
        stored = " ".join(
            bytes(value).decode("utf-8", "ignore")
            if isinstance(value, bytes | memoryview)
            else str(value)
            for row in cursor.fetchall()
            for value in row
        )

    for secret in (RECIPIENT, "Flight manifest", password, canary["phone"], canary["reference"]):
        assert secret not in stored
