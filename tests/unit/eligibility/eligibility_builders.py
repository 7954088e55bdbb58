"""Small builders for eligibility test cases: readable dates, jobs, people and cases with the
usual complete document set, so each test states only what matters to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pytest

from safepassage.engine.dates import Calendar, PartialDate, parse_partial_date
from safepassage.engine.eligibility import (
    CaseFacts,
    Employment,
    Outcome,
    Person,
    Referral,
    Relationship,
)

TODAY = dt.date(2025, 6, 1)
# Everything a COM package needs besides the per-employer HR letter.
FULL_DOCUMENTS = frozenset({"recommendation", "tazkira", "threat_evidence"})


def d(text: str) -> dt.date:
    """An exact Gregorian date from ISO text."""
    return dt.date.fromisoformat(text)


def pd(text: str, calendar: Calendar = Calendar.GREGORIAN) -> PartialDate:
    """A partial date from text: "2019", "2019-03", "2019-03-01", "~2019-03", "1397-01-01"."""
    return parse_partial_date(text, calendar)


def sh(text: str) -> PartialDate:
    return pd(text, Calendar.SOLAR_HIJRI)


def job(
    start: str | PartialDate | None = "2010-01-01",
    end: str | PartialDate | None = "2011-12-31",
    *,
    kind: str = "us_military",
    interpreter: bool | None = False,
    trusted: bool | None = False,
    documents: Iterable[str] = ("hr_letter",),
) -> Employment:
    return Employment(
        employer_kind=kind,  # type: ignore[arg-type]
        start=pd(start) if isinstance(start, str) else start,
        end=pd(end) if isinstance(end, str) else end,
        interpreter=interpreter,
        sensitive_and_trusted=trusted,
        documents=frozenset(documents),
    )


def member(
    relationship: str,
    birth: str | PartialDate | None = None,
    *,
    married: bool | None = False,
    location: str | None = "PK",
    deceased: bool = False,
) -> Person:
    status = None if married is None else ("married" if married else "single")
    return Person(
        relationship=Relationship(relationship),
        birth=pd(birth) if isinstance(birth, str) else birth,
        marital_status=status,  # type: ignore[arg-type]
        location=location,
        deceased=deceased,
    )


def case(
    *,
    jobs: Iterable[Employment] = (),
    com: str | None = None,
    petition: str | None = None,
    documents: Iterable[str] = FULL_DOCUMENTS,
    threat: bool | None = True,
    national: bool | None = True,
    location: str | None = "PK",
    deceased: bool = False,
    members: Iterable[Person] = (),
    referrals: Iterable[Referral] = (),
    reference: str | None = None,
) -> CaseFacts:
    return CaseFacts(
        principal=Person(
            relationship=Relationship.PRINCIPAL,
            afghan_national=national,
            location=location,
            deceased=deceased,
        ),
        members=tuple(members),
        employment=tuple(jobs),
        documents=frozenset(documents),
        com_application_date=d(com) if com else None,
        petition_filing_date=d(petition) if petition else None,
        threat_reported=threat,
        referrals=tuple(referrals),
        reference=reference,
    )


def referral(program: str, referrer: str | None, on: str | None = "2021-09-01") -> Referral:
    return Referral(program, referrer, d(on) if on else None)  # type: ignore[arg-type]


E = Outcome.ELIGIBLE
PENDING = Outcome.ELIGIBLE_PENDING_DOCUMENTS
NO = Outcome.NOT_ELIGIBLE
UNSURE = Outcome.UNDETERMINED


@dataclass(frozen=True)
class Row:
    facts: CaseFacts
    outcome: Outcome
    program: str = "siv"
    version: str | None = None
    criteria: Mapping[str, str] = field(default_factory=dict)
    variants: Mapping[str, str] = field(default_factory=dict)
    missing: tuple[tuple[str | int, ...], ...] = ()
    member: int | None = None  # outcome and criteria are this family member's
    flags: tuple[str, ...] = ()
    today: dt.date = TODAY


def row(name: str, *args: object, **kwargs: object) -> object:
    return pytest.param(Row(*args, **kwargs), id=name)  # type: ignore[arg-type]
