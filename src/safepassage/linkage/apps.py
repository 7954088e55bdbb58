from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "safepassage.linkage"
    verbose_name = _("Duplicate review")
    default_auto_field = "django.db.models.BigAutoField"
