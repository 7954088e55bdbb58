"""The program pipeline: stages per program, whose move each stage is, the allowed moves per
role, the guards on a move, and the clocks (days per owner, the SIV nine-month target, SLAs).

Hand-written because these steps are US program rules (SIV under section 602(b) of the Afghan
Allies Protection Act, the P-1/P-2 refugee referrals) that no workflow library knows: a generic
state machine (e.g. ``transitions``, ``django-fsm``) would hold the arrows but none of what
matters here: the COM document guards with written explanations, the 120-day appeal window,
the petition step that only exists for COM applications before 2022-07-20, and the
government-time clock that the statute's nine-month target is measured by. Sources:
DOMAIN.md section 3; State Department "Special Immigrant Visas for Afghans" pages (COM
application, appeal "within 120 days of the date of the denial letter", DS-157 replacing the
I-360 petition from 2022-07-20); Afghan Allies Protection Act section 602(b)(4) (nine months).

Pure Python: stages, programs and roles are plain strings (the values of
``safepassage.cases.stages`` and ``safepassage.core.models.Role``), results carry stable codes
and parameters, never sentences (the app renders them with gettext).

Defaults chosen here (each can be replaced by passing another ``RolePolicy``):

- caseworkers, supervisors and administrators make forward steps, record outcomes (a
  government decision) and move a case back to an earlier stage;
- withdrawing, closing and reopening a case are for supervisors and administrators;
- a backward move, a withdrawal, a closure, a reopening and an override each need a reason;
- a late appeal (more than 120 days after the denial letter) is refused with ``appeal_late``;
  a supervisor or administrator may override it with a reason, otherwise the way on is a new
  COM application (``com_denied`` -> ``com_preparation``);
- a reopened case goes back to the stage it was withdrawn or closed from;
- intake may go straight to the program's first step (COM preparation, referral) when the
  program is evident from the start; the eligibility review is then skipped, no guard is;
- after ``com_approved`` the petition (I-360) step is offered only when the COM application
  (the last move into ``com_submitted``) was before 2022-07-20; when that date is unknown both
  ways are offered;
- the nine-month target is counted as 274 days (nine twelfths of 365.25 days, rounded up) of
  government-owned time between the COM submission and the visa being issued.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

__all__ = [
    "APPEAL_WINDOW_DAYS",
    "DEFAULT_ROLE_POLICY",
    "NINE_MONTHS_DAYS",
    "PETITION_FOLDED_INTO_DS157_ON",
    "PIPELINES",
    "CaseFacts",
    "Clocks",
    "Code",
    "ComItem",
    "GuardResult",
    "Move",
    "MoveCheck",
    "MoveKind",
    "Owner",
    "ProgramPipeline",
    "RolePolicy",
    "StageEntry",
    "StageLoad",
    "StageSpec",
    "StatutoryClock",
    "TimeSummary",
    "check_move",
    "com_applied_on",
    "compute_clocks",
    "possible_moves",
    "summarise_time",
]

APPEAL_WINDOW_DAYS: Final = 120
PETITION_FOLDED_INTO_DS157_ON: Final = dt.date(2022, 7, 20)
NINE_MONTHS_DAYS: Final = 274

WITHDRAWN: Final = "withdrawn"
CLOSED: Final = "closed"
ARRIVED: Final = "arrived"
CLOSED_STAGES: Final = frozenset({WITHDRAWN, CLOSED})
TERMINAL_STAGES: Final = frozenset({WITHDRAWN, CLOSED, ARRIVED})


class Owner(StrEnum):
    """Whose move a stage is: who has to act for the case to go on."""

    APPLICANT = "applicant"
    PROGRAM = "program"  # the NGO running the case
    GOVERNMENT = "government"
    NONE = "none"  # terminal stages


class MoveKind(StrEnum):
    FORWARD = "forward"  # a step the program or the applicant takes
    OUTCOME = "outcome"  # recording a government decision
    BACKWARD = "backward"  # back to an earlier stage (a correction)
    WITHDRAW = "withdraw"
    CLOSE = "close"
    REOPEN = "reopen"


class ComItem(StrEnum):
    """What a COM application needs; each may be replaced by a written explanation."""

    HR_LETTER = "hr_letter"
    RECOMMENDATION = "recommendation"
    DS157 = "ds157"
    IDENTITY = "identity"  # a tazkira or a passport


# Document kinds (``cases.models.DocumentKind`` values) that satisfy each COM item.
COM_ITEM_DOCUMENTS: Final[Mapping[ComItem, frozenset[str]]] = {
    ComItem.HR_LETTER: frozenset({"hr_letter"}),
    ComItem.RECOMMENDATION: frozenset({"recommendation"}),
    ComItem.IDENTITY: frozenset({"tazkira", "passport"}),
}


class Code(StrEnum):
    """Stable codes of the checks on a move; each is reported met or not."""

    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    ROLE_NOT_ALLOWED = "role_not_allowed"
    REASON_REQUIRED = "reason_required"
    EFFECTIVE_DATE_IN_FUTURE = "effective_date_in_future"
    EFFECTIVE_DATE_BEFORE_CURRENT_STAGE = "effective_date_before_current_stage"
    OVERRIDE_NOT_ALLOWED = "override_not_allowed"
    COM_DOCUMENT_MISSING = "com_document_missing"
    APPEAL_LATE = "appeal_late"


@dataclass(frozen=True)
class StageSpec:
    stage: str
    owner: Owner
    sla_days: int | None  # default service level: days a case may stay before it is overdue


@dataclass(frozen=True)
class ProgramPipeline:
    """One program's stages in order (the order decides what is "backward") and its steps."""

    program: str
    stages: tuple[StageSpec, ...]
    steps: Mapping[str, tuple[tuple[str, MoveKind], ...]]
    statutory_clock: bool = False  # the SIV nine-month target applies

    def spec(self, stage: str) -> StageSpec | None:
        for item in self.stages:
            if item.stage == stage:
                return item
        return None

    def owner_of(self, stage: str) -> Owner:
        spec = self.spec(stage)
        return spec.owner if spec is not None else Owner.NONE

    def rank(self, stage: str) -> int:
        for index, item in enumerate(self.stages):
            if item.stage == stage:
                return index
        return -1

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(item.stage for item in self.stages)


