"""Writes on exports and sharing agreements: each service is atomic, checks the actor, and
records its audit event (codes, ids and counts only) in the same transaction.

The web layer tells the services whether the acting user re-authenticated recently
(``recent_auth``); the services refuse without it, so no caller can skip the check.
"""

from __future__ import annotations

import bisect
import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from safepassage.cases.models import Case
from safepassage.cases.selectors import CaseFilters, case_list_for
from safepassage.cases.stages import Program, Stage
from safepassage.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from safepassage.core.models import Organization
from safepassage.core.selectors import case_organization_ids_for
from safepassage.engine.reference import normalize_reference
from safepassage.exports import workbook
from safepassage.exports.canary import (
    canary_dumps,
    canary_loads,
    canary_new,
    canary_row,
    phone_digest,
)
from safepassage.exports.columns import COLUMNS, IDENTITY_NUMBER_CODES, PersonRow, ordered
from safepassage.exports.errors import (
    AgreementRequiredError,
    ApproverRoleError,
    DownloadNotAvailableError,
    ExportExpiredError,
    ExportPasswordError,
    ExportScopeChangedError,
    ExportStateError,
    FieldNotAllowedError,
    NothingToExportError,
    ReauthenticationRequiredError,
    SelfApprovalError,
)
from safepassage.exports.models import (
    ExportFormat,
    ExportRequest,
    ExportStatus,
    LegalBasis,
    PeopleInScope,
    SharingAgreement,
)
from safepassage.exports.selectors import export_rows_for, scope_people, supervised_organization_ids
from safepassage.protection.audit import audit_record
from safepassage.protection.filecrypt import (
    age_encrypted,
    age_recipient_valid,
    new_file_password,
)

Actor = AbstractBaseUser | AnonymousUser

# Lower-case letters and digits a person can read out over a phone without confusion
# (no 0/o, 1/l/i): 30 of them give a password of about 148 bits.
MAX_AGREEMENT_DAYS = 2 * 366


@dataclass(frozen=True)
class ExportScope:
    """Which households and people a request asks for (filters combine; references, when
    given, name the households one by one)."""

    stage: str = ""
    program: str = ""
    references: tuple[str, ...] = ()
    people: str = PeopleInScope.HOUSEHOLDS


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes
    rows: int


# -- checks shared by the services ---------------------------------------------------------


def _stored_user(actor: Actor) -> User:
    """The acting person as a stored user: exports are always someone's act."""
    if not isinstance(actor, User) or not actor.is_authenticated:
        raise NotFoundError()
    return actor


def _require_recent_auth(recent_auth: bool) -> None:
    if not recent_auth:
        raise ReauthenticationRequiredError()


def _require_case_member(actor: Actor, organization_id: int) -> None:
    if organization_id not in case_organization_ids_for(user=actor):
        raise NotFoundError()


def _require_supervisor(actor: Actor, organization_id: int) -> None:
    if organization_id not in supervised_organization_ids(user=actor):
        raise ApproverRoleError()


def _locked(export: ExportRequest) -> ExportRequest:
    # Only the export's own row is locked (PostgreSQL refuses FOR UPDATE across the outer
    # join to an optional agreement); related rows are read as they are.
    return (
        ExportRequest.objects.select_for_update(of=("self",))
        .select_related("recipient_organization", "agreement")
        .get(pk=export.pk)
    )


def four_eyes_min_rows() -> int:
    """Exports of more people than this need a second person's approval."""
    return settings.EXPORT_FOUR_EYES_MIN_ROWS


def _agreement_still_active(export: ExportRequest) -> None:
    if export.agreement is not None and not export.agreement.is_active():
        raise AgreementRequiredError(
            _("The sharing agreement of this export has expired or was revoked.")
        )


# -- sharing agreements --------------------------------------------------------------------


def _clean_fields(fields: Sequence[str], *, argument: str = "fields") -> list[str]:
    """The chosen columns in the allow-list's order; unknown columns are refused."""
    chosen = ordered(list(fields))
    if not chosen:
        raise InvalidInputError(_("Choose at least one column."), field=argument)
    if set(fields) - set(chosen):
        raise InvalidInputError(_("Some of the chosen columns do not exist."), field=argument)
    return chosen


