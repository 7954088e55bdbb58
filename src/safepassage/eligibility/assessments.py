"""Assessing stored cases in batches: read the facts of many cases with a fixed number of
queries, evaluate them (here or in worker processes), write the current assessments in bulk
and turn what is missing into work (caseworker tasks, document requests to the applicant),
closing the work that is no longer needed.

The same code assesses one case after an edit and every case after a rule change.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safepassage.cases.eligibility import case_facts
from safepassage.cases.models import Case, Document, Employment, Person, StageEvent, Task
from safepassage.config import env_int
from safepassage.eligibility.evaluation import (
    CaseResult,
    EvaluationPool,
    PreviewCounts,
    RuleTexts,
    gather_counts,
    gather_results,
    item_key,
)
from safepassage.eligibility.models import (
    PROGRAMS,
    CaseAssessment,
    Referral,
    RuleChangeRun,
    RunChange,
    WorkItem,
)
from safepassage.eligibility.rulebook import PublishedRules
from safepassage.engine import eligibility as engine
from safepassage.intake.models import DocumentRequest
from safepassage.protection import keys
from safepassage.protection.audit import audit_record

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
TASK_PREFIX = "Eligibility: "


def worker_processes() -> int:
    """How many processes evaluate a large run (``SAFEPASSAGE_ELIGIBILITY_PROCESSES``,
    default 1: in the worker's own process)."""
    return env_int("SAFEPASSAGE_ELIGIBILITY_PROCESSES", 1, minimum=1)


# --- reading -------------------------------------------------------------------------------


@dataclass
class CaseRows:
    """One case and the rows the engine reads, fetched for a whole batch at once."""

    pk: uuid.UUID
    reference: str
    organization_id: int
    program: str
    people: list[Person] = field(default_factory=list)
    employment: list[Employment] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    stage_events: list[StageEvent] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)


def _rows_of(heads: Sequence[tuple[uuid.UUID, str, int, str]]) -> list[CaseRows]:
    """The facts of a batch of cases in five queries, with only the columns the engine reads
    (one query per kind of row, grouped here: cheaper than ``prefetch_related`` per case).

    Rows come in the order the case page shows them (by creation), so member and employment
    numbers in missing items match what a caseworker sees."""
    rows = {head[0]: CaseRows(*head) for head in heads}
    ids = list(rows)
    # One query to the key store for the whole batch (reads here, task writes later).
    keys.load_scopes(ids)
    for person in (
        Person.objects.filter(case_id__in=ids)
        .only("id", "case", "relationship", "sex", "birth_date", "tazkira_kind")
        .order_by("case_id", "created_at")
    ):
        rows[person.case_id].people.append(person)
    for job in (
        Employment.objects.filter(case_id__in=ids)
        .only(
            "id",
            "case",
            "person",
            "employer_kind",
            "interpreter",
            "sensitive_and_trusted",
            "start_date",
            "end_date",
        )
        .order_by("case_id", "created_at")
    ):
        rows[job.case_id].employment.append(job)
    for case_id, kind in Document.objects.filter(case_id__in=ids).values_list("case_id", "kind"):
        rows[case_id].documents.append(kind)
    for event in (
        StageEvent.objects.filter(case_id__in=ids, to_stage="com_submitted")
        .only("id", "case", "to_stage", "at", "effective_on")
        .order_by()
    ):
        rows[event.case_id].stage_events.append(event)
    for referral in (
        Referral.objects.filter(case_id__in=ids)
        .only("id", "case", "program", "referrer_kind", "referred_on")
        .order_by()
    ):
        rows[referral.case_id].referrals.append(referral)
    return [rows[pk] for pk in ids]


