"""The duplicate check at intake: a family already known to the organisation (entered by
staff in Latin letters) applies again on the web in Dari script; before the receipt is shown
the new record is proposed to the review desk as the same man, and nothing is merged. People
of another organisation are never compared."""

from __future__ import annotations

from typing import Any

import pytest
from intake_support import Applicant

from safepassage.cases import services as case_services
from safepassage.cases.models import Case, Person
from safepassage.core.services import organization_create
from safepassage.engine.dates import PartialDate
from safepassage.linkage.models import MatchProposal, PersonLink, ProposalStatus
from safepassage.protection.models import AuditEvent

KNOWN = {
    "sex": "male",
    "given_name_latin": "Zabihullah",
    "father_name_latin": "Abdul Ghafoor",
    "family_name_latin": "Ahmadzai",
    "birth_date": PartialDate(1986),
    "phone": "0701234567",
}


def _apply() -> Case:
    applicant = Applicant()
    applicant.choose("fa")
    applicant.fill_all()
    applicant.submit()
    return Case.objects.order_by("-created_at").first()  # type: ignore[return-value]


@pytest.mark.django_db
def test_a_known_man_applying_again_in_dari_is_proposed_for_review_not_merged(
    receiving_org: Any,
) -> None:
    known = case_services.case_open(
        actor=None, organization=receiving_org, channel="staff", program="siv", principal=KNOWN
    )
    applied = _apply()
    assert applied.pk != known.pk

    new_principal = Person.objects.get(case=applied, relationship="principal")
    old_principal = Person.objects.get(case=known, relationship="principal")
    proposal = MatchProposal.objects.get(
        left_person__in=[new_principal, old_principal],
        right_person__in=[new_principal, old_principal],
    )
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.match_weight > 0
    assert {proposal.left_case_id, proposal.right_case_id} == {known.pk, applied.pk}
    assert not PersonLink.objects.exists()  # a reviewer decides; nothing is merged at intake
    event = AuditEvent.objects.filter(action="linkage.intake_check").latest("id")
    assert event.details["proposals"] >= 1


@pytest.mark.django_db
def test_an_application_with_no_one_alike_proposes_nothing(receiving_org: Any) -> None:
    applied = _apply()
    assert applied is not None
    assert not MatchProposal.objects.exists()
    event = AuditEvent.objects.filter(action="linkage.intake_check").latest("id")
    assert event.details["proposals"] == 0


@pytest.mark.django_db
def test_people_of_another_organisation_are_not_compared_at_intake(receiving_org: Any) -> None:
    other = organization_create(actor=None, name="Elsewhere", slug="elsewhere")
    case_services.case_open(
        actor=None, organization=other, channel="staff", program="siv", principal=KNOWN
    )
    _apply()
    assert not MatchProposal.objects.exists()