@transaction.atomic
def agreement_record(
    *,
    actor: Actor,
    organization: Organization,
    recipient_organization: Organization,
    purpose: str,
    legal_basis: str,
    allowed_fields: Sequence[str],
    expires_at: dt.datetime,
    document_reference: str = "",
    recent_auth: bool,
) -> SharingAgreement:
    """Record a sharing agreement with a partner, approved by ``actor`` (a supervisor or
    administrator of ``organization`` who re-authenticated recently)."""
    _require_case_member(actor, organization.pk)
    _require_supervisor(actor, organization.pk)
    _require_recent_auth(recent_auth)
    if recipient_organization.pk == organization.pk:
        raise InvalidInputError(
            _("An agreement is with another organisation."), field="recipient_organization"
        )
    if legal_basis not in LegalBasis.values:
        raise InvalidInputError(field="legal_basis")
    now = timezone.now()
    if not now < expires_at <= now + dt.timedelta(days=MAX_AGREEMENT_DAYS):
        raise InvalidInputError(
            _("An agreement ends in the future, at most two years from now."), field="expires_at"
        )
    if not purpose.strip():
        raise InvalidInputError(_("Say what the data is shared for."), field="purpose")
    agreement = SharingAgreement(
        organization=organization,
        recipient_organization=recipient_organization,
        purpose=purpose.strip(),
        legal_basis=legal_basis,
        allowed_fields=_clean_fields(allowed_fields, argument="allowed_fields"),
        document_reference=document_reference.strip(),
        starts_at=now,
        expires_at=expires_at,
        approved_by=_stored_user(actor),
    )
    agreement.full_clean()
    agreement.save()
    audit_record(
        actor=actor,
        action="sharing_agreement.record",
        target=agreement,
        organization_id=organization.pk,
        recipient_organization_id=recipient_organization.pk,
        legal_basis=legal_basis,
        fields=",".join(agreement.allowed_fields),
    )
    return agreement


@transaction.atomic
def agreement_revoke(*, actor: Actor, agreement: SharingAgreement) -> SharingAgreement:
    """End an agreement now; exports relying on it can no longer be approved or downloaded."""
    _require_supervisor(actor, agreement.organization_id)
    locked = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = _stored_user(actor)
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="sharing_agreement.revoke",
            target=locked,
            organization_id=locked.organization_id,
            recipient_organization_id=locked.recipient_organization_id,
        )
    return locked


# -- export requests -----------------------------------------------------------------------


def _scoped_cases(actor: Actor, organization: Organization, scope: ExportScope) -> list[Case]:
    if scope.stage and scope.stage not in Stage.values:
        raise InvalidInputError(field="stage")
    if scope.program and scope.program not in Program.values:
        raise InvalidInputError(field="program")
    cases = case_list_for(
        user=actor,
        filters=CaseFilters(stage=scope.stage, program=scope.program),
        organization_id=organization.pk,
    )
    # Only the organisation's own cases: never those it merely referred to another.
    cases = (
        cases.filter(organization_id=organization.pk)
        .select_related(None)
        .prefetch_related(None)
        .only("pk", "reference", "stage", "program")
    )
    if scope.references:
        wanted: dict[str, str] = {}
        unreadable = []
        for typed in scope.references:
            canonical = normalize_reference(typed)
            if canonical is None:
                unreadable.append(typed)
            else:
                wanted[canonical] = typed
        found = list(cases.filter(reference__in=list(wanted)))
        missing = unreadable + [
            t for c, t in wanted.items() if c not in {f.reference for f in found}
        ]
        if missing:
            raise InvalidInputError(
                _("No case open to you has these references: %(references)s")
                % {"references": ", ".join(missing[:20])},
                field="references",
            )
        return found
    return list(cases)


def _recipient(
    *,
    organization: Organization,
    agreement: SharingAgreement | None,
    recipient_organization: Organization | None,
    fields: list[str],
    legal_basis: str,
) -> tuple[Organization, str]:
    """The recipient organisation and legal basis, checked against the agreement."""
    if agreement is None:
        if recipient_organization is not None and recipient_organization.pk != organization.pk:
            raise AgreementRequiredError(field="agreement")
        if legal_basis not in LegalBasis.values:
            raise InvalidInputError(_("Choose the legal basis."), field="legal_basis")
        return organization, legal_basis
    if agreement.organization_id != organization.pk or not agreement.is_active():
        raise AgreementRequiredError(field="agreement")
    if (
        recipient_organization is not None
        and recipient_organization.pk != agreement.recipient_organization_id
    ):
        raise AgreementRequiredError(field="agreement")
    not_allowed = [code for code in fields if code not in agreement.allowed_fields]
    if not_allowed:
        raise FieldNotAllowedError(
            _("The sharing agreement does not allow these columns: %(columns)s")
            % {"columns": ", ".join(str(COLUMNS[code].label) for code in not_allowed)},
            field="fields",
        )
    if legal_basis and legal_basis != agreement.legal_basis:
        raise InvalidInputError(
            _("The legal basis is the one of the sharing agreement."), field="legal_basis"
        )
    return agreement.recipient_organization, agreement.legal_basis


