"""Helpers for tests: a known authenticator app for a user, its current code, and a test
client session that has passed the second factor, as after a real sign-in."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.accounts.reauth import SESSION_KEY as RECENT_AUTH_SESSION_KEY


def totp_device_for(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator app, created if there is none."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test app", confirmed=True)
    return device


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the authenticator app shows at ``at`` (now by default)."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() if at is None else at
    return str(generator.token()).zfill(device.digits)


def client_verify(client: Client, user: Any) -> None:
    """Mark ``client``'s signed-in session (after ``force_login(user)``) as verified with the
    user's authenticator app and recently authenticated, exactly as sign-in leaves it."""
    device = totp_device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[RECENT_AUTH_SESSION_KEY] = time.time()
    session.save()


def client_make_stale(client: Client, *, seconds_ago: int = 3600) -> None:
    """Make the session's last full authentication ``seconds_ago`` old."""
    session = client.session
    session[RECENT_AUTH_SESSION_KEY] = time.time() - seconds_ago
    session.save()
