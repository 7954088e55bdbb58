"""Envelope encryption: key-encryption keys (KEKs) from a pluggable provider wrap one data
key (DEK) per case; every personal value and document of a case is sealed with its DEK.

Where the keys live, and why:
- KEKs come from a :class:`KeyProvider`: a local key file (mode 600) for the embedded
  default, an environment variable, or a KMS / Vault transit engine (implement
  :class:`KeyProvider` for it; only ``wrap``/``unwrap`` are needed, the KEK never leaves it).
- Wrapped DEKs live in the *key store*: the ``keys`` database (a separate SQLite file by
  default, ``KEYS_DATABASE_URL`` in production), never in the main database. A backup of the
  main database therefore holds no key material, and destroying a case's DEK in the key store
  (crypto-shredding) makes that case unreadable in the database, in every backup of it and in
  document storage, while other cases still open. Key-store backups must follow the erasure
  journal (see ``docs/operations.md``).
- Unwrapped DEKs are cached in process memory for ``DEK_CACHE_SECONDS`` so a page does not
  unwrap twice; an erased key disappears from every process within that time.
- If the provider cannot give its keys the application fails closed: nothing is decrypted or
  encrypted, and the web layer shows a maintenance page.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from safepassage.protection.keyfiles import private_file_create

if TYPE_CHECKING:
    from safepassage.protection.models import DataKey


class KeyUnavailableError(RuntimeError):
    """The key-encryption keys or a data key cannot be had; fail closed."""


class KeyDestroyedError(KeyUnavailableError):
    """The data key was destroyed (the case was erased)."""


SYSTEM_SCOPE = uuid.UUID(int=0)  # records that belong to no case (e.g. export canaries)


class KeyProvider(ABC):
    """Wraps and unwraps data keys with key-encryption keys it keeps to itself."""

    @property
    @abstractmethod
    def current_id(self) -> str: ...

    @abstractmethod
    def wrap(self, data_key: bytes, context: bytes) -> tuple[str, bytes]:
        """Wrap ``data_key`` under the current KEK; returns (kek id, wrapped key)."""

    @abstractmethod
    def unwrap(self, kek_id: str, wrapped: bytes, context: bytes) -> bytes: ...

    def index_secret(self) -> bytes:
        """Secret for blind indexes (keyed hashes of normalised values)."""
        raise KeyUnavailableError("this key provider has no index secret")


class StaticKeyProvider(KeyProvider):
    """KEKs held in memory, loaded from JSON: a local file or an environment variable.

    JSON: ``{"current": "<id>", "keys": {"<id>": "<base64 32 bytes>"}, "index": "<base64>"}``.
    Several keys may be listed during a rotation; ``current`` wraps new data keys.
    """

    def __init__(self, config: str) -> None:
        try:
            data = json.loads(config)
            self._keys = {str(k): base64.b64decode(v) for k, v in data["keys"].items()}
            self._current = str(data["current"])
            self._index = base64.b64decode(data.get("index", "")) or None
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyUnavailableError("the key configuration cannot be read") from exc
        if self._current not in self._keys or any(len(k) != 32 for k in self._keys.values()):
            raise KeyUnavailableError("the key configuration is incomplete")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in self._keys.items()}

    @staticmethod
    def new_config(previous: str | None = None) -> str:
        """A configuration with a fresh current KEK, keeping earlier KEKs for unwrapping."""
        keys: dict[str, str] = {}
        index = base64.b64encode(secrets.token_bytes(32)).decode()
        if previous:
            old = json.loads(previous)
            keys.update(old["keys"])
            index = old.get("index") or index
        key_id = "kek-" + secrets.token_hex(4)
        keys[key_id] = base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()
        return json.dumps({"current": key_id, "keys": keys, "index": index}, indent=1)

    @property
    def current_id(self) -> str:
        return self._current

    @property
    def key_ids(self) -> list[str]:
        return list(self._keys)

    def wrap(self, data_key: bytes, context: bytes) -> tuple[str, bytes]:
        nonce = os.urandom(12)
        return self._current, nonce + self._ciphers[self._current].encrypt(nonce, data_key, context)

    def unwrap(self, kek_id: str, wrapped: bytes, context: bytes) -> bytes:
        cipher = self._ciphers.get(kek_id)
        if cipher is None:
            raise KeyUnavailableError("a data key is wrapped by a key this provider lacks")
        try:
            return cipher.decrypt(wrapped[:12], wrapped[12:], context)
        except InvalidTag as exc:
            raise KeyUnavailableError("a data key does not unwrap") from exc

    def index_secret(self) -> bytes:
        if not self._index:
            raise KeyUnavailableError("no index secret configured")
        return self._index


def provider_from_settings() -> KeyProvider:
    """The provider the settings name: a custom class (``SAFEPASSAGE_KEY_PROVIDER``, e.g. a
    KMS or Vault transit adapter), environment JSON, or the local key file."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    if settings.KEY_PROVIDER_CLASS:
        provider_class = import_string(settings.KEY_PROVIDER_CLASS)
        if not (isinstance(provider_class, type) and issubclass(provider_class, KeyProvider)):
            raise KeyUnavailableError("SAFEPASSAGE_KEY_PROVIDER must name a KeyProvider")
        return provider_class()

    configured: str | None = settings.FIELD_ENCRYPTION_KEYS
    if configured:
        return StaticKeyProvider(configured)
    path = Path(settings.FIELD_ENCRYPTION_KEY_FILE)
    try:
        if path.exists():
            if path.stat().st_mode & 0o077:
                raise KeyUnavailableError("the key file must be readable by its owner only")
            return StaticKeyProvider(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KeyUnavailableError("the key file cannot be read") from exc
    if _key_store_has_keys():
        # Keys exist for data that this provider would no longer open: never start afresh.
        raise KeyUnavailableError("the key file is missing")
    config = StaticKeyProvider.new_config()
    try:
        private_file_create(path, config)
    except FileExistsError:
        config = path.read_text(encoding="utf-8")
    return StaticKeyProvider(config)


def _key_store_has_keys() -> bool:
    from django.db import DatabaseError

    from safepassage.protection.models import DataKey

    try:
        return DataKey.objects.exists()
    except DatabaseError as exc:
        # An unreachable key store must not lead to a fresh key file: fail closed.
        raise KeyUnavailableError("the key store cannot be read") from exc


class _Cache:
    def __init__(self, seconds: float, size: int = 20_000) -> None:
        self.seconds = seconds
        self.size = size
        self.by_key: dict[uuid.UUID, tuple[float, bytes]] = {}
        self.by_scope: dict[uuid.UUID, tuple[float, uuid.UUID, bytes]] = {}
        self.lock = threading.Lock()

    def clear(self) -> None:
        with self.lock:
            self.by_key.clear()
            self.by_scope.clear()

    def forget(self, scope: uuid.UUID, key_ids: Iterable[uuid.UUID]) -> None:
        """Drop one scope's keys (destroyed), keeping every other scope's: a receipt shown
        (its draft shredded) must not make every other applicant's next request fetch and
        unwrap its key again."""
        with self.lock:
            hit = self.by_scope.pop(scope, None)
            for key_id in [*key_ids, *([hit[1]] if hit else [])]:
                self.by_key.pop(key_id, None)


_provider: KeyProvider | None = None
_provider_lock = threading.Lock()
_cache = _Cache(seconds=30.0)


def provider() -> KeyProvider:
    global _provider
    if _provider is None:
        with _provider_lock:
            if _provider is None:
                _provider = provider_from_settings()
    return _provider


def reset() -> None:
    """Forget the provider and every cached data key (settings change, rotation, tests)."""
    global _provider
    with _provider_lock:
        _provider = None
    _cache.clear()
    _scope_pool.clear()


def _context(key_id: uuid.UUID, scope: uuid.UUID) -> bytes:
    return f"safepassage.datakey.{key_id}.{scope}".encode()


def data_key_for_scope(scope: uuid.UUID) -> tuple[uuid.UUID, bytes]:
    """The (id, key) of the live data key of ``scope`` (a case id), created when missing."""
    from safepassage.protection.models import DataKey

    now = time.monotonic()
    hit = _cache.by_scope.get(scope)
    if hit and now - hit[0] < _cache.seconds:
        return hit[1], hit[2]
    record = DataKey.objects.filter(scope=scope).first()
    if record is None:
        record = _create(scope)
    key = _unwrap(record)
    with _cache.lock:
        if len(_cache.by_scope) >= _cache.size:
            _cache.by_scope.clear()
            _cache.by_key.clear()
        _cache.by_scope[scope] = (now, record.id, key)
        _cache.by_key[record.id] = (now, key)  # what is sealed now is opened next
    return record.id, key


def data_key_by_id(key_id: uuid.UUID) -> bytes:
    from safepassage.protection.models import DataKey

    now = time.monotonic()
    hit = _cache.by_key.get(key_id)
    if hit and now - hit[0] < _cache.seconds:
        return hit[1]
    record = DataKey.objects.filter(id=key_id).first()
    if record is None:
        raise KeyDestroyedError("the data key no longer exists")
    key = _unwrap(record)
    with _cache.lock:
        if len(_cache.by_key) >= _cache.size:
            _cache.by_key.clear()
        _cache.by_key[key_id] = (now, key)
    return key


def _unwrap(record: DataKey) -> bytes:
    if record.wrapped_key is None:
        raise KeyDestroyedError("the data key was destroyed")
    wrapped, context = bytes(record.wrapped_key), _context(record.id, record.scope)
    try:
        return provider().unwrap(record.kek_id, wrapped, context)
    except KeyUnavailableError:
        # Another process may have rotated the KEK: reload the provider once and retry.
        global _provider
        with _provider_lock:
            _provider = None
        return provider().unwrap(record.kek_id, wrapped, context)


def _create(scope: uuid.UUID) -> DataKey:
    from django.db import IntegrityError

    from safepassage.protection.models import DataKey

    key_id = uuid.uuid4()
    kek_id, wrapped = provider().wrap(AESGCM.generate_key(bit_length=256), _context(key_id, scope))
    try:
        return DataKey.objects.create(id=key_id, scope=scope, kek_id=kek_id, wrapped_key=wrapped)
    except IntegrityError:  # another process created it first
        return DataKey.objects.get(scope=scope)


_scope_pool: list[uuid.UUID] = []
_POOL_SIZE = 64


def new_case_scope() -> uuid.UUID:
    """A fresh scope (to become a new case's id) whose data key already exists.

    Data keys are created 64 at a time in one insert, so opening a case costs no round trip
    to the key store. A reserved scope that never becomes a case leaves an unused data key
    behind: it protects nothing and opens nothing (``keys prune`` removes them).
    """
    with _cache.lock:
        if _scope_pool:
            return _scope_pool.pop()
    scopes = [uuid.uuid4() for _ in range(_POOL_SIZE)]
    prepare_scopes(scopes)
    with _cache.lock:
        _scope_pool.extend(scopes[1:])
    return scopes[0]


def prepare_scopes(scopes: Iterable[uuid.UUID]) -> None:
    """Create the data keys of many new cases at once (bulk loads)."""
    from safepassage.protection.models import DataKey

    wanted = set(scopes) - set(_cache.by_scope)
    if not wanted:
        return
    existing = set(DataKey.objects.filter(scope__in=wanted).values_list("scope", flat=True))
    records = []
    now = time.monotonic()
    for scope in wanted - existing:
        key_id = uuid.uuid4()
        data_key = AESGCM.generate_key(bit_length=256)
        kek_id, wrapped = provider().wrap(data_key, _context(key_id, scope))
        records.append(DataKey(id=key_id, scope=scope, kek_id=kek_id, wrapped_key=wrapped))
        _cache.by_scope[scope] = (now, key_id, data_key)
        _cache.by_key[key_id] = (now, data_key)
    DataKey.objects.bulk_create(records, batch_size=1000)


def load_scopes(scopes: Iterable[uuid.UUID]) -> None:
    """Unwrap the live data keys of many existing cases with one query to the key store, so
    a batch job reading or writing thousands of cases does not ask once per case. Scopes
    without a key (destroyed or never made) are left out: reading them fails as before."""
    from safepassage.protection.models import DataKey

    now = time.monotonic()
    wanted = [
        scope
        for scope in set(scopes)
        if not ((hit := _cache.by_scope.get(scope)) and now - hit[0] < _cache.seconds)
    ]
    if not wanted:
        return
    loaded = [
        (record.scope, record.id, _unwrap(record))
        for record in DataKey.objects.filter(scope__in=wanted, wrapped_key__isnull=False)
    ]
    with _cache.lock:
        if len(_cache.by_scope) + len(loaded) > _cache.size:
            _cache.by_scope.clear()
            _cache.by_key.clear()
        for scope, key_id, data_key in loaded:
            _cache.by_scope[scope] = (now, key_id, data_key)
            _cache.by_key[key_id] = (now, data_key)


def destroy_scope(scope: uuid.UUID) -> bool:
    """Crypto-shred: destroy the data key of ``scope``. Returns whether one existed."""
    from django.utils import timezone

    from safepassage.protection.models import DataKey

    key_ids = list(DataKey.objects.filter(scope=scope).values_list("id", flat=True))
    updated = DataKey.objects.filter(scope=scope, wrapped_key__isnull=False).update(
        wrapped_key=None, destroyed_at=timezone.now()
    )
    _cache.forget(scope, key_ids)
    return bool(updated)


def rewrap_batch(limit: int = 1000) -> int:
    """Re-wrap up to ``limit`` live data keys not yet under the current KEK; returns how many.

    Online and resumable: each batch is committed on its own; run until it returns 0.
    """
    from django.db import transaction

    from safepassage.protection.models import DataKey

    current = provider().current_id
    batch = list(
        DataKey.objects.filter(wrapped_key__isnull=False)
        .exclude(kek_id=current)
        .order_by("id")[:limit]
    )
    for record in batch:
        context = _context(record.id, record.scope)
        assert record.wrapped_key is not None  # noqa: S101 - filtered above
        plain = provider().unwrap(record.kek_id, bytes(record.wrapped_key), context)
        record.kek_id, record.wrapped_key = provider().wrap(plain, context)
    with transaction.atomic(using="keys"):
        DataKey.objects.bulk_update(batch, ["kek_id", "wrapped_key"], batch_size=1000)
    return len(batch)


def keys_pending_rewrap() -> int:
    from safepassage.protection.models import DataKey

    return (
        DataKey.objects.filter(wrapped_key__isnull=False)
        .exclude(kek_id=provider().current_id)
        .count()
    )