@transaction.atomic
def export_request(
    *,
    actor: Actor,
    organization: Organization,
    scope: ExportScope,
    fields: Sequence[str],
    recipient_name: str,
    purpose: str,
    legal_basis: str = "",
    agreement: SharingAgreement | None = None,
    recipient_organization: Organization | None = None,
    file_format: str = ExportFormat.XLSX,
    identity_numbers_confirmed: bool = False,
    recipient_age_key: str = "",
    recent_auth: bool,
) -> ExportRequest:
    """Ask to export ``fields`` of the people in ``scope`` to one recipient.

    The scope is frozen to the cases it matches now. More than ``EXPORT_FOUR_EYES_MIN_ROWS``
    people make the request wait for a second person's approval; smaller ones are ready at
    once. Identity numbers need ``identity_numbers_confirmed``; another organisation as
    recipient needs an active ``agreement`` allowing every chosen column.

    Raises NotFoundError (actor not working cases of ``organization``),
    ReauthenticationRequiredError, InvalidInputError and its subclasses.
    """
    _require_case_member(actor, organization.pk)
    _require_recent_auth(recent_auth)
    chosen = _clean_fields(fields)
    if set(chosen) & IDENTITY_NUMBER_CODES and not identity_numbers_confirmed:
        raise InvalidInputError(
            _("Confirm that identity numbers are needed for this purpose."),
            field="identity_numbers_confirmed",
        )
    if file_format not in ExportFormat.values:
        raise InvalidInputError(field="file_format")
    if scope.people not in PeopleInScope.values:
        raise InvalidInputError(field="people")
    recipient_name = recipient_name.strip()
    purpose = purpose.strip()
    if not recipient_name:
        raise InvalidInputError(
            _("Name the one person who receives the file."), field="recipient_name"
        )
    if not purpose:
        raise InvalidInputError(_("Say what the data is needed for."), field="purpose")
    recipient_age_key = recipient_age_key.strip()
    if recipient_age_key and not age_recipient_valid(recipient_age_key):
        raise InvalidInputError(
            _("This is not an age public key (it starts with age1)."), field="recipient_age_key"
        )
    if agreement is not None:
        # As it is now, not as the caller last read it (it may have been revoked since).
        agreement = (
            SharingAgreement.objects.select_for_update()
            .select_related("recipient_organization")
            .get(pk=agreement.pk)
        )
    recipient_org, basis = _recipient(
        organization=organization,
        agreement=agreement,
        recipient_organization=recipient_organization,
        fields=chosen,
        legal_basis=legal_basis,
    )
    cases = _scoped_cases(actor, organization, scope)
    case_ids = [case.pk for case in cases]
    rows = scope_people(cases=Case.objects.filter(pk__in=case_ids), people=scope.people).count()
    if rows == 0:
        raise NothingToExportError(field="references" if scope.references else None)

    approval_required = rows > four_eyes_min_rows()
    now = timezone.now()
    sample = secrets.choice(cases)
    canary = canary_new(
        stage=sample.stage,
        program=sample.program,
        household_size=1 if scope.people == PeopleInScope.HOUSEHOLDS else secrets.randbelow(7) + 2,
    )
    export = ExportRequest(
        organization=organization,
        requested_by=_stored_user(actor),
        expires_at=now + dt.timedelta(hours=settings.EXPORT_REQUEST_HOURS),
        status=ExportStatus.PENDING if approval_required else ExportStatus.APPROVED,
        scope_stage=scope.stage,
        scope_program=scope.program,
        scope_by_reference=bool(scope.references),
        people=scope.people,
        fields=chosen,
        file_format=file_format,
        row_count=rows,
        case_count=len(case_ids),
        approval_required=approval_required,
        recipient_name=recipient_name,
        recipient_organization=recipient_org,
        agreement=agreement,
        purpose=purpose,
        legal_basis=basis,
        recipient_age_key=recipient_age_key,
        downloads_allowed=settings.EXPORT_MAX_DOWNLOADS,
        download_expires_at=(
            None if approval_required else now + dt.timedelta(hours=settings.EXPORT_DOWNLOAD_HOURS)
        ),
        canary=canary_dumps(canary),
        canary_phone_digest=phone_digest(canary["phone"]),
    )
    export.full_clean(exclude=["cases", "canary_phone_digest"])
    export.save()
    through = ExportRequest.cases.through
    through.objects.bulk_create(
        [through(exportrequest_id=export.pk, case_id=case_id) for case_id in case_ids],
        batch_size=1000,
    )
    audit_record(
        actor=actor,
        action="export.request",
        target=export,
        organization_id=organization.pk,
        rows=rows,
        cases=len(case_ids),
        fields=",".join(chosen),
        people=scope.people,
        format=file_format,
        approval_required=approval_required,
        age=bool(recipient_age_key),
        recipient_organization_id=recipient_org.pk,
        agreement_id=str(agreement.pk) if agreement else None,
        legal_basis=basis,
    )
    return export


