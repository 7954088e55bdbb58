from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThreatConfig(AppConfig):
    name = "safepassage.threat"
    verbose_name = _("Threat picture")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safepassage.threat import signals

        signals.connect()
