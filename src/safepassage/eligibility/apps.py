from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "safepassage.eligibility"
    verbose_name = _("Eligibility")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safepassage.eligibility import signals

        signals.connect()
