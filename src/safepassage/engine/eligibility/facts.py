"""The facts of one case as the eligibility engine reads them: people, employment, documents,
dates and referrals, as frozen dataclasses of plain values.

The calling app's services build these from its rows; nothing here knows about storage. Values
that are not known are ``None`` and stay unknown: the evaluator answers UNDETERMINED rather
than guess. Construction checks what can be checked without rules (kinds, impossible date
orders) and raises :class:`FactsError` with a stable code and never the refused value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from safepassage.engine.dates import PartialDate

__all__ = [
    "DATE_FIELDS",
    "DOCUMENT_KINDS",
    "WRITTEN_EXPLANATION_PREFIX",
    "CaseFacts",
    "EmployerKind",
    "Employment",
    "FactsError",
    "MaritalStatus",
    "Person",
    "Referral",
    "ReferrerKind",
    "Relationship",
    "Role",
    "Sex",
    "written_explanation_for",
]


class FactsError(ValueError):
    """Case facts that cannot be right. ``code`` is stable; the refused value is never
    included."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class EmployerKind(StrEnum):
    US_GOVERNMENT_AGENCY = "us_government_agency"
    US_MILITARY = "us_military"
    US_GOVERNMENT_CONTRACTOR = "us_government_contractor"
    ISAF_MEMBER_FORCE = "isaf_member_force"  # ISAF and its successor, Resolute Support
    US_FUNDED_GRANTEE = "us_funded_grantee"  # grant or cooperative agreement
    US_BASED_MEDIA = "us_based_media"
    US_BASED_NGO = "us_based_ngo"
    OTHER = "other"


class Role(StrEnum):
    """Duties a rule may require for some employers (ISAF: interpreter off-base, or sensitive
    and trusted activities for US forces)."""

    INTERPRETER = "interpreter"
    SENSITIVE_AND_TRUSTED = "sensitive_and_trusted"


class Relationship(StrEnum):
    PRINCIPAL = "principal"
    SPOUSE = "spouse"
    CHILD = "child"
    CHILD_SPOUSE = "child_spouse"  # a child's husband or wife
    GRANDCHILD = "grandchild"  # a child's child
    PARENT = "parent"
    SIBLING = "sibling"
    OTHER = "other"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class MaritalStatus(StrEnum):
    SINGLE = "single"
    MARRIED = "married"
    WIDOWED = "widowed"
    DIVORCED = "divorced"

    @property
    def is_married(self) -> bool:
        return self is MaritalStatus.MARRIED


class ReferrerKind(StrEnum):
    """Who made a P-1 or P-2 referral."""

    US_GOVERNMENT_AGENCY = "us_government_agency"
    US_MILITARY = "us_military"
    # The senior-most US-citizen employee of a US-based media organisation or NGO.
    ORGANISATION_SENIOR_US_CITIZEN = "organisation_senior_us_citizen"
    UNHCR = "unhcr"
    US_EMBASSY = "us_embassy"
    DESIGNATED_NGO = "designated_ngo"
    SELF = "self"


DOCUMENT_KINDS: Final = frozenset(
    {
        "tazkira",
        "passport",
        "hr_letter",
        "recommendation",
        "badge",
        "contract",
        "threat_evidence",
        "com_approval",
    }
)
# A missing document may be replaced by a written explanation of why it is unavailable.
WRITTEN_EXPLANATION_PREFIX: Final = "written_explanation_for:"


def written_explanation_for(kind: str) -> str:
    """The document kind recording a written explanation that ``kind`` is unavailable."""
    return WRITTEN_EXPLANATION_PREFIX + kind


def _check_documents(documents: Iterable[str]) -> frozenset[str]:
    kinds = frozenset(documents)
    for kind in kinds:
        base = kind.removeprefix(WRITTEN_EXPLANATION_PREFIX)
        if base not in DOCUMENT_KINDS:
            raise FactsError("unknown_document_kind")
    return kinds


_AFGHANISTAN: Final = frozenset({"af", "afg", "afghanistan"})


