"""Accounting for reads of personal data: exactly one access event per request that
decrypted any, listing the cases and fields read (never values), and throttling of users
who read many more cases than usual.

Reads are noticed where they happen: the encrypted-field descriptor reports every value it
decrypts, so a page or API call cannot show personal data without it being counted.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from safepassage.protection.context import RequestOrigin, current_origin

logger = logging.getLogger(__name__)


@dataclass
class ReadLog:
    cases: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)
    known_organizations: dict[str, int] = field(default_factory=dict)


current_reads: contextvars.ContextVar[ReadLog | None] = contextvars.ContextVar(
    "access_reads", default=None
)


def note_read(instance: Any, field_name: str) -> None:
    """Called by the encrypted-field descriptor on every decryption."""
    log = current_reads.get()
    if log is None:
        return
    from safepassage.protection.crypto import benchmark_audit_off

    if benchmark_audit_off():
        return
    scope = getattr(instance, "encryption_scope", None)
    if scope is not None:
        log.cases.add(str(scope))
    log.fields.add(f"{type(instance).__name__.lower()}.{field_name}")


def note_case_organization(case_id: object, organization_id: int) -> None:
    """Selectors tell which organisation a case they returned belongs to (saves a query)."""
    log = current_reads.get()
    if log is not None:
        log.known_organizations[str(case_id)] = organization_id


def address_hash(request: HttpRequest) -> str:
    from safepassage.accounts.services import client_address

    address = client_address(request) or ""
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def _source(request: HttpRequest) -> str:
    return "api" if request.path.startswith("/api/") else "web"


class _Reader:
    """The audit target of a request that read personal data."""

    def __init__(self, key: str) -> None:
        self.pk = key


def _rate_key(user_id: int) -> str:
    return f"sp:reads:{user_id}"


def _throttle_key(user_id: int) -> str:
    return f"sp:throttled:{user_id}"


def record_request_reads(request: HttpRequest, log: ReadLog) -> None:
    """One access event for the request, and the read-rate bookkeeping."""
    from safepassage.cases.models import Case
    from safepassage.protection.audit import audit_record

    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    cases = sorted(log.cases)
    unknown = [case for case in cases if case not in log.known_organizations]
    organization_ids = {log.known_organizations[c] for c in cases if c not in unknown}
    if unknown:
        organization_ids |= set(
            Case.objects.filter(pk__in=unknown).values_list("organization_id", flat=True)
        )
    audit_record(
        actor=actor,
        action="case.read",
        target=_Reader(cases[0] if len(cases) == 1 else f"{len(cases)} cases"),
        organization_id=next(iter(organization_ids)) if len(organization_ids) == 1 else None,
        cases=cases,
        fields=sorted(log.fields),
        path=request.resolver_match.route if request.resolver_match else "",
    )
    if actor is None:
        return
    window = settings.READ_RATE_WINDOW_SECONDS
    key = _rate_key(actor.pk)
    seen: set[str] = set(cache.get(key) or ())
    seen.update(cases)
    cache.set(key, sorted(seen), window)
    if len(seen) > settings.READ_RATE_MAX_CASES and not cache.get(_throttle_key(actor.pk)):
        cache.set(_throttle_key(actor.pk), True, window)
        from safepassage.protection.alerts import alert_raise

        targets: set[int | None] = set(organization_ids) or {None}
        for organization_id in targets:
            alert_raise(
                kind="read_rate",
                organization_id=organization_id,
                subject_user=actor,
                cases=len(seen),
                window_seconds=window,
            )


def lift_read_pause(*, user_id: int) -> None:
    """An administrator lifts a reader's pause (after looking at the alert)."""
    cache.delete_many([_throttle_key(user_id), _rate_key(user_id)])


def is_throttled(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return bool(cache.get(_throttle_key(user.pk)))


class AccessAuditMiddleware:
    """Sets the request's origin for every audit entry, refuses throttled readers, and
    writes the request's single access event before the response leaves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin_token = current_origin.set(
            RequestOrigin(source=_source(request), address_hash=address_hash(request))
        )
        log = ReadLog()
        reads_token = current_reads.set(log)
        try:
            if is_throttled(request) and not request.path.startswith("/accounts/"):
                body = render_to_string("throttled.html", request=request)
                return HttpResponse(body, status=429, headers={"Retry-After": "3600"})
            response = self.get_response(request)
            if log.cases or log.fields:
                try:
                    record_request_reads(request, log)
                except DatabaseError:
                    # No account of the read, no data: fail closed.
                    logger.exception("access event could not be written")
                    return HttpResponse(status=503)
            return response
        finally:
            current_reads.reset(reads_token)
            current_origin.reset(origin_token)
