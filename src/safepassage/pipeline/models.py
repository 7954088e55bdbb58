"""What the pipeline stores beyond the stage history: each organisation's service levels per
stage, and the written explanations that stand in for a missing COM document."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.cases.stages import Program, Stage
from safepassage.engine.pipeline import ComItem
from safepassage.protection.fields import EncryptedTextField


class ComDocument(models.TextChoices):
    """The COM application's items that a written explanation may replace."""

    HR_LETTER = ComItem.HR_LETTER.value, _("HR employment verification letter")
    RECOMMENDATION = ComItem.RECOMMENDATION.value, _("Letter of recommendation")
    DS157 = ComItem.DS157.value, _("DS-157 data")
    IDENTITY = ComItem.IDENTITY.value, _("Identity document (tazkira or passport)")


class StageSLA(models.Model):
    """How many days a case of ``program`` may stay in ``stage`` before it is overdue, for
    one organisation. Where there is none, the engine's default applies."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="stage_slas"
    )
    program = models.CharField(_("program"), max_length=20, choices=Program.choices)
    stage = models.CharField(_("stage"), max_length=40, choices=Stage.choices)
    days = models.PositiveSmallIntegerField(_("days"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "program", "stage"], name="one_sla_per_org_program_stage"
            ),
            models.CheckConstraint(condition=models.Q(days__gte=1), name="sla_at_least_a_day"),
            models.CheckConstraint(
                condition=models.Q(program__in=Program.values), name="sla_program_known"
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="sla_stage_known"
            ),
        ]
        verbose_name = _("stage service level")
        verbose_name_plural = _("stage service levels")

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.program}:{self.stage}={self.days}"


class MissingDocumentExplanation(models.Model):
    """Why a COM document cannot be had; it stands in for the document at submission."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="missing_document_explanations"
    )
    document = models.CharField(_("document"), max_length=20, choices=ComDocument.choices)
    text = EncryptedTextField(_("explanation"), text_max_length=4000, blank=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document__in=ComDocument.values),
                name="explanation_document_known",
            ),
        ]
        verbose_name = _("explanation for a missing document")
        verbose_name_plural = _("explanations for missing documents")

    def __str__(self) -> str:
        return f"explanation {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id
