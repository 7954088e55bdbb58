"""Administration of second factors: see who has which, remove a lost one; never see secrets.

django-otp's own TOTP admin shows each secret and its QR code (anyone with the admin could
copy a colleague's second factor), so it is replaced by a list without secrets whose only
change is removal, audited like any other."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.accounts import services
from safepassage.accounts.models import SecurityKey

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class SecondFactorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.second_factor_remove_by_admin(actor=request.user, device=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for device in queryset:
            services.second_factor_remove_by_admin(actor=request.user, device=device)


admin.site.register(TOTPDevice, SecondFactorAdmin)
admin.site.register(SecurityKey, SecondFactorAdmin)