def case_batches(
    *, case_ids: Sequence[Any] | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[list[CaseRows]]:
    """Cases (not erased) in primary-key order, ``batch_size`` at a time, with their facts."""
    base = Case.objects.filter(erased_at__isnull=True).order_by("pk")
    if case_ids is not None:
        base = base.filter(pk__in=list(case_ids))
    last = None
    while True:
        page = base if last is None else base.filter(pk__gt=last)
        heads = list(page.values_list("pk", "reference", "organization_id", "program")[:batch_size])
        if not heads:
            return
        last = heads[-1][0]
        yield _rows_of(heads)


def facts_of(case: CaseRows) -> engine.CaseFacts | None:
    """The engine's facts of a case; None without a principal or with facts the engine
    refuses (an end before a start), which leave the case not assessed."""
    people = sorted(case.people, key=lambda p: p.relationship != "principal")  # stable
    if not people or people[0].relationship != "principal":
        return None
    try:
        return case_facts(
            case=case,
            people=people,
            employment=case.employment,
            documents=case.documents,
            stage_events=case.stage_events,
            referrals=case.referrals,
        )
    except engine.FactsError as error:
        logger.warning("case %s not assessed: %s", case.pk, error.code)
        return None


# --- work from missing items ---------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def missing_item_text(item: engine.MissingItem) -> str:
    """The engine's English explanation line for one missing item."""
    program = engine.ProgramAssessment(
        program="",
        outcome=engine.Outcome.UNDETERMINED,
        criteria=(),
        missing=(item,),
        members=(),
        selecting_date_field="",
        selecting_date=dt.date(2000, 1, 1),
        selecting_date_assumed=False,
        version_id=None,
        version_title="",
        version_source="",
    )
    lines = engine.explain(engine.Assessment(dt.date(2000, 1, 1), (program,)), "en")
    return next(line.text for line in lines if line.kind == "missing")


def _request_kind(item: engine.MissingItem) -> str | None:
    """The document to ask the applicant for (the first of alternatives such as
    "tazkira|passport"); None for facts and conditions."""
    if item.category != "document":
        return None
    return item.code.split("|", 1)[0]


def _work_programs(case: CaseRows) -> tuple[str, ...]:
    """The programs whose missing items become work: the program the case pursues, or every
    program while it is not yet determined (a P-2 household is not asked for an SIV HR
    letter, and its caseworker gets no SIV tasks)."""
    return (case.program,) if case.program in PROGRAMS else PROGRAMS


@dataclass
class WorkCounts:
    tasks_opened: int = 0
    tasks_closed: int = 0
    requests_opened: int = 0
    requests_closed: int = 0

    @property
    def any(self) -> bool:
        return bool(
            self.tasks_opened or self.tasks_closed or self.requests_opened or self.requests_closed
        )


def _sync_work(
    cases: Sequence[CaseRows], results: Sequence[CaseResult | None], now: dt.datetime
) -> WorkCounts:
    counts = WorkCounts()
    ids = [case.pk for case in cases]
    open_items: dict[Any, dict[tuple[str, str], tuple[int, Any, Any]]] = {pk: {} for pk in ids}
    for pk, case_id, kind, key, task_id, request_id in WorkItem.objects.filter(
        case_id__in=ids, closed_at__isnull=True
    ).values_list("pk", "case_id", "kind", "key", "task_id", "request_id"):
        open_items[case_id][(kind, key)] = (pk, task_id, request_id)
    new_tasks: list[Task] = []
    new_requests: list[DocumentRequest] = []
    new_items: list[WorkItem] = []
    closing: list[tuple[int, Any, Any]] = []
    for case, result in zip(cases, results, strict=True):
        wanted: dict[tuple[str, str], engine.MissingItem] = {}
        for item in result.missing_for(_work_programs(case)) if result is not None else ():
            wanted.setdefault((WorkItem.Kind.TASK, item_key(item)), item)
            document = _request_kind(item)
            if document is not None:
                wanted.setdefault((WorkItem.Kind.REQUEST, document), item)
        have = open_items[case.pk]
        closing.extend(link for key, link in have.items() if key not in wanted)
        for (kind, key), item in wanted.items():
            if (kind, key) in have:
                continue
            if kind == WorkItem.Kind.TASK:
                task = Task(case_id=case.pk, title=TASK_PREFIX + missing_item_text(item))
                new_tasks.append(task)
                new_items.append(
                    WorkItem(case_id=case.pk, kind=kind, key=key, task=task, opened_at=now)
                )
            else:
                request = DocumentRequest(case_id=case.pk, kind=key)
                new_requests.append(request)
                new_items.append(
                    WorkItem(case_id=case.pk, kind=kind, key=key, request=request, opened_at=now)
                )
    if new_tasks:
        Task.objects.bulk_create(new_tasks, batch_size=1000)
    if new_requests:
        DocumentRequest.objects.bulk_create(new_requests, batch_size=1000)
    if new_items:
        WorkItem.objects.bulk_create(new_items, batch_size=1000)
    if closing:
        WorkItem.objects.filter(pk__in=[pk for pk, _t, _r in closing]).update(closed_at=now)
        counts.tasks_closed = Task.objects.filter(
            pk__in=[t for _pk, t, _r in closing if t is not None], done=False
        ).update(done=True, done_at=now)
        # The intake app has no "withdrawn" state: a request no longer needed is closed as
        # fulfilled (with no document), so it leaves the applicant's status page.
        counts.requests_closed = DocumentRequest.objects.filter(
            pk__in=[r for _pk, _t, r in closing if r is not None], fulfilled_at__isnull=True
        ).update(fulfilled_at=now)
    counts.tasks_opened = len(new_tasks)
    counts.requests_opened = len(new_requests)
    return counts


# --- writing assessments -------------------------------------------------------------------

_UPDATE_FIELDS = [
    *(f"{program}_outcome" for program in PROGRAMS),
    "rules_digest",
    "revisions",
    "assessed_on",
    "computed_at",
    "missing",
]


def _assessment_row(
    case: CaseRows,
    result: CaseResult | None,
    rules: PublishedRules,
    today: dt.date,
    now: dt.datetime,
) -> CaseAssessment:
    row = CaseAssessment(
        case_id=case.pk,
        rules_digest=rules.digest,
        revisions=rules.revisions,
        assessed_on=today,
        computed_at=now,
        missing=[item_key(item) for item in result.missing] if result is not None else [],
    )
    for program in PROGRAMS:
        setattr(
            row,
            f"{program}_outcome",
            result.outcome(program) if result is not None else "not_assessed",
        )
    return row


def write_batch(
    cases: Sequence[CaseRows],
    results: Sequence[CaseResult | None],
    *,
    rules: PublishedRules,
    today: dt.date,
    with_work: bool = True,
) -> tuple[list[tuple[str, str, str]], WorkCounts]:
    """Store the assessments of ``cases`` (one row each, replaced) and sync their work items.
    Returns the outcome transitions (program, old, new) and the work opened and closed."""
    now = timezone.now()
    ids = [case.pk for case in cases]
    old = {
        row[0]: row[1:]
        for row in CaseAssessment.objects.filter(case_id__in=ids).values_list(
            "case_id", *(f"{program}_outcome" for program in PROGRAMS)
        )
    }
    rows = [
        _assessment_row(case, result, rules, today, now)
        for case, result in zip(cases, results, strict=True)
    ]
    transitions: list[tuple[str, str, str]] = []
    for row in rows:
        before = old.get(row.case_id, ("not_assessed",) * len(PROGRAMS))
        for index, program in enumerate(PROGRAMS):
            if before[index] != row.outcome(program):
                transitions.append((program, before[index], row.outcome(program)))
    with transaction.atomic():
        CaseAssessment.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["case"], update_fields=_UPDATE_FIELDS
        )
        work = _sync_work(cases, results, now) if with_work else WorkCounts()
    return transitions, work