A, P, G, N = Owner.APPLICANT, Owner.PROGRAM, Owner.GOVERNMENT, Owner.NONE
F, D = MoveKind.FORWARD, MoveKind.OUTCOME  # D: a decision recorded

_CLOSURE_SPECS = (StageSpec(WITHDRAWN, N, None), StageSpec(CLOSED, N, None))

_SIV = ProgramPipeline(
    program="siv",
    stages=(
        StageSpec("intake", P, 7),
        StageSpec("eligibility_review", P, 14),
        # The applicant gathers the letters; the program helps but cannot produce them.
        StageSpec("com_preparation", A, 60),
        StageSpec("com_submitted", G, 120),
        StageSpec("com_denied", A, 30),  # the applicant decides: appeal or apply anew
        StageSpec("appeal", G, 120),
        StageSpec("com_approved", A, 30),  # the applicant files the petition or the DS-260
        StageSpec("petition", G, 120),
        StageSpec("visa_application", A, 60),
        StageSpec("interview", G, 90),
        StageSpec("medical", A, 30),
        StageSpec("administrative_processing", G, 90),
        StageSpec("visa_issued", P, 30),  # the program arranges travel with IOM
        StageSpec("ready_to_travel", A, 30),
        StageSpec("travelled", P, 7),
        StageSpec(ARRIVED, N, None),
        *_CLOSURE_SPECS,
    ),
    steps={
        "intake": (("eligibility_review", F), ("com_preparation", F)),
        "eligibility_review": (("com_preparation", F),),
        "com_preparation": (("com_submitted", F),),
        "com_submitted": (("com_approved", D), ("com_denied", D)),
        "com_denied": (("appeal", F), ("com_preparation", F)),
        "appeal": (("com_approved", D), ("com_denied", D)),
        "com_approved": (("petition", F), ("visa_application", F)),
        "petition": (("visa_application", D),),
        "visa_application": (("interview", F),),
        "interview": (("medical", D),),
        "medical": (("administrative_processing", F),),
        "administrative_processing": (("visa_issued", D),),
        "visa_issued": (("ready_to_travel", F),),
        "ready_to_travel": (("travelled", F),),
        "travelled": ((ARRIVED, F),),
    },
    statutory_clock=True,
)


