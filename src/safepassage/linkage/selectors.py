"""Reads of duplicate review, always scoped to the organisations and roles of the reader: the
review queue, one proposed match side by side, identities (records linked as one person),
runs, and possible duplicates at organisations sharing with the reader's."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, FloatField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Round

from safepassage.cases.models import Case, Person
from safepassage.cases.selectors import case_get_for
from safepassage.core.errors import NotFoundError
from safepassage.core.models import CASE_ROLES, Organization
from safepassage.core.selectors import case_organization_ids_for
from safepassage.linkage.errors import ProposalNotFoundError
from safepassage.linkage.models import (
    CrossOrganizationHint,
    LinkageRun,
    MatchProposal,
    PersonLink,
    ProposalStatus,
    ReviewDecision,
)

User = AbstractBaseUser | AnonymousUser

QUEUE_STATUSES = (ProposalStatus.OPEN,)
UNCERTAINTY_BANDS = 5
"""The queue sorts by uncertainty in this many bands (even odds first), then by the higher
priority of the two households, then by match weight."""


def organizations_for_desk(*, user: User, roles: Iterable[str] = CASE_ROLES) -> list[Organization]:
    ids = case_organization_ids_for(user=user, roles=roles)
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


def organization_for(
    *, user: User, slug: str | None, roles: Iterable[str] = CASE_ROLES
) -> Organization:
    """The organisation (by slug, else the first) whose desk ``user`` may use with
    ``roles``; ``NotFoundError`` otherwise."""
    ids = case_organization_ids_for(user=user, roles=roles)
    organizations = Organization.objects.filter(pk__in=ids).order_by("name")
    found = organizations.filter(slug=slug).first() if slug else organizations.first()
    if found is None:
        raise NotFoundError()
    return found


def _priority_of(case_field: str) -> Coalesce:
    from safepassage.threat.models import CasePriority

    score = CasePriority.objects.filter(case_id=OuterRef(case_field)).values("score")[:1]
    return Coalesce(Subquery(score, output_field=FloatField()), Value(0.0))


def queue_for(*, user: User, organization: Organization) -> QuerySet[MatchProposal]:
    """Open proposed matches of the organisation, most uncertain first (in bands), then by
    the higher case priority of the two households, then strongest first."""
    if organization.pk not in case_organization_ids_for(user=user):
        raise NotFoundError()
    return (
        MatchProposal.objects.filter(
            organization=organization,
            status__in=QUEUE_STATUSES,
            left_case__erased_at__isnull=True,
            right_case__erased_at__isnull=True,
        )
        .select_related("left_case", "right_case")
        .annotate(
            band=Round(F("uncertainty") * UNCERTAINTY_BANDS),
            priority=Greatest(_priority_of("left_case_id"), _priority_of("right_case_id")),
        )
        .order_by("-band", "-priority", "-match_weight", "pk")
    )


def decided_for(*, user: User, organization: Organization) -> QuerySet[MatchProposal]:
    """Decided and automatically linked matches of the organisation, latest first."""
    if organization.pk not in case_organization_ids_for(user=user):
        raise NotFoundError()
    return (
        MatchProposal.objects.filter(organization=organization)
        .exclude(status__in=[ProposalStatus.OPEN, ProposalStatus.STALE])
        .select_related("left_case", "right_case", "decided_by")
        .order_by("-updated_at", "pk")
    )


def proposal_get_for(*, user: User, proposal_id: Any) -> MatchProposal:
    """The proposal, if ``user`` works both of its cases (through the cases' scoped
    selectors); ``ProposalNotFoundError`` otherwise."""
    try:
        key = uuid.UUID(str(proposal_id))
    except ValueError:
        raise ProposalNotFoundError() from None
    proposal = (
        MatchProposal.objects.filter(
            pk=key, organization_id__in=case_organization_ids_for(user=user)
        )
        .select_related("left_person", "right_person", "left_case", "right_case", "decided_by")
        .first()
    )
    if proposal is None:
        raise ProposalNotFoundError()
    for case in (proposal.left_case, proposal.right_case):
        try:
            case_get_for(user=user, reference=case.reference)
        except NotFoundError:
            raise ProposalNotFoundError() from None
    return proposal


@dataclass(frozen=True)
class ComparisonRow:
    """One line of the side-by-side view: what is compared, each record's values, the
    level reached and its weight in bits."""

    comparison: str
    level: str
    weight: float
    note: str
    left: tuple[Any, ...]
    right: tuple[Any, ...]
    kind: str  # "text", "date", "identity", "province", "sex"


_SHOWN_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "given_name": (("given_name_latin", "given_name_arabic"), "text"),
    "father_name": (("father_name_latin", "father_name_arabic"), "text"),
    "grandfather_name": (("grandfather_name_latin", "grandfather_name_arabic"), "text"),
    "family_name": (("family_name_latin", "family_name_arabic"), "text"),
    "birth_date": (("birth_date",), "date"),
    "tazkira": (
        ("tazkira_number", "tazkira_volume", "tazkira_page", "tazkira_registration"),
        "identity",
    ),
    "passport": (("passport_number",), "identity"),
    "phone": (("phone",), "identity"),
    "sex": (("sex",), "sex"),
    "birth_province": (("birth_province",), "province"),
}


def comparison_rows(proposal: MatchProposal) -> list[ComparisonRow]:
    """The stored contributions beside both records' values (decrypted for this reader)."""
    rows = []
    for part in proposal.contributions:
        fields, kind = _SHOWN_FIELDS.get(part["comparison"], ((), "text"))
        rows.append(
            ComparisonRow(
                comparison=part["comparison"],
                level=part["level"],
                weight=float(part["weight"]),
                note=part.get("note", ""),
                left=tuple(getattr(proposal.left_person, name) for name in fields),
                right=tuple(getattr(proposal.right_person, name) for name in fields),
                kind=kind,
            )
        )
    return rows


