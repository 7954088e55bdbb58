"""Partner imports: one uploaded spreadsheet (:class:`ImportBatch`) and its rows
(:class:`ImportRow`), each classified against the organisation's people before anything is
written, and what confirming did with it.

The file's values are held only encrypted, under the batch's own data key: each row's cells
in an encrypted field. Everything in clear is a number, a code, an id or a keyed fingerprint.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safepassage.protection.fields import EncryptedJSONField


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="+"
    )
    file_kind = models.CharField(max_length=4)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    auto_link_weight = models.FloatField()
    review_weight = models.FloatField()
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["preview", "confirmed"]),
                name="linkage_import_status_known",
            ),
        ]
        verbose_name = _("partner import")
        verbose_name_plural = _("partner imports")

    def __str__(self) -> str:
        return f"import {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.id


class RowClass(models.TextChoices):
    INVALID = "invalid", _("Has errors")
    HELD = "held", _("Held: another row of the household has errors")
    NEW = "new", _("New person")
    MATCH = "match", _("Already known")
    REVIEW = "review", _("Needs review")
    IMPORTED = "imported", _("Imported before")


class ImportRow(models.Model):
    """One row of a partner file: its cells (encrypted), how it was classified and, after
    confirmation, the person it was created as or linked to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()
    cells = EncryptedJSONField()
    fingerprint = models.CharField(max_length=64, db_index=True)
    row_class = models.CharField(max_length=10, choices=RowClass.choices)
    match_weight = models.FloatField(null=True, blank=True)
    matched_person = models.ForeignKey(
        "cases.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    matched_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    matched_row_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="An earlier row of the same file that may be this person."
    )
    contributions = models.JSONField(default=list, blank=True)
    person = models.ForeignKey(
        "cases.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposal = models.ForeignKey(
        "linkage.MatchProposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="linkage_import_row_once"),
            models.CheckConstraint(
                condition=Q(row_class__in=RowClass.values), name="linkage_import_row_class_known"
            ),
        ]
        verbose_name = _("partner import row")
        verbose_name_plural = _("partner import rows")

    def __str__(self) -> str:
        return f"import row {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.batch_id
