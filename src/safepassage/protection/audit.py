"""The tamper-evident audit log: appending entries inside the caller's transaction, and
verifying the chain.

Each entry's hash covers its content and the previous entry's hash (a hash chain, as in
RFC 6962-style logs, kept linear here because one database serialises the appends). An
edited entry no longer matches its hash; a deleted one leaves a gap in the sequence; a
reordered one breaks the link; a truncated tail no longer reaches the chain head (and, when
the head was exported and signed, no longer reaches the exported head either).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from safepassage.protection.context import RequestOrigin, current_origin
from safepassage.protection.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def entry_digest(
    *,
    sequence: int,
    at: str,
    actor_id: int | None,
    organization_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    details: dict[str, Any],
    source: str,
    address_hash: str,
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        [
            sequence,
            at,
            actor_id,
            organization_id,
            action,
            object_type,
            object_id,
            details,
            source,
            address_hash,
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def digest_of(event: AuditEvent) -> str:
    return entry_digest(
        sequence=event.sequence,
        at=event.at.isoformat(),
        actor_id=event.actor_id,
        organization_id=event.organization_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        details=event.details,
        source=event.source,
        address_hash=event.address_hash,
        prev_hash=event.prev_hash,
    )


_pending: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar(
    "audit_pending", default=None
)


@contextlib.contextmanager
def audit_batch() -> Iterator[None]:
    """Hold the audit entries of a long transaction and append them at its end.

    The chain's head row is locked from the first append until commit, which serialises
    every writer: a service that does much work after its first audited step appends its
    entries last, inside the same transaction. Use it inside ``transaction.atomic()``.
    """
    if _pending.get() is not None:
        yield
        return
    token = _pending.set([])
    try:
        yield
        entries = _pending.get() or []
    finally:
        _pending.reset(token)
    if len(entries) > 1 and _append_many_postgresql(entries):
        return
    for entry in entries:
        _append(**entry)


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: Any,
    organization_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    """Append ``action`` on ``target`` to the chain; ``details`` hold codes, ids and counts,
    never personal data. Runs inside the caller's transaction (or its own)."""
    from safepassage.protection.crypto import benchmark_audit_off

    if benchmark_audit_off():
        return AuditEvent(action=action)  # the protection benchmark's baseline only
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    origin = current_origin.get() or RequestOrigin(source="system", address_hash="")
    entry = {
        "actor_id": actor_id,
        "organization_id": organization_id,
        "action": action,
        "object_type": type(target).__name__.lower().lstrip("_"),
        "object_id": str(target.pk),
        "details": json.loads(json.dumps(details, default=str)),
        "origin": origin,
        "at": timezone.now(),
    }
    pending = _pending.get()
    if pending is not None:
        pending.append(entry)
        return AuditEvent(action=action, object_id=entry["object_id"])
    return _append(**entry)


def _append(
    *,
    actor_id: int | None,
    organization_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    details: dict[str, Any],
    origin: RequestOrigin,
    at: Any,
) -> AuditEvent:
    # Inside the caller's transaction no savepoint is needed: a failure rolls back both.
    connection = transaction.get_connection()
    nested = connection.in_atomic_block
    with transaction.atomic(savepoint=not nested):
        if connection.vendor == "postgresql":
            appended = _append_postgresql(
                connection,
                actor_id=actor_id,
                organization_id=organization_id,
                action=action,
                object_type=object_type,
                object_id=object_id,
                details=details,
                origin=origin,
                at=at,
            )
            if appended is not None:
                return appended
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            sequence=head.sequence + 1,
            at=at,
            actor_id=actor_id,
            organization_id=organization_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=details,
            source=origin.source,
            address_hash=origin.address_hash,
            prev_hash=head.entry_hash,
        )
        event.entry_hash = digest_of(event)
        event.save(force_insert=True)
        head.sequence = event.sequence
        head.entry_hash = event.entry_hash
        head.save(update_fields=["sequence", "entry_hash"])
    return event


_PG_CLAIM = (
    "UPDATE protection_auditchainhead SET sequence = sequence + 1 WHERE id = 1 "
    "RETURNING sequence, entry_hash"
)
_PG_INSERT = (
    "WITH added AS ("
    " INSERT INTO protection_auditevent (sequence, at, actor_id, organization_id, action,"
    " object_type, object_id, details, source, address_hash, prev_hash, entry_hash)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s) RETURNING id, entry_hash)"
    " UPDATE protection_auditchainhead SET entry_hash = (SELECT entry_hash FROM added)"
    " WHERE id = 1 RETURNING (SELECT id FROM added)"
)