def _refugee(program: str) -> ProgramPipeline:
    return ProgramPipeline(
        program=program,
        stages=(
            StageSpec("intake", P, 7),
            StageSpec("eligibility_review", P, 14),
            StageSpec("referral", G, 60),  # the referring agency and PRM accept the referral
            StageSpec("prescreening", G, 90),  # the Resettlement Support Center
            StageSpec("interview", G, 90),  # USCIS
            StageSpec("security", G, 180),
            StageSpec("medical", A, 30),
            StageSpec("cultural_orientation", G, 30),
            StageSpec("sponsorship", P, 30),  # a resettlement agency's assurance
            StageSpec("ready_to_travel", G, 60),  # IOM books the flight
            StageSpec("travelled", P, 7),
            StageSpec(ARRIVED, N, None),
            *_CLOSURE_SPECS,
        ),
        steps={
            "intake": (("eligibility_review", F), ("referral", F)),
            "eligibility_review": (("referral", F),),
            "referral": (("prescreening", D),),
            "prescreening": (("interview", F),),
            "interview": (("security", D),),
            "security": (("medical", D),),
            "medical": (("cultural_orientation", F),),
            "cultural_orientation": (("sponsorship", F),),
            "sponsorship": (("ready_to_travel", F),),
            "ready_to_travel": (("travelled", F),),
            "travelled": ((ARRIVED, F),),
        },
    )


_UNDETERMINED = ProgramPipeline(
    program="undetermined",
    stages=(
        StageSpec("intake", P, 7),
        StageSpec("eligibility_review", P, 14),  # then the program is chosen
        *_CLOSURE_SPECS,
    ),
    steps={"intake": (("eligibility_review", F),)},
)

PIPELINES: Final[Mapping[str, ProgramPipeline]] = {
    p.program: p for p in (_UNDETERMINED, _SIV, _refugee("p2"), _refugee("p1"))
}


# --- roles ----------------------------------------------------------------------------------

_WORKERS = frozenset({"caseworker", "supervisor", "admin"})
_SUPERVISORS = frozenset({"supervisor", "admin"})


@dataclass(frozen=True)
class RolePolicy:
    """Which roles may make each kind of move, and which kinds need a reason."""

    kinds: Mapping[MoveKind, frozenset[str]]
    override_roles: frozenset[str]
    reason_required: frozenset[MoveKind]

    def allows(self, role: str | None, kind: MoveKind) -> bool:
        return role is not None and role in self.kinds.get(kind, frozenset())


DEFAULT_ROLE_POLICY: Final = RolePolicy(
    kinds={
        MoveKind.FORWARD: _WORKERS,
        MoveKind.OUTCOME: _WORKERS,
        MoveKind.BACKWARD: _WORKERS,
        MoveKind.WITHDRAW: _SUPERVISORS,
        MoveKind.CLOSE: _SUPERVISORS,
        MoveKind.REOPEN: _SUPERVISORS,
    },
    override_roles=_SUPERVISORS,
    reason_required=frozenset(
        {MoveKind.BACKWARD, MoveKind.WITHDRAW, MoveKind.CLOSE, MoveKind.REOPEN}
    ),
)


# --- facts and moves ------------------------------------------------------------------------


@dataclass(frozen=True)
class StageEntry:
    """The case entered ``stage`` on ``on`` (the day it happened, not the day it was typed)."""

    stage: str
    on: dt.date


@dataclass(frozen=True)
class CaseFacts:
    """What the guards look at. ``history`` is oldest first; its last entry is the current
    stage. ``documents`` are document kinds on file, ``explained`` the COM items covered by a
    written explanation."""

    program: str
    history: tuple[StageEntry, ...]
    documents: frozenset[str] = frozenset()
    explained: frozenset[ComItem] = frozenset()
    ds157_complete: bool = False

    def __post_init__(self) -> None:
        if not self.history:
            raise ValueError("empty_history")
        if self.program not in PIPELINES:
            raise ValueError("unknown_program")

    @property
    def stage(self) -> str:
        return self.history[-1].stage

    @property
    def stage_entered_on(self) -> dt.date:
        return self.history[-1].on

    @property
    def pipeline(self) -> ProgramPipeline:
        return PIPELINES[self.program]


@dataclass(frozen=True)
class Move:
    to_stage: str
    kind: MoveKind


def _last_entry(history: Iterable[StageEntry], stage: str) -> StageEntry | None:
    found = None
    for entry in history:
        if entry.stage == stage:
            found = entry
    return found


