from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "safepassage.core"
    verbose_name = _("Organisations")
    default_auto_field = "django.db.models.BigAutoField"
