"""Reads of cases, always scoped to the organisations and roles of the user who asks.

A record outside the user's scope is "not found", never "forbidden": existence must not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet

from safepassage.cases.errors import CaseNotFoundError
from safepassage.cases.models import Case, Document, Employment, Person, Relationship, Task
from safepassage.core.errors import NotFoundError
from safepassage.core.selectors import case_organization_ids_for
from safepassage.engine.reference import normalize_reference
from safepassage.protection.access import note_case_organization

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class CaseFilters:
    stage: str = ""
    program: str = ""
    assigned_to: int | None = None
    unassigned: bool = False
    reference: str = ""


def _scoped_cases(user: User, organization_id: int | None = None) -> QuerySet[Case]:
    """Cases the user may read: those of the organisations where they work cases, those a
    partner organisation of theirs referred, and break-glass grants still running. Narrowed
    to one organisation when ``organization_id`` is given (an API token works in one)."""
    from django.db.models import Q

    from safepassage.core.models import Role
    from safepassage.protection.services import break_glass_case_ids

    allowed = case_organization_ids_for(user=user)
    partner_of = case_organization_ids_for(user=user, roles=[Role.PARTNER])
    if organization_id is not None:
        allowed &= {organization_id}
        partner_of &= {organization_id}
    scope = Q(organization_id__in=allowed) | Q(referring_organization_id__in=partner_of)
    if organization_id is None:
        emergency = break_glass_case_ids(user=user)
        if emergency:
            scope |= Q(pk__in=emergency)
    return Case.objects.filter(scope)


def case_access_for(*, user: User, case: Case) -> str:
    """How ``user`` reaches ``case``: "work" (may change it), "partner" (reads what it
    referred), "emergency" (break-glass, reads) — the selectors already refused the rest."""
    if case.organization_id in case_organization_ids_for(user=user):
        return "work"
    from safepassage.protection.services import break_glass_case_ids

    if case.pk in break_glass_case_ids(user=user):
        return "emergency"
    return "partner"


def case_list_for(
    *, user: User, filters: CaseFilters | None = None, organization_id: int | None = None
) -> QuerySet[Case]:
    filters = filters or CaseFilters()
    cases = _scoped_cases(user, organization_id).select_related("assigned_to", "organization")
    if filters.reference:
        reference = normalize_reference(filters.reference)
        cases = cases.filter(reference=reference) if reference else cases.none()
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.program:
        cases = cases.filter(program=filters.program)
    if filters.unassigned:
        cases = cases.filter(assigned_to__isnull=True)
    elif filters.assigned_to is not None:
        cases = cases.filter(assigned_to_id=filters.assigned_to)
    principals = Person.objects.filter(relationship=Relationship.PRINCIPAL)
    return cases.prefetch_related(Prefetch("people", queryset=principals, to_attr="principals"))


def case_get_for(*, user: User, reference: str, organization_id: int | None = None) -> Case:
    canonical = normalize_reference(reference)
    if canonical is None:
        raise CaseNotFoundError()
    case = (
        _scoped_cases(user, organization_id)
        .select_related("assigned_to", "organization", "created_by")
        .filter(reference=canonical)
        .first()
    )
    if case is None:
        raise CaseNotFoundError()
    note_case_organization(case.pk, case.organization_id)
    return case


def case_detail_for(
    *, user: User, reference: str, organization_id: int | None = None
) -> dict[str, Any]:
    """Everything the case page shows, in a fixed number of queries."""
    case = case_get_for(user=user, reference=reference, organization_id=organization_id)
    people = list(case.people.all())
    people.sort(key=lambda p: (p.relationship != Relationship.PRINCIPAL, p.created_at))
    return {
        "case": case,
        "access": case_access_for(user=user, case=case),
        "people": people,
        "employment": list(case.employment.select_related("person").all()),
        "documents": list(case.documents.select_related("uploaded_by", "person").all()),
        "stage_events": list(case.stage_events.select_related("actor").all()),
        "notes": list(case.notes.select_related("author").all()),
        "tasks": list(case.tasks.select_related("assignee").all()),
    }


def person_get_for(*, user: User, case: Case, person_id: Any) -> Person:
    person = Person.objects.filter(case=case, pk=person_id).select_related("case").first()
    if person is None or not _scoped_cases(user).filter(pk=case.pk).exists():
        raise NotFoundError()
    return person


def employment_get_for(*, user: User, case: Case, employment_id: Any) -> Employment:
    found = (
        Employment.objects.filter(case=case, pk=employment_id)
        .select_related("case", "person")
        .first()
    )
    if found is None or case.organization_id not in case_organization_ids_for(user=user):
        raise NotFoundError()
    return found


def document_get_for(*, user: User, case: Case, document_id: Any) -> Document:
    found = Document.objects.filter(case=case, pk=document_id).select_related("case").first()
    if found is None or case.organization_id not in case_organization_ids_for(user=user):
        raise NotFoundError()
    return found


def task_get_for(*, user: User, case: Case, task_id: Any) -> Task:
    found = Task.objects.filter(case=case, pk=task_id).select_related("case").first()
    if found is None or case.organization_id not in case_organization_ids_for(user=user):
        raise NotFoundError()
    return found


def case_workers_for(*, case: Case) -> QuerySet[Any]:
    """Members of the case's organisation who can be assigned cases and tasks."""
    from django.contrib.auth import get_user_model

    from safepassage.core.models import CASE_ROLES

    return (
        get_user_model()
        .objects.filter(
            memberships__organization_id=case.organization_id,
            memberships__role__in=list(CASE_ROLES),
            is_active=True,
        )
        .order_by("username")
        .distinct()
    )


