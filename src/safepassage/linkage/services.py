"""Writes of duplicate review: thresholds, batch runs (start and the job itself), reviewers'
decisions and their undoing. Each service is atomic, checks the actor's role in the
proposal's organisation and records its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.cases.models import Case, Person
from safepassage.core.errors import InvalidInputError, NotFoundError
from safepassage.core.models import CASE_ROLES, SUPERVISING_ROLES, Membership, Organization
from safepassage.engine.linkage import (
    Decision,
    LinkageModel,
    LinkResult,
    ScoredPair,
    Thresholds,
    link_batch,
)
from safepassage.linkage.errors import DecisionError, LinkageRunError, ThresholdsError
from safepassage.linkage.models import (
    DEFAULT_AUTO_LINK_WEIGHT,
    DEFAULT_REVIEW_WEIGHT,
    CrossOrganizationHint,
    LinkageRun,
    LinkageSettings,
    MatchProposal,
    PersonLink,
    ProposalStatus,
    ReviewDecision,
    uncertainty_of,
)
from safepassage.linkage.records import live_case_ids, records_of_cases
from safepassage.protection.audit import audit_batch, audit_record

logger = logging.getLogger(__name__)

Actor = AbstractBaseUser | AnonymousUser | None

REVIEWER_ACTIONS = (
    ProposalStatus.SAME_PERSON,
    ProposalStatus.DIFFERENT,
    ProposalStatus.SAME_HOUSEHOLD,
)
"""What a reviewer may decide on a proposed match."""

NOTE_CODES: Mapping[str, str] = {
    "father's name found in the family-name slot": "father_in_family_slot",
    "a 1 January or 1 Hamal date is treated as its year only": "first_of_year",
    "the number is shared by other people": "shared_phone",
}
"""The engine's notes for reviewers, as codes the desk translates."""

MIN_TRAINING_RECORDS = 500
"""Below this many records the model is not fitted to them (a few dozen pairs say nothing
about m and u): the engine's untrained starting model scores them instead, with the prior of
a population of at least :data:`UNTRAINED_POPULATION`."""
UNTRAINED_POPULATION = 1000

ABANDONED_AFTER = dt.timedelta(hours=12)
"""A run still waiting or running after this long was lost with its worker: a new run may
start (a million people take minutes, not hours)."""

_DECIDABLE = (ProposalStatus.OPEN, ProposalStatus.AUTO_LINKED, ProposalStatus.STALE)
_ACTIVE_RUN = (LinkageRun.Status.QUEUED, LinkageRun.Status.RUNNING)


