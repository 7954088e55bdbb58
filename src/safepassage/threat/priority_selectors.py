"""Reads of case priority: the ranked queue of an organisation, "why this priority" for one
case (in the reader's language), the weights in force and a preview of new weights.

Every read is scoped: the queue and the preview to members of the organisation (program
managers for weights), a case's priority to a case the caller already reached through
``cases.selectors``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.cases.household import district_tokens
from safepassage.cases.household_forms import THREAT_CATEGORY_CHOICES
from safepassage.cases.models import Case
from safepassage.core.errors import NotFoundError
from safepassage.core.models import CASE_ROLES, SUPERVISING_ROLES, Organization
from safepassage.core.selectors import case_organization_ids_for
from safepassage.engine import threat as engine
from safepassage.engine.places import districts as gazetteer_districts
from safepassage.protection.keys import load_scopes
from safepassage.threat.models import (
    CasePriority,
    CasePriorityHistory,
    ControlStateChoice,
    PriorityWeightsVersion,
    RiskLevelChoice,
)
from safepassage.threat.priority import (
    BATCH_SIZE,
    DONE_STAGES,
    current_weights_version,
    facts_from_json,
    weights_of,
)

User = AbstractBaseUser | AnonymousUser

PART_LABELS = {
    "threat": gettext_lazy("Individual threat"),
    "district": gettext_lazy("Risk of the district where the household is now"),
    "vulnerability": gettext_lazy("Vulnerability"),
    "readiness": gettext_lazy("Readiness"),
    "waiting": gettext_lazy("Time waiting"),
}
PART_HELP = {
    "threat": gettext_lazy(
        "The threats the household faced, the incidents documented on file, and how visible "
        "the principal's work was."
    ),
    "district": gettext_lazy(
        "The district's risk today, from recent events, their kind and who holds it."
    ),
    "vulnerability": gettext_lazy(
        "Young children, medical needs, a household headed by a woman, disability."
    ),
    "readiness": gettext_lazy("The eligibility outcome and whether the documents are complete."),
    "waiting": gettext_lazy("How long the household has been waiting."),
}
_VISIBILITY_LABELS = {
    "high": gettext_lazy("high (for example an interpreter on patrols)"),
    "medium": gettext_lazy("medium (work seen locally)"),
    "low": gettext_lazy("low (for example an office role)"),
    "unknown": gettext_lazy("not known"),
}
_ELIGIBILITY_LABELS = {
    "eligible": gettext_lazy("eligible"),
    "eligible_pending_documents": gettext_lazy("eligible, documents pending"),
    "undetermined": gettext_lazy("not yet determined"),
    "not_eligible": gettext_lazy("not eligible"),
    "unknown": gettext_lazy("not assessed"),
}
_CATEGORY_LABELS = dict(THREAT_CATEGORY_CHOICES)
LEVEL_LABELS = dict(RiskLevelChoice.choices)
_CONTROL_LABELS = dict(ControlStateChoice.choices)


def factor_text(code: str, value: float) -> str:
    """One input of a part in words, in the active language."""
    head, _sep, tail = code.partition(":")
    count = round(value)
    if head == "category":
        label = _CATEGORY_LABELS.get(tail, tail)
        return _("Threat faced: %(category)s") % {"category": label}
    if head == "incidents":
        return _("Documented incidents on file: %(count)s") % {"count": count}
    if head == "visibility":
        return _("Visibility of the principal's work: %(level)s") % {
            "level": _VISIBILITY_LABELS.get(tail, tail)
        }
    if head == "district_unknown":
        return _("Where the household is now is not known")
    if head == "risk_score":
        return _("District risk score: %(score)s of 100") % {"score": f"{value:.0f}"}
    if head == "risk_level":
        return _("District risk level: %(level)s") % {"level": LEVEL_LABELS.get(tail, tail)}
    if head == "control":
        return _("District held by: %(state)s") % {"state": _CONTROL_LABELS.get(tail, tail)}
    if head == "young_children":
        return _("Children under five: %(count)s") % {"count": count}
    if head == "medical_needs":
        return _("Someone has medical needs")
    if head == "woman_headed":
        return _("A household headed by a woman")
    if head == "disability":
        return _("Someone has a disability")
    if head == "eligibility":
        return _("Eligibility: %(outcome)s") % {"outcome": _ELIGIBILITY_LABELS.get(tail, tail)}
    if head == "documents_complete":
        return _("Documents complete") if value else _("Documents not complete")
    if head == "waiting_days":
        return _("Days waiting: %(count)s") % {"count": count}
    return code


@dataclass(frozen=True)
class PartLine:
    code: str
    label: str
    help: str
    value_percent: int
    weight_percent: int
    points: float
    factors: tuple[str, ...]


def explain(parts: list[dict[str, Any]]) -> list[PartLine]:
    """The stored parts of a priority as lines in the active language."""
    return [
        PartLine(
            code=part["code"],
            label=str(PART_LABELS.get(part["code"], part["code"])),
            help=str(PART_HELP.get(part["code"], "")),
            value_percent=round(100 * float(part["value"])),
            weight_percent=round(100 * float(part["weight"])),
            points=float(part["points"]),
            factors=tuple(factor_text(code, float(value)) for code, value in part["factors"]),
        )
        for part in parts
    ]


@dataclass(frozen=True)
class CasePriorityView:
    priority: CasePriority | None
    parts: list[PartLine]
    history: list[CasePriorityHistory]
    level_label: str


def case_priority_for(*, case: Case, history_limit: int = 20) -> CasePriorityView:
    """ "Why this priority" for a case already reached through a scoped selector."""
    stored = CasePriority.objects.filter(case_id=case.pk).first()
    history = list(
        CasePriorityHistory.objects.filter(case_id=case.pk).order_by("-computed_at")[:history_limit]
    )
    return CasePriorityView(
        priority=stored,
        parts=explain(stored.parts) if stored is not None else [],
        history=history,
        level_label=str(LEVEL_LABELS.get(stored.district_level, "")) if stored else "",
    )


# --- the queue ----------------------------------------------------------------------------


def organizations_for_queue(*, user: User) -> list[Organization]:
    ids = case_organization_ids_for(user=user)
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


def organization_for(*, user: User, slug: str | None, roles: Any = CASE_ROLES) -> Organization:
    """The organisation (by slug, else the first) whose queue ``user`` may see with
    ``roles``; ``NotFoundError`` otherwise."""
    ids = case_organization_ids_for(user=user, roles=roles)
    organizations = Organization.objects.filter(pk__in=ids).order_by("name")
    found = organizations.filter(slug=slug).first() if slug else organizations.first()
    if found is None:
        raise NotFoundError()
    return found


def queue_for(*, user: User, organization: Organization) -> QuerySet[CasePriority]:
    """The organisation's waiting households, highest priority first (ties by reference)."""
    if organization.pk not in case_organization_ids_for(user=user):
        raise NotFoundError()
    return (
        CasePriority.objects.filter(organization=organization, case__erased_at__isnull=True)
        .exclude(case__stage__in=DONE_STAGES)
        .select_related("case", "case__assigned_to")
        .order_by("-score", "case__reference")
    )


