"""The meaning of each check a rule file may name (:class:`.rules.Check`), applied to the
principal applicant: reads the case facts, returns one node of the explanation tree.

Hand-written because the checks are these programs' own conditions (AAPA section 602(b),
the P-1 and P-2 referral rules); every number and date they use comes from the rule version.
A check answers UNKNOWN, with the facts that would settle it, whenever the facts allow more
than one answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from safepassage.engine.dates import PartialDate
from safepassage.engine.eligibility.facts import (
    CaseFacts,
    Employment,
    ReferrerKind,
    written_explanation_for,
)
from safepassage.engine.eligibility.results import (
    CriterionResult,
    CriterionState,
    Detail,
    MissingCategory,
    MissingItem,
    Outcome,
    ProgramAssessment,
)
from safepassage.engine.eligibility.rules import Check, Criterion, CriterionKind, RuleVersion
from safepassage.engine.eligibility.service import (
    ServicePeriod,
    ServiceWindow,
    service_bounds,
    service_period,
)

__all__ = ["CheckContext", "evaluate_criterion"]

MET: Final = CriterionState.MET
NOT_MET: Final = CriterionState.NOT_MET
UNKNOWN: Final = CriterionState.UNKNOWN


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may read besides its criterion: the facts, the assessment date, the rule
    version, the date that selected it, and the outcomes of programs evaluated before."""

    facts: CaseFacts
    today: dt.date
    program: str
    version: RuleVersion
    selecting_date: dt.date
    selecting_date_assumed: bool
    earlier: Mapping[str, ProgramAssessment]


def _result(
    criterion: Criterion,
    state: CriterionState,
    *,
    variant: str = "",
    details: Mapping[str, Detail] | None = None,
    facts_used: tuple[str, ...] = (),
    documents_used: tuple[str, ...] = (),
    missing: tuple[MissingItem, ...] = (),
    children: tuple[CriterionResult, ...] = (),
) -> CriterionResult:
    return CriterionResult(
        id=criterion.id,
        kind=criterion.kind,
        state=state,
        description=criterion.description,
        source=criterion.source,
        variant=variant,
        details=dict(details or {}),
        facts_used=facts_used,
        documents_used=documents_used,
        missing=missing if state is not MET else (),
        children=children,
        verify=criterion.verify,
    )


def _tristate(value: bool | None) -> CriterionState:
    return UNKNOWN if value is None else MET if value else NOT_MET


def _missing_category(criterion: Criterion) -> MissingCategory:
    if criterion.kind is CriterionKind.DOCUMENT:
        return "document"
    return "condition" if criterion.kind is CriterionKind.CONDITION else "fact"


# --- simple facts -------------------------------------------------------------------------


def _afghan_national(criterion: Criterion, context: CheckContext) -> CriterionResult:
    value = context.facts.principal.afghan_national
    return _result(
        criterion,
        _tristate(value),
        facts_used=("principal.afghan_national",),
        missing=(MissingItem("fact", "afghan_national"),) if value is None else (),
    )


def _principal_alive(criterion: Criterion, context: CheckContext) -> CriterionResult:
    if not context.facts.principal.deceased:
        return _result(criterion, MET, facts_used=("principal.deceased",))
    if criterion.surviving_family_may_continue:
        return _result(
            criterion, MET, variant="surviving_family", facts_used=("principal.deceased",)
        )
    return _result(criterion, NOT_MET, facts_used=("principal.deceased",))


def _ongoing_threat(criterion: Criterion, context: CheckContext) -> CriterionResult:
    value = context.facts.threat_reported
    return _result(
        criterion,
        _tristate(value),
        facts_used=("threat_reported",),
        missing=(MissingItem("fact", "threat_reported"),) if value is None else (),
    )


def _application_deadline(criterion: Criterion, context: CheckContext) -> CriterionResult:
    name = criterion.date_field or context.version.selecting_date
    day = context.facts.date_of(name, context.program)
    assumed = day is None
    day = day or context.today
    deadline = criterion.deadline or dt.date.max
    return _result(
        criterion,
        MET if day <= deadline else NOT_MET,
        variant="assumed_date" if assumed else "",
        details={"date": day, "deadline": deadline, "date_field": name},
        facts_used=(name,),
    )


def _outside_afghanistan(criterion: Criterion, context: CheckContext) -> CriterionResult:
    inside = context.facts.principal.in_afghanistan
    if inside is None:
        return _result(
            criterion,
            UNKNOWN,
            facts_used=("principal.location",),
            missing=(MissingItem("fact", "current_location"),),
        )
    return _result(
        criterion,
        NOT_MET if inside else MET,
        facts_used=("principal.location",),
        missing=(MissingItem("condition", "outside_afghanistan"),),
    )


# --- employment ---------------------------------------------------------------------------


