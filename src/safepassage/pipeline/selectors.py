"""Reads of the pipeline: a case's facts and clocks, the moves open to a user with their
guards, the overdue queue and the service levels of an organisation, the bulk-move preview.

Adapters between the ORM and ``safepassage.engine.pipeline`` live here; the engine decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from safepassage.cases.models import Case, StageEvent
from safepassage.cases.stages import Program
from safepassage.core.models import CASE_ROLES, SUPERVISING_ROLES, Role
from safepassage.core.selectors import case_organization_ids_for, role_in
from safepassage.engine.pipeline import (
    DEFAULT_ROLE_POLICY,
    PIPELINES,
    TERMINAL_STAGES,
    CaseFacts,
    Clocks,
    ComItem,
    GuardResult,
    MoveCheck,
    MoveKind,
    Owner,
    StageEntry,
    TimeSummary,
    check_move,
    compute_clocks,
    guard_checks,
    possible_moves,
    summarise_time,
)
from safepassage.pipeline.models import MissingDocumentExplanation, StageSLA

User = AbstractBaseUser | AnonymousUser
# What the system itself (imports, jobs: no acting user) may do.
SYSTEM_ROLE = Role.ADMIN


def role_for(*, actor: User | None, organization_id: int) -> str | None:
    """The actor's role in the organisation; the system itself acts as an administrator."""
    if actor is None:
        return SYSTEM_ROLE.value
    role = role_in(user=actor, organization_id=organization_id)
    return role.value if role is not None else None


def sla_days_for(*, organization_id: int, program: str) -> dict[str, int]:
    """The organisation's own service levels for ``program`` (stages it has not set keep
    the engine's defaults)."""
    return dict(
        StageSLA.objects.filter(organization_id=organization_id, program=program).values_list(
            "stage", "days"
        )
    )


def _day(event: StageEvent) -> dt.date:
    return event.effective_on or timezone.localdate(event.at)


def stage_history(*, case: Case) -> tuple[StageEntry, ...]:
    """The case's stages in order with the day each was entered; the current stage last."""
    entries = [
        StageEntry(event.to_stage, _day(event))
        for event in StageEvent.objects.filter(case=case).only("to_stage", "effective_on", "at")
    ]
    if not entries or entries[-1].stage != case.stage:
        # Imported or older rows without a matching event: the stage counts from the opening.
        entries.append(StageEntry(case.stage, timezone.localdate(case.created_at)))
    return tuple(entries)


def case_facts(*, case: Case) -> CaseFacts:
    """What the guards need: history, documents on file, explanations, DS-157 completeness."""
    # Another app owns the DS-157 data; imported here so the pipeline loads without it.
    from safepassage.cases.ds157 import ds157_is_complete

    program = case.program if case.program in PIPELINES else Program.UNDETERMINED.value
    explained = set(
        MissingDocumentExplanation.objects.filter(case=case).values_list("document", flat=True)
    )
    return CaseFacts(
        program=program,
        history=stage_history(case=case),
        documents=frozenset(case.documents.values_list("kind", flat=True)),
        explained=frozenset(ComItem(value) for value in explained),
        # An erased case's data keys are gone: nothing of its DS-157 can be read.
        ds157_complete=case.erased_at is None and ds157_is_complete(case=case),
    )


def case_clocks(*, case: Case, today: dt.date | None = None) -> Clocks:
    return compute_clocks(
        program=case.program,
        history=stage_history(case=case),
        today=today or timezone.localdate(),
        sla_days=sla_days_for(organization_id=case.organization_id, program=case.program),
    )


def move_check_for(
    *,
    actor: User | None,
    case: Case,
    to_stage: str,
    reason: str = "",
    effective_on: dt.date | None = None,
    today: dt.date | None = None,
    override: bool = False,
    facts: CaseFacts | None = None,
) -> MoveCheck:
    today = today or timezone.localdate()
    return check_move(
        facts or case_facts(case=case),
        to_stage=to_stage,
        role=role_for(actor=actor, organization_id=case.organization_id),
        effective_on=effective_on or today,
        today=today,
        reason=reason,
        override=override,
    )


@dataclass(frozen=True)
class MoveOption:
    to_stage: str
    kind: MoveKind
    guards: tuple[GuardResult, ...]

    @property
    def ready(self) -> bool:
        return all(guard.met for guard in self.guards)


