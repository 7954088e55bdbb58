"""Writes of the eligibility app: rule revisions (draft, preview, publish, retire), the
runs that preview and apply a rule change, the assessment of a case and its referrals.

Publishing is installation-wide (rules are law, not per organisation): a program officer or
an administrator of any organisation may do it. Every action is audited with ids, codes and
counts only.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.cases.models import Case
from safepassage.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from safepassage.core.jobs import on_commit_once
from safepassage.core.models import CASE_ROLES, RULE_ROLES, Membership
from safepassage.eligibility import assessments
from safepassage.eligibility.errors import RuleChangeError
from safepassage.eligibility.evaluation import revision_digest, rule_set_from_texts
from safepassage.eligibility.models import (
    CaseAssessment,
    Referral,
    RuleChangeRun,
    RuleRevision,
)
from safepassage.eligibility.rulebook import published_rules
from safepassage.eligibility.signals import reassessment_done
from safepassage.engine import eligibility as engine
from safepassage.protection.audit import audit_record

logger = logging.getLogger(__name__)

Actor = AbstractBaseUser | AnonymousUser | None


def _user_of(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def may_change_rules(actor: Actor) -> bool:
    """Program officers and administrators, in any organisation."""
    if actor is None or not actor.is_authenticated:
        return False
    return Membership.objects.filter(user_id=int(actor.pk), role__in=list(RULE_ROLES)).exists()


def _require_rule_role(actor: Actor) -> None:
    if not may_change_rules(actor):
        raise PermissionDeniedError()


# --- rule revisions ------------------------------------------------------------------------


def validate_rule_text(*, program: str, file_name: str, text: str) -> engine.ProgramRules:
    """The program a rule file describes, checked by the engine together with the other
    programs in force. Raises ``InvalidInputError`` (field "text") with the engine's message."""
    try:
        rules = engine.load_rules_text(text, name=file_name)
        if rules.program != program:
            raise InvalidInputError(
                _("This file describes program %(found)s, not %(program)s.")
                % {"found": rules.program, "program": program},
                field="text",
            )
        others = [t for t in published_rules().texts if t[0] != program]
        rule_set_from_texts((*others, (program, file_name, text)))
    except engine.RuleFileError as error:
        raise InvalidInputError(str(error), field="text", errors={"text": [str(error)]}) from None
    return rules


