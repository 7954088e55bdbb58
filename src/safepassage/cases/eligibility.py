"""The eligibility engine applied to a stored case: turns the case's rows into the engine's
plain facts and returns the assessment with its explanation in the reader's language.

Documents are recorded per case, not per employer, so every employment record sees the
case's documents (an HR letter on file counts for each employer until documents are linked
to the employment they prove)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from safepassage.engine import eligibility as engine

_RELATIONSHIPS = {
    "principal": engine.Relationship.PRINCIPAL,
    "spouse": engine.Relationship.SPOUSE,
    "child": engine.Relationship.CHILD,
    "parent": engine.Relationship.PARENT,
    "sibling": engine.Relationship.SIBLING,
    "other": engine.Relationship.OTHER,
}
_SEXES = {"female": engine.Sex.FEMALE, "male": engine.Sex.MALE}


def _person(row: Any) -> engine.Person:
    return engine.Person(
        relationship=_RELATIONSHIPS[row.relationship],
        sex=_SEXES.get(row.sex),
        birth=row.birth_date,
    )


def case_facts(
    *, case: Any, people: list[Any], employment: list[Any], documents: list[Any]
) -> engine.CaseFacts:
    kinds = frozenset(d.kind for d in documents)
    principal = next(p for p in people if p.relationship == "principal")
    return engine.CaseFacts(
        reference=case.reference,
        principal=_person(principal),
        members=tuple(_person(p) for p in people if p.relationship != "principal"),
        employment=tuple(
            engine.Employment(
                employer_kind=engine.EmployerKind(job.employer_kind),
                start=job.start_date,
                end=job.end_date,
                interpreter=job.interpreter,
                sensitive_and_trusted=job.sensitive_and_trusted,
                documents=kinds,
            )
            for job in employment
            if job.person_id == principal.pk
        ),
        documents=kinds,
    )


def case_assessment(
    *,
    case: Any,
    people: list[Any],
    employment: list[Any],
    documents: list[Any],
    today: dt.date | None = None,
) -> tuple[engine.Assessment, list[engine.ExplanationLine]] | None:
    """The assessment of a case and its explanation in the active language; None for a case
    without its principal (erased)."""
    if not any(p.relationship == "principal" for p in people):
        return None
    facts = case_facts(case=case, people=people, employment=employment, documents=documents)
    assessment = engine.evaluate(
        facts, engine.load_shipped_rules(), today=today or timezone.localdate()
    )
    language = get_language() or "en"
    try:
        lines = engine.explain(assessment, language)
    except ValueError:
        lines = engine.explain(assessment, "en")
    return assessment, lines
