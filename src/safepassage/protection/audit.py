"""Recording audit events inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from safepassage.protection.models import AuditEvent


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: Any,
    organization_id: int | None = None,
    **details: str | int | bool | None,
) -> AuditEvent:
    """Record ``action`` on ``target``; ``details`` hold codes and ids, never personal data."""
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor_id=actor_id,
        organization_id=organization_id,
        action=action,
        object_type=type(target).__name__.lower(),
        object_id=str(target.pk),
        details=details,
    )
