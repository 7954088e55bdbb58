"""Reads of the eligibility app: rule revisions and what they contain, differences between
revisions, run progress and counts, the stored assessment of a case."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from safepassage.cases.models import Case
from safepassage.core.errors import NotFoundError
from safepassage.core.models import RULE_ROLES
from safepassage.core.selectors import case_organization_ids_for
from safepassage.eligibility.models import (
    PROGRAMS,
    CaseAssessment,
    RuleChangeRun,
    RuleProgram,
    RuleRevision,
    RunChange,
)
from safepassage.eligibility.rulebook import published_rules
from safepassage.engine import eligibility as engine

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class ProgramRow:
    program: str
    label: str
    published: RuleRevision | None
    drafts: int
    revisions: int


def rule_programs() -> list[ProgramRow]:
    """Each program with its published revision and how many drafts wait."""
    published_rules()  # a fresh installation publishes the shipped files first
    revisions = list(RuleRevision.objects.only("program", "number", "status", "published_at"))
    rows = []
    for program in PROGRAMS:
        own = [r for r in revisions if r.program == program]
        rows.append(
            ProgramRow(
                program=program,
                label=str(RuleProgram(program).label),
                published=next((r for r in own if r.status == RuleRevision.Status.PUBLISHED), None),
                drafts=sum(1 for r in own if r.status == RuleRevision.Status.DRAFT),
                revisions=len(own),
            )
        )
    return rows


def rule_revisions_for(*, program: str) -> QuerySet[RuleRevision]:
    if program not in PROGRAMS:
        raise NotFoundError()
    published_rules()  # a fresh installation publishes the shipped files first
    return RuleRevision.objects.filter(program=program).select_related("author", "published_by")


def rule_revision_get(*, program: str, number: int) -> RuleRevision:
    revision = rule_revisions_for(program=program).filter(number=number).first()
    if revision is None:
        raise NotFoundError()
    return revision


def revision_rules(revision: RuleRevision) -> engine.ProgramRules | None:
    """The versions a revision contains, as the engine reads them (None if it does not
    read: only possible for a file stored before a stricter engine)."""
    try:
        return engine.load_rules_text(revision.text, name=revision.file_name)
    except engine.RuleFileError:
        return None


def revision_diff(*, old: RuleRevision, new: RuleRevision) -> list[str]:
    """A unified text diff from ``old`` to ``new``."""
    return list(
        difflib.unified_diff(
            old.text.splitlines(),
            new.text.splitlines(),
            fromfile=f"{old.file_name} (revision {old.number})",
            tofile=f"{new.file_name} (revision {new.number})",
            lineterm="",
        )
    )


def run_get(*, run_id: Any) -> RuleChangeRun:
    run = RuleChangeRun.objects.select_related("revision", "created_by").filter(pk=run_id).first()
    if run is None:
        raise NotFoundError()
    return run


def runs_for(*, revision: RuleRevision) -> QuerySet[RuleChangeRun]:
    return RuleChangeRun.objects.filter(revision=revision)


@dataclass(frozen=True)
class TransitionRow:
    program: str
    old: str
    new: str
    count: int


def run_transitions(run: RuleChangeRun) -> list[TransitionRow]:
    rows = [
        TransitionRow(program, old, new, int(count))
        for program, old, new, count in run.summary.get("transitions", [])
    ]
    return sorted(rows, key=lambda r: (PROGRAMS.index(r.program), -r.count))


def run_affected_references(
    *, user: User, run: RuleChangeRun, limit: int = 500
) -> list[tuple[str, str, str, str]]:
    """(reference, program, old, new) of the cases a preview found would change, in the
    organisations where ``user`` is a program officer or administrator only."""
    organizations = case_organization_ids_for(user=user, roles=RULE_ROLES)
    if not organizations:
        return []
    rows = (
        RunChange.objects.filter(run=run, case__organization_id__in=organizations)
        .order_by("program", "case__reference")
        .values_list("case__reference", "program", "old_outcome", "new_outcome")[:limit]
    )
    return list(rows)


def stored_assessment_for(*, case: Case) -> CaseAssessment | None:
    """The stored assessment of a case the caller already reached through a scoped selector."""
    return CaseAssessment.objects.filter(case_id=case.pk).first()


def outcome_counts() -> dict[str, dict[str, int]]:
    """How many cases have each outcome, per program (counts only)."""
    from django.db.models import Count

    counts: dict[str, dict[str, int]] = {}
    for program in PROGRAMS:
        column = f"{program}_outcome"
        counts[program] = {
            row[column]: row["n"]
            for row in CaseAssessment.objects.values(column).annotate(n=Count("pk"))
        }
    return counts
