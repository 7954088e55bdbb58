"""Writes of the pipeline: the one way a case changes stage, written explanations for
missing COM documents, service levels, and supervisors' bulk actions. Each service checks
the actor's role, owns its transaction and records an audit event in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.cases.errors import StageChangeError
from safepassage.cases.models import Case, StageEvent
from safepassage.cases.stages import Stage
from safepassage.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from safepassage.core.models import CASE_ROLES, SUPERVISING_ROLES, Organization
from safepassage.engine.pipeline import PIPELINES, check_move
from safepassage.pipeline.errors import StageMoveRefusedError
from safepassage.pipeline.models import ComDocument, MissingDocumentExplanation, StageSLA
from safepassage.pipeline.selectors import case_facts, role_for, selected_cases_for
from safepassage.protection.audit import audit_record

Actor = AbstractBaseUser | AnonymousUser | None


def _user_of(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _case_role(actor: Actor, organization_id: int) -> str:
    """The actor's role, if it works cases there; otherwise the case is "not found"."""
    if actor is not None and not actor.is_authenticated:
        raise NotFoundError()
    role = role_for(actor=actor, organization_id=organization_id)
    if role is None or role not in CASE_ROLES:
        raise NotFoundError()
    return role


def _supervisor_role(actor: Actor, organization_id: int) -> str:
    role = _case_role(actor, organization_id)
    if role not in SUPERVISING_ROLES:
        raise PermissionDeniedError()
    return role


@transaction.atomic
def stage_move(
    *,
    actor: Actor,
    case: Case,
    to_stage: str,
    reason: str,
    effective_on: dt.date | None = None,
    today: dt.date | None = None,
    override: bool = False,
) -> StageEvent:
    """Move ``case`` to ``to_stage``, dated ``effective_on`` (the day it happened; default
    today). The actor's role, the allowed transitions and the program's guards decide (see
    ``safepassage.engine.pipeline``); ``override`` lets a supervisor waive an overridable
    guard (a late appeal) with a reason.

    Raises ``NotFoundError`` when the actor does not work the case's organisation and
    ``StageMoveRefusedError`` (with the failed checks) when the move is refused.
    """
    role = _case_role(actor, case.organization_id)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.erased_at is not None:
        raise StageChangeError(field="to_stage")
    today = today or timezone.localdate()
    effective_on = effective_on or today
    check = check_move(
        case_facts(case=locked),
        to_stage=to_stage,
        role=role,
        effective_on=effective_on,
        today=today,
        reason=reason,
        override=override,
    )
    if not check.allowed:
        raise StageMoveRefusedError(check.failures)
    event = StageEvent.objects.create(
        case=locked,
        actor=_user_of(actor),
        from_stage=locked.stage,
        to_stage=to_stage,
        reason=reason.strip(),
        effective_on=effective_on,
        backward=check.backward,
    )
    locked.stage = to_stage
    locked.save(update_fields=["stage", "updated_at"])
    case.stage, case.updated_at = locked.stage, locked.updated_at
    overridden = [g.code.value for g in check.checks if g.params.get("overridden")]
    audit_record(
        actor=actor,
        action="case.stage",
        target=case,
        organization_id=case.organization_id,
        from_stage=event.from_stage,
        to_stage=to_stage,
        kind=check.kind.value if check.kind else "",
        backward=check.backward,
        overridden=",".join(overridden),
    )
    return event


@transaction.atomic
def explanation_record(
    *, actor: Actor, case: Case, document: str, text: str
) -> MissingDocumentExplanation:
    """Record why a COM document cannot be had; it stands in for the document."""
    _case_role(actor, case.organization_id)
    if document not in ComDocument.values:
        raise InvalidInputError(field="document")
    if not text.strip():
        raise InvalidInputError(field="text", errors={"text": [_("Write the explanation.")]})
    explanation = MissingDocumentExplanation(
        case=case, document=document, text=text.strip(), author=_user_of(actor)
    )
    try:
        explanation.full_clean(exclude=["author"])
    except ValidationError as exc:
        errors = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        raise InvalidInputError(errors=errors) from exc
    explanation.save(force_insert=True)
    audit_record(
        actor=actor,
        action="pipeline.explanation",
        target=explanation,
        organization_id=case.organization_id,
        document=document,
    )
    return explanation