def keys_loaded(rows: Iterable[CasePriority]) -> list[CasePriority]:
    """``rows`` as a list, with their cases' keys loaded in one query (a page of the queue
    shows each row's district level, sealed in its detail)."""
    found = list(rows)
    load_scopes(row.case_id for row in found)
    return found


def waiting_days(row: CasePriority, today: dt.date | None = None) -> int:
    return ((today or timezone.localdate()) - row.waiting_since).days


# --- weights ------------------------------------------------------------------------------


def weights_versions_for(*, user: User, organization: Organization) -> list[PriorityWeightsVersion]:
    if organization.pk not in case_organization_ids_for(user=user, roles=SUPERVISING_ROLES):
        raise NotFoundError()
    return list(
        PriorityWeightsVersion.objects.filter(organization=organization)
        .select_related("created_by")
        .order_by("-number")[:20]
    )


def weights_version_get(
    *, user: User, organization: Organization, number: int
) -> PriorityWeightsVersion:
    if organization.pk not in case_organization_ids_for(user=user, roles=SUPERVISING_ROLES):
        raise NotFoundError()
    found = PriorityWeightsVersion.objects.filter(organization=organization, number=number).first()
    if found is None:
        raise NotFoundError()
    return found


@dataclass(frozen=True)
class PreviewResult:
    preview: engine.WeightsPreview
    old: engine.PriorityWeights
    new: engine.PriorityWeights
    households: int


def weights_preview(
    *,
    user: User,
    organization: Organization,
    new: engine.PriorityWeights,
    top: int = 50,
    today: dt.date | None = None,
) -> PreviewResult:
    """How the top ``top`` of the organisation's queue would change under ``new`` weights
    (``engine.preview_weights``). The part values are sealed with each case's key, so the
    database cannot order by them: every waiting household's stored facts and district risk
    are opened (keys loaded a batch at a time) and the engine ranks the whole queue under
    both weightings. Positions are exact."""
    if organization.pk not in case_organization_ids_for(user=user, roles=SUPERVISING_ROLES):
        raise NotFoundError()
    today = today or timezone.localdate()
    old = weights_of(current_weights_version(organization.pk))
    rows = list(
        CasePriority.objects.filter(organization=organization, case__erased_at__isnull=True)
        .exclude(case__stage__in=DONE_STAGES)
        .select_related("case")
        .only("case_id", "case__reference", "district_token", "detail", "waiting_since")
        .order_by()
    )
    token_to_code = district_tokens(gazetteer_districts())
    pairs = []
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        load_scopes(row.case_id for row in batch)
        for row in batch:
            district = token_to_code.get(row.district_token) or None
            score, level = row.district_score, row.district_level
            risk = None
            if score is not None and level:
                risk = engine.DistrictRisk(
                    district=district or "",
                    day=today,
                    score=score,
                    level=engine.RiskLevel(level),
                    control=None,
                    control_points=0.0,
                    contributions=(),
                )
            household = facts_from_json(
                row.facts,
                reference=row.case.reference,
                district=district,
                waiting_days=(today - row.waiting_since).days,
            )
            pairs.append((household, risk))
    preview = engine.preview_weights(pairs, old, new, top=top)
    return PreviewResult(preview=preview, old=old, new=new, households=len(rows))
