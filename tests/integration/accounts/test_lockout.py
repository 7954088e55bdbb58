"""Lockout by account and by client address, without telling which accounts exist: the same
page, the same words and (thanks to dummy hashing) the same time for unknown names."""

from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from tests.conftest import PASSWORD

from safepassage.accounts.services import address_digest
from safepassage.protection.models import AuditEvent

pytestmark = pytest.mark.django_db

WRONG = "not the password at all"


def _without_csrf(body: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode())


def test_an_account_is_locked_after_repeated_failures_from_any_addresses(
    enrolled: Any, password_step: Any, settings: Any
) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(limit):
        response = password_step(Client(), "caseworker", WRONG, address=f"10.0.0.{attempt + 1}")
    assert response.status_code == 429
    # Even the right password, from a fresh address, is refused during the cool-off.
    locked = password_step(Client(), "caseworker", PASSWORD, address="10.9.9.9")
    assert locked.status_code == 429
    assert "/accounts/two-factor/" not in locked.get("Location", "")
    assert AuditEvent.objects.filter(action="auth.lockout", object_id=str(enrolled.pk)).exists()


def test_an_address_is_locked_after_repeated_failures_across_accounts(
    enrolled: Any, supervisor: Any, password_step: Any, settings: Any
) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(limit):
        password_step(Client(), f"someone{attempt}", WRONG, address="10.1.1.1")
    assert password_step(Client(), "supervisor", PASSWORD, address="10.1.1.1").status_code == 429
    # Another address is not affected.
    elsewhere = password_step(Client(), "supervisor", PASSWORD, address="10.2.2.2")
    assert elsewhere.status_code == 302


def test_the_lock_ends_after_the_cool_off(enrolled: Any, password_step: Any, settings: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(Client(), "caseworker", WRONG)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time  # type: ignore[union-attr]
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assert password_step(Client(), "caseworker", PASSWORD).status_code == 302


def test_wrong_second_factor_codes_count_towards_the_account_lockout(
    enrolled: Any, password_step: Any, code_step: Any, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.SECOND_FACTOR_ATTEMPTS = 10
    client = Client()
    password_step(client, "caseworker", PASSWORD)
    responses = [code_step(client, "000000") for _ in range(3)]
    assert responses[-1].status_code == 429
    assert client.get("/cases/").status_code == 302  # the half-finished sign-in ended
    assert password_step(Client(), "caseworker", PASSWORD, address="10.3.3.3").status_code == 429


def test_unknown_and_known_accounts_get_the_same_answer(
    enrolled: Any, password_step: Any, settings: Any
) -> None:
    known = password_step(Client(), "caseworker", WRONG, address="10.4.0.1")
    unknown = password_step(Client(), "nobody-here", WRONG, address="10.4.0.2")
    assert known.status_code == unknown.status_code == 200
    assert _without_csrf(known.content) == _without_csrf(unknown.content)
    assert "nobody-here" not in unknown.content.decode()

    for attempt in range(settings.AXES_FAILURE_LIMIT):
        known = password_step(Client(), "caseworker", WRONG, address=f"10.5.0.{attempt}")
        unknown = password_step(Client(), "nobody-here", WRONG, address=f"10.6.0.{attempt}")
    assert known.status_code == unknown.status_code == 429
    assert _without_csrf(known.content) == _without_csrf(unknown.content)


def test_the_lockout_page_is_translated(enrolled: Any, password_step: Any, settings: Any) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = password_step(client, "caseworker", WRONG)
    assert response.status_code == 429
    assert 'lang="fa"' in response.content.decode()


def test_failures_keep_neither_the_typed_name_nor_the_address(
    enrolled: Any, password_step: Any
) -> None:
    password_step(Client(), "secret-typed-name", WRONG, address="10.7.7.7")
    password_step(Client(), "caseworker", WRONG, address="10.7.7.8")
    stored = " ".join(
        f"{a.username} {a.ip_address} {a.get_data} {a.post_data}"
        for a in AccessAttempt.objects.all()
    )
    assert AccessAttempt.objects.count() == 2
    for clear in ("secret-typed-name", "caseworker", "10.7.7.7", "10.7.7.8", WRONG):
        assert clear not in stored
    unknown = AuditEvent.objects.get(action="auth.login.fail", object_type="clientaddress")
    assert unknown.object_id == address_digest("10.7.7.7")
    assert unknown.actor_id is None
    assert "secret-typed-name" not in str(unknown.details)
    known = AuditEvent.objects.get(action="auth.login.fail", object_type="user")
    assert known.object_id == str(enrolled.pk)
    assert known.details["address"] == address_digest("10.7.7.8")


def test_an_unknown_name_takes_as_long_as_a_wrong_password(
    enrolled: Any, password_step: Any, settings: Any
) -> None:
    """A correctness check of the dummy hashing (not a benchmark): with the real Argon2 hasher,
    a wrong password for an existing account and any password for an unknown name take about
    the same time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 10_000
    enrolled.set_password(PASSWORD)
    enrolled.save()
    assert enrolled.password.startswith("argon2$argon2id$")
    known: list[float] = []
    unknown: list[float] = []
    for attempt in range(20):
        for username, times in (("caseworker", known), ("nobody-here", unknown)):
            client = Client()
            started = time.perf_counter()
            response = password_step(client, username, WRONG, address=f"10.8.0.{attempt}")
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 0.5 < ratio < 2, ratio
