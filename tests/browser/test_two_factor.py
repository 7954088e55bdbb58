"""Two-factor sign-in in a real browser: enrolling an authenticator app at the first sign-in,
then adding a security key and signing in with it (Chromium's virtual authenticator)."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django_otp.oath import TOTP
from tests.conftest import PASSWORD

from safepassage.accounts.models import SecurityKey
from safepassage.accounts.testing import totp_code, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _password_step(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button.primary")


def _code_from_secret(secret_text: str) -> str:
    secret = re.sub(r"\s", "", secret_text)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return str(TOTP(key).token()).zfill(6)


def test_the_first_sign_in_enrols_an_authenticator_app_and_shows_recovery_codes(
    live_server: Any, caseworker: Any, page_at: Any, screenshot: Any
) -> None:
    base = live_server.url
    page = page_at(390, 844)
    page.goto(f"{base}/accounts/login/")
    page.click("form.languages button[value=fa]")
    page.fill("#id_username", "caseworker")
    page.fill("#id_password", PASSWORD)
    page.click("form button.primary")
    page.wait_for_url(f"{base}/accounts/two-factor/enrol/**")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("figure.qr svg").count() == 1
    screenshot(page, "two-factor-enrol-fa-390")

    # Nothing else opens before the enrolment is done.
    page.goto(f"{base}/cases/")
    page.wait_for_url(f"{base}/accounts/two-factor/enrol/**")

    page.fill("#id_code", _code_from_secret(page.inner_text("#totp-secret")))
    page.click("form button.primary")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    screenshot(page, "two-factor-recovery-codes-fa-390")
    page.click("a.button.primary")
    page.wait_for_url(f"{base}/cases/")


def test_a_security_key_is_added_and_then_used_to_sign_in(
    live_server: Any, caseworker: Any, page_at: Any, screenshot: Any
) -> None:
    base = live_server.url
    page = page_at(1280, 900)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    device = totp_device_for(caseworker)
    _password_step(page, base, "caseworker")
    page.wait_for_url(f"{base}/accounts/two-factor/**")
    page.fill("#id_code", totp_code(device))
    page.click("form button.primary")
    page.wait_for_url(f"{base}/cases/")

    page.goto(f"{base}/accounts/security/")
    page.fill("#id_name", "YubiKey")
    page.click("[data-webauthn=register]")
    page.wait_for_selector("#security-keys .keys li")
    assert SecurityKey.objects.filter(user=caseworker, name="YubiKey").exists()
    screenshot(page, "security-keys-en-1280")

    page.click("form.logout button")
    page.wait_for_url(f"{base}/accounts/login/**")
    _password_step(page, base, "caseworker")
    page.wait_for_url(f"{base}/accounts/two-factor/**")
    page.click("[data-webauthn=authenticate]")
    page.wait_for_url(f"{base}/cases/")
