"""Fixtures for the exports tests: more personas, cases and export requests made with the real
services (helpers that are not fixtures live in ``exports_support``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from exports_support import RECIPIENT

from safepassage.cases import services as case_services
from safepassage.cases.models import Case
from safepassage.core.models import Organization, Role
from safepassage.core.services import membership_grant, user_create
from safepassage.exports import services
from safepassage.exports.models import ExportRequest
from safepassage.protection import keys


@pytest.fixture(autouse=True)
def _forget_cached_data_keys() -> None:
    """Export records are sealed with the system scope's data key, which every test shares;
    a key cached by an earlier test was rolled back with that test's key store."""
    keys.reset()


@pytest.fixture
def admin_member(org: Organization) -> Any:
    """A second supervising person of the organisation (an administrator)."""
    user = user_create(username="orgadmin", password="correct horse battery staple")
    membership_grant(actor=None, organization=org, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def second_caseworker(org: Organization) -> Any:
    user = user_create(username="caseworker2", password="correct horse battery staple")
    membership_grant(actor=None, organization=org, user=user, role=Role.CASEWORKER)
    return user


@pytest.fixture
def open_cases() -> Callable[..., list[Case]]:
    """Open ``count`` single-person cases (principal only) with the real service."""

    def make(actor: Any, organization: Organization, count: int, **principal: Any) -> list[Case]:
        cases = []
        for number in range(count):
            data = {
                "given_name_latin": f"Ahmad {number}",
                "father_name_latin": "Mohammad",
                "sex": "male",
                "phone": f"+9370{number:07d}",
                **principal,
            }
            cases.append(
                case_services.case_open(
                    actor=actor, organization=organization, channel="staff", principal=data
                )
            )
        return cases

    return make


@pytest.fixture
def request_export() -> Callable[..., ExportRequest]:
    """Request an export through the service, with sensible defaults for the test at hand."""

    def make(actor: Any, organization: Organization, **overrides: Any) -> ExportRequest:
        arguments: dict[str, Any] = {
            "actor": actor,
            "organization": organization,
            "scope": services.ExportScope(),
            "fields": ["reference", "given_name_latin", "father_name_latin", "phone"],
            "recipient_name": RECIPIENT,
            "purpose": "Flight manifest check",
            "legal_basis": "vital_interests",
            "recent_auth": True,
            **overrides,
        }
        return services.export_request(**arguments)

    return make