@dataclass(frozen=True)
class PersonQuery:
    """What a caseworker knows about someone: any of these, as typed."""

    tazkira: str = ""
    passport: str = ""
    phone: str = ""
    name: str = ""
    father_name: str = ""


def people_find_for(*, user: User, query: PersonQuery, limit: int = 50) -> list[Person]:
    """People in the user's scope matching every given field, found through blind indexes
    (no clear text is searched) and confirmed after decryption."""
    from safepassage.engine.names import name_keys
    from safepassage.protection import blind_index
    from safepassage.protection.models import SearchToken

    wanted: list[set[tuple[str, str]]] = []
    for kind in blind_index.IDENTITY_KINDS:
        raw = getattr(query, kind)
        if raw.strip():
            normalized = blind_index.normalized_identity(kind, raw)
            if normalized is None:
                return []
            wanted.append({(kind, blind_index.blind_digest(kind, normalized))})
    for kind, raw in (("given_name", query.name), ("father_name", query.father_name)):
        if raw.strip():
            tokens = blind_index.name_tokens_of(kind, raw)
            if not tokens:
                return []
            wanted.append(tokens)
    if not wanted:
        return []
    scoped = _scoped_cases(user).values("pk")
    candidate_ids: set[Any] | None = None
    for alternatives in wanted:
        kinds = {kind for kind, _digest in alternatives}
        digests = {digest for _kind, digest in alternatives}
        found = set(
            SearchToken.objects.filter(
                kind__in=kinds, digest__in=digests, case_id__in=scoped
            ).values_list("person_id", flat=True)[: limit * 50]
        )
        candidate_ids = found if candidate_ids is None else candidate_ids & found
        if not candidate_ids:
            return []
    people = Person.objects.filter(pk__in=candidate_ids or set()).select_related("case")

    def confirmed(person: Person) -> bool:
        for kind in blind_index.IDENTITY_KINDS:
            raw = getattr(query, kind)
            if raw.strip():
                normalized = blind_index.normalized_identity(kind, raw)
                if kind == "tazkira":
                    stored = (
                        person.tazkira_number
                        if person.tazkira_kind == "electronic"
                        else blind_index.normalized_identity(
                            "tazkira",
                            f"{person.tazkira_volume}/{person.tazkira_page}/"
                            f"{person.tazkira_registration}",
                        )
                    )
                else:
                    stored = getattr(person, {"passport": "passport_number"}.get(kind, kind))
                if stored != normalized:
                    return False
        for raw, fields in (
            (query.name, (person.given_name_latin, person.given_name_arabic)),
            (query.father_name, (person.father_name_latin, person.father_name_arabic)),
        ):
            if raw.strip():
                asked = name_keys(raw)
                if not any(asked & name_keys(value) for value in fields if value):
                    return False
        return True

    return [person for person in people if confirmed(person)][:limit]
