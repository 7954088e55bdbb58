"""Family members as derivatives of the principal: who may come (spouse; children unmarried
and under 21 for the SIV and P-1, of any age for P-2), with a child's age taken on the date
the rule version fixes it, and flags for what a caseworker should watch.

Hand-written for these programs' derivative rules; the ages come from the partial birth dates
Afghans give, so an age is a range and a child near 21 may be UNDETERMINED rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from safepassage.engine.eligibility.facts import CaseFacts, MaritalStatus, Person, Relationship
from safepassage.engine.eligibility.results import (
    CriterionResult,
    CriterionState,
    Detail,
    MemberAssessment,
    MissingItem,
    Outcome,
    combine_outcome,
)
from safepassage.engine.eligibility.rules import CriterionKind, FamilyRule
from safepassage.engine.eligibility.service import date_bounds

__all__ = ["AGE_OUT_WARNING_DAYS", "evaluate_members"]

# A child whose age is not yet fixed and who turns the limit age this soon is flagged.
AGE_OUT_WARNING_DAYS: Final = 180

MET: Final = CriterionState.MET
NOT_MET: Final = CriterionState.NOT_MET
UNKNOWN: Final = CriterionState.UNKNOWN

_CHILDREN: Final = frozenset({Relationship.CHILD})
_CHILDRENS_FAMILY: Final = frozenset({Relationship.CHILD_SPOUSE, Relationship.GRANDCHILD})


def _node(
    criterion_id: str,
    state: CriterionState,
    *,
    kind: CriterionKind = CriterionKind.ELIGIBILITY,
    description: str,
    source: str,
    variant: str = "",
    details: dict[str, Detail] | None = None,
    facts_used: tuple[str, ...] = (),
    missing: tuple[MissingItem, ...] = (),
    verify: str | None = None,
) -> CriterionResult:
    return CriterionResult(
        id=criterion_id,
        kind=kind,
        state=state,
        description=description,
        source=source,
        variant=variant,
        details=details or {},
        facts_used=facts_used,
        missing=missing if state is not MET else (),
        verify=verify,
    )


def _completed_years(born: dt.date, on: dt.date) -> int:
    # Someone born on 29 February completes a year on 1 March in common years.
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return dt.date(day.year + years, 3, 1)


def _principal_node(principal: Outcome, source: str) -> CriterionResult:
    state = MET if principal.is_eligible else NOT_MET
    if principal is Outcome.UNDETERMINED:
        state = UNKNOWN
    return _node(
        "principal_qualifies",
        state,
        description="The principal applicant qualifies for the program.",
        source=source,
        details={"outcome": principal.value},
    )


def _relationship_node(member: Person, index: int, rule: FamilyRule) -> CriterionResult:
    relationship = member.relationship
    variant = ""
    if member.deceased:
        state, variant = NOT_MET, "deceased"
    elif relationship is Relationship.SPOUSE:
        state = MET if rule.spouse else NOT_MET
        if member.marital_status in {MaritalStatus.DIVORCED, MaritalStatus.WIDOWED}:
            state, variant = NOT_MET, "former_spouse"
    elif relationship in _CHILDREN:
        state = MET
    elif relationship in _CHILDRENS_FAMILY:
        state = MET if rule.children_spouses_and_children else NOT_MET
    else:
        state = NOT_MET
    return _node(
        "derivative_relationship",
        state,
        description="The family member's relationship to the principal is one the rule admits.",
        source=rule.source,
        variant=variant,
        details={"relationship": relationship.value},
        facts_used=(f"members[{index}].relationship",),
        verify=rule.verify if relationship in _CHILDRENS_FAMILY else None,
    )


def _unmarried_node(member: Person, index: int, rule: FamilyRule) -> CriterionResult:
    status = member.marital_status
    state = UNKNOWN if status is None else NOT_MET if status.is_married else MET
    return _node(
        "derivative_unmarried",
        state,
        description="A child must be unmarried.",
        source=rule.source,
        facts_used=(f"members[{index}].marital_status",),
        missing=(MissingItem("fact", "marital_status", member=index),),
    )


def _age_node(
    member: Person, index: int, rule: FamilyRule, facts: CaseFacts, program: str, today: dt.date
) -> tuple[CriterionResult, tuple[str, ...]]:
    limit = rule.child_max_age or 0
    field = rule.child_age_fixed_at
    fixed_on = facts.date_of(field, program) if field else None
    assumed = fixed_on is None
    on = fixed_on or today
    facts_used = (f"members[{index}].birth", *((field,) if field else ()))
    if member.birth is None:
        node = _node(
            "derivative_age",
            UNKNOWN,
            description=f"A child must be under {limit} on the date the law fixes the age.",
            source=rule.source,
            variant="no_birth_date",
            details={"limit": limit, "date": on, "date_field": field},
            facts_used=facts_used,
            missing=(MissingItem("fact", "birth_date", member=index),),
        )
        return node, ("age_unknown",)
    earliest, latest = date_bounds(member.birth)
    least = max(0, _completed_years(latest, on)) if latest <= on else 0
    most = max(0, _completed_years(earliest, on)) if earliest <= on else 0
    state = MET if most < limit else NOT_MET if least >= limit else UNKNOWN
    flags: list[str] = []
    if assumed:
        flags.append("age_fixed_on_assumed_date")
        turns = _add_years(earliest, limit)
        if state is MET and (turns - today).days <= AGE_OUT_WARNING_DAYS:
            flags.append("age_out_risk")
    if state is UNKNOWN:
        flags.append("age_uncertain")
    node = _node(
        "derivative_age",
        state,
        description=f"A child must be under {limit} on the date the law fixes the age.",
        source=rule.source,
        variant="assumed_date" if assumed else "",
        details={
            "min_age": least,
            "max_age": most,
            "limit": limit,
            "date": on,
            "date_field": field,
        },
        facts_used=facts_used,
        missing=(MissingItem("fact", "birth_date", member=index),),
    )
    return node, tuple(flags)


def _location_node(member: Person, index: int, rule: FamilyRule) -> CriterionResult:
    inside = member.in_afghanistan
    state = UNKNOWN if inside is None else NOT_MET if inside else MET
    missing = (
        MissingItem("fact", "current_location", member=index)
        if inside is None
        else MissingItem("condition", "outside_afghanistan", member=index)
    )
    return _node(
        "derivative_outside_afghanistan",
        state,
        kind=CriterionKind.CONDITION,
        description="Each family member must be outside Afghanistan to be processed.",
        source=rule.source,
        facts_used=(f"members[{index}].location",),
        missing=(missing,),
    )


def evaluate_members(
    facts: CaseFacts,
    *,
    program: str,
    rule: FamilyRule | None,
    principal: Outcome,
    principal_source: str,
    today: dt.date,
) -> tuple[MemberAssessment, ...]:
    """Each family member's outcome for ``program`` given the ``principal``'s outcome.

    With no ``rule`` (no version in force) every member is a derivative of a principal who
    does not qualify. A member eligible in their own right still waits for whatever the
    principal's case is pending on.
    """
    assessments: list[MemberAssessment] = []
    spouses_seen = 0
    for index, member in enumerate(facts.members):
        criteria = [_principal_node(principal, principal_source)]
        flags: list[str] = []
        if rule is not None:
            criteria.append(_relationship_node(member, index, rule))
            if member.relationship is Relationship.SPOUSE:
                spouses_seen += 1
                if spouses_seen > 1:
                    flags.append("more_than_one_spouse")
            if member.relationship in _CHILDREN:
                if member.marital_status is MaritalStatus.MARRIED:
                    flags.append("married_child")
                if rule.children_must_be_unmarried:
                    criteria.append(_unmarried_node(member, index, rule))
                if rule.child_max_age is not None:
                    node, age_flags = _age_node(member, index, rule, facts, program, today)
                    criteria.append(node)
                    flags.extend(age_flags)
            if rule.members_outside_afghanistan:
                criteria.append(_location_node(member, index, rule))
            if member.in_afghanistan:
                flags.append("in_afghanistan")
        outcome, missing = combine_outcome(criteria)
        if outcome is Outcome.ELIGIBLE and principal is Outcome.ELIGIBLE_PENDING_DOCUMENTS:
            outcome = Outcome.ELIGIBLE_PENDING_DOCUMENTS
        assessments.append(
            MemberAssessment(
                member=index,
                relationship=member.relationship,
                outcome=outcome,
                criteria=tuple(criteria),
                missing=missing,
                flags=tuple(flags),
            )
        )
    return tuple(assessments)