@transaction.atomic
def export_approve(*, actor: Actor, export: ExportRequest, recent_auth: bool) -> ExportRequest:
    """The second person's approval: a supervisor or administrator of the export's
    organisation, not the requester, re-authenticated recently, before the request expires.
    Opens the download window."""
    locked = _locked(export)
    if locked.requested_by_id == actor.pk:
        raise SelfApprovalError()
    _require_supervisor(actor, locked.organization_id)
    _require_recent_auth(recent_auth)
    if locked.status != ExportStatus.PENDING:
        raise ExportStateError()
    now = timezone.now()
    if locked.is_request_expired(now):
        raise ExportExpiredError()
    _agreement_still_active(locked)
    locked.status = ExportStatus.APPROVED
    locked.approved_by = _stored_user(actor)
    locked.approved_at = now
    locked.download_expires_at = now + dt.timedelta(hours=settings.EXPORT_DOWNLOAD_HOURS)
    locked.save(update_fields=["status", "approved_by", "approved_at", "download_expires_at"])
    audit_record(
        actor=actor,
        action="export.approve",
        target=locked,
        organization_id=locked.organization_id,
        rows=locked.row_count,
        requester_id=locked.requested_by_id,
        recipient_organization_id=locked.recipient_organization_id,
    )
    return locked


@transaction.atomic
def export_reject(*, actor: Actor, export: ExportRequest, reason: str) -> ExportRequest:
    """A supervisor or administrator (not the requester) refuses a pending request, saying
    why (the reason is kept encrypted, never in the audit log)."""
    locked = _locked(export)
    if locked.requested_by_id == actor.pk:
        raise SelfApprovalError()
    _require_supervisor(actor, locked.organization_id)
    reason = reason.strip()
    if not reason:
        raise InvalidInputError(_("Say why the export is rejected."), field="reason")
    if locked.status != ExportStatus.PENDING:
        raise ExportStateError()
    locked.status = ExportStatus.REJECTED
    locked.rejected_by = _stored_user(actor)
    locked.rejected_at = timezone.now()
    locked.rejection_reason = reason
    locked.full_clean(exclude=["cases", "canary_phone_digest"])
    locked.save(update_fields=["status", "rejected_by", "rejected_at", "rejection_reason"])
    audit_record(
        actor=actor,
        action="export.reject",
        target=locked,
        organization_id=locked.organization_id,
        rows=locked.row_count,
        requester_id=locked.requested_by_id,
    )
    return locked


@transaction.atomic
def export_cancel(*, actor: Actor, export: ExportRequest) -> ExportRequest:
    """The requester withdraws a request that is pending or not yet downloaded."""
    locked = _locked(export)
    if locked.requested_by_id != actor.pk:
        raise PermissionDeniedError()
    if locked.status not in (ExportStatus.PENDING, ExportStatus.APPROVED):
        raise ExportStateError()
    locked.status = ExportStatus.CANCELLED
    locked.password_digest = ""
    locked.save(update_fields=["status", "password_digest"])
    audit_record(
        actor=actor, action="export.cancel", target=locked, organization_id=locked.organization_id
    )
    return locked


