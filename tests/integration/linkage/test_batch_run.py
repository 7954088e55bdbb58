"""The batch job: an organisation's people deduplicated in the background, with progress,
proposed matches stored as numbers and codes, thresholds per organisation, reviewers'
"different" decisions remembered, and nothing personal written in clear."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from linkage_support import ZABIHULLAH, households, open_household, proposal_between, search

from safepassage.core.errors import NotFoundError
from safepassage.linkage import services
from safepassage.linkage.errors import LinkageRunError, ThresholdsError
from safepassage.linkage.models import (
    LinkageRun,
    MatchProposal,
    PersonLink,
    ProposalStatus,
)
from safepassage.protection.models import AuditEvent

REVIEW_ONLY = {"auto_link_weight": 40.0, "review_weight": 0.0}


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_search_proposes_the_family_entered_twice_and_never_the_brother(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    family = households(org, caseworker)
    services.linkage_thresholds_set(actor=supervisor, organization=org, **REVIEW_ONLY)

    run = search(org, supervisor)

    assert run.status == LinkageRun.Status.DONE
    assert run.total == run.processed == 4
    assert run.summary["records"] == 4 and run.summary["proposals"] == 1
    assert run.summary["siblings_held"] >= 1
    first, again = family.person(family.first), family.person(family.again)
    proposal = proposal_between(first, again)
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.match_weight > 0 and 0.5 < proposal.match_probability <= 1.0
    parts = {part["comparison"]: part for part in proposal.contributions}
    assert (
        parts["given_name"]["level"] in ("exact", "variant") and parts["given_name"]["weight"] > 0
    )
    assert parts["birth_date"]["level"] == "overlap"
    prior = run.model["prior"]
    prior_weight = math.log2(prior / (1 - prior))
    total = prior_weight + sum(part["weight"] for part in proposal.contributions)
    assert total == pytest.approx(proposal.match_weight, abs=0.01)
    brother = family.person(family.brother)
    assert not MatchProposal.objects.filter(left_person=brother).exists()
    assert not MatchProposal.objects.filter(right_person=brother).exists()


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_pair_above_the_auto_link_threshold_is_linked_without_review_and_audited(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    family = households(org, caseworker)

    search(org, supervisor)  # default thresholds: linked from a thousand-to-one odds

    proposal = proposal_between(family.person(family.first), family.person(family.again))
    assert proposal.status == ProposalStatus.AUTO_LINKED
    link = PersonLink.objects.get(proposal=proposal)
    assert link.automatic and link.undone_at is None and link.kind == "same_person"
    assert AuditEvent.objects.filter(
        action="linkage.auto_link", object_id=str(proposal.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="linkage.run_done").count() == 1


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_different_people_are_never_proposed_again_by_a_later_search(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    family = households(org, caseworker)
    services.linkage_thresholds_set(actor=supervisor, organization=org, **REVIEW_ONLY)
    search(org, supervisor)
    proposal = proposal_between(family.person(family.first), family.person(family.again))
    services.proposal_decide(actor=caseworker, proposal=proposal, action="different")

    second = search(org, supervisor)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DIFFERENT
    assert second.summary["proposals"] == 0
    assert not MatchProposal.objects.filter(status=ProposalStatus.OPEN).exists()


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_later_search_updates_an_open_proposal_instead_of_duplicating_it(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    households(org, caseworker)
    services.linkage_thresholds_set(actor=supervisor, organization=org, **REVIEW_ONLY)
    first = search(org, supervisor)
    second = search(org, supervisor)

    proposal = MatchProposal.objects.get()
    assert proposal.run_id == second.pk != first.pk
    assert proposal.status == ProposalStatus.OPEN


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_nothing_personal_is_written_in_clear_by_a_search(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    households(org, caseworker)
    services.linkage_thresholds_set(actor=supervisor, organization=org, **REVIEW_ONLY)
    run = search(org, supervisor)

    stored = json.dumps(
        [
            list(MatchProposal.objects.values_list("contributions", flat=True)),
            run.summary,
            run.model,
            list(AuditEvent.objects.values_list("details", flat=True)),
        ],
        ensure_ascii=False,
    )
    for value in ("Zabihullah", "Zabiullah", "Ghafoor", "Hazrat", "ذبیح", "1234567", "1986"):
        assert value not in stored
    with connection.cursor() as cursor:
        for table in ("linkage_matchproposal", "linkage_linkagerun", "linkage_personlink"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dumped = repr(cursor.fetchall())
            assert "Zabihullah" not in dumped and "Ghafoor" not in dumped


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_an_organisation_with_one_household_finishes_with_nothing_to_propose(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    open_household(org, caseworker, ZABIHULLAH)

    run = search(org, supervisor)

    assert run.status == LinkageRun.Status.DONE and run.summary["proposals"] == 0


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_people_of_another_organisation_are_not_compared_without_a_sharing_agreement(
    org: Any, other_org: Any, caseworker: Any, outsider: Any, supervisor: Any
) -> None:
    open_household(org, caseworker, ZABIHULLAH)
    open_household(other_org, outsider, ZABIHULLAH)

    run = search(org, supervisor)

    assert run.summary["records"] == 1
    assert not MatchProposal.objects.exists()


@pytest.mark.django_db
def test_only_supervisors_start_searches_and_set_thresholds(
    org: Any, caseworker: Any, supervisor: Any, outsider: Any
) -> None:
    with pytest.raises(NotFoundError):
        services.linkage_run_start(actor=caseworker, organization=org)
    with pytest.raises(NotFoundError):
        services.linkage_thresholds_set(actor=outsider, organization=org, **REVIEW_ONLY)
    with pytest.raises(ThresholdsError):
        services.linkage_thresholds_set(
            actor=supervisor, organization=org, auto_link_weight=1.0, review_weight=5.0
        )


@pytest.mark.django_db
def test_a_second_search_cannot_start_while_one_is_waiting(org: Any, supervisor: Any) -> None:
    services.linkage_run_start(actor=supervisor, organization=org)
    with pytest.raises(LinkageRunError):
        services.linkage_run_start(actor=supervisor, organization=org)


def _share(sharing: Any, recipient: Any, approver: Any) -> Any:
    from safepassage.exports.services import agreement_record

    return agreement_record(
        actor=approver,
        organization=sharing,
        recipient_organization=recipient,
        purpose="Finding people registered twice",
        legal_basis="vital_interests",
        allowed_fields=["reference"],
        expires_at=timezone.now() + dt.timedelta(days=30),
        recent_auth=True,
    )


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_with_a_sharing_agreement_only_the_other_organisation_of_a_duplicate_is_revealed(
    org: Any, other_org: Any, caseworker: Any, outsider: Any, supervisor: Any
) -> None:
    from safepassage.core.models import Role
    from safepassage.core.services import membership_grant, user_create
    from safepassage.exports.services import agreement_revoke
    from safepassage.linkage.models import CrossOrganizationHint
    from safepassage.linkage.selectors import hints_for

    mine = open_household(org, caseworker, ZABIHULLAH)
    open_household(other_org, outsider, ZABIHULLAH)
    other_supervisor = user_create(username="other-supervisor", password="x" * 20)
    membership_grant(
        actor=None, organization=other_org, user=other_supervisor, role=Role.SUPERVISOR
    )
    agreement = _share(other_org, org, other_supervisor)

    run = search(org, supervisor)

    assert run.summary["hints"] == 1 and run.summary["proposals"] == 0
    hint = CrossOrganizationHint.objects.get()
    assert hint.case_id == mine.pk and hint.other_organization_id == other_org.pk
    assert not MatchProposal.objects.exists()  # no pair across organisations to review
    assert list(hints_for(user=caseworker, organization=org)) == [hint]
    agreement_revoke(actor=other_supervisor, agreement=agreement)
    assert list(hints_for(user=caseworker, organization=org)) == []


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_with_enough_records_the_model_is_fitted_to_them_and_kept_with_the_run(
    org: Any, caseworker: Any, supervisor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safepassage.engine.linkage import LinkageModel

    households(org, caseworker)
    monkeypatch.setattr(services, "MIN_TRAINING_RECORDS", 4)

    run = search(org, supervisor)

    assert run.summary["trained"] is True
    fitted = LinkageModel.from_dict(run.model)
    assert fitted.population == 4
    assert fitted != LinkageModel.untrained(population=1000)
