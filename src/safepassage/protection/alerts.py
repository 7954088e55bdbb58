"""Security alerts for an organisation's administrators."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from safepassage.protection.audit import audit_record
from safepassage.protection.models import SecurityAlert

logger = logging.getLogger(__name__)


def alert_raise(
    *,
    kind: str,
    organization_id: int | None,
    subject_user: AbstractBaseUser | None = None,
    **details: Any,
) -> SecurityAlert:
    alert = SecurityAlert.objects.create(
        kind=kind,
        organization_id=organization_id,
        subject_user_id=subject_user.pk if subject_user is not None else None,
        details=details,
    )
    audit_record(
        actor=None,
        action=f"security.{kind}",
        target=alert,
        organization_id=organization_id,
        subject_user=subject_user.pk if subject_user is not None else None,
    )
    logger.warning("security alert %s (%s) for organisation %s", alert.pk, kind, organization_id)
    return alert


def alerts_for(*, user: AbstractBaseUser) -> QuerySet[SecurityAlert]:
    """Alerts of the organisations where ``user`` is an administrator or the DPO."""
    from safepassage.core.models import AUDIT_ROLES, Membership

    org_ids = Membership.objects.filter(user_id=user.pk, role__in=list(AUDIT_ROLES)).values_list(
        "organization_id", flat=True
    )
    return SecurityAlert.objects.filter(organization_id__in=list(org_ids))
