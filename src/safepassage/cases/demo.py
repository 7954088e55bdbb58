"""Demo data: organisations, users with each role, and generated households."""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from safepassage.cases.loading import households_load
from safepassage.cases.models import Case, StageEvent
from safepassage.core.models import Organization, Role
from safepassage.core.services import membership_grant, organization_create
from safepassage.synth import generate_households

DEMO_ORGANIZATION = "Demo Relocation Network"
PARTNER_ORGANIZATION = "Demo Partner Organisation"
DEMO_USERS = (
    ("admin", Role.ADMIN),
    ("caseworker", Role.CASEWORKER),
    ("caseworker2", Role.CASEWORKER),
    ("supervisor", Role.SUPERVISOR),
    ("logistics", Role.LOGISTICS),
    ("placement", Role.PLACEMENT),
)


def _password() -> str:
    return "-".join(secrets.token_hex(3) for _ in range(3))


@transaction.atomic
def demo_create(*, households: int = 200, seed: int = 2021) -> list[tuple[str, str, str]]:
    """Create (or refresh) the demo. Passwords are new on every call and returned once."""
    user_model = get_user_model()
    organization = Organization.objects.filter(name=DEMO_ORGANIZATION).first()
    created = organization is None
    if organization is None:
        organization = organization_create(actor=None, name=DEMO_ORGANIZATION, slug="demo")
    partner = Organization.objects.filter(name=PARTNER_ORGANIZATION).first()
    if partner is None:
        partner = organization_create(
            actor=None, name=PARTNER_ORGANIZATION, slug="demo-partner", kind="partner"
        )
    logins: list[tuple[str, str, str]] = []
    users = {}
    for username, role in (*DEMO_USERS, ("partner", Role.PARTNER)):
        password = _password()
        user, _new = user_model.objects.get_or_create(username=username)
        user.set_password(password)
        if role == Role.ADMIN:
            user.is_staff = True
            user.is_superuser = True
        user.save()
        membership_grant(
            actor=None,
            organization=partner if role == Role.PARTNER else organization,
            user=user,
            role=role,
        )
        users[username] = user
        logins.append((username, password, str(role)))
    if created and households:
        households_load(
            organization=organization,
            households=generate_households(households, seed=seed),
            assignees=[users["caseworker"], users["caseworker2"], None],
        )
        _demo_histories(organization, seed=seed)
    return logins


# Main paths through each program and the typical days a step took (low, high) in 2021-23.
_DEMO_PATHS = {
    "siv": (
        ("intake", 2, 10),
        ("eligibility_review", 5, 30),
        ("com_preparation", 20, 120),
        ("com_submitted", 60, 400),
        ("com_approved", 10, 60),
        ("visa_application", 20, 90),
        ("interview", 30, 200),
        ("medical", 5, 30),
        ("administrative_processing", 30, 300),
        ("visa_issued", 5, 30),
    ),
    "p2": (
        ("intake", 2, 10),
        ("eligibility_review", 5, 30),
        ("referral", 10, 60),
        ("prescreening", 30, 200),
        ("interview", 30, 200),
        ("security", 30, 250),
        ("medical", 5, 30),
    ),
}


def _demo_histories(organization: Organization, *, seed: int) -> None:
    """Spread the demo's cases over their programs' stages with plausible past dates, so the
    clocks, the overdue queue and "where time goes" have something to show. Demo only: the
    history is written directly, not through the pipeline's guards."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    today = dt.date.today()  # noqa: DTZ011 - local demo dates
    for case in Case.objects.filter(organization=organization, program__in=list(_DEMO_PATHS)):
        path = _DEMO_PATHS[case.program]
        reached = rng.randint(1, len(path))
        days = [rng.randint(low, high) for _stage, low, high in path[:reached]]
        day = today - dt.timedelta(days=sum(days))
        StageEvent.objects.filter(case=case).update(effective_on=day)
        opened = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        Case.objects.filter(pk=case.pk).update(created_at=opened)
        previous = path[0][0]
        for (stage, _low, _high), spent in zip(path[1:reached], days, strict=False):
            day += dt.timedelta(days=spent)
            StageEvent.objects.create(
                case=case, from_stage=previous, to_stage=stage, effective_on=day, reason=""
            )
            previous = stage
        Case.objects.filter(pk=case.pk).update(stage=previous)
