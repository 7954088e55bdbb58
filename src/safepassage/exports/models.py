"""Bulk exports and the sharing agreements they may rely on.

An export request names its scope (frozen to a set of cases when requested), its columns,
one recipient, the purpose and the legal basis. Large exports wait for a second person's
approval; every export is downloaded a limited number of times within a limited window, and
the file is made afresh at each download: no file is ever stored. Free text and the
recipient's name are encrypted; so is the export's canary (see ``canary.py``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.cases.stages import Program, Stage
from safepassage.protection.fields import EncryptedTextField


class LegalBasis(models.TextChoices):
    """The lawful bases of data-protection law (GDPR Article 6) an export can rest on."""

    VITAL_INTERESTS = "vital_interests", _("Vital interests (protection of life)")
    CONSENT = "consent", _("Consent of the people concerned")
    PUBLIC_TASK = "public_task", _("Task carried out in the public interest")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("Legitimate interests")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    CONTRACT = "contract", _("Contract with the people concerned")


class SharingAgreement(models.Model):
    """A recorded agreement to share data with a partner organisation: for what purpose, on
    what legal basis, which columns at most, until when, and who approved it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("sharing organisation"),
        on_delete=models.PROTECT,
        related_name="sharing_agreements",
    )
    recipient_organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("recipient organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = EncryptedTextField(_("purpose"), text_max_length=2000, blank=False)
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices)
    allowed_fields = models.JSONField(_("allowed columns"), default=list)
    document_reference = models.CharField(
        _("reference of the signed agreement"), max_length=100, blank=True
    )
    starts_at = models.DateTimeField(_("valid from"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_basis__in=LegalBasis.values), name="agreement_legal_basis_known"
            ),
            models.CheckConstraint(
                condition=~Q(recipient_organization=F("organization")),
                name="agreement_recipient_is_another_organization",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("starts_at")), name="agreement_ends_after_start"
            ),
        ]
        verbose_name = _("sharing agreement")
        verbose_name_plural = _("sharing agreements")

    def __str__(self) -> str:
        return f"agreement {self.pk}"

    def is_active(self, at: dt.datetime | None = None) -> bool:
        moment = at or timezone.now()
        return self.revoked_at is None and self.starts_at <= moment < self.expires_at


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel workbook (.xlsx), encrypted with a password")
    CSV = "csv", _("CSV file in a ZIP archive encrypted with a password (AES-256)")


class PeopleInScope(models.TextChoices):
    PRINCIPALS = "principals", _("Principal applicants only")
    HOUSEHOLDS = "households", _("Every member of each household")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second person's approval")
    APPROVED = "approved", _("Ready to download")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Downloaded")


class ExportRequest(models.Model):
    """One request to take personal data out of the system, for one recipient."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="export_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    expires_at = models.DateTimeField(_("request expires"))
    status = models.CharField(
        _("status"), max_length=12, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )

    # What: the scope as asked for, frozen to the cases it matched when requested.
    scope_stage = models.CharField(_("stage"), max_length=40, blank=True, choices=Stage.choices)
    scope_program = models.CharField(
        _("program"), max_length=20, blank=True, choices=Program.choices
    )
    scope_by_reference = models.BooleanField(_("chosen by case reference"), default=False)
    people = models.CharField(
        _("people"), max_length=12, choices=PeopleInScope.choices, default=PeopleInScope.HOUSEHOLDS
    )
    cases = models.ManyToManyField("cases.Case", related_name="+")
    fields = models.JSONField(_("columns"), default=list)
    file_format = models.CharField(
        _("file format"), max_length=4, choices=ExportFormat.choices, default=ExportFormat.XLSX
    )
    row_count = models.PositiveIntegerField(_("people"))
    case_count = models.PositiveIntegerField(_("households"))
    approval_required = models.BooleanField(_("needs a second person's approval"))

    # To whom, why, on what basis.
    recipient_name = EncryptedTextField(_("recipient"), text_max_length=200, blank=False)
    recipient_organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("recipient organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreement = models.ForeignKey(
        SharingAgreement,
        verbose_name=_("sharing agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exports",
    )
    purpose = EncryptedTextField(_("purpose"), text_max_length=2000, blank=False)
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices)
    recipient_age_key = models.CharField(
        _("recipient's age public key"),
        max_length=100,
        blank=True,
        help_text=_("Optional: the file is also encrypted to this key (age, age1…)."),
    )

    # The second person's decision.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejection_reason = EncryptedTextField(_("reason for rejection"), text_max_length=2000)

    # Download: a window, a number of downloads, a one-time password kept only as a digest.
    download_expires_at = models.DateTimeField(_("download possible until"), null=True, blank=True)
    downloads_allowed = models.PositiveSmallIntegerField(_("downloads allowed"), default=1)
    download_count = models.PositiveSmallIntegerField(_("downloads"), default=0)
    last_downloaded_at = models.DateTimeField(_("last downloaded"), null=True, blank=True)
    password_digest = models.CharField(max_length=64, blank=True, editable=False)
    password_issued_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The canary: a synthetic person only this export's file contains.
    canary = EncryptedTextField(text_max_length=4000, editable=False)
    canary_phone_digest = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="export_status_known"
            ),
            models.CheckConstraint(
                condition=Q(file_format__in=ExportFormat.values), name="export_format_known"
            ),
            models.CheckConstraint(
                condition=Q(people__in=PeopleInScope.values), name="export_people_known"
            ),
            models.CheckConstraint(
                condition=Q(legal_basis__in=LegalBasis.values), name="export_legal_basis_known"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("requested_by")),
                name="export_approver_is_not_requester",
            ),
            models.CheckConstraint(
                condition=Q(download_count__lte=F("downloads_allowed")),
                name="export_downloads_within_limit",
            ),
        ]
        verbose_name = _("export request")
        verbose_name_plural = _("export requests")

    def __str__(self) -> str:
        return f"export {self.pk}"

    @property
    def short_id(self) -> str:
        """What the recipient line and the file name show: enough to find the export."""
        return str(self.pk).split("-")[0].upper()

    def is_request_expired(self, at: dt.datetime | None = None) -> bool:
        return self.status == ExportStatus.PENDING and (at or timezone.now()) >= self.expires_at

    def is_download_open(self, at: dt.datetime | None = None) -> bool:
        moment = at or timezone.now()
        return (
            self.status == ExportStatus.APPROVED
            and self.download_expires_at is not None
            and moment < self.download_expires_at
            and self.download_count < self.downloads_allowed
        )

    @property
    def state(self) -> str:
        """The status as a person reads it: "expired" once a window has passed."""
        now = timezone.now()
        if self.is_request_expired(now):
            return "expired"
        if self.status == ExportStatus.APPROVED and not self.is_download_open(now):
            return "expired"
        return str(self.status)

    @property
    def state_label(self) -> str:
        if self.state == "expired":
            return str(_("Expired"))
        return str(self.get_status_display())