def _application_start(stages: list[str]) -> int | None:
    """Index of the entry that started the current COM application: the last move into
    ``com_submitted`` from ``com_preparation`` (a backward correction starts none)."""
    found: int | None = None
    for index, stage in enumerate(stages):
        if stage == "com_submitted" and (
            found is None or index == 0 or stages[index - 1] == "com_preparation"
        ):
            found = index
    return found


def com_applied_on(history: tuple[StageEntry, ...]) -> dt.date | None:
    """The day of the current COM application, if the case has one."""
    index = _application_start([entry.stage for entry in history])
    return history[index].on if index is not None else None


def _reopen_target(history: tuple[StageEntry, ...]) -> str:
    for entry in reversed(history):
        if entry.stage not in TERMINAL_STAGES:
            return entry.stage
    return "intake"


def possible_moves(facts: CaseFacts) -> list[Move]:
    """Every move the pipeline offers from the current stage, before roles and guards."""
    pipeline, stage = facts.pipeline, facts.stage
    if pipeline.spec(stage) is None:
        # A stage outside the program (e.g. after a program change): only closures and back.
        return [Move(WITHDRAWN, MoveKind.WITHDRAW), Move(CLOSED, MoveKind.CLOSE)]
    if stage in CLOSED_STAGES:
        return [Move(_reopen_target(facts.history), MoveKind.REOPEN)]
    moves = [Move(to, kind) for to, kind in pipeline.steps.get(stage, ())]
    if stage == "com_approved":
        applied = com_applied_on(facts.history)
        if applied is not None:
            old_process = applied < PETITION_FOLDED_INTO_DS157_ON
            unwanted = "visa_application" if old_process else "petition"
            moves = [m for m in moves if m.to_stage != unwanted]
    offered = {m.to_stage for m in moves}
    rank = pipeline.rank(stage)
    for spec in pipeline.stages[:rank]:
        if spec.stage not in TERMINAL_STAGES and spec.stage not in offered:
            moves.append(Move(spec.stage, MoveKind.BACKWARD))
    if stage != ARRIVED:
        moves.append(Move(WITHDRAWN, MoveKind.WITHDRAW))
    moves.append(Move(CLOSED, MoveKind.CLOSE))
    return moves


# --- checks ---------------------------------------------------------------------------------

Params = Mapping[str, str | int]


@dataclass(frozen=True)
class GuardResult:
    """One check on a move: ``code`` names what fails when ``met`` is false."""

    code: Code
    met: bool
    params: Params = field(default_factory=dict)
    overridable: bool = False


@dataclass(frozen=True)
class MoveCheck:
    to_stage: str
    kind: MoveKind | None
    checks: tuple[GuardResult, ...]

    @property
    def failures(self) -> tuple[GuardResult, ...]:
        return tuple(check for check in self.checks if not check.met)

    @property
    def allowed(self) -> bool:
        return not self.failures

    @property
    def backward(self) -> bool:
        return self.kind is MoveKind.BACKWARD


def com_document_checks(facts: CaseFacts) -> tuple[GuardResult, ...]:
    """One check per COM item: on file (or DS-157 data complete), or explained in writing."""
    results = []
    for item in ComItem:
        if item is ComItem.DS157:
            present = facts.ds157_complete
        else:
            present = bool(COM_ITEM_DOCUMENTS[item] & facts.documents)
        explained = item in facts.explained
        covered_by = "document" if present else "explanation" if explained else ""
        results.append(
            GuardResult(
                Code.COM_DOCUMENT_MISSING,
                present or explained,
                {"document": item.value, "covered_by": covered_by},
            )
        )
    return tuple(results)


def appeal_check(facts: CaseFacts, effective_on: dt.date) -> GuardResult:
    """An appeal within 120 days of the denial letter (the day of the move to com_denied)."""
    denial = _last_entry(facts.history, "com_denied")
    denied_on = denial.on if denial is not None else facts.stage_entered_on
    days = (effective_on - denied_on).days
    return GuardResult(
        Code.APPEAL_LATE,
        days <= APPEAL_WINDOW_DAYS,
        {"days_since_denial": days, "limit_days": APPEAL_WINDOW_DAYS},
        overridable=True,
    )


