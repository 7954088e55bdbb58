"""Reads of partner imports, scoped to the organisations whose cases the reader works."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from safepassage.core.models import CASE_ROLES, Organization
from safepassage.core.selectors import case_organization_ids_for
from safepassage.linkage.errors import ImportNotFoundError
from safepassage.linkage.import_models import ImportBatch, ImportRow
from safepassage.protection import keys

User = AbstractBaseUser | AnonymousUser


def import_get_for(*, user: User, batch_id: str) -> ImportBatch:
    """The batch, if ``user`` works cases of its organisation; ``ImportNotFoundError`` for
    anything else (an id of another organisation and a malformed id look the same)."""
    try:
        key = uuid.UUID(batch_id)
    except ValueError as exc:
        raise ImportNotFoundError() from exc
    found = (
        ImportBatch.objects.select_related("organization")
        .filter(pk=key, organization_id__in=case_organization_ids_for(user=user, roles=CASE_ROLES))
        .first()
    )
    if found is None:
        raise ImportNotFoundError()
    return found


def imports_for(*, user: User, organization: Organization) -> QuerySet[ImportBatch]:
    """The organisation's recent imports, newest first (``organization`` already scoped)."""
    allowed = case_organization_ids_for(user=user, roles=CASE_ROLES)
    return ImportBatch.objects.filter(organization=organization, organization_id__in=allowed)


def import_rows_of(batch: ImportBatch) -> list[ImportRow]:
    """The batch's rows with the cases they matched or became (one data key unwrapped)."""
    keys.load_scopes([batch.pk])
    rows: Any = batch.rows.select_related("matched_case", "case").order_by("number")
    return list(rows)
