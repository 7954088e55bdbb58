"""Signed exports of the audit chain's head (Ed25519 from ``cryptography``), so that even a
database administrator cannot rewrite history unseen: a head kept outside the database
must still be found, unchanged, in the chain."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

from safepassage.protection.keyfiles import read_or_create
from safepassage.protection.models import AuditChainHead, AuditEvent


def _private_key() -> Ed25519PrivateKey:
    path = Path(settings.AUDIT_SIGNING_KEY_FILE)
    fresh = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw = base64.b64decode(read_or_create(path, base64.b64encode(fresh).decode()))
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_b64() -> str:
    raw = (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode()


def _payload(sequence: int, entry_hash: str, at: str) -> bytes:
    return json.dumps(
        {"sequence": sequence, "entry_hash": entry_hash, "at": at}, sort_keys=True
    ).encode()


def head_export() -> dict[str, Any]:
    head = AuditChainHead.objects.filter(pk=1).first()
    sequence, entry_hash = (head.sequence, head.entry_hash) if head else (0, "0" * 64)
    at = timezone.now().isoformat()
    signature = _private_key().sign(_payload(sequence, entry_hash, at))
    return {
        "sequence": sequence,
        "entry_hash": entry_hash,
        "at": at,
        "public_key": public_key_b64(),
        "signature": base64.b64encode(signature).decode(),
    }


def head_check(exported: dict[str, Any]) -> str | None:
    """None if the exported head is authentic and still in the chain; else what is wrong."""
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(exported["public_key"]))
        public.verify(
            base64.b64decode(exported["signature"]),
            _payload(exported["sequence"], exported["entry_hash"], exported["at"]),
        )
    except (KeyError, ValueError, InvalidSignature):
        return "the exported head's signature is not valid"
    if exported["public_key"] != public_key_b64():
        return "the exported head was signed by another key"
    if exported["sequence"] == 0:
        return None
    entry = AuditEvent.objects.filter(sequence=exported["sequence"]).first()
    if entry is None:
        return f"entry {exported['sequence']} of the exported head is gone"
    if entry.entry_hash != exported["entry_hash"]:
        return f"entry {exported['sequence']} differs from the exported head"
    return None
