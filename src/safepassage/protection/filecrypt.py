"""Files that leave SafePassage encrypted (exports, COM packages): the one-time password shown
to the person who downloads, and optional encryption to a recipient's age key (pyrage)."""

from __future__ import annotations

import secrets

import pyrage

# No look-alike characters (0/o, 1/l/i): the password is read from a screen and typed.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_GROUPS = 6
_GROUP_LENGTH = 5


def new_file_password() -> str:
    """Six groups of five characters (about 148 bits), joined by dashes."""
    return "-".join(
        "".join(secrets.choice(_ALPHABET) for _ in range(_GROUP_LENGTH)) for _ in range(_GROUPS)
    )


def age_recipient_valid(key: str) -> bool:
    """Whether ``key`` is an age X25519 public key ("age1…")."""
    try:
        pyrage.x25519.Recipient.from_str(key)
    except pyrage.RecipientError:
        return False
    return True


def age_encrypted(data: bytes, recipient_key: str) -> bytes:
    """``data`` encrypted to the holder of the private key of ``recipient_key`` (age)."""
    recipient = pyrage.x25519.Recipient.from_str(recipient_key)
    encrypted: bytes = pyrage.encrypt(data, [recipient])
    return encrypted
