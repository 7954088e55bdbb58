"""Staff sign-in state: open sessions per user, security keys and hashed recovery codes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin


class UserSession(models.Model):
    """An open session of a user, so that all of them can be ended server-side at once
    (deactivation, password change). Rows are written at sign-in and removed at sign-out."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="open_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("open session")
        verbose_name_plural = _("open sessions")

    def __str__(self) -> str:
        return f"session of user {self.user_id}"


class SecurityKey(TimestampMixin, ThrottlingMixin, Device):
    """A WebAuthn authenticator (hardware key or platform authenticator) used as second factor.

    It is a django-otp device so that OTPMiddleware treats a session verified with it like one
    verified with a code; it verifies signed challenges, not typed tokens.
    """

    credential_id: models.BinaryField[bytes, bytes] = models.BinaryField(max_length=1023)
    credential_id_digest: models.CharField[str, str] = models.CharField(max_length=64, unique=True)
    public_key: models.BinaryField[bytes, bytes] = models.BinaryField()
    sign_count: models.PositiveBigIntegerField[int, int] = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)

    class Meta(Device.Meta):
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")

    def verify_token(self, token: Any) -> bool:
        return False  # security keys answer challenges, see services.security_key_authenticate

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))


class RecoveryCodeSet(TimestampMixin, ThrottlingMixin, Device):
    """Single-use recovery codes of a user. django-otp's static device keeps codes in clear
    text; these are kept as SHA-256 digests (the codes carry 80 random bits), so a copy of the
    database does not hand out second factors."""

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token: Any) -> bool:
        from safepassage.accounts.services import recovery_code_digest

        allowed, _details = self.verify_is_allowed()
        if not allowed or not isinstance(token, str):
            return False
        used = RecoveryCode.objects.filter(
            code_set=self, digest=recovery_code_digest(token), used_at__isnull=True
        ).update(used_at=Now())
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))


class RecoveryCode(models.Model):
    code_set = models.ForeignKey(RecoveryCodeSet, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code_set", "digest"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code {self.pk}"
