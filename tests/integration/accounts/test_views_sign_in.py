"""Signing in: the password step alone opens nothing; the second factor (authenticator app,
recovery code) does; a user without one must enrol before reaching any other page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.conftest import PASSWORD

from safepassage.accounts import services
from safepassage.accounts.models import RecoveryCode, UserSession
from safepassage.accounts.testing import totp_code
from safepassage.api.services import api_token_issue
from safepassage.protection.models import AuditEvent

pytestmark = pytest.mark.django_db

WORKSPACE_PAGES = ["/cases/", "/cases/new/", "/api/v1/docs", "/api/v1/openapi.json", "/admin/"]


def test_the_password_step_alone_reaches_no_workspace_page(
    enrolled: Any, password_step: Any
) -> None:
    client = Client()
    response = password_step(client, "caseworker", PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    for page in WORKSPACE_PAGES:
        refused = client.get(page)
        assert refused.status_code == 303, page
        assert refused["Location"].startswith("/accounts/two-factor/"), page


def test_a_half_signed_in_htmx_request_is_sent_to_the_second_factor_page(
    enrolled: Any, password_step: Any
) -> None:
    client = Client()
    password_step(client, "caseworker", PASSWORD)
    response = client.get("/cases/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/accounts/two-factor/")


def test_the_api_with_a_bearer_token_is_not_affected_by_a_half_finished_sign_in(
    org: Any, enrolled: Any, password_step: Any
) -> None:
    _record, token = api_token_issue(actor=None, user=enrolled, organization=org, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    password_step(client, "caseworker", PASSWORD)
    assert client.get("/api/v1/cases").status_code == 200


def test_a_user_without_a_second_factor_must_enrol_before_any_other_page(
    caseworker: Any, password_step: Any
) -> None:
    client = Client()
    password_step(client, "caseworker", PASSWORD)
    second = client.get("/accounts/two-factor/")
    assert second.status_code == 302 and second["Location"].startswith(
        "/accounts/two-factor/enrol/"
    )
    for page in [*WORKSPACE_PAGES, "/accounts/security/", "/accounts/reauth/"]:
        refused = client.get(page)
        assert refused.status_code == 303, page
        assert refused["Location"].startswith("/accounts/two-factor/enrol/"), page


def test_enrolling_an_authenticator_app_signs_in_and_shows_ten_recovery_codes_once(
    caseworker: Any, password_step: Any
) -> None:
    client = Client()
    password_step(client, "caseworker", PASSWORD)
    page = client.get("/accounts/two-factor/enrol/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "otpauth" not in body.split("<svg", 1)[0]
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', body)
    assert secret and secret.group(1) == services.totp_secret_text(device)

    done = client.post("/accounts/two-factor/enrol/", {"code": totp_code(device)})

    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/cases/").status_code == 200
    stored = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)
    assert AuditEvent.objects.filter(
        action="auth.second_factor.enrol", object_id=str(caseworker.pk)
    ).exists()
    again = client.get("/accounts/security/")
    assert not any(code in again.content.decode() for code in codes)


def test_a_wrong_code_does_not_confirm_the_enrolment(caseworker: Any, password_step: Any) -> None:
    client = Client()
    password_step(client, "caseworker", PASSWORD)
    client.get("/accounts/two-factor/enrol/")
    response = client.post("/accounts/two-factor/enrol/", {"code": "000000"})
    assert response.status_code == 200 and b'role="alert"' in response.content
    assert not TOTPDevice.objects.filter(user=caseworker, confirmed=True).exists()
    assert client.get("/cases/").status_code == 303


def test_an_enrolled_user_cannot_add_an_app_with_the_password_alone(
    enrolled: Any, password_step: Any
) -> None:
    client = Client()
    password_step(client, "caseworker", PASSWORD)
    response = client.get("/accounts/two-factor/enrol/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?")
    assert TOTPDevice.objects.filter(user=enrolled).count() == 1


def test_password_and_authenticator_code_open_the_workspace_and_keep_the_next_page(
    enrolled: Any, password_step: Any, code_step: Any, current_code: Any
) -> None:
    client = Client()
    first = password_step(client, "caseworker", PASSWORD, next="/cases/new/")
    assert first["Location"] == "/accounts/two-factor/?next=%2Fcases%2Fnew%2F"
    response = code_step(client, current_code(enrolled), next="/cases/new/")
    assert response.status_code == 302 and response["Location"] == "/cases/new/"
    assert client.get("/cases/").status_code == 200
    assert UserSession.objects.filter(user=enrolled).count() == 1
    assert AuditEvent.objects.filter(action="auth.login", object_id=str(enrolled.pk)).exists()


def test_a_next_page_on_another_site_is_ignored(
    enrolled: Any, password_step: Any, code_step: Any, current_code: Any
) -> None:
    client = Client()
    password_step(client, "caseworker", PASSWORD, next="https://evil.example/")
    response = code_step(client, current_code(enrolled), next="//evil.example/")
    assert response["Location"] == "/cases/"


def test_a_code_typed_in_dari_digits_is_accepted(
    enrolled: Any, password_step: Any, code_step: Any, current_code: Any
) -> None:
    client = Client()
    password_step(client, "caseworker", PASSWORD)
    dari = current_code(enrolled).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert code_step(client, dari)["Location"] == "/cases/"


def test_a_recovery_code_works_once(enrolled: Any, password_step: Any, code_step: Any) -> None:
    codes = services.recovery_codes_issue(actor=enrolled)
    first = Client()
    password_step(first, "caseworker", PASSWORD)
    assert code_step(first, codes[3].upper())["Location"] == "/cases/"
    assert first.get("/cases/").status_code == 200

    second = Client()
    password_step(second, "caseworker", PASSWORD)
    refused = code_step(second, codes[3])
    assert refused.status_code == 200
    assert second.get("/cases/").status_code == 303
    assert services.recovery_codes_remaining(user=enrolled) == 9


def test_a_wrong_code_is_refused_and_the_next_attempt_must_wait(
    enrolled: Any, password_step: Any, code_step: Any, current_code: Any
) -> None:
    client = Client()
    password_step(client, "caseworker", PASSWORD)
    wrong = code_step(client, "123456" if current_code(enrolled) != "123456" else "654321")
    assert wrong.status_code == 200
    # django-otp's throttling: right after a failure even the right code is refused.
    assert code_step(client, current_code(enrolled)).status_code == 200
    assert client.get("/cases/").status_code == 303


def test_too_many_wrong_codes_end_the_sign_in(
    enrolled: Any, password_step: Any, code_step: Any, settings: Any
) -> None:
    settings.SECOND_FACTOR_ATTEMPTS = 3
    client = Client()
    password_step(client, "caseworker", PASSWORD)
    responses = [code_step(client, "000000") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 302]
    assert responses[-1]["Location"] == "/accounts/login/"
    assert client.get("/cases/").status_code == 302  # signed out: back to the password step
    assert AuditEvent.objects.filter(action="auth.second_factor.fail").count() == 3


def test_signing_out_ends_the_session_and_its_record(
    enrolled: Any, password_step: Any, code_step: Any, current_code: Any
) -> None:
    client = Client()
    password_step(client, "caseworker", PASSWORD)
    code_step(client, current_code(enrolled))
    assert UserSession.objects.count() == 1
    client.post("/accounts/logout/")
    assert UserSession.objects.count() == 0
    assert client.get("/cases/").status_code == 302


def test_the_admin_sign_in_page_leads_to_the_staff_sign_in(db: None) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
