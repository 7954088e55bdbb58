"""Reads of the audit log and alerts, scoped to who may see them.

Supervisors see who accessed a case; the data protection officer (and administrators) see
their organisation's audit log, which holds ids and codes, never case data."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from safepassage.core.models import AUDIT_ROLES, SUPERVISING_ROLES, Membership
from safepassage.protection.models import AuditEvent

User = AbstractBaseUser | AnonymousUser


def _org_ids(user: User, roles: Any) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user_id=user.pk, role__in=list(roles)).values_list(
            "organization_id", flat=True
        )
    )


def access_history_for(*, user: User, case: Any, limit: int = 50) -> list[AuditEvent]:
    """Who read or changed the case, newest first; empty unless ``user`` supervises it."""
    if case.organization_id not in _org_ids(user, SUPERVISING_ROLES):
        return []
    return list(
        AuditEvent.objects.filter(object_id=str(case.pk))
        .select_related("actor")
        .order_by("-sequence")[:limit]
    )


def audit_log_for(*, user: User) -> QuerySet[AuditEvent]:
    """The organisation's audit log for its data protection officer and administrators."""
    return (
        AuditEvent.objects.filter(organization_id__in=_org_ids(user, AUDIT_ROLES))
        .select_related("actor")
        .order_by("-sequence")
    )