def guard_checks(facts: CaseFacts, to_stage: str, effective_on: dt.date) -> tuple[GuardResult, ...]:
    """The program's own conditions on taking the step to ``to_stage`` (a correction back
    to an earlier stage or a reopening is not a new submission and is not guarded)."""
    if facts.program == "siv" and to_stage == "com_submitted" and facts.stage == "com_preparation":
        return com_document_checks(facts)
    if facts.program == "siv" and to_stage == "appeal" and facts.stage == "com_denied":
        return (appeal_check(facts, effective_on),)
    return ()


def check_move(
    facts: CaseFacts,
    *,
    to_stage: str,
    role: str | None,
    effective_on: dt.date,
    today: dt.date,
    reason: str = "",
    override: bool = False,
    policy: RolePolicy = DEFAULT_ROLE_POLICY,
) -> MoveCheck:
    """Whether ``role`` may move the case to ``to_stage``, dated ``effective_on``.

    Every check is reported (met or not) so a page can show which conditions hold. With
    ``override`` a role in ``policy.override_roles`` waives overridable guards (a late
    appeal), giving a reason.
    """
    kind = next((m.kind for m in possible_moves(facts) if m.to_stage == to_stage), None)
    if kind is None:
        failure = GuardResult(
            Code.TRANSITION_NOT_ALLOWED, False, {"from_stage": facts.stage, "to_stage": to_stage}
        )
        return MoveCheck(to_stage, None, (failure,))
    has_reason = bool(reason.strip())
    checks = [
        GuardResult(Code.ROLE_NOT_ALLOWED, policy.allows(role, kind), {"kind": kind.value}),
    ]
    if kind in policy.reason_required or override:
        checks.append(GuardResult(Code.REASON_REQUIRED, has_reason, {"kind": kind.value}))
    checks.append(
        GuardResult(
            Code.EFFECTIVE_DATE_IN_FUTURE, effective_on <= today, {"today": today.isoformat()}
        )
    )
    checks.append(
        GuardResult(
            Code.EFFECTIVE_DATE_BEFORE_CURRENT_STAGE,
            effective_on >= facts.stage_entered_on,
            {"stage_entered_on": facts.stage_entered_on.isoformat()},
        )
    )
    guards = guard_checks(facts, to_stage, effective_on)
    may_override = override and role is not None and role in policy.override_roles
    if override and not may_override and any(not g.met and g.overridable for g in guards):
        checks.append(GuardResult(Code.OVERRIDE_NOT_ALLOWED, False))
    for guard in guards:
        if not guard.met and guard.overridable and may_override and has_reason:
            guard = GuardResult(guard.code, True, {**guard.params, "overridden": 1}, True)
        checks.append(guard)
    return MoveCheck(to_stage, kind, tuple(checks))


# --- clocks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatutoryClock:
    """Government-owned days of the current SIV application against the nine-month target:
    from the COM submission until the visa is issued, without the applicant's time."""

    started_on: dt.date | None
    stopped_on: dt.date | None  # the visa was issued
    government_days: int
    target_days: int

    @property
    def remaining_days(self) -> int:
        return self.target_days - self.government_days

    @property
    def over_target(self) -> bool:
        return self.government_days > self.target_days


@dataclass(frozen=True)
class Clocks:
    total_days: int
    days_by_owner: Mapping[Owner, int]
    stage: str
    owner: Owner
    stage_entered_on: dt.date
    days_in_stage: int
    sla_days: int | None
    statutory: StatutoryClock | None

    @property
    def overdue_days(self) -> int:
        """Days past the stage's service level (0 when within it or without one)."""
        if self.sla_days is None:
            return 0
        return max(0, self.days_in_stage - self.sla_days)


def _normalised(history: tuple[StageEntry, ...]) -> list[StageEntry]:
    """Dates never go back: a move recorded with an earlier date than the one before counts
    as the same day (so every day is counted exactly once)."""
    result: list[StageEntry] = []
    for entry in history:
        on = max(entry.on, result[-1].on) if result else entry.on
        result.append(StageEntry(entry.stage, on))
    return result


