"""Protection services: break-glass access, revealing masked identity numbers, erasure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.core.errors import InvalidInputError, NotFoundError
from safepassage.core.selectors import case_organization_ids_for
from safepassage.engine.reference import normalize_reference
from safepassage.protection.alerts import alert_raise
from safepassage.protection.audit import audit_record
from safepassage.protection.models import BreakGlassGrant

User = AbstractBaseUser | AnonymousUser
MIN_REASON_LENGTH = 15


@transaction.atomic
def break_glass_open(*, actor: User, reference: str, reason: str) -> Any:
    """Open one case outside the actor's scope for ``BREAK_GLASS_MINUTES``, with a reason;
    the owning organisation's administrators are alerted at once."""
    from safepassage.cases.models import Case

    if not actor.is_authenticated or not case_organization_ids_for(user=actor):
        raise NotFoundError()
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise InvalidInputError(
            _("Explain in a sentence why you need this case now."), field="reason"
        )
    canonical = normalize_reference(reference)
    case = Case.objects.filter(reference=canonical).first() if canonical else None
    if case is None:
        raise NotFoundError()
    grant = BreakGlassGrant.objects.create(
        user=actor,  # type: ignore[misc]
        case=case,
        reason=reason.strip(),
        expires_at=timezone.now() + dt.timedelta(minutes=settings.BREAK_GLASS_MINUTES),
    )
    audit_record(
        actor=actor,
        action="case.break_glass",
        target=case,
        organization_id=case.organization_id,
        grant=str(grant.pk),
    )
    alert_raise(
        kind="break_glass",
        organization_id=case.organization_id,
        subject_user=actor,
        case=str(case.pk),
        grant=str(grant.pk),
    )
    return case


def break_glass_case_ids(*, user: User) -> set[Any]:
    if not user.is_authenticated:
        return set()
    return set(
        BreakGlassGrant.objects.filter(user_id=user.pk, expires_at__gt=timezone.now()).values_list(
            "case_id", flat=True
        )
    )


REVEAL_SESSION_KEY = "revealed_people"


def identity_reveal(*, actor: User, person: Any, session: Any) -> None:
    """Show a person's identity numbers in full for ``REVEAL_MINUTES``; logged."""
    audit_record(
        actor=actor,
        action="person.reveal",
        target=person,
        organization_id=person.case.organization_id,
        fields="tazkira_number,tazkira_registration,passport_number",
    )
    revealed = dict(session.get(REVEAL_SESSION_KEY, {}))
    until = timezone.now() + dt.timedelta(minutes=settings.REVEAL_MINUTES)
    revealed[str(person.pk)] = until.isoformat()
    session[REVEAL_SESSION_KEY] = revealed


def revealed_people(session: Any) -> set[str]:
    now = timezone.now()
    return {
        person_id
        for person_id, until in dict(session.get(REVEAL_SESSION_KEY, {})).items()
        if dt.datetime.fromisoformat(until) > now
    }


def mask_identity(value: str | None) -> str:
    """Identity numbers show their last four characters only."""
    if not value:
        return ""
    return "•" * max(len(value) - 4, 2) + value[-4:]