def _job_counts(criterion: Criterion, job: Employment) -> bool | None:
    """Whether ``job`` is of an employer kind and in duties the criterion accepts."""
    if job.employer_kind not in criterion.employer_kinds:
        return False
    roles = criterion.role_conditions.get(job.employer_kind)
    if not roles:
        return True
    answers = [job.role(role) for role in sorted(roles)]
    if any(answer is True for answer in answers):
        return True
    return None if any(answer is None for answer in answers) else False


def _imprecise(date: PartialDate | None) -> bool:
    return date is None or date.precision != "day" or date.approximate


def _qualifying_service(criterion: Criterion, context: CheckContext) -> CriterionResult:
    window = ServiceWindow(criterion.window_start, criterion.window_end, criterion.latest_start)
    periods: dict[int, ServicePeriod] = {}
    excluded: list[int] = []
    for index, job in enumerate(context.facts.employment):
        counts = _job_counts(criterion, job)
        period = None
        if counts is not False:
            period = service_period(job, today=context.today, certain=counts is True)
        if period is None:
            excluded.append(index)
        else:
            periods[index] = period
    least, most = service_bounds(periods.values(), window)
    minimum = criterion.minimum_service_days or 0
    state = MET if least >= minimum else NOT_MET if most < minimum else UNKNOWN
    missing: list[MissingItem] = []
    if state is UNKNOWN:
        for index, period in periods.items():
            if service_bounds([period], window)[1] == 0:
                continue  # nothing inside the window whatever its dates are
            job = context.facts.employment[index]
            if not period.certain:
                missing.append(MissingItem("fact", "role_duties", employment=index))
            if _imprecise(job.start):
                missing.append(MissingItem("fact", "exact_start_date", employment=index))
            if job.end is not None and _imprecise(job.end):
                missing.append(MissingItem("fact", "exact_end_date", employment=index))
    counted_until = min(criterion.window_end or context.today, context.today)
    details: dict[str, Detail] = {
        "min_days": least,
        "max_days": most,
        "minimum_days": minimum,
        "window_start": criterion.window_start,
        "counted_until": counted_until,
        "latest_start": criterion.latest_start,
        "employments": tuple(index + 1 for index in periods),
        "excluded_employments": tuple(index + 1 for index in excluded),
    }
    documents = tuple(
        f"employment[{index}].{kind}"
        for index in periods
        for kind in sorted(context.facts.employment[index].documents)
    )
    return _result(
        criterion,
        state,
        variant="none_counted" if not periods else "",
        details=details,
        facts_used=tuple(f"employment[{index}]" for index in range(len(context.facts.employment))),
        documents_used=documents,
        missing=tuple(missing),
    )


def _employment_of_kind(criterion: Criterion, context: CheckContext) -> CriterionResult:
    certain: list[int] = []
    possible: list[int] = []
    for index, job in enumerate(context.facts.employment):
        counts = _job_counts(criterion, job)
        if counts is False:
            continue
        ended = job.end.gregorian_range()[1] if job.end is not None else None
        if criterion.window_start and ended and ended < criterion.window_start:
            continue  # ended before the window opened
        (certain if counts else possible).append(index)
    facts_used = tuple(f"employment[{index}]" for index in range(len(context.facts.employment)))
    details: dict[str, Detail] = {
        "employments": tuple(index + 1 for index in certain or possible),
        "program": criterion.only_if_unavailable,
    }
    if not certain and not possible:
        return _result(criterion, NOT_MET, details=details, facts_used=facts_used)
    state = MET if certain else UNKNOWN
    missing = tuple(MissingItem("fact", "role_duties", employment=index) for index in possible)
    if criterion.only_if_unavailable is not None:
        other = context.earlier.get(criterion.only_if_unavailable)
        if other is not None and other.outcome.is_eligible:
            return _result(
                criterion,
                NOT_MET,
                variant="other_program_available",
                details=details,
                facts_used=facts_used,
            )
        if other is not None and other.outcome is Outcome.UNDETERMINED:
            state, missing = UNKNOWN, (*missing, *other.missing)
            return _result(
                criterion,
                state,
                variant="other_program_undetermined",
                details=details,
                facts_used=facts_used,
                missing=missing,
            )
    return _result(criterion, state, details=details, facts_used=facts_used, missing=missing)


# --- documents ----------------------------------------------------------------------------


def _service_criterion(version: RuleVersion) -> Criterion | None:
    for criterion in version.all_criteria():
        if criterion.check is Check.QUALIFYING_SERVICE:
            return criterion
    return None