@dataclass(frozen=True, slots=True)
class Employment:
    """One job. ``start`` ``None`` means the start is not known; ``end`` ``None`` means the
    person still works there. Role flags are ``None`` when not known."""

    employer_kind: EmployerKind
    start: PartialDate | None
    end: PartialDate | None = None
    interpreter: bool | None = False
    sensitive_and_trusted: bool | None = False
    # Documents for this employer alone (a separate HR letter per employer, a badge).
    documents: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "employer_kind", EmployerKind(self.employer_kind))
        except ValueError:
            raise FactsError("unknown_employer_kind") from None
        object.__setattr__(self, "documents", _check_documents(self.documents))
        if (
            self.start is not None
            and self.end is not None
            and self.end.gregorian_range()[1] < self.start.gregorian_range()[0]
        ):
            raise FactsError("end_before_start")

    def role(self, role: Role) -> bool | None:
        """Whether the job involved ``role``; ``None`` when not known."""
        return self.interpreter if role is Role.INTERPRETER else self.sensitive_and_trusted


@dataclass(frozen=True, slots=True)
class Person:
    """The principal applicant or a family member.

    ``location`` is where the person is now: an ISO 3166-1 country code, "afghanistan", or
    ``None`` when not known.
    """

    relationship: Relationship
    sex: Sex | None = None
    birth: PartialDate | None = None
    marital_status: MaritalStatus | None = None
    location: str | None = None
    afghan_national: bool | None = None
    deceased: bool = False

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "relationship", Relationship(self.relationship))
            if self.sex is not None:
                object.__setattr__(self, "sex", Sex(self.sex))
            if self.marital_status is not None:
                object.__setattr__(self, "marital_status", MaritalStatus(self.marital_status))
        except ValueError:
            raise FactsError("unknown_person_value") from None
        if self.location is not None and self.location.strip().casefold() in {"", "unknown"}:
            object.__setattr__(self, "location", None)

    @property
    def in_afghanistan(self) -> bool | None:
        """True in Afghanistan, False elsewhere, ``None`` when the location is unknown."""
        if self.location is None:
            return None
        return self.location.strip().casefold() in _AFGHANISTAN


@dataclass(frozen=True, slots=True)
class Referral:
    """A referral to a refugee program ("p1" or "p2")."""

    program: str
    referrer_kind: ReferrerKind | None
    referred_on: dt.date | None = None

    def __post_init__(self) -> None:
        if self.referrer_kind is not None:
            try:
                object.__setattr__(self, "referrer_kind", ReferrerKind(self.referrer_kind))
            except ValueError:
                raise FactsError("unknown_referrer_kind") from None


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """Everything the rules may ask about one case.

    ``members`` are the family members (not the principal); outcomes and missing items name
    them by their index in this tuple, and employment by its index in ``employment``.
    ``threat_reported`` is ``None`` when nobody has asked yet.
    """

    principal: Person
    members: tuple[Person, ...] = ()
    employment: tuple[Employment, ...] = ()
    documents: frozenset[str] = field(default_factory=frozenset)
    com_application_date: dt.date | None = None
    petition_filing_date: dt.date | None = None
    threat_reported: bool | None = None
    referrals: tuple[Referral, ...] = ()
    reference: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(self.members))
        object.__setattr__(self, "employment", tuple(self.employment))
        object.__setattr__(self, "referrals", tuple(self.referrals))
        object.__setattr__(self, "documents", _check_documents(self.documents))
        if self.principal.relationship is not Relationship.PRINCIPAL:
            raise FactsError("principal_relationship")
        if any(member.relationship is Relationship.PRINCIPAL for member in self.members):
            raise FactsError("second_principal")

    def referrals_to(self, program: str) -> tuple[Referral, ...]:
        """Referrals to ``program``, earliest first (undated ones last)."""
        chosen = [referral for referral in self.referrals if referral.program == program]
        return tuple(
            sorted(chosen, key=lambda r: (r.referred_on is None, r.referred_on or dt.date.min))
        )

    def date_of(self, name: str, program: str) -> dt.date | None:
        """The case date a rule names ("com_application_date", "petition_filing_date",
        "referral_date" of ``program``); ``None`` while it has not happened."""
        if name == "com_application_date":
            return self.com_application_date
        if name == "petition_filing_date":
            return self.petition_filing_date
        if name == "referral_date":
            dated = [r.referred_on for r in self.referrals_to(program) if r.referred_on]
            return min(dated) if dated else None
        raise FactsError("unknown_date_field")


DATE_FIELDS: Final = frozenset({"com_application_date", "petition_filing_date", "referral_date"})
