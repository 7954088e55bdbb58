"""Assessing stored cases in batches: read the facts of many cases with a fixed number of
queries, evaluate them (here or in worker processes), write the current assessments in bulk
and turn what is missing into work: one caseworker task per case listing its missing items
(updated when they change) and one document request to the applicant per missing document
kind, closing the work that is no longer needed.

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
from django.db.models import BinaryField, F, Value
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


def _title_limit() -> int:
    """The length the task form accepts for a title (``EncryptedTextField.text_max_length``)."""
    limit = getattr(Task._meta.get_field("title"), "text_max_length", None)
    return int(limit) if limit else 300


STILL_NEEDED = "Still needed: "


def task_title(items: Sequence[engine.MissingItem]) -> str:
    """The title of a case's eligibility task: every missing item in the engine's English
    words, in order ("Eligibility: still needed: tazkira or passport; letter of
    recommendation"). Past the title's length limit the last items are counted instead
    ("... and 3 more, listed on the case page"), which shows them all."""
    parts = [missing_item_text(item).removeprefix(STILL_NEEDED) for item in items]
    head = TASK_PREFIX + STILL_NEEDED.lower()
    limit = _title_limit()
    title = head + "; ".join(parts)
    shown = len(parts)
    while len(title) > limit and shown > 0:
        shown -= 1
        title = (
            head
            + "; ".join(parts[:shown])
            + f"{'; ' if shown else ''}and {len(parts) - shown} more, listed on the case page"
        )
    return title[:limit]


@dataclass
class WorkCounts:
    tasks_opened: int = 0
    tasks_updated: int = 0
    tasks_closed: int = 0
    requests_opened: int = 0
    requests_closed: int = 0

    @property
    def any(self) -> bool:
        return bool(
            self.tasks_opened
            or self.tasks_updated
            or self.tasks_closed
            or self.requests_opened
            or self.requests_closed
        )

    def add(self, other: WorkCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _OpenWork:
    """The open work of a case as read for a batch (no personal data: ids and keys)."""

    pk: int
    task_id: Any
    task_open: bool
    items: list[str]
    requests: dict[str, str]


@dataclass
class _WorkWrites:
    """What a batch changes, gathered so that each kind of write is one statement."""

    now: dt.datetime
    new_tasks: list[Task] = field(default_factory=list)
    retitled: list[Task] = field(default_factory=list)
    new_requests: list[DocumentRequest] = field(default_factory=list)
    new_work: list[WorkItem] = field(default_factory=list)
    changed_work: list[WorkItem] = field(default_factory=list)
    closing_work: list[int] = field(default_factory=list)
    closing_tasks: list[Any] = field(default_factory=list)
    closing_requests: list[str] = field(default_factory=list)

    def task(self, case_id: Any, items: Sequence[engine.MissingItem]) -> Task:
        task = Task(case_id=case_id, title=task_title(items))
        self.new_tasks.append(task)
        return task

    def request(self, case_id: Any, kind: str) -> str:
        request = DocumentRequest(case_id=case_id, kind=kind)
        self.new_requests.append(request)
        return str(request.pk)


def _read_open_work(
    ids: Sequence[Any],
) -> tuple[dict[Any, _OpenWork], dict[Any, list[tuple[int, str, str, Any, Any]]]]:
    """The open work of each case, and the open rows from before one task per case."""
    current: dict[Any, _OpenWork] = {}
    legacy: dict[Any, list[tuple[int, str, str, Any, Any]]] = {}
    for pk, case_id, kind, key, task_id, task_done, request_id, items, requests in (
        WorkItem.objects.filter(case_id__in=ids, closed_at__isnull=True)
        .order_by()
        .values_list(
            "pk", "case_id", "kind", "key", "task_id", "task__done", "request_id", "items",
            "requests",
        )
    ):  # fmt: skip
        if kind == WorkItem.Kind.CASE:
            current[case_id] = _OpenWork(
                pk, task_id, task_done is False, list(items), dict(requests)
            )
        else:
            legacy.setdefault(case_id, []).append((pk, kind, key, task_id, request_id))
    return current, legacy


def _plan_case_work(
    writes: _WorkWrites,
    case_id: Any,
    wanted: Sequence[engine.MissingItem],
    work: _OpenWork | None,
    legacy: Sequence[tuple[int, str, str, Any, Any]],
) -> None:
    """The writes that bring one case's work to ``wanted`` (its missing items, in order)."""
    keys = [item_key(item) for item in wanted]
    kinds = list(dict.fromkeys(kind for item in wanted if (kind := _request_kind(item))))
    requests = dict(work.requests) if work is not None else {}
    for pk, kind, key, task_id, request_id in legacy:  # one row per item: replaced
        writes.closing_work.append(pk)
        if kind == WorkItem.Kind.TASK and task_id is not None:
            writes.closing_tasks.append(task_id)
        elif kind == WorkItem.Kind.REQUEST and request_id is not None:
            if key in kinds and key not in requests:
                requests[key] = str(request_id)  # the applicant keeps the same request
            else:
                writes.closing_requests.append(str(request_id))
    for kind in [kind for kind in requests if kind not in kinds]:
        writes.closing_requests.append(requests.pop(kind))
    if not keys:
        if work is not None:
            writes.closing_work.append(work.pk)
            if work.task_open:
                writes.closing_tasks.append(work.task_id)
        return
    for kind in kinds:
        if kind not in requests:
            requests[kind] = writes.request(case_id, kind)
    if work is None:
        writes.new_work.append(
            WorkItem(
                case_id=case_id,
                kind=WorkItem.Kind.CASE,
                key="",
                task=writes.task(case_id, wanted),
                items=keys,
                requests=requests,
                opened_at=writes.now,
            )
        )
        return
    task_id = work.task_id
    if keys != work.items:
        if work.task_open:
            # Sealed again only when the items it lists changed.
            writes.retitled.append(Task(pk=work.task_id, case_id=case_id, title=task_title(wanted)))
        elif set(keys) - set(work.items):
            # Done by the caseworker (or deleted), and something new is missing: a new task.
            task_id = writes.task(case_id, wanted).pk
    if task_id != work.task_id or keys != work.items or requests != work.requests:
        writes.changed_work.append(
            WorkItem(pk=work.pk, task_id=task_id, items=keys, requests=requests)
        )


def _sync_work(
    cases: Sequence[CaseRows], results: Sequence[CaseResult | None], now: dt.datetime
) -> WorkCounts:
    """One caseworker task per case listing what is missing, one document request per
    missing document kind; updated when what is missing changes, closed when nothing is."""
    ids = [case.pk for case in cases]
    current, legacy = _read_open_work(ids)
    writes = _WorkWrites(now=now)
    for case, result in zip(cases, results, strict=True):
        wanted = result.missing_for(_work_programs(case)) if result is not None else ()
        _plan_case_work(writes, case.pk, wanted, current.get(case.pk), legacy.get(case.pk, ()))
    if writes.new_tasks or writes.retitled:
        # The data keys of the batch may have left the cache since it was read.
        keys.load_scopes({task.case_id for task in (*writes.new_tasks, *writes.retitled)})
    if writes.new_tasks:
        Task.objects.bulk_create(writes.new_tasks, batch_size=1000)
    if writes.retitled:
        title = Task._meta.get_field("title")
        for task in writes.retitled:
            # bulk_update does not call pre_save: seal here, as save() would, and hand over
            # the ciphertext as an expression (a plain value would be opened again).
            task.title = Value(title.pre_save(task, add=False), output_field=BinaryField())
        Task.objects.bulk_update(writes.retitled, ["title"], batch_size=500)
    if writes.new_requests:
        DocumentRequest.objects.bulk_create(writes.new_requests, batch_size=1000)
    if writes.new_work:
        WorkItem.objects.bulk_create(writes.new_work, batch_size=1000)
    if writes.changed_work:
        WorkItem.objects.bulk_update(
            writes.changed_work, ["task", "items", "requests"], batch_size=500
        )
    counts = WorkCounts(
        tasks_opened=len(writes.new_tasks),
        tasks_updated=len(writes.retitled),
        requests_opened=len(writes.new_requests),
    )
    if writes.closing_work:
        WorkItem.objects.filter(pk__in=writes.closing_work).update(closed_at=now)
    if writes.closing_tasks:
        counts.tasks_closed = Task.objects.filter(pk__in=writes.closing_tasks, done=False).update(
            done=True, done_at=now
        )
    if writes.closing_requests:
        # The intake app has no "withdrawn" state: a request no longer needed is closed as
        # fulfilled (with no document), so it leaves the applicant's status page.
        counts.requests_closed = DocumentRequest.objects.filter(
            pk__in=writes.closing_requests, fulfilled_at__isnull=True
        ).update(fulfilled_at=now)
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
        work.add(done)
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
                tasks_updated=done.tasks_updated,
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
