"""Per-request context shared by the audit log and the access accounting (no model imports,
so encrypted fields can use it)."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    source: str  # web, api, cli, system
    address_hash: str


current_origin: contextvars.ContextVar[RequestOrigin | None] = contextvars.ContextVar(
    "audit_origin", default=None
)
