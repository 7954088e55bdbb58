"""Authenticated encryption of personal data (AES-256-GCM from ``cryptography``) under the
data key of the case a value belongs to (see :mod:`safepassage.protection.keys`).

Every ciphertext names its data key and is bound by associated data to the place it belongs
(table, column and row), so a value copied into another record or column does not open.

Format: ``0x02 | data key id (16 bytes) | nonce (12) | ciphertext+tag``.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from safepassage.protection import keys
from safepassage.protection.keys import KeyDestroyedError, KeyUnavailableError

FORMAT_ENVELOPE = 2
FORMAT_BENCHMARK_PLAINTEXT = 0
NONCE_BYTES = 12
_HEADER = 1 + 16

__all__ = [
    "DecryptionError",
    "KeyDestroyedError",
    "KeyUnavailableError",
    "key_id_of",
    "open_sealed",
    "plaintext_for_benchmark",
    "seal",
]


class DecryptionError(RuntimeError):
    """A ciphertext does not open: wrong place, unknown format, or tampered with."""


_state = threading.local()


def seal(plaintext: bytes, associated_data: bytes, scope: uuid.UUID) -> bytes:
    """Encrypt ``plaintext`` under the data key of ``scope``, bound to ``associated_data``."""
    if getattr(_state, "benchmark_plaintext", False):
        return bytes([FORMAT_BENCHMARK_PLAINTEXT]) + plaintext
    key_id, key = keys.data_key_for_scope(scope)
    nonce = os.urandom(NONCE_BYTES)
    body = AESGCM(key).encrypt(nonce, plaintext, associated_data)
    return bytes([FORMAT_ENVELOPE]) + key_id.bytes + nonce + body


def open_sealed(blob: bytes, associated_data: bytes) -> bytes:
    """Decrypt a blob made by :func:`seal` for the same ``associated_data``.

    Raises KeyDestroyedError for an erased case, KeyUnavailableError when the keys cannot be
    had, DecryptionError when the blob does not open here.
    """
    if not blob:
        raise DecryptionError("empty ciphertext")
    if blob[0] == FORMAT_BENCHMARK_PLAINTEXT:
        if getattr(_state, "benchmark_plaintext", False):
            return blob[1:]
        raise DecryptionError("plaintext found where a ciphertext belongs")
    if blob[0] != FORMAT_ENVELOPE or len(blob) < _HEADER + NONCE_BYTES + 16:
        raise DecryptionError("unknown ciphertext format")
    key = keys.data_key_by_id(uuid.UUID(bytes=blob[1:_HEADER]))
    nonce = blob[_HEADER : _HEADER + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, blob[_HEADER + NONCE_BYTES :], associated_data)
    except InvalidTag as exc:
        raise DecryptionError("the ciphertext does not open for this place") from exc


def key_id_of(blob: bytes) -> uuid.UUID:
    if not blob or blob[0] != FORMAT_ENVELOPE:
        raise DecryptionError("unknown ciphertext format")
    return uuid.UUID(bytes=blob[1:_HEADER])


@contextlib.contextmanager
def plaintext_for_benchmark() -> Iterator[None]:
    """Store values unencrypted, for the encryption-overhead benchmark's baseline only.

    Refused unless ``SAFEPASSAGE_BENCHMARK=1``: no deployment can switch encryption off.
    """
    if os.environ.get("SAFEPASSAGE_BENCHMARK") != "1":
        raise RuntimeError("plaintext storage exists only for the benchmark baseline")
    _state.benchmark_plaintext = True
    try:
        yield
    finally:
        _state.benchmark_plaintext = False


def benchmark_plaintext_active() -> bool:
    return bool(getattr(_state, "benchmark_plaintext", False))


@contextlib.contextmanager
def protection_off_for_benchmark() -> Iterator[None]:
    """Encryption, audit entries and access accounting all off: the protection benchmark's
    baseline. Refused unless ``SAFEPASSAGE_BENCHMARK=1``."""
    with plaintext_for_benchmark():
        _state.audit_off = True
        try:
            yield
        finally:
            _state.audit_off = False


def benchmark_audit_off() -> bool:
    return bool(getattr(_state, "audit_off", False))
