"""The audit log (append-only, hash-chained), security alerts, and the key store's data keys."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.protection.fields import EncryptedTextField


class AuditEvent(models.Model):
    """One accountable act: who, when, which object, which fields, from where; never values.

    Each entry carries the hash of the one before it, so an edited, deleted, reordered or
    truncated entry is found by ``safepassage audit verify``.
    """

    sequence = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, db_index=True)
    # Codes, ids and counts only: the details must never hold a name, a number or free text.
    details = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=10, default="system")  # web, api, cli, system
    address_hash = models.CharField(max_length=32, blank=True)  # keyed hash of the client address
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit events are append-only")


class AuditChainHead(models.Model):
    """The newest entry of the chain (one row); serialises appends and reveals truncation."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head {self.sequence}"


class SecurityAlert(models.Model):
    """Something an organisation's administrators must look at (break-glass, read surges,
    failed retention runs)."""

    class Kind(models.TextChoices):
        BREAK_GLASS = "break_glass", _("Emergency access to a case")
        READ_RATE = "read_rate", _("Unusually many cases read")
        RETENTION_FAILED = "retention_failed", _("Scheduled erasure failed")
        ERASURE = "erasure", _("Case erased")

    organization = models.ForeignKey(
        "core.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)  # ids and counts only
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class DataKey(models.Model):
    """A case's data key, wrapped by a key-encryption key. Lives in the ``keys`` database,
    never in the main one, so that destroying it erases the case from every backup."""

    id = models.UUIDField(primary_key=True)
    scope = models.UUIDField(unique=True)  # the case id (or the system scope)
    kek_id = models.CharField(max_length=64)
    wrapped_key = models.BinaryField(null=True)  # NULL once destroyed (crypto-shredded)
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kek_id"], name="datakey_kek_idx")]

    def __str__(self) -> str:
        return f"data key {self.id}"


class BreakGlassGrant(models.Model):
    """Emergency access to one case outside the user's scope, with a stated reason; the
    case's organisation is alerted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="break_glass_grants"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField(text_max_length=1000, blank=False)
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"break-glass {self.pk}"

    @property
    def encryption_scope(self) -> Any:
        return self.case_id


class SearchToken(models.Model):
    """A blind-index token: a person can be found under it (see protection/blind_index.py)."""

    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    digest = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["kind", "digest"], name="searchtoken_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.kind} token"
