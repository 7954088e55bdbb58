"""Re-authentication: sensitive views ask for the password and the second factor again when
the last full sign-in is more than a few minutes old."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth import get_user
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from tests.conftest import PASSWORD

from safepassage.accounts.reauth import (
    SESSION_KEY,
    is_recently_authenticated,
    mark_authenticated,
    require_recent_auth,
)
from safepassage.accounts.testing import client_make_stale, totp_code, totp_device_for

pytestmark = pytest.mark.django_db


@require_recent_auth
def _sensitive(request: HttpRequest) -> HttpResponse:
    return HttpResponse("done")


def _request(client: Client, method: str = "get", path: str = "/cases/x/", **extra: Any) -> Any:
    request = getattr(RequestFactory(), method)(path, **extra)
    request.session = client.session
    request.user = get_user(request)
    return request


def test_the_decorator_lets_a_fresh_authentication_through(
    caseworker: Any, client_for: Any
) -> None:
    request = _request(client_for(caseworker))
    assert is_recently_authenticated(request)
    assert _sensitive(request).content == b"done"


def test_the_decorator_sends_a_stale_session_to_reauthenticate_and_back(
    caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    client_make_stale(client)
    response = _sensitive(_request(client, path="/cases/x/?tab=2"))
    assert response.status_code == 303
    assert response["Location"] == "/accounts/reauth/?next=%2Fcases%2Fx%2F%3Ftab%3D2"


def test_a_stale_post_is_not_carried_out_and_returns_to_the_form_page(
    caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    client_make_stale(client)
    request = _request(
        client,
        "post",
        "/accounts/security/keys/",
        HTTP_REFERER="http://testserver/accounts/security/",
    )
    response = _sensitive(request)
    assert response.status_code == 303
    assert response["Location"] == "/accounts/reauth/?next=%2Faccounts%2Fsecurity%2F"


def test_a_referer_on_another_site_is_not_a_return_address(
    caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    client_make_stale(client)
    request = _request(client, "post", "/cases/x/", HTTP_REFERER="https://evil.example/")
    assert _sensitive(request)["Location"] == "/accounts/reauth/?next=%2Fcases%2Fx%2F"


def test_the_age_limit_is_adjustable(caseworker: Any, client_for: Any) -> None:
    client = client_for(caseworker)
    client_make_stale(client, seconds_ago=120)
    request = _request(client)
    assert is_recently_authenticated(request, max_age_seconds=300)
    assert not is_recently_authenticated(request, max_age_seconds=60)
    mark_authenticated(request)
    assert is_recently_authenticated(request, max_age_seconds=60)


def test_reauthentication_needs_the_password_and_a_code_then_returns(
    caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    client_make_stale(client)
    device = totp_device_for(caseworker)
    wrong = client.post(
        "/accounts/reauth/",
        {"password": "wrong password", "code": totp_code(device), "next": "/accounts/security/"},
    )
    assert wrong.status_code == 200
    assert client.session[SESSION_KEY] < time.time() - 600

    right = client.post(
        "/accounts/reauth/",
        {"password": PASSWORD, "code": totp_code(device), "next": "/accounts/security/"},
    )
    assert right.status_code == 302 and right["Location"] == "/accounts/security/"
    request = _request(client)
    assert is_recently_authenticated(request)


def test_reauthentication_refuses_a_wrong_code(caseworker: Any, client_for: Any) -> None:
    client = client_for(caseworker)
    client_make_stale(client)
    response = client.post("/accounts/reauth/", {"password": PASSWORD, "code": "000000"})
    assert response.status_code == 200
    assert not is_recently_authenticated(_request(client))


def test_new_recovery_codes_need_a_recent_authentication(caseworker: Any, client_for: Any) -> None:
    client = client_for(caseworker)
    assert client.post("/accounts/security/recovery-codes/").status_code == 200
    client_make_stale(client)
    stale = client.post(
        "/accounts/security/recovery-codes/", HTTP_REFERER="http://testserver/accounts/security/"
    )
    assert stale.status_code == 303
    assert stale["Location"] == "/accounts/reauth/?next=%2Faccounts%2Fsecurity%2F"


def test_the_security_page_is_refused_to_anonymous_visitors(db: None) -> None:
    assert Client().get("/accounts/security/").status_code == 302
    assert Client().get("/accounts/reauth/").status_code == 302
