"""What changed between two assessments of a case (new facts, or new rules), and the summary
over many cases a program officer previews before a rule change: "412 cases become eligible
for the SIV under the one-year rule".

Hand-written: it compares this engine's own result objects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from safepassage.engine.eligibility.results import (
    Assessment,
    CriterionResult,
    CriterionState,
    MissingItem,
    Outcome,
    ProgramAssessment,
)

__all__ = [
    "Change",
    "ChangeSummary",
    "CriterionChange",
    "MemberChange",
    "ProgramChange",
    "compare",
    "summarise",
]


@dataclass(frozen=True, slots=True)
class MemberChange:
    """A family member whose outcome changed (``None``: not assessed on that side)."""

    member: int
    old: Outcome | None
    new: Outcome | None


@dataclass(frozen=True, slots=True)
class CriterionChange:
    criterion: str
    old: CriterionState | None
    new: CriterionState | None


@dataclass(frozen=True, slots=True)
class ProgramChange:
    """One program's difference; outcomes are ``None`` where the program was not assessed."""

    program: str
    old_outcome: Outcome | None
    new_outcome: Outcome | None
    old_version: str | None
    new_version: str | None
    criteria: tuple[CriterionChange, ...]
    members: tuple[MemberChange, ...]
    missing_added: tuple[MissingItem, ...]
    missing_resolved: tuple[MissingItem, ...]

    @property
    def outcome_changed(self) -> bool:
        return self.old_outcome != self.new_outcome

    @property
    def changed(self) -> bool:
        return bool(
            self.outcome_changed
            or self.old_version != self.new_version
            or self.criteria
            or self.members
            or self.missing_added
            or self.missing_resolved
        )

    @property
    def became_eligible(self) -> bool:
        return _eligible(self.new_outcome) and not _eligible(self.old_outcome)

    @property
    def lost_eligibility(self) -> bool:
        return _eligible(self.old_outcome) and not _eligible(self.new_outcome)


@dataclass(frozen=True, slots=True)
class Change:
    """The differences between two assessments of the same case."""

    case_reference: str | None
    programs: tuple[ProgramChange, ...]

    @property
    def changed(self) -> bool:
        return any(program.changed for program in self.programs)

    def program(self, name: str) -> ProgramChange:
        for program in self.programs:
            if program.program == name:
                return program
        raise KeyError(name)


def _eligible(outcome: Outcome | None) -> bool:
    return outcome is not None and outcome.is_eligible


def _states(results: Iterable[CriterionResult]) -> dict[str, CriterionState]:
    states: dict[str, CriterionState] = {}
    stack = list(results)
    while stack:
        result = stack.pop()
        states[result.id] = result.state
        stack.extend(result.children)
    return states


def _program_change(
    name: str, old: ProgramAssessment | None, new: ProgramAssessment | None
) -> ProgramChange:
    old_states = _states(old.criteria) if old else {}
    new_states = _states(new.criteria) if new else {}
    criteria = tuple(
        CriterionChange(key, old_states.get(key), new_states.get(key))
        for key in sorted(old_states.keys() | new_states.keys())
        if old_states.get(key) != new_states.get(key)
    )
    old_members = {m.member: m.outcome for m in old.members} if old else {}
    new_members = {m.member: m.outcome for m in new.members} if new else {}
    members = tuple(
        MemberChange(index, old_members.get(index), new_members.get(index))
        for index in sorted(old_members.keys() | new_members.keys())
        if old_members.get(index) != new_members.get(index)
    )
    old_missing = set(old.missing) if old else set()
    new_missing = set(new.missing) if new else set()
    return ProgramChange(
        program=name,
        old_outcome=old.outcome if old else None,
        new_outcome=new.outcome if new else None,
        old_version=old.version_id if old else None,
        new_version=new.version_id if new else None,
        criteria=criteria,
        members=members,
        missing_added=tuple(sorted(new_missing - old_missing)),
        missing_resolved=tuple(sorted(old_missing - new_missing)),
    )


def compare(old: Assessment, new: Assessment) -> Change:
    """The differences from ``old`` to ``new`` (two assessments of one case), program by
    program in the order of ``new`` then any program only ``old`` had."""
    old_programs = {program.program: program for program in old.programs}
    new_programs = {program.program: program for program in new.programs}
    names = list(new_programs) + [name for name in old_programs if name not in new_programs]
    return Change(
        case_reference=new.case_reference or old.case_reference,
        programs=tuple(
            _program_change(name, old_programs.get(name), new_programs.get(name)) for name in names
        ),
    )


Transition = tuple[str, Outcome | None, Outcome | None]


@dataclass(frozen=True, slots=True)
class ChangeSummary:
    """Counts over many cases: per program, how many cases moved from one outcome to another,
    became eligible or lost eligibility, and how many family members became eligible."""

    cases: int
    transitions: Mapping[Transition, int]
    became_eligible: Mapping[str, int]
    lost_eligibility: Mapping[str, int]
    members_became_eligible: Mapping[str, int]

    def lines(self) -> tuple[str, ...]:
        """Plain English lines for the rule-change preview."""
        lines = [f"{self.cases} cases compared."]
        for program, count in sorted(self.became_eligible.items()):
            members = self.members_became_eligible.get(program, 0)
            lines.append(
                f"{count} cases become eligible for {program} ({members} family members with them)."
            )
        lines.extend(
            f"{count} cases are no longer eligible for {program}."
            for program, count in sorted(self.lost_eligibility.items())
        )
        for (program, old, new), count in sorted(
            self.transitions.items(), key=lambda item: (item[0][0], -item[1])
        ):
            before = old.value if old else "not assessed"
            after = new.value if new else "not assessed"
            lines.append(f"{program}: {count} cases from {before} to {after}.")
        return tuple(lines)


def summarise(changes: Iterable[Change]) -> ChangeSummary:
    """Totals over ``changes`` (one per case), for a program officer's preview."""
    cases = 0
    transitions: Counter[Transition] = Counter()
    became: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    members: Counter[str] = Counter()
    for change in changes:
        cases += 1
        for program in change.programs:
            if program.outcome_changed:
                transitions[(program.program, program.old_outcome, program.new_outcome)] += 1
            if program.became_eligible:
                became[program.program] += 1
            if program.lost_eligibility:
                lost[program.program] += 1
            members[program.program] += sum(
                1 for m in program.members if _eligible(m.new) and not _eligible(m.old)
            )
    return ChangeSummary(
        cases=cases,
        transitions=MappingProxyType(dict(transitions)),
        became_eligible=MappingProxyType(dict(became)),
        lost_eligibility=MappingProxyType(dict(lost)),
        members_became_eligible=MappingProxyType({k: v for k, v in members.items() if v}),
    )
