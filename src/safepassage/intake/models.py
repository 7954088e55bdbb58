"""Public applications: drafts an applicant fills step by step, their uploaded files, the
record of a submitted application (with the applicant's hashed PIN) and the documents staff
ask the applicant for.

A draft's answers and file names are sealed with a data key of the draft's own (its
``encryption_scope`` is the draft id), so expiring a draft crypto-shreds it whole.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.cases.models import Channel, DocumentKind
from safepassage.protection.fields import EncryptedTextField


class ApplicationDraft(models.Model):
    """What an applicant has typed so far, even when it is not valid yet."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # JSON: {"steps": {step: {"data": {field: [values]}, "complete": bool}}}
    answers = EncryptedTextField(_("answers"))
    # Keyed hash (HMAC with SECRET_KEY) of the resume code; the code itself is never stored.
    resume_code_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8, default="en")
    # Set when a staff member fills the form for someone (on the phone): their organisation.
    organization = models.ForeignKey(
        "core.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The clear PIN, sealed, kept only until the receipt has been shown once.
    receipt_pin = EncryptedTextField(_("PIN"), text_max_length=20)
    receipt_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("application draft")
        verbose_name_plural = _("application drafts")

    def __str__(self) -> str:
        return f"draft {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.id


class DraftDocument(models.Model):
    """A file uploaded into a draft: checked, sealed with the draft's key, stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    draft = models.ForeignKey(ApplicationDraft, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    original_name = EncryptedTextField(_("file name"), text_max_length=255)
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="draft_document_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"draft document {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.draft_id


class Application(models.Model):
    """A submitted application: one per draft (idempotency), one per case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="application")
    draft_id = models.UUIDField(unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    language = models.CharField(max_length=8)
    submitted_at = models.DateTimeField(auto_now_add=True)
    # The PIN's slow hash (Argon2). Hashing takes a CPU-heavy fraction of a second, so it is
    # done by a background job after the submission commits; until then (seconds, or until
    # the first sign-in, which hashes it itself) the PIN is kept sealed with the case's key in
    # ``pin_sealed``, as the draft keeps it sealed until the receipt is shown. Never both.
    pin_hash = models.CharField(max_length=200, blank=True)
    pin_sealed = EncryptedTextField(_("PIN"), text_max_length=20)
    # JSON: answers with no home in the case model yet (threat, where the applicant is now,
    # how to reach them safely); sealed with the case's key.
    answers = EncryptedTextField(_("answers"))

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"application {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id


class DocumentRequest(models.Model):
    """A document staff asked the applicant for; fulfilled by an upload on the status page."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="document_requests"
    )
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    document = models.ForeignKey(
        "cases.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values),
                name="document_request_kind_known",
            ),
        ]
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")

    def __str__(self) -> str:
        return f"document request {self.pk}"
