"""Administrators manage organisations and memberships here; case data stays out of admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safepassage.core.models import Membership, Organization
from safepassage.protection.audit import audit_record


class MembershipInline(admin.TabularInline[Membership, Organization]):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["name", "slug", "kind"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    autocomplete_fields = ["user", "organization"]

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="membership.grant",
            target=obj,
            organization_id=obj.organization_id,
            role=obj.role,
            via="admin",
        )

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        audit_record(
            actor=request.user,
            action="membership.revoke",
            target=obj,
            organization_id=obj.organization_id,
            role=obj.role,
            via="admin",
        )
        super().delete_model(request, obj)