# --- runs ----------------------------------------------------------------------------------


@dataclass
class _Pending:
    cases: list[CaseRows]
    positions: list[int]  # of each case with facts, in the facts list sent
    futures: list[Future[Any]] = field(default_factory=list)


def _facts_batch(cases: list[CaseRows]) -> tuple[list[engine.CaseFacts], list[int]]:
    facts, positions = [], []
    for index, case in enumerate(cases):
        one = facts_of(case)
        if one is not None:
            facts.append(one)
            positions.append(index)
    return facts, positions


def _spread(pending: _Pending, results: list[CaseResult]) -> list[CaseResult | None]:
    spread: list[CaseResult | None] = [None] * len(pending.cases)
    for position, result in zip(pending.positions, results, strict=True):
        spread[position] = result
    return spread


def _advance(run_id: Any, count: int) -> None:
    RuleChangeRun.objects.filter(pk=run_id).update(processed=F("processed") + count)


def reassess(
    *,
    rules: PublishedRules,
    today: dt.date,
    case_ids: Sequence[Any] | None = None,
    run_id: Any = None,
    processes: int | None = None,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> PreviewCounts:
    """Assess cases (all, or ``case_ids``) under ``rules`` and store the results and work.

    Reads the next batch and writes the previous one while the engine evaluates the
    current one in the worker processes. Returns the outcome transitions counted."""
    counts = PreviewCounts()
    work = WorkCounts()

    def finish(pending: _Pending) -> None:
        results = _spread(pending, gather_results(pending.futures))
        transitions, done = write_batch(pending.cases, results, rules=rules, today=today)
        counts.cases += len(pending.cases)
        counts.transitions.update(transitions)
        for program, old, new in transitions:
            was = old in ("eligible", "eligible_pending_documents")
            now = new in ("eligible", "eligible_pending_documents")
            if now and not was:
                counts.became_eligible[program] += 1
            elif was and not now:
                counts.lost_eligibility[program] += 1
        for name in ("tasks_opened", "tasks_closed", "requests_opened", "requests_closed"):
            setattr(work, name, getattr(work, name) + getattr(done, name))
        if done.any or run_id is not None:
            audit_record(
                actor=None,
                action="eligibility.assess_batch",
                target=Case(pk=pending.cases[0].pk),
                organization_id=(
                    pending.cases[0].organization_id if len(pending.cases) == 1 else None
                ),
                run=str(run_id) if run_id is not None else "",
                cases=len(pending.cases),
                rules=rules.revisions,
                tasks_opened=done.tasks_opened,
                tasks_closed=done.tasks_closed,
                requests_opened=done.requests_opened,
                requests_closed=done.requests_closed,
            )
        if run_id is not None:
            _advance(run_id, len(pending.cases))
        if on_batch is not None:
            on_batch(len(pending.cases))

    with EvaluationPool(processes or worker_processes()) as pool:
        pending: _Pending | None = None
        for cases in case_batches(case_ids=case_ids, batch_size=batch_size):
            facts, positions = _facts_batch(cases)
            current = _Pending(cases, positions, pool.assess(facts, rules.texts, today))
            if pending is not None:
                finish(pending)
            pending = current
        if pending is not None:
            finish(pending)
    return counts


def preview(
    *,
    old: RuleTexts,
    new: RuleTexts,
    today: dt.date,
    run_id: Any,
    processes: int | None = None,
    batch_size: int = BATCH_SIZE,
) -> PreviewCounts:
    """Compare every case under ``old`` and ``new`` rules; store the cases whose outcome
    would change (for the officer's list) and return the counts. Writes no assessment."""
    total = PreviewCounts()

    def finish(pending: _Pending) -> None:
        counts = gather_counts(pending.futures)
        RunChange.objects.bulk_create(
            RunChange(
                run_id=run_id,
                case_id=pending.cases[pending.positions[index]].pk,
                program=program,
                old_outcome=old_outcome,
                new_outcome=new_outcome,
            )
            for index, program, old_outcome, new_outcome in counts.changed
        )
        counts.changed = []
        total.add(counts)
        _advance(run_id, len(pending.cases))

    with EvaluationPool(processes or worker_processes()) as pool:
        pending: _Pending | None = None
        for cases in case_batches(batch_size=batch_size):
            facts, positions = _facts_batch(cases)
            current = _Pending(cases, positions, pool.preview(facts, old, new, today))
            if pending is not None:
                finish(pending)
            pending = current
        if pending is not None:
            finish(pending)
    return total