def _document(criterion: Criterion, context: CheckContext) -> CriterionResult:
    case_documents = context.facts.documents
    wanted = criterion.documents
    explanations = {written_explanation_for(kind) for kind in wanted}
    later = [kind for kind in criterion.satisfied_by if kind in case_documents]
    if later:
        return _result(criterion, MET, variant="satisfied_by", documents_used=(later[0],))
    if not criterion.per_employer:
        present = [kind for kind in wanted if kind in case_documents]
        if present:
            return _result(criterion, MET, documents_used=tuple(present))
        explained = sorted(explanations & case_documents)
        if explained and criterion.written_explanation_accepted:
            return _result(
                criterion, MET, variant="written_explanation", documents_used=(explained[0],)
            )
        return _result(criterion, NOT_MET, missing=(MissingItem("document", "|".join(wanted)),))
    service = _service_criterion(context.version)
    jobs = [
        index
        for index, job in enumerate(context.facts.employment)
        if service is None or _job_counts(service, job) is not False
    ]
    used: list[str] = []
    missing: list[MissingItem] = []
    variant = ""
    for index in jobs:
        job_documents = context.facts.employment[index].documents
        found = [kind for kind in wanted if kind in job_documents]
        if not found and len(jobs) == 1:
            found = [kind for kind in wanted if kind in case_documents]
        if found:
            used.append(f"employment[{index}].{found[0]}")
            continue
        explained = sorted(explanations & (job_documents | case_documents))
        if explained and criterion.written_explanation_accepted:
            used.append(f"employment[{index}].{explained[0]}")
            variant = "written_explanation"
            continue
        missing.append(MissingItem("document", "|".join(wanted), employment=index))
    if not jobs:
        missing.append(MissingItem("document", "|".join(wanted)))
    return _result(
        criterion,
        NOT_MET if missing else MET,
        variant=variant if not missing else "",
        details={
            "employments": tuple(
                item.employment + 1 for item in missing if item.employment is not None
            )
        },
        documents_used=tuple(used),
        missing=tuple(missing),
    )


# --- referral and alternatives ------------------------------------------------------------


def _referral(
    criterion: Criterion, context: CheckContext, done: Mapping[str, CriterionResult]
) -> CriterionResult:
    referrals = context.facts.referrals_to(context.program)
    facts_used = ("referrals",)
    category = _missing_category(criterion)
    need = (MissingItem(category, "referral"),)
    if criterion.referrer_kinds:
        allowed, possible = set(criterion.referrer_kinds), set[ReferrerKind]()
    else:
        allowed, possible = set(), set()
        for target, kinds in criterion.referrer_kinds_by_criterion.items():
            state = done[target].state if target in done else UNKNOWN
            (allowed if state is MET else possible if state is UNKNOWN else set()).update(kinds)
    if not referrals:
        return _result(criterion, NOT_MET, variant="none", facts_used=facts_used, missing=need)
    for referral in referrals:
        if referral.referrer_kind in allowed:
            return _result(
                criterion,
                MET,
                variant="" if referral.referred_on else "undated",
                details={"referrer": str(referral.referrer_kind), "date": referral.referred_on},
                facts_used=facts_used,
            )
    if any(r.referrer_kind is None or r.referrer_kind in possible for r in referrals):
        return _result(
            criterion,
            UNKNOWN,
            facts_used=facts_used,
            missing=(MissingItem("fact", "referrer"),),
        )
    if all(r.referrer_kind is ReferrerKind.SELF for r in referrals):
        return _result(
            criterion, NOT_MET, variant="self_referral", facts_used=facts_used, missing=need
        )
    referrer = next(r.referrer_kind for r in referrals if r.referrer_kind is not ReferrerKind.SELF)
    return _result(
        criterion,
        NOT_MET,
        variant="referrer_not_allowed",
        details={"referrer": str(referrer)},
        facts_used=facts_used,
        missing=need,
    )


def _any_of(
    criterion: Criterion, context: CheckContext, done: dict[str, CriterionResult]
) -> CriterionResult:
    children = tuple(evaluate_criterion(child, context, done) for child in criterion.any_of)
    states = {child.state for child in children}
    state = MET if MET in states else NOT_MET if states == {NOT_MET} else UNKNOWN
    missing = tuple(item for child in children if child.state is UNKNOWN for item in child.missing)
    return _result(criterion, state, children=children, missing=missing)


_SIMPLE: Final[Mapping[Check, Callable[[Criterion, CheckContext], CriterionResult]]] = {
    Check.AFGHAN_NATIONAL: _afghan_national,
    Check.PRINCIPAL_ALIVE: _principal_alive,
    Check.ONGOING_THREAT: _ongoing_threat,
    Check.APPLICATION_DEADLINE: _application_deadline,
    Check.OUTSIDE_AFGHANISTAN: _outside_afghanistan,
    Check.QUALIFYING_SERVICE: _qualifying_service,
    Check.EMPLOYMENT_OF_KIND: _employment_of_kind,
    Check.DOCUMENT: _document,
}


def evaluate_criterion(
    criterion: Criterion, context: CheckContext, done: dict[str, CriterionResult]
) -> CriterionResult:
    """Apply ``criterion`` to the principal of ``context``; ``done`` holds the results so far
    by criterion id (a referral check reads the categories met) and receives this one."""
    if criterion.check is Check.ANY_OF:
        result = _any_of(criterion, context, done)
    elif criterion.check is Check.REFERRAL:
        result = _referral(criterion, context, done)
    else:
        result = _SIMPLE[criterion.check](criterion, context)
    done[criterion.id] = result
    return result
