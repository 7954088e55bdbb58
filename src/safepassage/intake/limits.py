"""Abuse control for the public form without outside services: counters in Django's cache
keyed by a keyed hash of the client address (never the address), a honeypot field, and an
optional proof-of-work on the final submission.

Counters are fixed windows (``cache.add`` then ``cache.incr``): cheap, shared between
processes when the cache is Redis, and good enough to stop floods and PIN guessing. Staff
filling the form for someone are accountable by their account and are not counted by address.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Final

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from safepassage.accounts.services import client_address
from safepassage.intake.errors import RateLimitedError, SuspectedRobotError

HONEYPOT_FIELD: Final = "website"
POW_SESSION_KEY: Final = "intake_pow"
POW_FIELD: Final = "pow_nonce"

HOUR: Final = 3600
DAY: Final = 24 * HOUR

# name: (limit, window in seconds); INTAKE_RATE_LIMITS overrides the limits by name.
DEFAULT_LIMITS: Final[dict[str, tuple[int, int]]] = {
    "posts_per_address": (300, HOUR),
    "drafts_per_address": (20, HOUR),
    "submissions_per_address": (20, DAY),
    "saves_per_draft": (300, HOUR),
    "resume_failures_per_address": (10, HOUR),
    "pin_failures_per_reference": (5, HOUR),
    "pin_failures_per_address": (20, HOUR),
    "uploads_per_case": (20, DAY),
}
MAX_DRAFT_DOCUMENTS: Final = 20


def _limit(name: str) -> tuple[int, int]:
    limit, window = DEFAULT_LIMITS[name]
    return int(settings.INTAKE_RATE_LIMITS.get(name, limit)), window


def address_key(request: HttpRequest) -> str:
    """A keyed digest of the client's address: counts per address without keeping it."""
    address = client_address(request) or "unknown"
    return salted_hmac("safepassage.intake.address", address).hexdigest()[:32]


def subject_key(value: str) -> str:
    """A keyed digest of any other subject (a case reference, a draft id)."""
    return salted_hmac("safepassage.intake.subject", value).hexdigest()[:32]


def _cache_key(name: str, subject: str) -> str:
    return f"sp:intake:{name}:{subject}"


def count(name: str, subject: str) -> int:
    """How often ``name`` was counted for ``subject`` in the current window."""
    return int(cache.get(_cache_key(name, subject)) or 0)


def exceeded(name: str, subject: str) -> bool:
    limit, _window = _limit(name)
    return count(name, subject) >= limit


def hit(name: str, subject: str) -> None:
    """Count one more for ``subject``; raises ``RateLimitedError`` once over the limit."""
    limit, window = _limit(name)
    key = _cache_key(name, subject)
    cache.add(key, 0, window)
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        value = 1
    if value > limit:
        raise RateLimitedError(retry_after_seconds=window)


def check(name: str, subject: str) -> None:
    """Refuse when ``subject`` is already at the limit (counting failures happens apart)."""
    if exceeded(name, subject):
        raise RateLimitedError(retry_after_seconds=_limit(name)[1])


def honeypot_check(request: HttpRequest) -> None:
    """People never see the honeypot field (hidden by CSS); robots fill every field."""
    if request.POST.get(HONEYPOT_FIELD, "").strip():
        raise SuspectedRobotError()


# --- proof-of-work ---------------------------------------------------------------------------


def pow_bits() -> int:
    return int(settings.INTAKE_PROOF_OF_WORK_BITS)


def pow_challenge(request: HttpRequest) -> str:
    """The challenge this session must solve before submitting (kept in the session)."""
    challenge = request.session.get(POW_SESSION_KEY)
    if not isinstance(challenge, str):
        challenge = secrets.token_hex(16)
        request.session[POW_SESSION_KEY] = challenge
    return challenge


def pow_solves(challenge: str, nonce: str, bits: int) -> bool:
    """Whether SHA-256 of ``challenge:nonce`` starts with ``bits`` zero bits."""
    if bits <= 0:
        return True
    if not nonce.isdigit() or len(nonce) > 20:
        return False
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0


def pow_check(request: HttpRequest) -> None:
    bits = pow_bits()
    if bits <= 0:
        return
    challenge = request.session.get(POW_SESSION_KEY)
    nonce = request.POST.get(POW_FIELD, "")
    if not isinstance(challenge, str) or not pow_solves(challenge, nonce, bits):
        raise SuspectedRobotError()
    request.session.pop(POW_SESSION_KEY, None)  # one solution, one submission
