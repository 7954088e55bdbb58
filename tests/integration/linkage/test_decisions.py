"""Reviewers' decisions: same person links the records without changing or removing either,
undo restores exactly the state before, same household and different people are remembered,
every decision and undo is audited, and a user of another organisation reaches nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from linkage_support import households, proposal_between, search

from safepassage.core.errors import InvalidInputError, NotFoundError
from safepassage.linkage import selectors, services
from safepassage.linkage.errors import DecisionError, ProposalNotFoundError
from safepassage.linkage.models import MatchProposal, PersonLink, ProposalStatus, ReviewDecision
from safepassage.protection.models import AuditEvent

REVIEW_ONLY = {"auto_link_weight": 40.0, "review_weight": 0.0}


@pytest.fixture
def proposed(org: Any, caseworker: Any, supervisor: Any) -> Any:
    family = households(org, caseworker)
    services.linkage_thresholds_set(actor=supervisor, organization=org, **REVIEW_ONLY)
    search(org, supervisor)
    return family, proposal_between(family.person(family.first), family.person(family.again))


def _rows(table: str) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 - fixed names
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()]  # fmt: skip


def _state(proposal: MatchProposal) -> dict[str, Any]:
    """Everything a merge could change: the people and cases (raw rows), the proposal (but
    its modification time), the links in force and the identities they make."""
    people = [proposal.left_person_id, proposal.right_person_id]
    return {
        "people": _rows("cases_person"),
        "cases": _rows("cases_case"),
        "proposal": MatchProposal.objects.filter(pk=proposal.pk)
        .values(*[f.attname for f in MatchProposal._meta.concrete_fields if f.name != "updated_at"])
        .get(),
        "links": list(
            PersonLink.objects.filter(undone_at__isnull=True).values().order_by("created_at")
        ),
        "identities": selectors.identities_of(people),
    }


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_merge_then_undo_restores_the_exact_prior_state(proposed: Any, caseworker: Any) -> None:
    _family, proposal = proposed
    before = _state(proposal)

    services.proposal_decide(actor=caseworker, proposal=proposal, action="same_person")
    merged = _state(proposal)
    services.proposal_undo(actor=caseworker, proposal=proposal)

    assert merged["identities"][proposal.left_person_id] == {proposal.right_person_id}
    assert merged["people"] == before["people"]  # merging changes no person record
    assert _state(proposal) == before
    link = PersonLink.objects.get(proposal=proposal)
    assert link.undone_at is not None  # kept for history, no longer in force
    actions = list(
        ReviewDecision.objects.filter(proposal=proposal).values_list("action", flat=True)
    )
    assert actions == ["same_person", "undo"]
    audited = AuditEvent.objects.filter(object_id=str(proposal.pk)).values_list("action", flat=True)
    assert {"linkage.decide_same_person", "linkage.undo"} <= set(audited)


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_undoing_a_decision_on_an_automatic_link_brings_the_automatic_link_back(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    family = households(org, caseworker)
    search(org, supervisor)
    proposal = proposal_between(family.person(family.first), family.person(family.again))
    assert proposal.status == ProposalStatus.AUTO_LINKED
    before = _state(proposal)

    services.proposal_decide(actor=caseworker, proposal=proposal, action="different")
    assert selectors.identities_of([proposal.left_person_id])[proposal.left_person_id] == set()
    services.proposal_undo(actor=caseworker, proposal=proposal)

    assert _state(proposal) == before


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_the_same_household_decision_links_the_families_but_not_the_people(
    proposed: Any, caseworker: Any
) -> None:
    family, proposal = proposed

    services.proposal_decide(actor=caseworker, proposal=proposal, action="same_household")

    case, records = selectors.case_links_for(user=caseworker, reference=family.first.reference)
    assert case == family.first
    principal = next(r for r in records if r.person.relationship == "principal")
    assert principal.linked == [] and [p.pk for p in principal.households] == [
        family.person(family.again).pk
    ]
    assert services.reviewer_labels(proposal.organization_id) == {
        (str(proposal.left_person_id), str(proposal.right_person_id)): False
    }


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_decided_match_cannot_be_decided_again_until_undone(
    proposed: Any, caseworker: Any
) -> None:
    _family, proposal = proposed
    services.proposal_decide(actor=caseworker, proposal=proposal, action="different")

    with pytest.raises(DecisionError):
        services.proposal_decide(actor=caseworker, proposal=proposal, action="same_person")
    services.proposal_undo(actor=caseworker, proposal=proposal)
    with pytest.raises(DecisionError):
        services.proposal_undo(actor=caseworker, proposal=proposal)
    with pytest.raises(InvalidInputError):
        services.proposal_decide(actor=caseworker, proposal=proposal, action="merge_everything")


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_linked_records_chain_into_one_identity(org: Any, caseworker: Any, supervisor: Any) -> None:
    from linkage_support import ZABIULLAH, open_household

    family = households(org, caseworker)
    third = open_household(org, caseworker, {**ZABIULLAH, "given_name_latin": "Zabihulla"})
    services.linkage_thresholds_set(actor=supervisor, organization=org, **REVIEW_ONLY)
    search(org, supervisor)
    first, again = family.person(family.first), family.person(family.again)
    other = third.people.get()
    services.proposal_decide(actor=caseworker, proposal=proposal_between(first, again),
                             action="same_person")  # fmt: skip
    services.proposal_decide(actor=caseworker, proposal=proposal_between(again, other),
                             action="same_person")  # fmt: skip

    assert selectors.identities_of([first.pk])[first.pk] == {again.pk, other.pk}


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_another_organisation_and_weaker_roles_reach_no_proposal(
    proposed: Any, outsider: Any, logistics_officer: Any
) -> None:
    _family, proposal = proposed
    for user in (outsider, logistics_officer):
        with pytest.raises(ProposalNotFoundError):
            selectors.proposal_get_for(user=user, proposal_id=proposal.pk)
        with pytest.raises(NotFoundError):
            services.proposal_decide(actor=user, proposal=proposal, action="same_person")
        with pytest.raises(NotFoundError):
            services.proposal_undo(actor=user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
