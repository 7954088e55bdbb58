"""Reads of export requests and sharing agreements, scoped to the user who asks.

A requester sees their own requests; supervisors and administrators see every request of
their organisation (to approve or reject it). Anything else is "not found", never
"forbidden": existence must not leak.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from safepassage.cases.models import Case, Person, Relationship
from safepassage.cases.selectors import case_list_for
from safepassage.core.models import SUPERVISING_ROLES, Organization
from safepassage.core.selectors import case_organization_ids_for
from safepassage.exports.canary import phone_digest
from safepassage.exports.columns import PersonRow
from safepassage.exports.errors import ExportNotFoundError
from safepassage.exports.models import ExportRequest, ExportStatus, PeopleInScope, SharingAgreement

User = AbstractBaseUser | AnonymousUser

_RELATED = ("organization", "recipient_organization", "requested_by", "approved_by", "rejected_by")


def supervised_organization_ids(*, user: User) -> set[int]:
    """The organisations where ``user`` may approve exports and record agreements."""
    return case_organization_ids_for(user=user, roles=SUPERVISING_ROLES)


def export_list_for(*, user: User) -> QuerySet[ExportRequest]:
    """The user's own requests, in organisations they still work in."""
    return (
        ExportRequest.objects.filter(
            requested_by_id=user.pk, organization_id__in=case_organization_ids_for(user=user)
        )
        .select_related(*_RELATED)
        .order_by("-created_at")
    )


def export_approvals_pending_for(*, user: User) -> QuerySet[ExportRequest]:
    """Requests of the user's supervised organisations waiting for a second person: never
    the user's own, never expired ones."""
    return (
        ExportRequest.objects.filter(
            organization_id__in=supervised_organization_ids(user=user),
            status=ExportStatus.PENDING,
            expires_at__gt=timezone.now(),
        )
        .exclude(requested_by_id=user.pk)
        .select_related(*_RELATED)
        .order_by("created_at")
    )


def export_get_for(*, user: User, export_id: Any) -> ExportRequest:
    """One request the user made, or one of an organisation they supervise."""
    try:
        key = uuid.UUID(str(export_id))
    except ValueError:
        raise ExportNotFoundError() from None
    if not user.is_authenticated:
        raise ExportNotFoundError()
    visible = Q(organization_id__in=supervised_organization_ids(user=user)) | Q(
        requested_by_id=user.pk, organization_id__in=case_organization_ids_for(user=user)
    )
    found = (
        ExportRequest.objects.filter(visible, pk=key).select_related(*_RELATED, "agreement").first()
    )
    if found is None:
        raise ExportNotFoundError()
    return found


def scope_people(*, cases: QuerySet[Case], people: str) -> QuerySet[Person]:
    """The people rows of ``cases`` an export with ``people`` would contain."""
    found = Person.objects.filter(case_id__in=cases.values("pk"))
    if people == PeopleInScope.PRINCIPALS:
        found = found.filter(relationship=Relationship.PRINCIPAL)
    return found


def export_rows_for(*, user: User, export: ExportRequest) -> list[PersonRow]:
    """The rows of ``export`` from the current data, as far as ``user`` may still see it:
    households in case-reference order, principal first."""
    cases = case_list_for(user=user, organization_id=export.organization_id).filter(
        organization_id=export.organization_id, pk__in=export.cases.all().values("pk")
    )
    household_sizes = dict(
        Person.objects.filter(case_id__in=cases.values("pk"))
        .values("case_id")
        .annotate(size=Count("id"))
        .values_list("case_id", "size")
    )
    principal_first = SqlCase(
        When(relationship=Relationship.PRINCIPAL, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    people = (
        scope_people(cases=cases, people=export.people)
        .select_related("case")
        .order_by("case__reference", principal_first, "created_at")
    )
    return [PersonRow(person=p, household_size=household_sizes.get(p.case_id, 1)) for p in people]


def agreement_list_for(*, user: User) -> QuerySet[SharingAgreement]:
    """Agreements of the organisations whose cases the user works."""
    return (
        SharingAgreement.objects.filter(organization_id__in=case_organization_ids_for(user=user))
        .select_related("organization", "recipient_organization", "approved_by")
        .order_by("-created_at")
    )


def agreements_active_for(*, user: User, organization: Organization) -> list[SharingAgreement]:
    if organization.pk not in case_organization_ids_for(user=user):
        return []
    now = timezone.now()
    return list(
        SharingAgreement.objects.filter(
            organization=organization,
            revoked_at__isnull=True,
            starts_at__lte=now,
            expires_at__gt=now,
        )
        .select_related("recipient_organization")
        .order_by("recipient_organization__name", "-created_at")
    )


def agreement_get_for(*, user: User, agreement_id: Any) -> SharingAgreement:
    try:
        key = uuid.UUID(str(agreement_id))
    except ValueError:
        raise ExportNotFoundError() from None
    found = (
        agreement_list_for(user=user)
        .filter(pk=key)
        .select_related("recipient_organization")
        .first()
    )
    if found is None:
        raise ExportNotFoundError()
    return found


def export_find_by_canary_phone(*, user: User, phone: str) -> ExportRequest | None:
    """The export whose file carried the canary with this phone number (a number read from
    a leaked file), among the organisations the user supervises."""
    return (
        ExportRequest.objects.filter(
            canary_phone_digest=phone_digest(phone),
            organization_id__in=supervised_organization_ids(user=user),
        )
        .select_related(*_RELATED)
        .first()
    )
