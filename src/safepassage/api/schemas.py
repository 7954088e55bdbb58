"""Shapes of the API's requests and responses."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field, field_validator

from safepassage.engine.dates import Calendar, PartialDate, PartialDateError


class PartialDateSchema(Schema):
    year: int
    month: int | None = None
    day: int | None = None
    calendar: Calendar = Calendar.GREGORIAN
    approximate: bool = False

    def to_partial_date(self) -> PartialDate:
        return PartialDate(
            year=self.year,
            month=self.month,
            day=self.day,
            calendar=self.calendar,
            approximate=self.approximate,
        )

    @classmethod
    def of(cls, value: PartialDate | None) -> PartialDateSchema | None:
        if value is None:
            return None
        return cls(
            year=value.year,
            month=value.month,
            day=value.day,
            calendar=value.calendar,
            approximate=value.approximate,
        )


def partial_date_or_error(value: PartialDateSchema | None) -> PartialDate | None:
    if value is None:
        return None
    try:
        return value.to_partial_date()
    except PartialDateError as exc:
        raise ValueError(exc.code) from exc


class PersonFields(Schema):
    sex: str | None = None
    given_name_latin: str | None = Field(None, max_length=100)
    father_name_latin: str | None = Field(None, max_length=100)
    grandfather_name_latin: str | None = Field(None, max_length=100)
    family_name_latin: str | None = Field(None, max_length=100)
    given_name_arabic: str | None = Field(None, max_length=100)
    father_name_arabic: str | None = Field(None, max_length=100)
    grandfather_name_arabic: str | None = Field(None, max_length=100)
    family_name_arabic: str | None = Field(None, max_length=100)
    name_on_passport: str | None = Field(None, max_length=200)
    birth_date: PartialDateSchema | None = None
    birth_province: str | None = None
    birth_district: str | None = None
    tazkira_kind: str | None = None
    tazkira_number: str | None = None
    tazkira_volume: str | None = None
    tazkira_page: str | None = None
    tazkira_registration: str | None = None
    passport_number: str | None = None
    passport_expiry: dt.date | None = None
    phone: str | None = None
    email: str | None = None

    def to_data(self, *, partial: bool) -> dict[str, Any]:
        fields = self.model_fields_set if partial else set(type(self).model_fields)
        data: dict[str, Any] = {}
        for name in fields:
            value = getattr(self, name)
            if name == "birth_date":
                value = partial_date_or_error(value)
            elif value is None and name not in ("passport_expiry",):
                value = ""
            data[name] = value
        return data


class PersonIn(PersonFields):
    relationship: str


class PersonPatch(PersonFields):
    relationship: str | None = None


class PersonOut(Schema):
    id: uuid.UUID
    relationship: str
    sex: str
    given_name_latin: str | None
    father_name_latin: str | None
    grandfather_name_latin: str | None
    family_name_latin: str | None
    given_name_arabic: str | None
    father_name_arabic: str | None
    grandfather_name_arabic: str | None
    family_name_arabic: str | None
    name_on_passport: str | None
    birth_date: PartialDateSchema | None
    birth_province: str
    birth_district: str
    tazkira_kind: str
    tazkira_number: str | None
    tazkira_volume: str | None
    tazkira_page: str | None
    tazkira_registration: str | None
    passport_number: str | None
    passport_expiry: dt.date | None
    phone: str | None
    email: str | None

    @field_validator("birth_date", mode="before")
    @classmethod
    def _birth(cls, value: Any) -> Any:
        return PartialDateSchema.of(value) if isinstance(value, PartialDate) else value


class CaseIn(Schema):
    program: str = "undetermined"
    principal: PersonFields


class CasePatch(Schema):
    program: str | None = None
    assigned_to: int | None = None


class CaseOut(Schema):
    reference: str
    organization: str
    program: str
    channel: str
    stage: str
    assigned_to: int | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.slug)

    @staticmethod
    def resolve_assigned_to(obj: Any) -> int | None:
        return obj.assigned_to_id  # type: ignore[no-any-return]


class StageChangeIn(Schema):
    to_stage: str
    # Required by the pipeline for moves back, withdrawals, closures and reopening.
    reason: str = Field("", max_length=2000)
    effective_on: dt.date | None = Field(
        None, description="The day it happened (the date on the letter); today if left out."
    )


class StageEventOut(Schema):
    id: uuid.UUID
    at: dt.datetime
    actor: int | None
    from_stage: str
    to_stage: str
    reason: str | None
    effective_on: dt.date | None
    backward: bool

    @staticmethod
    def resolve_actor(obj: Any) -> int | None:
        return obj.actor_id  # type: ignore[no-any-return]


class EmploymentFields(Schema):
    employer_name: str | None = Field(None, max_length=200)
    employer_kind: str | None = None
    role: str | None = Field(None, max_length=200)
    interpreter: bool | None = None
    sensitive_and_trusted: bool | None = None
    start_date: PartialDateSchema | None = None
    end_date: PartialDateSchema | None = None
    location_province: str | None = None
    location_detail: str | None = None
    supervisor_name: str | None = None
    supervisor_email: str | None = None
    badge_number: str | None = None
    contract_number: str | None = None

    def to_data(self, *, partial: bool) -> dict[str, Any]:
        fields = self.model_fields_set if partial else set(type(self).model_fields)
        data: dict[str, Any] = {}
        for name in fields:
            value = getattr(self, name)
            if name in ("start_date", "end_date"):
                value = partial_date_or_error(value)
            elif name in ("interpreter", "sensitive_and_trusted"):
                value = bool(value)
            elif value is None:
                value = ""
            data[name] = value
        return data


class EmploymentIn(EmploymentFields):
    person: uuid.UUID
    employer_name: str = Field(..., min_length=1, max_length=200)
    employer_kind: str
    start_date: PartialDateSchema


class EmploymentOut(Schema):
    id: uuid.UUID
    person: uuid.UUID
    employer_name: str | None
    employer_kind: str
    role: str | None
    interpreter: bool
    sensitive_and_trusted: bool
    start_date: PartialDateSchema | None
    end_date: PartialDateSchema | None
    location_province: str
    location_detail: str | None
    supervisor_name: str | None
    supervisor_email: str | None
    badge_number: str | None
    contract_number: str | None

    @staticmethod
    def resolve_person(obj: Any) -> uuid.UUID:
        return obj.person_id  # type: ignore[no-any-return]

    @field_validator("start_date", "end_date", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> Any:
        return PartialDateSchema.of(value) if isinstance(value, PartialDate) else value


class DocumentOut(Schema):
    id: uuid.UUID
    kind: str
    person: uuid.UUID | None
    original_name: str | None
    size_bytes: int
    content_type: str
    sha256: str
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_person(obj: Any) -> uuid.UUID | None:
        return obj.person_id  # type: ignore[no-any-return]


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=10000)


class NoteOut(Schema):
    id: uuid.UUID
    created_at: dt.datetime
    author: int | None
    text: str | None

    @staticmethod
    def resolve_author(obj: Any) -> int | None:
        return obj.author_id  # type: ignore[no-any-return]


class CaseDetailOut(CaseOut):
    people: list[PersonOut]
    employment: list[EmploymentOut]
    documents: list[DocumentOut]
    stage_events: list[StageEventOut]
    notes: list[NoteOut]


class PersonSearchIn(Schema):
    tazkira: str = Field("", max_length=40)
    passport: str = Field("", max_length=20)
    phone: str = Field("", max_length=30)
    name: str = Field("", max_length=100)
    father_name: str = Field("", max_length=100)


class PersonFoundOut(Schema):
    case: str
    person: PersonOut
