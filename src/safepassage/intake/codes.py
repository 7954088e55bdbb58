"""Codes people write down: resume codes for drafts and PINs for the status page.

Both use Crockford's base 32 (no I, L, O or U) so they can be read aloud and typed on any
keyboard, with Eastern Arabic digits and the usual misreadings folded. Resume codes are
stored only as a keyed hash (HMAC with the secret key) so they can be looked up; PINs only
as a slow password hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

from safepassage.engine.dates import to_latin_digits
from safepassage.engine.reference import ALPHABET

RESUME_CODE_LENGTH = 12  # 60 bits
PIN_LENGTH = 8  # 40 bits, behind throttling and a slow hash
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def _random_symbols(count: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(count))


def _grouped(symbols: str) -> str:
    return "-".join(symbols[i : i + 4] for i in range(0, len(symbols), 4))


def normalize_code(text: str) -> str:
    """The symbols of a typed code: upper case, Latin digits, misreadings folded, no
    separators. Returns "" when anything else is in it."""
    cleaned = to_latin_digits(text).upper().translate(_FOLD)
    symbols = "".join(ch for ch in cleaned if ch not in " -_.\u200c\u200e\u200f")
    if any(ch not in ALPHABET for ch in symbols):
        return ""
    return symbols


def new_resume_code() -> str:
    """A fresh resume code, grouped for reading: ``XXXX-XXXX-XXXX``."""
    return _grouped(_random_symbols(RESUME_CODE_LENGTH))


def resume_code_hash(code: str) -> str:
    """The keyed hash under which a resume code is looked up."""
    symbols = normalize_code(code)
    return hmac.new(
        settings.SECRET_KEY.encode(), f"intake.resume.{symbols}".encode(), hashlib.sha256
    ).hexdigest()


def new_pin() -> str:
    return _grouped(_random_symbols(PIN_LENGTH))
