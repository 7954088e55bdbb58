"""Assessing one case against a rule set: for each program choose the rule version in force on
the case's selecting date, apply its criteria to the principal, then derive the family.

Hand-written because no library encodes these US programs. When the selecting date has not
happened yet (no COM application, no referral) the assessment date stands in for it and the
assessment says so: "if the application were made today".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from safepassage.engine.eligibility.checks import CheckContext, evaluate_criterion
from safepassage.engine.eligibility.facts import CaseFacts
from safepassage.engine.eligibility.family import evaluate_members
from safepassage.engine.eligibility.results import (
    Assessment,
    CriterionResult,
    CriterionState,
    Detail,
    Outcome,
    ProgramAssessment,
    combine_outcome,
)
from safepassage.engine.eligibility.rules import (
    Check,
    CriterionKind,
    ProgramRules,
    RuleSet,
    RuleVersion,
)

__all__ = ["evaluate"]


def _select_version(
    facts: CaseFacts, program: ProgramRules, today: dt.date
) -> tuple[RuleVersion | None, str, dt.date, bool]:
    """The version in force on its selecting date, that date's name, the date, and whether
    the date was assumed to be ``today``."""
    chosen: tuple[RuleVersion | None, str, dt.date, bool] | None = None
    for version in program.versions:
        known = facts.date_of(version.selecting_date, program.program)
        day = known or today
        if version.in_force_on(day):
            chosen = (version, version.selecting_date, day, known is None)
    if chosen is not None:
        return chosen
    field = program.versions[0].selecting_date
    known = facts.date_of(field, program.program)
    return None, field, known or today, known is None


def _in_force_node(
    program: ProgramRules, version: RuleVersion | None, day: dt.date, assumed: bool
) -> CriterionResult:
    details: dict[str, Detail] = {
        "date": day,
        "first_in_force": program.versions[0].in_force_from,
        "last_in_force_until": program.versions[-1].in_force_until,
    }
    if version is not None:
        variant = "assumed_date" if assumed else ""
        details.update(version=version.id, in_force_from=version.in_force_from)
        state = CriterionState.MET
    else:
        state = CriterionState.NOT_MET
        variant = "before_first" if day < program.versions[0].in_force_from else "not_in_force"
    return CriterionResult(
        id="program_in_force",
        kind=CriterionKind.ELIGIBILITY,
        state=state,
        description="A version of the program's rules was in force on the selecting date.",
        source=version.source if version is not None else program.source,
        variant=variant,
        details=details,
        facts_used=(program.versions[0].selecting_date,),
        verify=version.verify if version is not None else None,
    )


def _evaluate_program(
    facts: CaseFacts,
    program: ProgramRules,
    today: dt.date,
    earlier: Mapping[str, ProgramAssessment],
) -> ProgramAssessment:
    version, field, day, assumed = _select_version(facts, program, today)
    in_force = _in_force_node(program, version, day, assumed)
    if version is None:
        members = evaluate_members(
            facts,
            program=program.program,
            rule=None,
            principal=Outcome.NOT_ELIGIBLE,
            principal_source=program.source,
            today=today,
        )
        return ProgramAssessment(
            program=program.program,
            outcome=Outcome.NOT_ELIGIBLE,
            criteria=(in_force,),
            missing=(),
            members=members,
            selecting_date_field=field,
            selecting_date=day,
            selecting_date_assumed=assumed,
            version_id=None,
            version_title="",
            version_source=program.source,
        )
    context = CheckContext(
        facts=facts,
        today=today,
        program=program.program,
        version=version,
        selecting_date=day,
        selecting_date_assumed=assumed,
        earlier=earlier,
    )
    done: dict[str, CriterionResult] = {}
    # A referral check reads which categories are met, so it goes last.
    for criterion in sorted(version.criteria, key=lambda c: c.check is Check.REFERRAL):
        evaluate_criterion(criterion, context, done)
    results = (in_force, *(done[criterion.id] for criterion in version.criteria))
    outcome, missing = combine_outcome(results)
    members = evaluate_members(
        facts,
        program=program.program,
        rule=version.family,
        principal=outcome,
        principal_source=version.source,
        today=today,
    )
    return ProgramAssessment(
        program=program.program,
        outcome=outcome,
        criteria=results,
        missing=missing,
        members=members,
        selecting_date_field=field,
        selecting_date=day,
        selecting_date_assumed=assumed,
        version_id=version.id,
        version_title=version.title,
        version_source=version.source,
    )


def evaluate(facts: CaseFacts, rules: RuleSet, *, today: dt.date) -> Assessment:
    """Assess ``facts`` under every program of ``rules`` as of ``today``.

    ``today`` bounds service still going on and stands in for case dates that have not
    happened yet. Never raises for missing facts: what is unknown makes a criterion UNKNOWN
    and the outcome UNDETERMINED, with the missing items listed.
    """
    done: dict[str, ProgramAssessment] = {}
    for program in rules.programs:
        done[program.program] = _evaluate_program(facts, program, today, done)
    return Assessment(
        evaluated_on=today,
        programs=tuple(done[program.program] for program in rules.programs),
        case_reference=facts.reference,
    )
