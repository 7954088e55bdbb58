"""Encrypted file storage: documents are sealed before they reach the storage backend."""

from __future__ import annotations

import secrets
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from safepassage.protection import crypto


def _associated_data(document_id: object) -> bytes:
    return f"document.{document_id}".encode()


def file_store(*, document_id: object, content: bytes, scope: uuid.UUID) -> str:
    """Seal ``content`` with the data key of ``scope`` (its case) and store it under a random
    name; return the name."""
    name = f"{secrets.token_hex(2)}/{secrets.token_hex(16)}.bin"
    sealed = crypto.seal(content, _associated_data(document_id), scope)
    return default_storage.save(name, ContentFile(sealed))


def file_read(*, document_id: object, storage_name: str) -> bytes:
    with default_storage.open(storage_name, "rb") as handle:
        sealed = handle.read()
    return crypto.open_sealed(sealed, _associated_data(document_id))


def file_delete(*, storage_name: str) -> None:
    default_storage.delete(storage_name)
