"""Sessions end when idle, when too old, and everywhere at once when the user is deactivated
or the password changes."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from safepassage.accounts import services
from safepassage.accounts.models import UserSession
from safepassage.protection.models import AuditEvent

pytestmark = pytest.mark.django_db


def _shift_clock(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def test_a_session_idle_for_too_long_ends(caseworker: Any, client_for: Any, settings: Any) -> None:
    client = client_for(caseworker)
    assert client.get("/cases/").status_code == 200
    _shift_clock(client, services.SESSION_SEEN_AT, settings.SESSION_IDLE_SECONDS + 1)
    response = client.get("/cases/")
    assert response.status_code == 303
    assert response["Location"] == "/accounts/login/?next=%2Fcases%2F"
    assert client.get("/cases/").status_code == 302
    assert not UserSession.objects.filter(user=caseworker).exists()
    expired = AuditEvent.objects.get(action="auth.session.expire")
    assert expired.details["reason"] == "idle"


def test_activity_keeps_a_session_open(caseworker: Any, client_for: Any, settings: Any) -> None:
    client = client_for(caseworker)
    _shift_clock(client, services.SESSION_SEEN_AT, settings.SESSION_IDLE_SECONDS - 60)
    assert client.get("/cases/").status_code == 200
    _shift_clock(client, services.SESSION_SEEN_AT, 120)
    assert client.get("/cases/").status_code == 200


def test_a_session_ends_at_its_absolute_limit_even_when_busy(
    caseworker: Any, client_for: Any, settings: Any
) -> None:
    client = client_for(caseworker)
    _shift_clock(client, services.SESSION_LOGIN_AT, settings.SESSION_ABSOLUTE_SECONDS + 1)
    response = client.get("/cases/")
    assert response.status_code == 303
    assert client.get("/cases/").status_code == 302
    assert AuditEvent.objects.get(action="auth.session.expire").details["reason"] == "absolute"


def test_an_expired_htmx_request_sends_the_window_to_sign_in(
    caseworker: Any, client_for: Any, settings: Any
) -> None:
    client = client_for(caseworker)
    _shift_clock(client, services.SESSION_SEEN_AT, settings.SESSION_IDLE_SECONDS + 1)
    response = client.get("/cases/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/accounts/login/")


def _session_exists(key: str) -> bool:
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    return bool(store().exists(key))


def test_deactivating_a_user_ends_all_their_sessions(
    caseworker: Any, supervisor: Any, client_for: Any
) -> None:
    phone, laptop, colleague = (
        client_for(caseworker),
        client_for(caseworker),
        client_for(supervisor),
    )
    keys = [phone.session.session_key, laptop.session.session_key]
    assert UserSession.objects.filter(user=caseworker).count() == 2

    caseworker.is_active = False
    caseworker.save()

    assert not any(_session_exists(key) for key in keys)
    assert not UserSession.objects.filter(user=caseworker).exists()
    assert phone.get("/cases/").status_code == 302
    assert laptop.get("/cases/").status_code == 302
    assert colleague.get("/cases/").status_code == 200
    ended = AuditEvent.objects.get(action="auth.session.end_all")
    assert ended.details == {"reason": "deactivated", "count": 2}


def test_a_password_change_ends_all_sessions(caseworker: Any, client_for: Any) -> None:
    client = client_for(caseworker)
    key = client.session.session_key
    caseworker.set_password("a whole new passphrase 2024")
    caseworker.save()
    assert not _session_exists(key)
    assert client.get("/cases/").status_code == 302


def test_saving_a_user_without_changes_keeps_their_sessions(
    caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    caseworker.first_name = "Changed"
    caseworker.save()
    assert client.get("/cases/").status_code == 200
