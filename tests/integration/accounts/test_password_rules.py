"""Password rules: Argon2id hashing, common and breached passwords refused, no identity."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from safepassage import settings as project_settings
from safepassage.accounts.passwords import BreachedPasswordValidator, sorted_hash_file_contains

pytestmark = pytest.mark.django_db


def _codes(password: str, user: Any = None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list if e.code}
    return set()


def test_argon2id_hashes_new_passwords_and_pbkdf2_hashes_still_verify() -> None:
    hashers = project_settings.PASSWORD_HASHERS
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers


def test_a_common_password_is_refused() -> None:
    assert "password_too_common" in _codes("password1234")


def test_a_short_password_is_refused() -> None:
    assert "password_too_short" in _codes("tr0ub4dor&3")


def test_a_password_containing_the_username_or_the_organisation_is_refused(
    caseworker: Any,
) -> None:
    assert "password_contains_identity" in _codes("my-Caseworker-pass-77", caseworker)
    assert "password_contains_identity" in _codes("kabul relief network 2024!", caseworker)
    assert "password_contains_identity" in _codes("zz krn zz ten more letters", caseworker)
    assert _codes("violet mountain river 1987", caseworker) == set()


def _breach_list(tmp_path: Path, passwords: list[str]) -> Path:
    hashes = sorted(
        hashlib.sha1(p.encode(), usedforsecurity=False).hexdigest().upper() for p in passwords
    )
    filler = sorted(
        hashlib.sha1(str(n).encode(), usedforsecurity=False).hexdigest().upper() for n in range(500)
    )
    lines = sorted(hashes + filler)
    path = tmp_path / "breached.txt"
    path.write_text("".join(f"{line}:{index % 97 + 1}\r\n" for index, line in enumerate(lines)))
    return path


def test_a_breached_password_from_the_offline_list_is_refused(
    tmp_path: Path, settings: Any
) -> None:
    path = _breach_list(tmp_path, ["violet mountain river 1987", "another leaked one"])
    settings.BREACHED_PASSWORDS_FILE = str(path)
    assert "password_breached" in _codes("violet mountain river 1987")
    assert "password_breached" not in _codes("violet mountain river 1988")


def test_without_a_list_no_password_counts_as_breached(settings: Any) -> None:
    settings.BREACHED_PASSWORDS_FILE = ""
    BreachedPasswordValidator().validate("violet mountain river 1987")


def test_the_list_search_finds_every_entry_and_nothing_else(tmp_path: Path) -> None:
    passwords = [f"pass-{n}" for n in range(300)]
    path = _breach_list(tmp_path, passwords)
    for password in passwords:
        digest = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest()
        assert sorted_hash_file_contains(path, digest)
    for n in range(300):
        digest = hashlib.sha1(f"absent-{n}".encode(), usedforsecurity=False).hexdigest()
        assert not sorted_hash_file_contains(path, digest)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert not sorted_hash_file_contains(empty, "0" * 40)
