from __future__ import annotations

from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "safepassage.protection"
    default_auto_field = "django.db.models.BigAutoField"
