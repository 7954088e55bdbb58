"""What an assessment says: outcomes per program and per family member, the explanation tree
of criteria (met, not met, unknown; the facts, documents, rule version and source each used),
and the missing facts and documents that would change the outcome.

Plain frozen dataclasses, so the Django layer can store them, diff them (:mod:`.compare`) and
render them (:mod:`.explain`) without the evaluator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from safepassage.engine.eligibility.facts import Relationship
from safepassage.engine.eligibility.rules import CriterionKind

__all__ = [
    "Assessment",
    "CriterionResult",
    "CriterionState",
    "Detail",
    "MemberAssessment",
    "MissingCategory",
    "MissingItem",
    "Outcome",
    "ProgramAssessment",
    "combine_outcome",
]


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    # Eligible on the facts; documents or a processing condition (being outside Afghanistan,
    # a referral) are still outstanding.
    ELIGIBLE_PENDING_DOCUMENTS = "eligible_pending_documents"
    NOT_ELIGIBLE = "not_eligible"
    # A fact the rules need is unknown or only known roughly; never a guess.
    UNDETERMINED = "undetermined"

    @property
    def is_eligible(self) -> bool:
        return self in {Outcome.ELIGIBLE, Outcome.ELIGIBLE_PENDING_DOCUMENTS}


class CriterionState(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


MissingCategory = Literal["document", "fact", "condition"]


@dataclass(frozen=True, slots=True, order=True)
class MissingItem:
    """Something that would change the outcome: a document to obtain, a fact to establish or
    a condition to fulfil, with the employment or family member it concerns."""

    category: MissingCategory
    code: str
    employment: int | None = None
    member: int | None = None

    def as_tuple(self) -> tuple[str | int, ...]:
        """Machine form: ``("document", "hr_letter", 0)``, ``("fact", "birth_date",
        "member", 2)``."""
        parts: tuple[str | int, ...] = (self.category, self.code)
        if self.employment is not None:
            parts += (self.employment,)
        if self.member is not None:
            parts += ("member", self.member)
        return parts


# Values a criterion reports for its explanation: numbers, dates, names and lists of them.
Detail = str | int | bool | dt.date | tuple[str, ...] | tuple[int, ...] | None


def _no_details() -> Mapping[str, Detail]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One node of the explanation tree.

    ``variant`` refines the state for the explanation ("self_referral", "assumed_date");
    ``details`` are the numbers and dates behind it; ``facts_used`` names the case facts read
    ("employment[0]", "members[1].birth") and ``documents_used`` the documents relied on.
    """

    id: str
    kind: CriterionKind
    state: CriterionState
    description: str
    source: str
    variant: str = ""
    details: Mapping[str, Detail] = field(default_factory=_no_details)
    facts_used: tuple[str, ...] = ()
    documents_used: tuple[str, ...] = ()
    missing: tuple[MissingItem, ...] = ()
    children: tuple[CriterionResult, ...] = ()
    verify: str | None = None

    def find(self, criterion_id: str) -> CriterionResult | None:
        if self.id == criterion_id:
            return self
        for child in self.children:
            if (found := child.find(criterion_id)) is not None:
                return found
        return None


def _find(results: Iterable[CriterionResult], criterion_id: str) -> CriterionResult:
    for result in results:
        if (found := result.find(criterion_id)) is not None:
            return found
    raise KeyError(criterion_id)


def combine_outcome(results: Iterable[CriterionResult]) -> tuple[Outcome, tuple[MissingItem, ...]]:
    """The outcome of top-level criteria and what would change it.

    An eligibility criterion not met makes the case NOT_ELIGIBLE (nothing listed); one unknown
    makes it UNDETERMINED (the unknown facts first, then open documents); otherwise any
    document or condition not met leaves it ELIGIBLE_PENDING_DOCUMENTS.
    """
    results = tuple(results)
    eligibility = [r for r in results if r.kind is CriterionKind.ELIGIBILITY]
    pending = [r for r in results if r.kind is not CriterionKind.ELIGIBILITY]
    if any(r.state is CriterionState.NOT_MET for r in eligibility):
        return Outcome.NOT_ELIGIBLE, ()
    open_items = [item for r in pending if r.state is not CriterionState.MET for item in r.missing]
    if any(r.state is CriterionState.UNKNOWN for r in eligibility):
        facts = [
            item for r in eligibility if r.state is CriterionState.UNKNOWN for item in r.missing
        ]
        return Outcome.UNDETERMINED, _unique(facts + open_items)
    if any(r.state is not CriterionState.MET for r in pending):
        return Outcome.ELIGIBLE_PENDING_DOCUMENTS, _unique(open_items)
    return Outcome.ELIGIBLE, ()


def _unique(items: Iterable[MissingItem]) -> tuple[MissingItem, ...]:
    return tuple(dict.fromkeys(items))


@dataclass(frozen=True, slots=True)
class MemberAssessment:
    """A family member's outcome as a derivative of the principal. ``member`` is the index
    in ``CaseFacts.members``; ``flags`` note what a caseworker should watch
    ("age_out_risk", "more_than_one_spouse", ...)."""

    member: int
    relationship: Relationship
    outcome: Outcome
    criteria: tuple[CriterionResult, ...]
    missing: tuple[MissingItem, ...] = ()
    flags: tuple[str, ...] = ()

    def criterion(self, criterion_id: str) -> CriterionResult:
        return _find(self.criteria, criterion_id)


@dataclass(frozen=True, slots=True)
class ProgramAssessment:
    """The principal's outcome for one program under one rule version, with the family.

    ``selecting_date_assumed`` is True when the case date that selects the version has not
    happened yet and the assessment date stood in for it ("if the application were made
    today").
    """

    program: str
    outcome: Outcome
    criteria: tuple[CriterionResult, ...]
    missing: tuple[MissingItem, ...]
    members: tuple[MemberAssessment, ...]
    selecting_date_field: str
    selecting_date: dt.date
    selecting_date_assumed: bool
    version_id: str | None
    version_title: str
    version_source: str

    def criterion(self, criterion_id: str) -> CriterionResult:
        return _find(self.criteria, criterion_id)

    def member(self, index: int) -> MemberAssessment:
        for member in self.members:
            if member.member == index:
                return member
        raise KeyError(index)


@dataclass(frozen=True, slots=True)
class Assessment:
    """The eligibility of one case on ``evaluated_on`` under every program of a rule set."""

    evaluated_on: dt.date
    programs: tuple[ProgramAssessment, ...]
    case_reference: str | None = None

    def program(self, name: str) -> ProgramAssessment:
        for program in self.programs:
            if program.program == name:
                return program
        raise KeyError(name)

    @property
    def missing(self) -> tuple[MissingItem, ...]:
        """Everything that would change an outcome, over all programs and members, once."""
        return _unique(
            item
            for program in self.programs
            for item in (
                *program.missing,
                *(item for member in program.members for item in member.missing),
            )
        )

    @property
    def eligible_programs(self) -> tuple[str, ...]:
        return tuple(p.program for p in self.programs if p.outcome.is_eligible)
