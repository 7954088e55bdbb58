"""Demo data: organisations, users with each role, and generated households."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from safepassage.cases.loading import households_load
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
    return logins