def _check_downloadable(actor: Actor, export: ExportRequest, recent_auth: bool) -> None:
    if export.requested_by_id != actor.pk:
        raise PermissionDeniedError(_("Only the person who requested the export downloads it."))
    _require_case_member(actor, export.organization_id)
    _require_recent_auth(recent_auth)
    if not export.is_download_open():
        raise DownloadNotAvailableError()
    _agreement_still_active(export)


def _password_digest(export: ExportRequest, password: str) -> str:
    return salted_hmac(
        "safepassage.exports.file-password", f"{export.pk}:{password}", algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def export_password_issue(*, actor: Actor, export: ExportRequest, recent_auth: bool) -> str:
    """A new password for the next download, returned once to show the requester; only a
    keyed digest is kept, to check that the file is encrypted with the password shown."""
    locked = _locked(export)
    _check_downloadable(actor, locked, recent_auth)
    password = new_file_password()
    locked.password_digest = _password_digest(locked, password)
    locked.password_issued_at = timezone.now()
    locked.save(update_fields=["password_digest", "password_issued_at"])
    audit_record(
        actor=actor,
        action="export.password_issue",
        target=locked,
        organization_id=locked.organization_id,
    )
    return password


def _sheet(export: ExportRequest, rows: list[PersonRow]) -> workbook.Sheet:
    recipient_line = _(
        "Prepared for %(recipient)s — %(organization)s — %(date)s — export %(export)s"
    ) % {
        "recipient": export.recipient_name,
        "organization": export.recipient_organization.name,
        "date": timezone.localdate().isoformat(),
        "export": export.short_id,
    }
    columns = [COLUMNS[code] for code in export.fields]
    canary = canary_row(canary_loads(export.canary))
    # Rows are in case-reference order; the canary's random reference puts it at a random
    # place among them, where it looks like any other household.
    references = [row.person.case.reference for row in rows]
    position = bisect.bisect_left(references, canary.person.case.reference)
    ordered_rows = [*rows[:position], canary, *rows[position:]]
    return workbook.Sheet(
        recipient_line=recipient_line,
        header=[capfirst(str(column.label)) for column in columns],
        rows=[[column.read(row) for column in columns] for row in ordered_rows],
    )


@transaction.atomic
def export_download(
    *, actor: Actor, export: ExportRequest, password: str, recent_auth: bool
) -> ExportFile:
    """Make the export's file from the current data, encrypted with the password issued for
    this download, and count the download.

    Only the requester, re-authenticated, within the download window and the number of
    downloads allowed. Rows the requester can no longer see are left out; more rows than
    were requested (households grew) refuse the download: the approval was for fewer.
    """
    locked = _locked(export)
    _check_downloadable(actor, locked, recent_auth)
    if not locked.password_digest or not constant_time_compare(
        locked.password_digest, _password_digest(locked, password)
    ):
        raise ExportPasswordError()
    rows = export_rows_for(user=actor, export=locked)
    if not rows:
        raise NothingToExportError()
    if len(rows) > locked.row_count:
        raise ExportScopeChangedError()
    sheet = _sheet(locked, rows)
    name = f"export-{locked.short_id}"
    if locked.file_format == ExportFormat.CSV:
        exported = ExportFile(
            filename=f"{name}.zip",
            content_type="application/zip",
            content=workbook.csv_zip_encrypted(sheet, password, f"{name}.csv"),
            rows=len(rows),
        )
    else:
        exported = ExportFile(
            filename=f"{name}.xlsx",
            # An encrypted OOXML file is an OLE compound file, whatever its extension says.
            content_type="application/octet-stream",
            content=workbook.xlsx_encrypted(sheet, password),
            rows=len(rows),
        )
    if locked.recipient_age_key:
        exported = ExportFile(
            filename=f"{exported.filename}.age",
            content_type="application/octet-stream",
            content=age_encrypted(exported.content, locked.recipient_age_key),
            rows=exported.rows,
        )
    locked.download_count += 1
    locked.last_downloaded_at = timezone.now()
    locked.password_digest = ""
    if locked.download_count >= locked.downloads_allowed:
        locked.status = ExportStatus.COMPLETED
    locked.save(update_fields=["download_count", "last_downloaded_at", "password_digest", "status"])
    audit_record(
        actor=actor,
        action="export.download",
        target=locked,
        organization_id=locked.organization_id,
        rows=len(rows),
        recipient_organization_id=locked.recipient_organization_id,
        download=locked.download_count,
        format=locked.file_format,
    )
    return exported
