"""Erasure and correction: crypto-shredding a case, the applicant's request workflow, and
retention (erasing what has been kept long enough).

Erasing a case destroys its data key first (see ``protection.keys``): from that moment the
case is unreadable in the database, in every backup and in document storage. Its personal
rows and files are then removed; the case row keeps only non-personal facts (program, stage,
channel, dates, household size) for statistics.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from safepassage.cases.models import Case, Document, Ds157Data, ErasureRequest
from safepassage.core.errors import DomainError, NotFoundError, PermissionDeniedError
from safepassage.core.models import SUPERVISING_ROLES, Membership
from safepassage.protection import files, keys
from safepassage.protection.alerts import alert_raise
from safepassage.protection.audit import audit_record

logger = logging.getLogger(__name__)

# Sent inside the erasure's transaction with ``case=``: apps holding rows derived from the
# case (priority, pipeline explanations, eligibility work items) delete them.
case_erased = Signal()
Actor = AbstractBaseUser | AnonymousUser | None


class ErasureStateError(DomainError):
    code = "erasure_state"
    status = 409


def _role_check(actor: Actor, case: Case, roles: Any) -> None:
    if actor is None:
        return
    if (
        not actor.is_authenticated
        or not Membership.objects.filter(
            user_id=actor.pk, organization_id=case.organization_id, role__in=list(roles)
        ).exists()
    ):
        raise NotFoundError()


def case_erase(*, actor: Actor, case: Case, reason: str) -> Case:
    """Crypto-shred ``case``: destroy its data key, then its personal rows and files."""
    if case.erased_at is not None:
        return case
    household_size = case.people.count()
    keys.destroy_scope(case.pk)
    storage_names = list(Document.objects.filter(case=case).values_list("storage_name", flat=True))
    with transaction.atomic():
        # Stage history stays (stage durations are statistics); its reasons no longer open.
        for relation in ("documents", "employment", "notes", "tasks", "people"):
            getattr(case, relation).all().delete()
        Ds157Data.objects.filter(case=case).delete()
        case.erased_at = timezone.now()
        case.household_size = household_size
        case.assigned_to = None
        # Where the household is and what it faces: the encrypted values no longer open; the
        # lookup token goes too.
        case.current_province = case.current_district = None
        case.current_district_token = ""
        case.threat_categories = None
        case.medical_needs = case.disability = None
        case.save(
            update_fields=[
                "erased_at",
                "household_size",
                "assigned_to",
                "current_province",
                "current_district",
                "current_district_token",
                "threat_categories",
                "medical_needs",
                "disability",
                "updated_at",
            ]
        )
        # Other apps drop what they derived from the case (priority, explanations, ...).
        case_erased.send(sender=Case, case=case)
        audit_record(
            actor=actor,
            action="case.erase",
            target=case,
            organization_id=case.organization_id,
            reason=reason,
            people=household_size,
            documents=len(storage_names),
        )
    for name in storage_names:
        try:
            files.file_delete(storage_name=name)
        except OSError:  # the file no longer opens anyway: its key is gone
            logger.warning("could not delete an erased document's file")
    return case


@transaction.atomic
def erasure_request_open(*, actor: Actor, case: Case, kind: str, details: str) -> ErasureRequest:
    from safepassage.core.models import CASE_ROLES

    _role_check(actor, case, CASE_ROLES)
    request = ErasureRequest.objects.create(
        case=case,
        kind=kind,
        details=details.strip(),
        requested_by=actor if actor is not None and actor.is_authenticated else None,  # type: ignore[misc]
    )
    audit_record(
        actor=actor,
        action=f"{kind}.request",
        target=request,
        organization_id=case.organization_id,
    )
    return request


VERIFICATION_METHODS = frozenset({"pin", "call_back", "in_person"})


@transaction.atomic
def erasure_request_verify(*, actor: Actor, request: ErasureRequest, method: str) -> None:
    """The applicant's identity was checked by ``method``: "pin" (reference and PIN),
    "call_back" (on the number on file) or "in_person" (with a document)."""
    from safepassage.core.errors import InvalidInputError
    from safepassage.core.models import CASE_ROLES

    _role_check(actor, request.case, CASE_ROLES)
    if method not in VERIFICATION_METHODS:
        raise InvalidInputError(field="method")
    if request.status != ErasureRequest.Status.REQUESTED:
        raise ErasureStateError()
    request.status = ErasureRequest.Status.VERIFIED
    request.verification_method = method
    request.verified_by = actor  # type: ignore[assignment]
    request.verified_at = timezone.now()
    request.save()
    audit_record(
        actor=actor,
        action=f"{request.kind}.verify",
        target=request,
        organization_id=request.case.organization_id,
        method=method,
    )


@transaction.atomic
def erasure_request_approve(*, actor: Actor, request: ErasureRequest) -> None:
    """A supervisor other than the requester approves."""
    _role_check(actor, request.case, SUPERVISING_ROLES)
    if request.status != ErasureRequest.Status.VERIFIED:
        raise ErasureStateError()
    if actor is not None and actor.pk == request.requested_by_id:
        raise PermissionDeniedError()
    request.status = ErasureRequest.Status.APPROVED
    request.approved_by = actor  # type: ignore[assignment]
    request.approved_at = timezone.now()
    request.save()
    audit_record(
        actor=actor,
        action=f"{request.kind}.approve",
        target=request,
        organization_id=request.case.organization_id,
    )


def erasure_request_execute(*, actor: Actor, request: ErasureRequest) -> None:
    """Erase the case (erasure) or record that the correction was made (correction)."""
    _role_check(actor, request.case, SUPERVISING_ROLES)
    if request.status != ErasureRequest.Status.APPROVED:
        raise ErasureStateError()
    with transaction.atomic():
        request.status = ErasureRequest.Status.EXECUTED
        request.executed_at = timezone.now()
        request.save(update_fields=["status", "executed_at"])
        audit_record(
            actor=actor,
            action=f"{request.kind}.execute",
            target=request,
            organization_id=request.case.organization_id,
        )
    if request.kind == ErasureRequest.Kind.ERASURE:
        case_erase(actor=actor, case=request.case, reason="applicant_request")


def retention_due(*, now: dt.datetime | None = None) -> list[Case]:
    """Cases whose stage has a retention period that has run out since their last change."""
    now = now or timezone.now()
    due: list[Case] = []
    for stage, days in settings.RETENTION_DAYS_BY_STAGE.items():
        cutoff = now - dt.timedelta(days=days)
        due.extend(Case.objects.filter(stage=stage, erased_at__isnull=True, updated_at__lt=cutoff))
    return due


def retention_run(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Erase every case that is due; returns (erased, failed). Failures raise an alert."""
    erased = failed = 0
    for case in retention_due(now=now):
        try:
            case_erase(actor=None, case=case, reason="retention")
            erased += 1
        except Exception:  # one failure must not stop the others; each is alerted
            failed += 1
            logger.exception("retention: erasing case %s failed", case.pk)
            alert_raise(
                kind="retention_failed", organization_id=case.organization_id, case=str(case.pk)
            )
    return erased, failed