def compute_clocks(
    *,
    program: str,
    history: tuple[StageEntry, ...],
    today: dt.date,
    sla_days: Mapping[str, int] | None = None,
    target_days: int = NINE_MONTHS_DAYS,
) -> Clocks:
    """Days per owner since the first entry, the current stage's age against its SLA
    (``sla_days`` overrides the pipeline's defaults per stage) and, for SIV, the statutory
    clock. Raises ``ValueError`` on an empty history or an unknown program."""
    if not history:
        raise ValueError("empty_history")
    pipeline = PIPELINES[program]
    entries = _normalised(history)
    end = max(today, entries[-1].on)
    days_by_owner = dict.fromkeys(Owner, 0)
    spans: list[tuple[StageEntry, dt.date]] = []
    for index, entry in enumerate(entries):
        until = entries[index + 1].on if index + 1 < len(entries) else end
        spans.append((entry, until))
        days_by_owner[pipeline.owner_of(entry.stage)] += (until - entry.on).days
    current = entries[-1]
    stage_sla = (sla_days or {}).get(current.stage)
    if stage_sla is None:
        spec = pipeline.spec(current.stage)
        stage_sla = spec.sla_days if spec is not None else None
    statutory = None
    if pipeline.statutory_clock:
        statutory = _statutory(pipeline, entries, spans, target_days)
    return Clocks(
        total_days=(end - entries[0].on).days,
        days_by_owner=days_by_owner,
        stage=current.stage,
        owner=pipeline.owner_of(current.stage),
        stage_entered_on=current.on,
        days_in_stage=(end - current.on).days,
        sla_days=stage_sla,
        statutory=statutory,
    )


def _statutory(
    pipeline: ProgramPipeline,
    entries: list[StageEntry],
    spans: list[tuple[StageEntry, dt.date]],
    target_days: int,
) -> StatutoryClock:
    start_index = _application_start([entry.stage for entry in entries])
    if start_index is None:
        return StatutoryClock(None, None, 0, target_days)
    stopped_on = None
    government_days = 0
    for entry, until in spans[start_index:]:
        if entry.stage == "visa_issued":
            stopped_on = entry.on
            break
        if pipeline.owner_of(entry.stage) is Owner.GOVERNMENT:
            government_days += (until - entry.on).days
    return StatutoryClock(entries[start_index].on, stopped_on, government_days, target_days)


# --- where time goes (many cases) -----------------------------------------------------------


@dataclass(frozen=True)
class StageLoad:
    """Open cases waiting in one stage of one program."""

    program: str
    stage: str
    owner: Owner
    cases: int
    median_days: int
    longest_days: int
    overdue: int


@dataclass(frozen=True)
class TimeSummary:
    """Where the time of a set of open cases has gone: days per owner over all of them, the
    stages they wait in (largest load first), and the SIV cases past the nine-month target."""

    cases: int
    days_by_owner: Mapping[Owner, int]
    stages: tuple[StageLoad, ...]
    statutory_cases: int
    over_target: int
    median_government_days: int

    def share(self, owner: Owner) -> int:
        """Percent of all counted days that were ``owner``'s move (rounded)."""
        total = sum(self.days_by_owner.values())
        return round(100 * self.days_by_owner.get(owner, 0) / total) if total else 0


def _median(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0


def summarise_time(clocks: Iterable[tuple[str, Clocks]]) -> TimeSummary:
    """Aggregate the clocks of many cases (``(program, clocks)`` pairs)."""
    by_owner = dict.fromkeys(Owner, 0)
    waiting: dict[tuple[str, str], list[Clocks]] = {}
    government: list[int] = []
    count = 0
    for program, clock in clocks:
        count += 1
        for owner, days in clock.days_by_owner.items():
            by_owner[owner] += days
        waiting.setdefault((program, clock.stage), []).append(clock)
        if clock.statutory is not None and clock.statutory.started_on is not None:
            government.append(clock.statutory.government_days)
    loads = [
        StageLoad(
            program=program,
            stage=stage,
            owner=group[0].owner,
            cases=len(group),
            median_days=_median([c.days_in_stage for c in group]),
            longest_days=max(c.days_in_stage for c in group),
            overdue=sum(1 for c in group if c.overdue_days > 0),
        )
        for (program, stage), group in waiting.items()
    ]
    loads.sort(key=lambda load: (-load.cases * load.median_days, load.program, load.stage))
    return TimeSummary(
        cases=count,
        days_by_owner=by_owner,
        stages=tuple(loads),
        statutory_cases=len(government),
        over_target=sum(1 for days in government if days > NINE_MONTHS_DAYS),
        median_government_days=_median(government),
    )