@transaction.atomic
def stage_slas_set(
    *,
    actor: Actor,
    organization: Organization,
    days: Mapping[tuple[str, str], int | None],
) -> int:
    """Set the organisation's service level (days) per (program, stage); ``None`` goes back
    to the default. Supervisors and administrators only. Returns how many changed."""
    _supervisor_role(actor, organization.pk)
    changed = 0
    for (program, stage), value in days.items():
        pipeline = PIPELINES.get(program)
        spec = pipeline.spec(stage) if pipeline is not None else None
        if spec is None or spec.sla_days is None:
            raise InvalidInputError(field=f"{program}__{stage}")
        current = StageSLA.objects.filter(
            organization=organization, program=program, stage=stage
        ).first()
        if value is None:
            if current is not None:
                current.delete()
                changed += 1
            continue
        if not 1 <= value <= 3650:
            raise InvalidInputError(field=f"{program}__{stage}")
        if current is None:
            StageSLA.objects.create(
                organization=organization, program=program, stage=stage, days=value
            )
            changed += 1
        elif current.days != value:
            current.days = value
            current.save(update_fields=["days", "updated_at"])
            changed += 1
    if changed:
        audit_record(
            actor=actor,
            action="pipeline.sla",
            target=organization,
            organization_id=organization.pk,
            changed=changed,
        )
    return changed


@dataclass(frozen=True)
class BulkResult:
    done: list[Case]
    refused: list[tuple[Case, StageMoveRefusedError]]


@transaction.atomic
def cases_bulk_assign(
    *,
    actor: Actor,
    organization: Organization,
    references: Iterable[str],
    assignee: AbstractBaseUser | None,
) -> list[Case]:
    """Assign the selected cases of the organisation to one caseworker (or to nobody)."""
    from safepassage.cases.services import case_assign

    _supervisor_role(actor, organization.pk)
    if actor is None:  # pragma: no cover - bulk actions are a person's
        raise PermissionDeniedError()
    cases = selected_cases_for(user=actor, organization_id=organization.pk, references=references)
    for case in cases:
        case_assign(actor=actor, case=case, assignee=assignee)
    audit_record(
        actor=actor,
        action="pipeline.bulk_assign",
        target=organization,
        organization_id=organization.pk,
        count=len(cases),
        assignee=assignee.pk if assignee is not None else None,
    )
    return cases


@transaction.atomic
def cases_bulk_move(
    *,
    actor: Actor,
    organization: Organization,
    references: Iterable[str],
    to_stage: str,
    reason: str,
    effective_on: dt.date | None = None,
    today: dt.date | None = None,
) -> BulkResult:
    """Move each selected case through ``stage_move``; a case the pipeline refuses is left
    where it is (and reported), the others move."""
    _supervisor_role(actor, organization.pk)
    if actor is None:  # pragma: no cover - bulk actions are a person's
        raise PermissionDeniedError()
    if to_stage not in Stage.values:
        raise InvalidInputError(field="to_stage")
    cases = selected_cases_for(user=actor, organization_id=organization.pk, references=references)
    result = BulkResult(done=[], refused=[])
    for case in cases:
        try:
            stage_move(
                actor=actor,
                case=case,
                to_stage=to_stage,
                reason=reason,
                effective_on=effective_on,
                today=today,
            )
        except StageMoveRefusedError as exc:
            result.refused.append((case, exc))
        else:
            result.done.append(case)
    audit_record(
        actor=actor,
        action="pipeline.bulk_move",
        target=organization,
        organization_id=organization.pk,
        to_stage=to_stage,
        moved=len(result.done),
        refused=len(result.refused),
    )
    return result
