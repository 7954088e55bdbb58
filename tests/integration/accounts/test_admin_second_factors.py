"""The admin lists second factors without their secrets and removes a lost one, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.accounts.models import UserSession
from safepassage.accounts.testing import totp_device_for
from safepassage.core.services import user_create
from safepassage.protection.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(db: None) -> Any:
    user = user_create(username="root-admin", password="a long admin passphrase")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


def test_the_admin_shows_no_secret_and_removes_a_lost_app_ending_the_sessions(
    administrator: Any, caseworker: Any, client_for: Any
) -> None:
    lost = totp_device_for(caseworker)
    client_for(caseworker)
    admin = client_for(administrator)
    page = admin.get(f"/admin/otp_totp/totpdevice/{lost.pk}/change/")
    assert page.status_code == 200
    assert lost.key not in page.content.decode()
    assert admin.get(f"/admin/otp_totp/totpdevice/{lost.pk}/qrcode/").status_code in (302, 404)

    admin.post(f"/admin/otp_totp/totpdevice/{lost.pk}/delete/", {"post": "yes"})

    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    assert not UserSession.objects.filter(user=caseworker).exists()
    removed = AuditEvent.objects.get(action="auth.second_factor.remove")
    assert removed.actor_id == administrator.pk and removed.details["kind"] == "totp"


def test_staff_without_admin_rights_cannot_see_second_factors(
    caseworker: Any, client_for: Any
) -> None:
    response = client_for(caseworker).get("/admin/otp_totp/totpdevice/")
    assert response.status_code == 302