def decisions_of(proposal: MatchProposal) -> list[ReviewDecision]:
    return list(proposal.decisions.select_related("actor").order_by("at", "id"))


def can_undo(proposal: MatchProposal) -> bool:
    last = proposal.decisions.order_by("-at", "-id").first()
    return last is not None and last.action not in (
        ReviewDecision.Action.UNDO,
        ReviewDecision.Action.AUTO_LINK,
    )


def identities_of(person_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    """For each of ``person_ids``, every record linked to it as the same person (directly or
    through others), itself excluded: connected groups of active same-person links."""
    wanted = set(person_ids)
    neighbours: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    frontier = set(wanted)
    seen: set[uuid.UUID] = set()
    while frontier:
        seen |= frontier
        links = PersonLink.objects.filter(
            kind=PersonLink.Kind.SAME_PERSON, undone_at__isnull=True
        ).filter(left_person_id__in=frontier) | PersonLink.objects.filter(
            kind=PersonLink.Kind.SAME_PERSON, undone_at__isnull=True, right_person_id__in=frontier
        )
        found: set[uuid.UUID] = set()
        for left, right in links.values_list("left_person_id", "right_person_id"):
            neighbours[left].add(right)
            neighbours[right].add(left)
            found |= {left, right}
        frontier = found - seen
    groups: dict[uuid.UUID, set[uuid.UUID]] = {}
    for person in wanted:
        group, stack = {person}, [person]
        while stack:
            for other in neighbours[stack.pop()] - group:
                group.add(other)
                stack.append(other)
        groups[person] = group - {person}
    return groups


@dataclass(frozen=True)
class LinkedRecord:
    person: Person
    linked: list[Person]
    households: list[Person]


def case_links_for(*, user: User, reference: str) -> tuple[Case, list[LinkedRecord]]:
    """The case's people with the records linked to each (same person, and same household),
    limited to cases the reader may see."""
    case = case_get_for(user=user, reference=reference)
    people = list(case.people.all())
    identities = identities_of(person.pk for person in people)
    household_links = PersonLink.objects.filter(
        kind=PersonLink.Kind.SAME_HOUSEHOLD, undone_at__isnull=True
    )
    households: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    ids = {person.pk for person in people}
    for left, right in household_links.filter(left_person_id__in=ids).values_list(
        "left_person_id", "right_person_id"
    ):
        households[left].add(right)
    for left, right in household_links.filter(right_person_id__in=ids).values_list(
        "left_person_id", "right_person_id"
    ):
        households[right].add(left)
    others = set().union(*identities.values(), *households.values()) if people else set()
    visible_orgs = case_organization_ids_for(user=user)
    found = {
        person.pk: person
        for person in Person.objects.filter(
            pk__in=others, case__organization_id__in=visible_orgs
        ).select_related("case")
    }
    return case, [
        LinkedRecord(
            person=person,
            linked=[found[pk] for pk in sorted(identities[person.pk], key=str) if pk in found],
            households=[found[pk] for pk in sorted(households[person.pk], key=str) if pk in found],
        )
        for person in people
    ]


def runs_for(*, user: User, organization: Organization) -> QuerySet[LinkageRun]:
    if organization.pk not in case_organization_ids_for(user=user):
        raise NotFoundError()
    return LinkageRun.objects.filter(organization=organization).select_related("created_by")


def run_get_for(*, user: User, run_id: Any) -> LinkageRun:
    try:
        key = uuid.UUID(str(run_id))
    except ValueError:
        raise NotFoundError() from None
    run = (
        LinkageRun.objects.filter(pk=key, organization_id__in=case_organization_ids_for(user=user))
        .select_related("organization", "created_by")
        .first()
    )
    if run is None:
        raise NotFoundError()
    return run


def hints_for(*, user: User, organization: Organization) -> QuerySet[CrossOrganizationHint]:
    """Possible duplicates at other organisations, only while the other organisation's
    sharing agreement with this one is still active."""
    from safepassage.linkage.services import sharing_organization_ids

    if organization.pk not in case_organization_ids_for(user=user):
        raise NotFoundError()
    return (
        CrossOrganizationHint.objects.filter(
            organization=organization,
            other_organization_id__in=sharing_organization_ids(organization.pk),
            case__erased_at__isnull=True,
        )
        .select_related("case", "other_organization")
        .order_by("other_organization__name", "case__reference", "pk")
    )
