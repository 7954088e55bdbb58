"""Authenticated encryption of personal data (AES-256-GCM from ``cryptography``).

Every ciphertext carries a format version and the id of the key that sealed it, and is bound
by associated data to the place it belongs (table, column and row), so a value copied into
another record or column does not open. Keys come from ``SAFEPASSAGE_FIELD_KEYS`` (JSON
``{"current": "<id>", "keys": {"<id>": "<base64 32 bytes>"}}``) or, in the embedded default,
from a private key file created on first use. The data-protection layer replaces the keyring
with per-case data keys wrapped by a key-encryption key; the blob format already leaves room
for that (the key id names the key, whatever wraps it).

Format: ``0x01 | len(key_id) | key_id | nonce(12) | ciphertext+tag``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from safepassage.protection.keyfiles import read_or_create

FORMAT_AES_GCM = 1
FORMAT_BENCHMARK_PLAINTEXT = 0
NONCE_BYTES = 12


class KeyUnavailableError(RuntimeError):
    """The keys cannot be loaded; the application must fail closed."""


class DecryptionError(RuntimeError):
    """A ciphertext does not open: wrong key, wrong place, or tampered with."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, bytes]

    def __post_init__(self) -> None:
        if self.current_id not in self.keys:
            raise KeyUnavailableError("the current key id is not among the keys")
        for key_id, key in self.keys.items():
            if len(key) != 32:
                raise KeyUnavailableError("field keys must be 32 bytes (AES-256)")
            if not key_id.isascii() or not 0 < len(key_id) < 64:
                raise KeyUnavailableError("key ids are short ASCII names")

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        try:
            data = json.loads(text)
            keys = {str(k): base64.b64decode(v) for k, v in data["keys"].items()}
            return cls(current_id=str(data["current"]), keys=keys)
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyUnavailableError("the field key configuration cannot be read") from exc

    @staticmethod
    def new_json() -> str:
        key_id = "k" + secrets.token_hex(4)
        key = base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()
        return json.dumps({"current": key_id, "keys": {key_id: key}})


_state = threading.local()
_cache: dict[str, AESGCM] = {}
_keyring: Keyring | None = None
_lock = threading.Lock()


def load_keyring() -> Keyring:
    from django.conf import settings

    configured: str | None = settings.FIELD_ENCRYPTION_KEYS
    if configured:
        return Keyring.from_json(configured)
    path = Path(settings.FIELD_ENCRYPTION_KEY_FILE)
    try:
        return Keyring.from_json(read_or_create(path, Keyring.new_json()))
    except OSError as exc:
        raise KeyUnavailableError("the local field key file cannot be read") from exc


def keyring() -> Keyring:
    global _keyring
    if _keyring is None:
        with _lock:
            if _keyring is None:
                _keyring = load_keyring()
    return _keyring


def reset_keyring() -> None:
    """Forget the loaded keys (after settings change, e.g. in tests or key rotation)."""
    global _keyring
    with _lock:
        _keyring = None
        _cache.clear()


def _cipher(key_id: str) -> AESGCM:
    cipher = _cache.get(key_id)
    if cipher is None:
        ring = keyring()
        try:
            cipher = AESGCM(ring.keys[key_id])
        except KeyError as exc:
            raise DecryptionError("the ciphertext names an unknown key") from exc
        _cache[key_id] = cipher
    return cipher


def seal(plaintext: bytes, associated_data: bytes) -> bytes:
    """Encrypt ``plaintext`` bound to ``associated_data`` under the current key."""
    if getattr(_state, "benchmark_plaintext", False):
        return bytes([FORMAT_BENCHMARK_PLAINTEXT]) + plaintext
    key_id = keyring().current_id
    nonce = os.urandom(NONCE_BYTES)
    body = _cipher(key_id).encrypt(nonce, plaintext, associated_data)
    encoded_id = key_id.encode("ascii")
    return bytes([FORMAT_AES_GCM, len(encoded_id)]) + encoded_id + nonce + body


def open_sealed(blob: bytes, associated_data: bytes) -> bytes:
    """Decrypt a blob made by :func:`seal` for the same ``associated_data``."""
    if not blob:
        raise DecryptionError("empty ciphertext")
    if blob[0] == FORMAT_BENCHMARK_PLAINTEXT:
        if getattr(_state, "benchmark_plaintext", False):
            return blob[1:]
        raise DecryptionError("plaintext found where a ciphertext belongs")
    if blob[0] != FORMAT_AES_GCM or len(blob) < 2:
        raise DecryptionError("unknown ciphertext format")
    id_length = blob[1]
    key_id = blob[2 : 2 + id_length].decode("ascii", errors="replace")
    nonce_start = 2 + id_length
    nonce = blob[nonce_start : nonce_start + NONCE_BYTES]
    try:
        return _cipher(key_id).decrypt(nonce, blob[nonce_start + NONCE_BYTES :], associated_data)
    except InvalidTag as exc:
        raise DecryptionError("the ciphertext does not open for this place") from exc


def key_id_of(blob: bytes) -> str:
    if not blob or blob[0] != FORMAT_AES_GCM:
        raise DecryptionError("unknown ciphertext format")
    return blob[2 : 2 + blob[1]].decode("ascii")


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