@dataclass(frozen=True)
class Panel:
    """What the case page's pipeline panel shows."""

    stage: str
    owner: Owner
    clocks: Clocks
    moves: tuple[MoveOption, ...]
    may_override: bool
    explained: frozenset[ComItem] = field(default_factory=frozenset)
    # The COM application is still to come: explanations for missing documents may be written.
    com_ahead: bool = False


def case_pipeline_panel(*, user: User, case: Case, today: dt.date | None = None) -> Panel:
    """The stage, whose move it is, the clocks and the moves ``user`` may make, each with
    the state of its guards as of ``today``."""
    today = today or timezone.localdate()
    facts = case_facts(case=case)
    role = role_for(actor=user, organization_id=case.organization_id)
    policy = DEFAULT_ROLE_POLICY
    moves = tuple(
        MoveOption(move.to_stage, move.kind, guard_checks(facts, move.to_stage, today))
        for move in possible_moves(facts)
        if policy.allows(role, move.kind) and case.erased_at is None
    )
    clocks = compute_clocks(
        program=facts.program,
        history=facts.history,
        today=today,
        sla_days=sla_days_for(organization_id=case.organization_id, program=facts.program),
    )
    return Panel(
        stage=facts.stage,
        owner=clocks.owner,
        clocks=clocks,
        moves=moves,
        may_override=role is not None and role in policy.override_roles,
        explained=facts.explained,
        com_ahead=facts.program == "siv"
        and facts.stage in {"intake", "eligibility_review", "com_preparation", "com_denied"},
    )


# --- supervisors ----------------------------------------------------------------------------


def supervised_organization_ids(*, user: User) -> set[int]:
    return case_organization_ids_for(user=user, roles=SUPERVISING_ROLES)


def _entered_on_subquery() -> Subquery:
    latest = (
        StageEvent.objects.filter(case=OuterRef("pk"))
        .order_by("-at")
        .annotate(day=Coalesce("effective_on", TruncDate("at")))
        .values("day")[:1]
    )
    return Subquery(latest)


def open_cases_for(*, organization_id: int) -> QuerySet[Case]:
    return Case.objects.filter(organization_id=organization_id, erased_at__isnull=True).exclude(
        stage__in=list(TERMINAL_STAGES)
    )


def _sla_table(organization_id: int) -> dict[tuple[str, str], int]:
    table: dict[tuple[str, str], int] = {}
    for program, pipeline in PIPELINES.items():
        for spec in pipeline.stages:
            if spec.sla_days is not None:
                table[(program, spec.stage)] = spec.sla_days
    for program, stage, days in StageSLA.objects.filter(
        organization_id=organization_id
    ).values_list("program", "stage", "days"):
        if (program, stage) in table:
            table[(program, stage)] = days
    return table


@dataclass(frozen=True)
class QueueRow:
    case: Case
    entered_on: dt.date
    days_in_stage: int
    sla_days: int | None
    owner: Owner

    @property
    def overdue_days(self) -> int:
        return self.days_in_stage - self.sla_days if self.sla_days is not None else 0


def overdue_cases_for(
    *,
    user: User,
    organization_id: int,
    today: dt.date | None = None,
    overdue_only: bool = True,
    stage: str = "",
    limit: int = 500,
) -> tuple[list[QueueRow], int]:
    """Open cases of an organisation the user supervises, most overdue first (days past
    their stage's service level), with whose move it is; and how many match in all. With
    ``overdue_only`` only cases past their service level; ``stage`` narrows to one stage.
    The filter runs in the database; only matching rows come back."""
    if organization_id not in supervised_organization_ids(user=user):
        from safepassage.core.errors import NotFoundError

        raise NotFoundError()
    today = today or timezone.localdate()
    table = _sla_table(organization_id)
    cases = open_cases_for(organization_id=organization_id).annotate(
        entered_on=_entered_on_subquery()
    )
    if stage:
        cases = cases.filter(stage=stage)
    if overdue_only:
        late = Q(pk__in=[])
        for (program, sla_stage), days in table.items():
            cutoff = today - dt.timedelta(days=days)
            late |= Q(program=program, stage=sla_stage, entered_on__lt=cutoff)
        cases = cases.filter(late)
    rows = list(
        cases.filter(entered_on__isnull=False).values_list("pk", "program", "stage", "entered_on")
    )

    def overdue(row: tuple[Any, str, str, dt.date]) -> int:
        sla = table.get((row[1], row[2]))
        return (today - row[3]).days - sla if sla is not None else -(10**6)

    rows.sort(key=lambda row: (-overdue(row), str(row[0])))
    shown = rows[:limit]
    found = Case.objects.select_related("assigned_to").in_bulk([row[0] for row in shown])
    result = [
        QueueRow(
            case=found[pk],
            entered_on=entered_on,
            days_in_stage=(today - entered_on).days,
            sla_days=table.get((program, case_stage)),
            owner=PIPELINES[program].owner_of(case_stage) if program in PIPELINES else Owner.NONE,
        )
        for pk, program, case_stage, entered_on in shown
    ]
    return result, len(rows)


