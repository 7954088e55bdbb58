"""Writes for organisations and memberships."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.text import slugify

from safepassage.core.models import Membership, Organization, Role
from safepassage.protection.audit import audit_record


@transaction.atomic
def organization_create(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    name: str,
    kind: str = Organization.Kind.NGO,
    slug: str | None = None,
) -> Organization:
    organization = Organization(name=name, kind=kind, slug=slug or slugify(name)[:60])
    organization.full_clean()
    organization.save()
    audit_record(
        actor=actor,
        action="organization.create",
        target=organization,
        organization_id=organization.pk,
    )
    return organization


@transaction.atomic
def membership_grant(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    organization: Organization,
    user: AbstractBaseUser,
    role: Role | str,
) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user_id=user.pk, organization=organization, defaults={"role": Role(role)}
    )
    audit_record(
        actor=actor,
        action="membership.grant",
        target=membership,
        organization_id=organization.pk,
        role=str(role),
    )
    return membership


def user_create(*, username: str, password: str, email: str = "") -> AbstractBaseUser:
    user_model = get_user_model()
    user: AbstractBaseUser = user_model.objects.create_user(
        username=username, password=password, email=email
    )
    return user