def _append_postgresql(
    connection: Any, *, origin: RequestOrigin, **fields: Any
) -> AuditEvent | None:
    """The same append in two round trips: claim the next sequence number (which locks the
    head row and returns the previous entry's hash), then insert the entry and move the head
    in one statement. None when the head row does not exist yet (the ORM path creates it)."""
    with connection.cursor() as cursor:
        cursor.execute(_PG_CLAIM)
        claimed = cursor.fetchone()
        if claimed is None:
            return None
        sequence, previous = claimed
        event = AuditEvent(
            sequence=sequence,
            source=origin.source,
            address_hash=origin.address_hash,
            prev_hash=previous,
            **fields,
        )
        event.entry_hash = digest_of(event)
        cursor.execute(
            _PG_INSERT,
            [
                event.sequence,
                event.at,
                event.actor_id,
                event.organization_id,
                event.action,
                event.object_type,
                event.object_id,
                json.dumps(event.details),
                event.source,
                event.address_hash,
                event.prev_hash,
                event.entry_hash,
            ],
        )
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias
    return event


_PG_CLAIM_MANY = (
    "UPDATE protection_auditchainhead SET sequence = sequence + %s WHERE id = 1 "
    "RETURNING sequence, entry_hash"
)
_PG_INSERT_MANY = (
    "WITH added AS ("
    " INSERT INTO protection_auditevent (sequence, at, actor_id, organization_id, action,"
    " object_type, object_id, details, source, address_hash, prev_hash, entry_hash)"
    " VALUES {rows})"
    " UPDATE protection_auditchainhead SET entry_hash = %s WHERE id = 1"
)
_PG_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s)"


def _append_many_postgresql(entries: list[dict[str, Any]]) -> bool:
    """Append a batch's entries in two round trips whatever their number: claim as many
    sequence numbers at once (locking the head and reading the previous hash), chain the
    entries here, then insert them all and move the head in one statement. The head stays
    locked for those two round trips and the commit, not for one pair per entry. False (and
    nothing done) off PostgreSQL or before the head row exists; the caller appends one by
    one then."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return False
    with (
        transaction.atomic(savepoint=not connection.in_atomic_block),
        connection.cursor() as cursor,
    ):
        cursor.execute(_PG_CLAIM_MANY, [len(entries)])
        claimed = cursor.fetchone()
        if claimed is None:
            return False
        last_sequence, previous = claimed
        parameters: list[Any] = []
        for offset, entry in enumerate(entries):
            origin: RequestOrigin = entry["origin"]
            event = AuditEvent(
                sequence=last_sequence - len(entries) + 1 + offset,
                at=entry["at"],
                actor_id=entry["actor_id"],
                organization_id=entry["organization_id"],
                action=entry["action"],
                object_type=entry["object_type"],
                object_id=entry["object_id"],
                details=entry["details"],
                source=origin.source,
                address_hash=origin.address_hash,
                prev_hash=previous,
            )
            event.entry_hash = digest_of(event)
            previous = event.entry_hash
            parameters += [
                event.sequence,
                event.at,
                event.actor_id,
                event.organization_id,
                event.action,
                event.object_type,
                event.object_id,
                json.dumps(event.details),
                event.source,
                event.address_hash,
                event.prev_hash,
                event.entry_hash,
            ]
        rows = ", ".join([_PG_ROW] * len(entries))
        cursor.execute(_PG_INSERT_MANY.format(rows=rows), [*parameters, previous])
    return True


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    kind: str  # edited, missing, reordered, truncated, head_mismatch
    detail: str


def audit_verify(*, batch_size: int = 5000) -> list[ChainProblem]:
    """Walk the whole chain; an empty list means it is intact."""
    problems: list[ChainProblem] = []
    expected_sequence = 1
    previous_hash = GENESIS
    last_sequence = 0
    queryset = AuditEvent.objects.order_by("id").values_list("id", flat=True)
    # Walk in insertion order (primary key) so a swapped sequence number shows as reordering.
    ids = list(queryset)
    for start in range(0, len(ids), batch_size):
        chunk = AuditEvent.objects.filter(id__in=ids[start : start + batch_size]).order_by("id")
        for event in chunk:
            if event.sequence != expected_sequence:
                kind = "missing" if event.sequence > expected_sequence else "reordered"
                problems.append(
                    ChainProblem(expected_sequence, kind, f"found entry {event.sequence} here")
                )
            if event.prev_hash != previous_hash:
                problems.append(
                    ChainProblem(event.sequence, "reordered", "does not follow the entry before")
                )
            if digest_of(event) != event.entry_hash:
                problems.append(ChainProblem(event.sequence, "edited", "content changed"))
            previous_hash = event.entry_hash
            expected_sequence = event.sequence + 1
            last_sequence = event.sequence
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.sequence, head.entry_hash) != (last_sequence, previous_hash):
        problems.append(
            ChainProblem(
                last_sequence + 1 if head.sequence > last_sequence else head.sequence,
                "truncated" if head.sequence > last_sequence else "head_mismatch",
                f"the chain ends at {last_sequence}; its head says {head.sequence}",
            )
        )
    return problems
