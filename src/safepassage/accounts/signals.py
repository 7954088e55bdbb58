"""Receivers that connect Django's and django-axes' sign-in signals to the accounts services."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from safepassage.accounts import services

_SESSIONS_END_REASON = "_accounts_sessions_end_reason"


@receiver(user_logged_in, dispatch_uid="accounts_session_open")
def _session_open(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        services.session_open_record(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts_session_close")
def _session_close(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        services.session_close_record(session_key=request.session.session_key)


@receiver(user_login_failed, dispatch_uid="accounts_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if credentials.get("stage") == services.SECOND_FACTOR_STAGE:
        return  # recorded by services.second_factor_failure_record
    username = credentials.get("username")
    services.sign_in_failure_record(
        request=request, username=username if isinstance(username, str) else None
    )


@receiver(user_locked_out, dispatch_uid="accounts_locked_out")
def _locked_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # django-axes passes the digest of the username; the account is found from the form.
    credentials = getattr(request, "axes_credentials", None) or {}
    username = credentials.get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    services.lockout_record(
        request=request, username=username if isinstance(username, str) else None
    )


@receiver(pre_save, sender=get_user_model(), dispatch_uid="accounts_user_changing")
def _user_changing(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """Note whether this save deactivates the user or changes the password."""
    if instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["is_active"] and not instance.is_active:
        setattr(instance, _SESSIONS_END_REASON, "deactivated")
    elif before["password"] != instance.password:
        setattr(instance, _SESSIONS_END_REASON, "password_changed")


@receiver(post_save, sender=get_user_model(), dispatch_uid="accounts_user_changed")
def _user_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    reason = getattr(instance, _SESSIONS_END_REASON, None)
    if reason is None and instance.is_active:
        return
    if hasattr(instance, _SESSIONS_END_REASON):
        delattr(instance, _SESSIONS_END_REASON)
    services.user_sessions_end(actor=None, user=instance, reason=reason or "inactive")
