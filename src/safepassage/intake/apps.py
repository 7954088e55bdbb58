from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "safepassage.intake"
    verbose_name = _("Applications")
    default_auto_field = "django.db.models.BigAutoField"
