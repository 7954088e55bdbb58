"""Fixtures for the intake tests: the receiving organisation and clean rate-limit counters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from safepassage.core.models import Organization
from safepassage.protection import keys


@pytest.fixture(autouse=True)
def _fresh_counters_and_keys() -> Iterator[None]:
    """Rate-limit counters live in the cache and data keys in a process cache: neither may
    carry over from one test to the next."""
    cache.clear()
    keys.reset()
    yield
    cache.clear()


@pytest.fixture
def receiving_org(org: Organization, settings: Any) -> Organization:
    """The organisation that receives web applications in these tests."""
    settings.INTAKE_ORGANIZATION_SLUG = org.slug
    return org