def _user_of(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _require_role(actor: Actor, organization_id: int, roles: frozenset[str]) -> None:
    """Defence in depth: views already reached the record through a scoped selector. An
    actor without the role gets "not found" (existence must not leak)."""
    if actor is None:  # the system itself (jobs)
        return
    if (
        not actor.is_authenticated
        or not Membership.objects.filter(
            user_id=int(actor.pk), organization_id=organization_id, role__in=list(roles)
        ).exists()
    ):
        raise NotFoundError()


# --- thresholds ------------------------------------------------------------------------------


def thresholds_of(organization: Organization) -> Thresholds:
    """The organisation's thresholds, the defaults when it never set any."""
    found = LinkageSettings.objects.filter(organization=organization).first()
    if found is None:
        return Thresholds(auto_link=DEFAULT_AUTO_LINK_WEIGHT, review=DEFAULT_REVIEW_WEIGHT)
    return Thresholds(auto_link=found.auto_link_weight, review=found.review_weight)


@transaction.atomic
def linkage_thresholds_set(
    *, actor: Actor, organization: Organization, auto_link_weight: float, review_weight: float
) -> LinkageSettings:
    """Set the organisation's thresholds (supervisors and administrators). Raises
    ``ThresholdsError`` when auto-link is below review; they apply from the next run."""
    _require_role(actor, organization.pk, SUPERVISING_ROLES)
    if auto_link_weight < review_weight:
        raise ThresholdsError(field="auto_link_weight")
    settings_row, _created = LinkageSettings.objects.select_for_update().get_or_create(
        organization=organization
    )
    previous = (settings_row.auto_link_weight, settings_row.review_weight)
    settings_row.auto_link_weight = auto_link_weight
    settings_row.review_weight = review_weight
    settings_row.updated_by = _user_of(actor)
    settings_row.full_clean()
    settings_row.save()
    audit_record(
        actor=actor,
        action="linkage.thresholds_set",
        target=settings_row,
        organization_id=organization.pk,
        auto_link_weight=auto_link_weight,
        review_weight=review_weight,
        previous_auto_link_weight=previous[0],
        previous_review_weight=previous[1],
    )
    return settings_row


# --- batch runs ------------------------------------------------------------------------------


@transaction.atomic
def linkage_run_start(*, actor: Actor, organization: Organization) -> LinkageRun:
    """Queue a deduplication of the organisation's people (supervisors and administrators).
    Raises ``LinkageRunError`` while another run of the organisation is queued or running."""
    from safepassage.linkage.tasks import run_linkage

    _require_role(actor, organization.pk, SUPERVISING_ROLES)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    abandoned_before = timezone.now() - ABANDONED_AFTER
    if LinkageRun.objects.filter(
        organization=organization, status__in=_ACTIVE_RUN, created_at__gte=abandoned_before
    ).exists():
        raise LinkageRunError()
    thresholds = thresholds_of(organization)
    run = LinkageRun.objects.create(
        organization=organization,
        auto_link_weight=thresholds.auto_link,
        review_weight=thresholds.review,
        created_by=_user_of(actor),
    )
    audit_record(
        actor=actor, action="linkage.run_start", target=run, organization_id=organization.pk
    )
    run_id = str(run.pk)
    transaction.on_commit(lambda: run_linkage.enqueue(run_id))
    return run


def _start(run_id: Any) -> LinkageRun | None:
    with transaction.atomic():
        run = LinkageRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != LinkageRun.Status.QUEUED:
            return None  # already taken by another worker
        run.status = LinkageRun.Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    return run


def _progress(run: LinkageRun, **fields: Any) -> None:
    LinkageRun.objects.filter(pk=run.pk).update(**fields)


def sharing_organization_ids(organization_id: int) -> list[int]:
    """Organisations whose active sharing agreement names ``organization_id`` as recipient:
    their people are compared too, and only "a possible duplicate exists there" is kept."""
    from safepassage.exports.models import SharingAgreement

    now = timezone.now()
    return sorted(
        set(
            SharingAgreement.objects.filter(
                recipient_organization_id=organization_id,
                revoked_at__isnull=True,
                starts_at__lte=now,
                expires_at__gt=now,
            ).values_list("organization_id", flat=True)
        )
    )


def reviewer_labels(organization_id: int) -> dict[tuple[str, str], bool]:
    """Reviewers' decisions of the organisation as engine labels: same person (True), and
    different people or the same household (False: not one person, never proposed again)."""
    decided = MatchProposal.objects.filter(
        organization_id=organization_id, status__in=REVIEWER_ACTIONS
    ).values_list("left_person_id", "right_person_id", "status")
    return {
        (str(left), str(right)): status == ProposalStatus.SAME_PERSON
        for left, right, status in decided
    }


def linkage_run_execute(*, run_id: Any) -> None:
    """The batch job: read every person of the organisation (and of organisations sharing
    with it) in batches, decrypting in memory; link them with the reviewers' decisions as
    labels; store proposed matches, automatic links and cross-organisation hints."""
    run = _start(run_id)
    if run is None:
        return
    try:
        summary = _link_organization(run)
    except Exception:
        logger.exception("linkage run %s failed", run.pk)
        _progress(run, status=LinkageRun.Status.FAILED, finished_at=timezone.now())
        raise
    _progress(
        run,
        status=LinkageRun.Status.DONE,
        phase=LinkageRun.Phase.FINISHED,
        finished_at=timezone.now(),
    )
    audit_record(
        actor=None,
        action="linkage.run_done",
        target=run,
        organization_id=run.organization_id,
        **{key: value for key, value in summary.items() if isinstance(value, int)},
    )


def _link_organization(run: LinkageRun) -> dict[str, Any]:
    organization_id = run.organization_id
    partners = sharing_organization_ids(organization_id)
    own_cases = live_case_ids([organization_id])
    partner_cases = live_case_ids(partners) if partners else []
    total = Person.objects.filter(
        case__organization_id__in=[organization_id, *partners], case__erased_at__isnull=True
    ).count()
    _progress(run, total=total, processed=0, phase=LinkageRun.Phase.READING)
    records = list(
        records_of_cases(
            [*own_cases, *partner_cases], progress=lambda read: _progress(run, processed=read)
        )
    )
    own = {str(case_id) for case_id in own_cases}
    case_organization = {
        str(case_id): organization
        for case_id, organization in Case.objects.filter(
            organization_id__in=partners, erased_at__isnull=True
        ).values_list("pk", "organization_id")
    }
    _progress(run, phase=LinkageRun.Phase.LINKING)
    thresholds = Thresholds(auto_link=run.auto_link_weight, review=run.review_weight)
    summary: dict[str, Any] = {"records": len(records), "partner_organizations": len(partners)}
    households = {record.household_id for record in records}
    if len(households) < 2:
        summary.update(pairs=0, proposals=0, auto_linked=0, hints=0, clusters=0)
        LinkageRun.objects.filter(pk=run.pk).update(summary=summary)
        return summary
    model = None
    if len(records) < MIN_TRAINING_RECORDS:
        model = LinkageModel.untrained(population=max(len(records), UNTRAINED_POPULATION))
    summary["trained"] = model is None
    result = link_batch(
        records, model, thresholds=thresholds, labels=reviewer_labels(organization_id), seed=0
    )
    del records  # the decrypted values are not needed any more
    _progress(run, phase=LinkageRun.Phase.STORING, model=result.model.to_dict())
    stored = _store_result(run, result, own=own, case_organization=case_organization)
    summary.update(
        pairs=len(result.pairs),
        clusters=len(result.clusters),
        household_merges=len(result.household_merges),
        siblings_held=result.siblings_held,
        household_conflicts_held=result.household_conflicts_held,
        candidate_pairs=result.blocking.pairs,
        timings={phase: round(seconds, 3) for phase, seconds in result.timings},
        **stored,
    )
    LinkageRun.objects.filter(pk=run.pk).update(summary=summary)
    return summary


def _contributions(pair: ScoredPair) -> list[dict[str, Any]]:
    return [
        {
            "comparison": part.comparison,
            "level": part.level,
            "weight": round(part.weight, 3),
            "adjustment": round(part.term_frequency_adjustment, 3),
            "note": NOTE_CODES.get(part.note, "other") if part.note else "",
        }
        for part in pair.contributions
    ]


def _store_result(
    run: LinkageRun, result: LinkResult, *, own: set[str], case_organization: dict[str, int]
) -> dict[str, int]:
    organization_id = run.organization_id
    in_household_merge = {
        tuple(sorted(member))
        for merge in result.household_merges
        for member in merge.members
        if merge.left_household in own and merge.right_household in own
    }
    hints: dict[tuple[str, int], tuple[float, str]] = {}
    counts = {"proposals": 0, "auto_linked": 0, "hints": 0, "stale": 0}
    with transaction.atomic(), audit_batch():
        existing = {
            (str(left), str(right)): (pk, status)
            for pk, left, right, status in MatchProposal.objects.select_for_update()
            .filter(organization_id=organization_id)
            .values_list("pk", "left_person_id", "right_person_id", "status")
        }
        seen: set[uuid.UUID] = set()
        for pair in result.pairs:
            left_own, right_own = pair.left_household in own, pair.right_household in own
            if left_own != right_own:
                person, case, other_case = (
                    (pair.left_id, pair.left_household, pair.right_household)
                    if left_own
                    else (pair.right_id, pair.right_household, pair.left_household)
                )
                key = (person, case_organization[other_case])
                if hints.get(key, (float("-inf"), ""))[0] < pair.match_weight:
                    hints[key] = (pair.match_weight, case)
                continue
            if not left_own:
                continue  # two records of sharing organisations: none of this one's business
            ordered = sorted(
                ((pair.left_id, pair.left_household), (pair.right_id, pair.right_household))
            )
            (left, left_case), (right, right_case) = ordered
            found = existing.get((left, right))
            if found is not None and found[1] not in (ProposalStatus.OPEN, ProposalStatus.STALE):
                seen.add(found[0])
                continue  # decided, or linked automatically by an earlier run
            values = {
                "organization_id": organization_id,
                "run": run,
                "left_person_id": left,
                "right_person_id": right,
                "left_case_id": left_case,
                "right_case_id": right_case,
                "match_weight": pair.match_weight,
                "match_probability": pair.match_probability,
                "uncertainty": uncertainty_of(pair.match_probability),
                "contributions": _contributions(pair),
                "household_duplicate": (left, right) in in_household_merge,
                "status": ProposalStatus.OPEN,
            }
            if found is None:
                proposal = MatchProposal.objects.create(**values)
                previous: str = ProposalStatus.OPEN
            else:
                proposal = MatchProposal.objects.get(pk=found[0])
                previous = proposal.status
                for name, value in values.items():
                    setattr(proposal, name, value)
                proposal.save()
            seen.add(proposal.pk)
            counts["proposals"] += 1
            if pair.decision == Decision.AUTO_LINK:
                _auto_link(proposal, previous)
                counts["auto_linked"] += 1
        counts["stale"] = (
            MatchProposal.objects.filter(
                organization_id=organization_id, status=ProposalStatus.OPEN
            )
            .exclude(pk__in=seen)
            .update(status=ProposalStatus.STALE)
        )
        CrossOrganizationHint.objects.filter(organization_id=organization_id).delete()
        CrossOrganizationHint.objects.bulk_create(
            CrossOrganizationHint(
                organization_id=organization_id,
                person_id=person,
                case_id=case,
                other_organization_id=other,
                match_weight=weight,
                run=run,
            )
            for (person, other), (weight, case) in hints.items()
        )
        counts["hints"] = len(hints)
    return counts


def _auto_link(proposal: MatchProposal, previous: str) -> None:
    link = PersonLink.objects.create(
        organization_id=proposal.organization_id,
        proposal=proposal,
        left_person_id=proposal.left_person_id,
        right_person_id=proposal.right_person_id,
        kind=PersonLink.Kind.SAME_PERSON,
        automatic=True,
    )
    proposal.status = ProposalStatus.AUTO_LINKED
    proposal.save(update_fields=["status", "updated_at"])
    ReviewDecision.objects.create(
        proposal=proposal,
        action=ReviewDecision.Action.AUTO_LINK,
        previous_status=previous,
        link=link,
    )
    audit_record(
        actor=None,
        action="linkage.auto_link",
        target=proposal,
        organization_id=proposal.organization_id,
        link=str(link.pk),
        weight=round(proposal.match_weight, 3),
    )


# --- decisions -------------------------------------------------------------------------------


def _active_automatic_link(proposal: MatchProposal) -> PersonLink | None:
    return (
        PersonLink.objects.select_for_update()
        .filter(proposal=proposal, automatic=True, undone_at__isnull=True)
        .first()
    )


@transaction.atomic
def proposal_decide(*, actor: Actor, proposal: MatchProposal, action: str) -> MatchProposal:
    """Record a reviewer's decision: "same_person" links the two records (nothing of either
    is changed or removed), "same_household" links them as one family entered twice,
    "different" remembers that they are not one person (later runs never propose them again).

    Deciding on an automatically linked pair replaces the automatic link. Raises
    ``InvalidInputError`` for an unknown action and ``DecisionError`` when the proposal is
    already decided (undo first)."""
    locked = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
    _require_role(actor, locked.organization_id, CASE_ROLES)
    if action not in REVIEWER_ACTIONS:
        raise InvalidInputError(_("Choose one of the decisions."), field="action")
    if locked.status not in _DECIDABLE:
        raise DecisionError(_("This match was already decided. Undo the decision first."))
    now = timezone.now()
    previous = locked.status
    replaced = _active_automatic_link(locked)
    if replaced is not None:
        replaced.undone_at = now
        replaced.undone_by = _user_of(actor)
        replaced.save(update_fields=["undone_at", "undone_by"])
    link = None
    if action != ProposalStatus.DIFFERENT:
        link = PersonLink.objects.create(
            organization_id=locked.organization_id,
            proposal=locked,
            left_person_id=locked.left_person_id,
            right_person_id=locked.right_person_id,
            kind=action,
            created_by=_user_of(actor),
        )
    locked.status = action
    locked.decided_by = _user_of(actor)
    locked.decided_at = now
    locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    ReviewDecision.objects.create(
        proposal=locked,
        action=action,
        previous_status=previous,
        link=link,
        replaced_link=replaced,
        actor=_user_of(actor),
    )
    audit_record(
        actor=actor,
        action=f"linkage.decide_{action}",
        target=locked,
        organization_id=locked.organization_id,
        previous_status=previous,
        link=str(link.pk) if link else "",
        replaced_link=str(replaced.pk) if replaced else "",
        left_case=str(locked.left_case_id),
        right_case=str(locked.right_case_id),
    )
    return locked


@transaction.atomic
def proposal_undo(*, actor: Actor, proposal: MatchProposal) -> MatchProposal:
    """Undo the last reviewer decision on a proposal exactly: its link is marked undone (kept
    for history), an automatic link it replaced is active again, and the proposal returns to
    the status it had. Raises ``DecisionError`` when there is no decision to undo."""
    locked = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
    _require_role(actor, locked.organization_id, CASE_ROLES)
    last = locked.decisions.order_by("-at", "-id").first()
    if last is None or last.action in (
        ReviewDecision.Action.UNDO,
        ReviewDecision.Action.AUTO_LINK,
    ):
        raise DecisionError(_("There is no decision to undo on this match."))
    if last.link_id is not None:
        PersonLink.objects.filter(pk=last.link_id).update(
            undone_at=timezone.now(), undone_by=_user_of(actor)
        )
    if last.replaced_link_id is not None:
        PersonLink.objects.filter(pk=last.replaced_link_id).update(undone_at=None, undone_by=None)
    status_before = locked.status
    locked.status = last.previous_status
    locked.decided_by = None
    locked.decided_at = None
    locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    ReviewDecision.objects.create(
        proposal=locked,
        action=ReviewDecision.Action.UNDO,
        previous_status=status_before,
        link=last.link,
        undoes=last,
        actor=_user_of(actor),
    )
    audit_record(
        actor=actor,
        action="linkage.undo",
        target=locked,
        organization_id=locked.organization_id,
        undone_action=last.action,
        restored_status=last.previous_status,
        link=str(last.link_id or ""),
    )
    return locked