@transaction.atomic
def rule_draft_create(
    *,
    actor: Actor,
    program: str,
    text: str,
    note: str,
    based_on: RuleRevision | None = None,
) -> RuleRevision:
    """A new draft revision of ``program``'s rule file, validated by the engine."""
    _require_rule_role(actor)
    if not note.strip():
        raise InvalidInputError(
            field="note", errors={"note": [str(_("Say why the rules change."))]}
        )
    published_rules()  # a fresh installation publishes the shipped files first
    current = RuleRevision.objects.filter(
        program=program, status=RuleRevision.Status.PUBLISHED
    ).first()
    if current is None:
        raise NotFoundError()
    validate_rule_text(program=program, file_name=current.file_name, text=text)
    for _attempt in range(3):
        number = (
            RuleRevision.objects.filter(program=program).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        try:
            with transaction.atomic():
                revision = RuleRevision.objects.create(
                    program=program,
                    number=number,
                    file_name=current.file_name,
                    text=text,
                    sha256=revision_digest(text),
                    note=note.strip(),
                    based_on=based_on or current,
                    author=_user_of(actor),
                )
            break
        except IntegrityError:  # another officer took the number
            continue
    else:  # pragma: no cover
        raise RuleChangeError()
    audit_record(
        actor=actor,
        action="eligibility.rule_draft",
        target=revision,
        program=program,
        number=number,
        sha256=revision.sha256,
    )
    return revision


@transaction.atomic
def rule_retire(*, actor: Actor, revision: RuleRevision) -> RuleRevision:
    """Withdraw a draft. A published revision is retired only by publishing its successor."""
    _require_rule_role(actor)
    locked = RuleRevision.objects.select_for_update().get(pk=revision.pk)
    if locked.status != RuleRevision.Status.DRAFT:
        raise RuleChangeError(_("Only a draft can be retired; publish a new revision instead."))
    locked.status = RuleRevision.Status.RETIRED
    locked.retired_at = timezone.now()
    locked.save(update_fields=["status", "retired_at"])
    RuleChangeRun.objects.filter(revision=locked, kind=RuleChangeRun.Kind.PREVIEW).exclude(
        status=RuleChangeRun.Status.ACCEPTED
    ).update(status=RuleChangeRun.Status.DISCARDED)
    audit_record(
        actor=actor,
        action="eligibility.rule_retire",
        target=locked,
        program=locked.program,
        number=locked.number,
    )
    return locked


def _case_count() -> int:
    return Case.objects.filter(erased_at__isnull=True).count()


def _enqueue(job: Any, run_id: Any) -> None:
    transaction.on_commit(lambda: job.enqueue(str(run_id)))


@transaction.atomic
def rule_preview_start(*, actor: Actor, revision: RuleRevision) -> RuleChangeRun:
    """Start the preview of a draft over every case, in the background."""
    from safepassage.eligibility.tasks import run_rule_preview

    _require_rule_role(actor)
    revision = RuleRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != RuleRevision.Status.DRAFT:
        raise RuleChangeError(_("Only a draft can be previewed."))
    run = RuleChangeRun.objects.create(
        kind=RuleChangeRun.Kind.PREVIEW,
        revision=revision,
        base_digest=published_rules().digest,
        total=_case_count(),
        created_by=_user_of(actor),
    )
    audit_record(
        actor=actor,
        action="eligibility.rule_preview",
        target=revision,
        run=str(run.pk),
        program=revision.program,
        number=revision.number,
        cases=run.total,
    )
    _enqueue(run_rule_preview, run.pk)
    return run


def _start(run_id: Any) -> RuleChangeRun | None:
    with transaction.atomic():
        run = RuleChangeRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RuleChangeRun.Status.QUEUED:
            return None  # discarded meanwhile, or already taken by another worker
        run.status = RuleChangeRun.Status.RUNNING
        run.started_at = timezone.now()
        run.processed = 0
        run.save(update_fields=["status", "started_at", "processed"])
    return run


def _finish(run: RuleChangeRun, status: str, summary: dict[str, Any]) -> None:
    # Keep a discard that came while the run was working.
    RuleChangeRun.objects.filter(pk=run.pk, status=RuleChangeRun.Status.RUNNING).update(
        status=status, summary=summary, finished_at=timezone.now()
    )


def rule_preview_execute(*, run_id: Any) -> None:
    """The preview job: old and new outcomes of every case, counted; nothing is written but
    the counts and the list of cases whose outcome would change."""
    run = _start(run_id)
    if run is None or run.revision is None:
        return
    revision = run.revision
    try:
        old = published_rules()
        new = published_rules(replacing=revision)
        counts = assessments.preview(
            old=old.texts, new=new.texts, today=timezone.localdate(), run_id=run.pk
        )
    except Exception:
        logger.exception("rule preview %s failed", run.pk)
        _finish(run, RuleChangeRun.Status.FAILED, {})
        raise
    _finish(run, RuleChangeRun.Status.DONE, counts.as_json())
    logger.info("rule preview %s done: %s cases", run.pk, counts.cases)


@transaction.atomic
def rule_preview_discard(*, actor: Actor, run: RuleChangeRun) -> RuleChangeRun:
    _require_rule_role(actor)
    locked = RuleChangeRun.objects.select_for_update().get(pk=run.pk)
    if locked.kind != RuleChangeRun.Kind.PREVIEW or locked.status == RuleChangeRun.Status.ACCEPTED:
        raise RuleChangeError()
    locked.status = RuleChangeRun.Status.DISCARDED
    locked.finished_at = locked.finished_at or timezone.now()
    locked.save(update_fields=["status", "finished_at"])
    audit_record(actor=actor, action="eligibility.rule_preview_discard", target=locked)
    return locked


@transaction.atomic
def rule_publish(*, actor: Actor, run: RuleChangeRun) -> RuleChangeRun:
    """Accept a finished preview: publish its draft (the program's previous revision is
    retired) and re-assess every case in the background. Returns the re-assessment run.

    Raises ``RuleChangeError`` without a finished preview, or when the published rules
    changed since the preview (its counts would no longer be true)."""
    from safepassage.eligibility.tasks import run_reassessment

    _require_rule_role(actor)
    locked = RuleChangeRun.objects.select_for_update().get(pk=run.pk)
    revision = (
        RuleRevision.objects.select_for_update().get(pk=locked.revision_id)
        if locked.revision_id
        else None
    )
    if (
        locked.kind != RuleChangeRun.Kind.PREVIEW
        or locked.status != RuleChangeRun.Status.DONE
        or revision is None
        or revision.status != RuleRevision.Status.DRAFT
    ):
        raise RuleChangeError(_("Publishing needs a finished preview of a draft."))
    if locked.base_digest != published_rules().digest:
        raise RuleChangeError(_("The rules in force changed since this preview: preview again."))
    now = timezone.now()
    previous = list(
        RuleRevision.objects.select_for_update().filter(
            program=revision.program, status=RuleRevision.Status.PUBLISHED
        )
    )
    RuleRevision.objects.filter(pk__in=[p.pk for p in previous]).update(
        status=RuleRevision.Status.RETIRED, retired_at=now
    )
    revision.status = RuleRevision.Status.PUBLISHED
    revision.published_by = _user_of(actor)
    revision.published_at = now
    revision.save(update_fields=["status", "published_by", "published_at"])
    locked.status = RuleChangeRun.Status.ACCEPTED
    locked.save(update_fields=["status"])
    reassessment = RuleChangeRun.objects.create(
        kind=RuleChangeRun.Kind.REASSESS,
        revision=revision,
        preview=locked,
        base_digest=published_rules().digest,
        total=_case_count(),
        created_by=_user_of(actor),
    )
    audit_record(
        actor=actor,
        action="eligibility.rule_publish",
        target=revision,
        program=revision.program,
        number=revision.number,
        sha256=revision.sha256,
        retired=",".join(str(p.number) for p in previous),
        preview=str(locked.pk),
        run=str(reassessment.pk),
    )
    _enqueue(run_reassessment, reassessment.pk)
    return reassessment


def rule_reassessment_execute(*, run_id: Any) -> None:
    """The re-assessment job: every case under the published rules, stored with its work."""
    run = _start(run_id)
    if run is None:
        return
    try:
        counts = assessments.reassess(
            rules=published_rules(), today=timezone.localdate(), run_id=run.pk
        )
    except Exception:
        logger.exception("re-assessment %s failed", run.pk)
        _finish(run, RuleChangeRun.Status.FAILED, {})
        raise
    _finish(run, RuleChangeRun.Status.DONE, counts.as_json())
    # Bulk writes send no per-row signals: say once that every case may have changed.
    reassessment_done.send(sender=RuleChangeRun, run=run)
    audit_record(
        actor=None,
        action="eligibility.reassessment_done",
        target=run,
        cases=counts.cases,
        became_eligible=dict(counts.became_eligible),
        lost_eligibility=dict(counts.lost_eligibility),
    )


# --- cases ---------------------------------------------------------------------------------


def case_assess(*, case_id: Any) -> CaseAssessment | None:
    """Assess one case under the published rules and store it with its work; None for an
    erased or unknown case."""
    try:
        key = uuid.UUID(str(case_id))
    except ValueError:
        return None
    assessments.reassess(
        rules=published_rules(), today=timezone.localdate(), case_ids=[key], processes=1
    )
    return CaseAssessment.objects.filter(case_id=key).first()


def case_reassessment_enqueue(*, case_id: Any) -> None:
    """Re-assess a case in the background once the current transaction commits."""
    from safepassage.eligibility.tasks import reassess_case

    on_commit_once(f"reassess-case:{case_id}", lambda: reassess_case.enqueue(str(case_id)))


def _require_case_role(actor: Actor, organization_id: int) -> None:
    if actor is None:
        return
    if (
        not actor.is_authenticated
        or not Membership.objects.filter(
            user_id=int(actor.pk), organization_id=organization_id, role__in=list(CASE_ROLES)
        ).exists()
    ):
        raise NotFoundError()


@transaction.atomic
def referral_add(
    *,
    actor: Actor,
    case: Case,
    program: str,
    referrer_kind: str,
    category: str = "",
    referred_on: Any = None,
) -> Referral:
    """Record a referral of the household to P-2 or P-1 (the case is re-assessed)."""
    _require_case_role(actor, case.organization_id)
    referral = Referral(
        case=case,
        program=program,
        category=category,
        referrer_kind=referrer_kind,
        referred_on=referred_on,
        created_by=_user_of(actor),
    )
    try:
        referral.full_clean(exclude=["created_by"])
    except Exception as exc:
        raise InvalidInputError(field="program") from exc
    referral.save(force_insert=True)
    audit_record(
        actor=actor,
        action="eligibility.referral_add",
        target=referral,
        organization_id=case.organization_id,
        program=program,
        referrer_kind=referrer_kind,
    )
    return referral
