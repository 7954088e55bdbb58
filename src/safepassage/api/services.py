"""Issuing, checking and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from safepassage.api.models import ApiToken
from safepassage.core.errors import NotFoundError
from safepassage.core.models import Membership, Organization
from safepassage.protection.audit import audit_record

TOKEN_PREFIX = "sp_"  # noqa: S105 - a public marker, not a secret


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *,
    actor: AbstractBaseUser | None,
    user: AbstractBaseUser,
    organization: Organization,
    name: str,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user`` in ``organization``; the clear token is returned once only."""
    if not Membership.objects.filter(user_id=user.pk, organization=organization).exists():
        raise NotFoundError()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user,  # type: ignore[misc]
        organization=organization,
        name=name,
        prefix=token[:10],
        digest=_digest(token),
        expires_at=timezone.now() + dt.timedelta(days=days or settings.API_TOKEN_DAYS),
    )
    audit_record(
        actor=actor, action="api_token.issue", target=record, organization_id=organization.pk
    )
    return record, token


def api_token_check(token: str) -> ApiToken | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    record = (
        ApiToken.objects.select_related("user", "organization")
        .filter(digest=_digest(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record


@transaction.atomic
def api_token_revoke(*, actor: AbstractBaseUser | None, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        target=token,
        organization_id=token.organization_id,
    )
