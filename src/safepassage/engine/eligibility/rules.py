"""The rule model: programs, their dated versions and the criteria of each version, as frozen
dataclasses that :mod:`.rule_files` reads from the TOML files a program officer reviews.

The law changes by amendment, so a program is a series of versions, each in force for a
period and selected by a date of the case (the COM application date for the SIV). A criterion
names one of a fixed vocabulary of checks (:class:`Check`) and carries the parameters and the
source citation of that version; the meaning of a check lives in :mod:`.checks`, its numbers
and dates live in the rule files. No library encodes these US programs, hence hand-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from safepassage.engine.eligibility.facts import EmployerKind, ReferrerKind, Role

__all__ = [
    "Check",
    "Criterion",
    "CriterionKind",
    "FamilyRule",
    "ProgramRules",
    "RuleSet",
    "RuleVersion",
    "UnverifiedRule",
]


class Check(StrEnum):
    """What a criterion tests. The vocabulary is closed: a rule file may tune a check's
    parameters but not invent a check the engine cannot evaluate."""

    AFGHAN_NATIONAL = "afghan_national"
    PRINCIPAL_ALIVE = "principal_alive"
    QUALIFYING_SERVICE = "qualifying_service"
    ONGOING_THREAT = "ongoing_threat"
    APPLICATION_DEADLINE = "application_deadline"
    DOCUMENT = "document"
    EMPLOYMENT_OF_KIND = "employment_of_kind"
    ANY_OF = "any_of"
    REFERRAL = "referral"
    OUTSIDE_AFGHANISTAN = "outside_afghanistan"


class CriterionKind(StrEnum):
    """How a criterion that is not met affects the outcome: an ``eligibility`` criterion makes
    the case not eligible; a ``document`` or ``condition`` criterion (a document to send, a
    processing condition such as being outside Afghanistan) leaves it eligible pending."""

    ELIGIBILITY = "eligibility"
    DOCUMENT = "document"
    CONDITION = "condition"


DEFAULT_KIND: Final[Mapping[Check, CriterionKind]] = MappingProxyType(
    {
        Check.DOCUMENT: CriterionKind.DOCUMENT,
        Check.OUTSIDE_AFGHANISTAN: CriterionKind.CONDITION,
    }
)


def _empty_roles() -> Mapping[EmployerKind, frozenset[Role]]:
    return MappingProxyType({})


def _empty_referrers() -> Mapping[str, frozenset[ReferrerKind]]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Criterion:
    """One condition of a rule version. Only the parameters of its ``check`` are set; the
    reader refuses the others."""

    id: str
    check: Check
    kind: CriterionKind
    description: str
    source: str
    verify: str | None = None
    # qualifying_service, employment_of_kind
    minimum_service_days: int | None = None
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    latest_start: dt.date | None = None
    employer_kinds: frozenset[EmployerKind] = frozenset()
    # For these employers, the job must have involved at least one of the roles.
    role_conditions: Mapping[EmployerKind, frozenset[Role]] = field(default_factory=_empty_roles)
    only_if_unavailable: str | None = None  # a program whose availability excludes this one
    # application_deadline
    date_field: str | None = None
    deadline: dt.date | None = None
    # document
    documents: tuple[str, ...] = ()  # any one of these
    per_employer: bool = False
    written_explanation_accepted: bool = False
    satisfied_by: tuple[str, ...] = ()  # a later document that shows the package was complete
    # principal_alive
    surviving_family_may_continue: bool = False
    # referral
    referrer_kinds: frozenset[ReferrerKind] = frozenset()
    referrer_kinds_by_criterion: Mapping[str, frozenset[ReferrerKind]] = field(
        default_factory=_empty_referrers
    )
    # any_of
    any_of: tuple[Criterion, ...] = ()

    def parameters(self) -> Mapping[str, object]:
        """The parameters this criterion sets, as plain values for display and audit."""
        shown: dict[str, object] = {}
        for name in _PARAMETER_NAMES:
            value = getattr(self, name)
            if value in (None, False, (), frozenset()) or (
                isinstance(value, Mapping) and not value
            ):
                continue
            if isinstance(value, frozenset):
                value = tuple(sorted(str(item) for item in value))
            elif isinstance(value, Mapping):
                value = {str(key): tuple(sorted(map(str, items))) for key, items in value.items()}
            shown[name] = value
        return MappingProxyType(shown)

    def walk(self) -> tuple[Criterion, ...]:
        """This criterion and every criterion nested in it."""
        return (self, *(inner for child in self.any_of for inner in child.walk()))


_PARAMETER_NAMES: Final = (
    "minimum_service_days",
    "window_start",
    "window_end",
    "latest_start",
    "employer_kinds",
    "role_conditions",
    "only_if_unavailable",
    "date_field",
    "deadline",
    "documents",
    "per_employer",
    "written_explanation_accepted",
    "satisfied_by",
    "surviving_family_may_continue",
    "referrer_kinds",
    "referrer_kinds_by_criterion",
)


@dataclass(frozen=True, slots=True)
class FamilyRule:
    """Who may accompany or follow the principal.

    ``child_max_age`` is exclusive ("under 21" is 21); ``None`` admits children of any age.
    ``child_age_fixed_at`` names the case date on which a child's age is taken.
    """

    source: str
    spouse: bool = True
    child_max_age: int | None = 21
    children_must_be_unmarried: bool = True
    child_age_fixed_at: str | None = None
    children_spouses_and_children: bool = False
    members_outside_afghanistan: bool = False
    verify: str | None = None


@dataclass(frozen=True, slots=True)
class RuleVersion:
    """The rules of a program as in force from ``in_force_from`` to ``in_force_until``
    (inclusive; ``None`` while still in force), chosen by the case date ``selecting_date``."""

    id: str
    title: str
    in_force_from: dt.date
    in_force_until: dt.date | None
    selecting_date: str
    source: str
    criteria: tuple[Criterion, ...]
    family: FamilyRule
    notes: str = ""
    verify: str | None = None

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )

    def all_criteria(self) -> tuple[Criterion, ...]:
        return tuple(inner for criterion in self.criteria for inner in criterion.walk())


@dataclass(frozen=True, slots=True)
class ProgramRules:
    """One program (``program`` is its short name: "siv", "p2", "p1") and its versions in
    date order."""

    program: str
    title: str
    source: str
    versions: tuple[RuleVersion, ...]
    file_name: str = ""

    def version_on(self, day: dt.date) -> RuleVersion | None:
        """The version in force on ``day``, or ``None`` if the program had none then."""
        for version in self.versions:
            if version.in_force_on(day):
                return version
        return None

    def version(self, version_id: str) -> RuleVersion:
        for version in self.versions:
            if version.id == version_id:
                return version
        raise KeyError(version_id)


@dataclass(frozen=True, slots=True)
class UnverifiedRule:
    """A rule value marked *verify* in its file: the public record is unclear, so it is
    configurable and shown to reviewers."""

    program: str
    version: str
    criterion: str | None
    note: str


@dataclass(frozen=True, slots=True)
class RuleSet:
    """All programs the engine evaluates, in evaluation order (a program whose criteria ask
    whether another program is available comes after it)."""

    programs: tuple[ProgramRules, ...]

    def program(self, name: str) -> ProgramRules:
        for program in self.programs:
            if program.program == name:
                return program
        raise KeyError(name)

    @property
    def program_names(self) -> tuple[str, ...]:
        return tuple(program.program for program in self.programs)

    def unverified(self) -> tuple[UnverifiedRule, ...]:
        """Every value marked *verify*, for the review screen and the release notes."""
        found: list[UnverifiedRule] = []
        for program in self.programs:
            for version in program.versions:
                if version.verify:
                    found.append(UnverifiedRule(program.program, version.id, None, version.verify))
                if version.family.verify:
                    found.append(
                        UnverifiedRule(program.program, version.id, "family", version.family.verify)
                    )
                found.extend(
                    UnverifiedRule(program.program, version.id, criterion.id, criterion.verify)
                    for criterion in version.all_criteria()
                    if criterion.verify
                )
        return tuple(found)
