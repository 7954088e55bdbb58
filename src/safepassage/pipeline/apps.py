from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipelineConfig(AppConfig):
    name = "safepassage.pipeline"
    verbose_name = _("Pipeline")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safepassage.cases.erasure import case_erased

        def drop_explanations(sender: Any, case: Any, **kwargs: Any) -> None:
            from safepassage.pipeline.models import MissingDocumentExplanation

            MissingDocumentExplanation.objects.filter(case=case).delete()

        case_erased.connect(drop_explanations, dispatch_uid="pipeline-erased", weak=False)
