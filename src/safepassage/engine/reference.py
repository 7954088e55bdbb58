"""Case references people can read aloud and type: random, not sequential, with a check.

Alphabet: Crockford's base 32 (no I, L, O or U, so 1/I/L and 0/O cannot be confused).
Check character: Luhn mod N over that alphabet, which catches every single-character error
and most swaps of neighbours. Written by hand because it is twenty lines and no maintained
library offers Luhn mod N over Crockford's alphabet with its read-back folding.
Format: ``XXXX-XXXX-C`` (40 random bits, then the check character).
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
# How people misread or mistype: fold to the symbol meant.
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
BODY_LENGTH = 8
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def check_character(body: str) -> str:
    """Luhn mod 32 check character of ``body`` (symbols of :data:`ALPHABET`)."""
    base = len(ALPHABET)
    total = 0
    factor = 2
    for symbol in reversed(body):
        addend = factor * _VALUE[symbol]
        total += addend // base + addend % base
        factor = 1 if factor == 2 else 2
    return ALPHABET[(base - total % base) % base]


def new_reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return f"{body[:4]}-{body[4:]}-{check_character(body)}"


def normalize_reference(text: str) -> str | None:
    """The canonical form of a typed reference, or None if it is not a valid reference.

    Accepts lower case, missing or extra dashes and spaces, Eastern Arabic digits and the
    usual misreadings (O for 0, I or L for 1).
    """
    cleaned = text.translate(_DIGITS).upper().translate(_FOLD)
    symbols = "".join(ch for ch in cleaned if ch not in " -_.")
    if len(symbols) != BODY_LENGTH + 1 or any(ch not in _VALUE for ch in symbols):
        return None
    body, check = symbols[:BODY_LENGTH], symbols[BODY_LENGTH]
    if check_character(body) != check:
        return None
    return f"{body[:4]}-{body[4:]}-{check}"
