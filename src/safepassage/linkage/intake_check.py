"""The duplicate check at intake: before the applicant's receipt is shown, each person of the
newly submitted case is compared with the people the receiving organisation already holds.

Candidates come through the blind indexes (``import_candidates``: shared identity number or
phone, or given name with father's or family name, in either script), so only they are read
and decrypted, in memory; the engine scores them (``score_one``) with the organisation's
thresholds. A pair at or above the review threshold becomes an open proposal in the review
desk. Nothing is merged at intake, whatever the weight: an application never joins itself to
another record without a reviewer (a relative "helping" may have typed it). The applicant is
told nothing about it."""

from __future__ import annotations

import logging
import uuid

from safepassage.cases.models import Case, Person
from safepassage.engine.linkage import ScoredPair
from safepassage.linkage.import_candidates import person_tokens
from safepassage.linkage.import_services import best_matches, open_proposal
from safepassage.linkage.models import MatchProposal
from safepassage.linkage.records import person_record
from safepassage.linkage.services import _contributions, thresholds_of
from safepassage.protection.audit import audit_record

logger = logging.getLogger(__name__)


def _proposal(case: Case, pair: ScoredPair) -> MatchProposal | None:
    left, right = sorted((pair.left_id, pair.right_id))
    pair_of = {"left_person_id": uuid.UUID(left), "right_person_id": uuid.UUID(right)}
    if MatchProposal.objects.filter(**pair_of).exists():
        return None
    return open_proposal(
        organization_id=case.organization_id,
        ends=((pair.left_id, pair.left_household), (pair.right_id, pair.right_household)),
        weight=pair.match_weight,
        probability=pair.match_probability,
        contributions=_contributions(pair),
    )


def case_duplicates_check(*, case: Case) -> int:
    """Propose for review every stored person of the case's organisation that looks like one
    of the case's people; returns how many proposals were made."""
    people = list(Person.objects.filter(case=case))
    rows = {str(person.pk): (person_record(person), person_tokens(person)) for person in people}
    if not rows:
        return 0
    organization = case.organization
    found = best_matches(organization, rows, thresholds_of(organization))
    made = [p for p in (_proposal(case, pair) for pair in found.values()) if p]
    audit_record(
        actor=None,
        action="linkage.intake_check",
        target=case,
        organization_id=case.organization_id,
        people=len(rows),
        proposals=len(made),
    )
    logger.info("intake check of case %s: %s proposals", case.pk, len(made))
    return len(made)
