"""Accounts tests hash with MD5 for speed (one timing test opts back into Argon2), and sign
in through the real pages: password step, then second-factor step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from safepassage.accounts.testing import totp_code, totp_device_for

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_hashers(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


def _password_step(
    client: Client, username: str, password: str, *, address: str = "127.0.0.1", next: str = ""
) -> Any:
    query = f"?next={next}" if next else ""
    return client.post(
        f"/accounts/login/{query}",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _code_step(client: Client, code: str, *, address: str = "127.0.0.1", next: str = "") -> Any:
    data = {"code": code, **({"next": next} if next else {})}
    return client.post("/accounts/two-factor/", data, REMOTE_ADDR=address)


@pytest.fixture
def password_step() -> Callable[..., Any]:
    """Post the sign-in form (username and password) as a browser would."""
    return _password_step


@pytest.fixture
def code_step() -> Callable[..., Any]:
    """Post a code to the second-factor step."""
    return _code_step


@pytest.fixture
def enrolled(caseworker: Any) -> Any:
    """The caseworker, with an authenticator app."""
    totp_device_for(caseworker)
    return caseworker


@pytest.fixture
def current_code() -> Callable[[Any], str]:
    """The code the user's authenticator app shows now."""

    def code(user: Any) -> str:
        return totp_code(totp_device_for(user))

    return code
