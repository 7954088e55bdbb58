"""The eligibility engine applied to a stored case: turns the case's rows into the engine's
plain facts and returns the assessment with its explanation in the reader's language.

Documents are recorded per case, not per employer, so every employment record sees the
case's documents (an HR letter on file counts for each employer until documents are linked
to the employment they prove).

Facts the case has no field for are taken from what is on file, never guessed: a tazkira (the
Afghan national identity document) makes the principal an Afghan national, threat evidence
on file makes the threat reported; without them both stay unknown. The COM application date
is the day of the first move to "COM application submitted"; referrals to P-1 and P-2 come
from the eligibility app's referral records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from safepassage.engine import eligibility as engine
from safepassage.engine.eligibility.facts import DOCUMENT_KINDS

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


def _principal(row: Any, kinds: frozenset[str]) -> engine.Person:
    has_tazkira = bool(row.tazkira_kind) or "tazkira" in kinds
    return engine.Person(
        relationship=engine.Relationship.PRINCIPAL,
        sex=_SEXES.get(row.sex),
        birth=row.birth_date,
        afghan_national=True if has_tazkira else None,
    )


def com_application_date(stage_events: list[Any]) -> dt.date | None:
    """The day of the first move to "COM application submitted": the day it happened when
    recorded, else the day it was recorded."""
    submitted = [e for e in stage_events if e.to_stage == "com_submitted"]
    if not submitted:
        return None
    first = min(submitted, key=lambda e: e.at)
    return first.effective_on or timezone.localdate(first.at)


def _referral(row: Any) -> engine.Referral:
    return engine.Referral(
        program=row.program,
        referrer_kind=engine.ReferrerKind(row.referrer_kind),
        referred_on=row.referred_on,
    )


def case_facts(
    *,
    case: Any,
    people: list[Any],
    employment: list[Any],
    documents: list[Any],
    stage_events: list[Any] | None = None,
    referrals: list[Any] | None = None,
) -> engine.CaseFacts:
    """``documents`` are rows or plain kinds; ``stage_events`` and ``referrals`` rows."""
    kinds = frozenset(d if isinstance(d, str) else d.kind for d in documents)
    kinds = kinds & DOCUMENT_KINDS
    principal = next(p for p in people if p.relationship == "principal")
    return engine.CaseFacts(
        reference=case.reference,
        principal=_principal(principal, kinds),
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
        com_application_date=com_application_date(stage_events or []),
        threat_reported=True if "threat_evidence" in kinds else None,
        referrals=tuple(_referral(r) for r in referrals or []),
    )


def case_assessment(
    *,
    case: Any,
    people: list[Any],
    employment: list[Any],
    documents: list[Any],
    stage_events: list[Any] | None = None,
    referrals: list[Any] | None = None,
    today: dt.date | None = None,
) -> tuple[engine.Assessment, list[engine.ExplanationLine]] | None:
    """The assessment of a case under the published rules and its explanation in the active
    language; None for a case without its principal (erased)."""
    from safepassage.eligibility.rulebook import published_rules

    if not any(p.relationship == "principal" for p in people):
        return None
    facts = case_facts(
        case=case,
        people=people,
        employment=employment,
        documents=documents,
        stage_events=stage_events,
        referrals=referrals,
    )
    assessment = engine.evaluate(
        facts, published_rules().rules, today=today or timezone.localdate()
    )
    language = get_language() or "en"
    try:
        lines = engine.explain(assessment, language)
    except ValueError:
        lines = engine.explain(assessment, "en")
    return assessment, lines
