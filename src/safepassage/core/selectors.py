"""Reads about organisations and what a user may do in them."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from safepassage.core.models import CASE_ROLES, Membership, Organization, Role


def memberships_for(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user_id=user.pk).select_related("organization")


def case_organization_ids_for(
    *, user: AbstractBaseUser | AnonymousUser, roles: Iterable[str] = CASE_ROLES
) -> set[int]:
    """The organisations whose cases ``user`` works, by role."""
    return set(
        memberships_for(user=user)
        .filter(role__in=list(roles))
        .values_list("organization_id", flat=True)
    )


def role_in(*, user: AbstractBaseUser | AnonymousUser, organization_id: int) -> Role | None:
    membership = memberships_for(user=user).filter(organization_id=organization_id).first()
    return Role(membership.role) if membership else None


def organizations_for(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user_id=int(user.pk)).distinct()