def time_summary_for(
    *, user: User, organization_id: int, today: dt.date | None = None
) -> TimeSummary:
    """Where the time of an organisation's open cases goes (for its supervisors): days per
    owner, the stages cases wait in, SIV cases past the nine-month target. Two queries: the
    open cases, then their stage history in case order."""
    if organization_id not in supervised_organization_ids(user=user):
        from safepassage.core.errors import NotFoundError

        raise NotFoundError()
    today = today or timezone.localdate()
    table = _sla_table(organization_id)
    cases = {
        pk: (program, stage, created)
        for pk, program, stage, created in open_cases_for(organization_id=organization_id)
        .filter(program__in=list(PIPELINES))
        .values_list("pk", "program", "stage", "created_at")
    }
    histories: dict[Any, list[StageEntry]] = {pk: [] for pk in cases}
    events = (
        StageEvent.objects.filter(case_id__in=list(cases))
        .order_by("case_id", "at")
        .values_list("case_id", "to_stage", "effective_on", "at")
    )
    for case_id, stage, effective_on, at in events.iterator(chunk_size=5000):
        histories[case_id].append(StageEntry(stage, effective_on or timezone.localdate(at)))

    slas: dict[str, dict[str, int]] = {program: {} for program in PIPELINES}
    for (program, stage), days in table.items():
        slas[program][stage] = days

    def clocks() -> Iterable[tuple[str, Clocks]]:
        for pk, (program, stage, created) in cases.items():
            history = histories[pk]
            if not history or history[-1].stage != stage:
                history.append(StageEntry(stage, timezone.localdate(created)))
            yield (
                program,
                compute_clocks(
                    program=program, history=tuple(history), today=today, sla_days=slas[program]
                ),
            )

    return summarise_time(clocks())


@dataclass(frozen=True)
class SlaLine:
    program: str
    stage: str
    default_days: int
    days: int | None  # the organisation's own, if set


def sla_lines_for(*, user: User, organization_id: int) -> list[SlaLine]:
    if organization_id not in supervised_organization_ids(user=user):
        from safepassage.core.errors import NotFoundError

        raise NotFoundError()
    own = {
        (program, stage): days
        for program, stage, days in StageSLA.objects.filter(
            organization_id=organization_id
        ).values_list("program", "stage", "days")
    }
    return [
        SlaLine(program, spec.stage, spec.sla_days, own.get((program, spec.stage)))
        for program, pipeline in PIPELINES.items()
        for spec in pipeline.stages
        if spec.sla_days is not None
    ]


def selected_cases_for(
    *, user: User, organization_id: int, references: Iterable[str]
) -> list[Case]:
    """The selected cases of an organisation the user supervises (others are left out)."""
    if organization_id not in supervised_organization_ids(user=user):
        from safepassage.core.errors import NotFoundError

        raise NotFoundError()
    wanted = {ref.strip().upper() for ref in references if ref.strip()}
    return list(
        Case.objects.filter(
            organization_id=organization_id, reference__in=wanted, erased_at__isnull=True
        )
        .select_related("assigned_to")
        .order_by("reference")
    )


@dataclass(frozen=True)
class PreviewRow:
    case: Case
    check: MoveCheck


def bulk_move_preview(
    *,
    user: User,
    organization_id: int,
    references: Iterable[str],
    to_stage: str,
    reason: str = "",
    effective_on: dt.date | None = None,
    today: dt.date | None = None,
) -> list[PreviewRow]:
    """For each selected case, whether the move would be made or refused, and why."""
    cases = selected_cases_for(user=user, organization_id=organization_id, references=references)
    return [
        PreviewRow(
            case,
            move_check_for(
                actor=user,
                case=case,
                to_stage=to_stage,
                reason=reason,
                effective_on=effective_on,
                today=today,
            ),
        )
        for case in cases
    ]


def case_workers_of(*, organization_id: int) -> QuerySet[Any]:
    """Members of the organisation who can be assigned cases."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            memberships__organization_id=organization_id,
            memberships__role__in=list(CASE_ROLES),
            is_active=True,
        )
        .order_by("username")
        .distinct()
    )
