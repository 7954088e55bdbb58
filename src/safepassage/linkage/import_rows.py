"""One spreadsheet row read as a person (and their work, if given) and checked with the staff
forms' validation (``Person.full_clean`` and ``Employment.full_clean``, i.e.
:mod:`safepassage.cases.validation`): the values the case services will receive, or the
errors by column in the reader's language. Nothing is saved here."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safepassage.cases.models import EmployerKind, Employment, Person, Relationship, Sex
from safepassage.cases.validation import message_for
from safepassage.engine.dates import Calendar, PartialDate, PartialDateError, parse_partial_date
from safepassage.engine.linkage import PersonRecord
from safepassage.engine.places import place_names, provinces

RELATIONSHIPS: dict[str, str] = {
    "principal": Relationship.PRINCIPAL,
    "principal applicant": Relationship.PRINCIPAL,
    "applicant": Relationship.PRINCIPAL,
    "head": Relationship.PRINCIPAL,
    "head of household": Relationship.PRINCIPAL,
    "self": Relationship.PRINCIPAL,
    "spouse": Relationship.SPOUSE,
    "wife": Relationship.SPOUSE,
    "husband": Relationship.SPOUSE,
    "child": Relationship.CHILD,
    "son": Relationship.CHILD,
    "daughter": Relationship.CHILD,
    "parent": Relationship.PARENT,
    "father": Relationship.PARENT,
    "mother": Relationship.PARENT,
    "sibling": Relationship.SIBLING,
    "brother": Relationship.SIBLING,
    "sister": Relationship.SIBLING,
    "other": Relationship.OTHER,
    "other relative": Relationship.OTHER,
}
SEXES = {"male": Sex.MALE, "m": Sex.MALE, "female": Sex.FEMALE, "f": Sex.FEMALE, "": Sex.UNKNOWN}
CALENDARS = {
    "solar hijri": Calendar.SOLAR_HIJRI,
    "solar_hijri": Calendar.SOLAR_HIJRI,
    "shamsi": Calendar.SOLAR_HIJRI,
    "hijri shamsi": Calendar.SOLAR_HIJRI,
    "gregorian": Calendar.GREGORIAN,
    "miladi": Calendar.GREGORIAN,
}
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
LATEST_SOLAR_HIJRI_YEAR = 1700
"""Solar Hijri years stop at 1580 and Gregorian ones start at 1850 (``PartialDate``): a year
below this is Solar Hijri when the file does not say."""

FILE_HOUSEHOLD = "import:"
"""Prefix of a file row's household in linkage records (a stored household is a case id)."""

PERSON_COLUMNS = {
    "given_name_latin": "given_name",
    "father_name_latin": "father_name",
    "grandfather_name_latin": "grandfather_name",
    "family_name_latin": "family_name",
    "given_name_arabic": "given_name_dari",
    "father_name_arabic": "father_name_dari",
    "grandfather_name_arabic": "grandfather_name_dari",
    "family_name_arabic": "family_name_dari",
    "phone": "phone",
    "passport_number": "passport",
    "tazkira_number": "tazkira",
    "tazkira_volume": "tazkira",
    "tazkira_page": "tazkira",
    "tazkira_registration": "tazkira",
    "birth_date": "birth_date",
    "birth_province": "province",
    "birth_district": "district",
    "sex": "sex",
    "relationship": "relationship",
}
"""Which file column each person field came from, to put an error beside the right column."""
EMPLOYMENT_COLUMNS = {
    "employer_name": "employer",
    "employer_kind": "employer_kind",
    "role": "job_title",
    "start_date": "employment_start",
    "end_date": "employment_end",
}


@dataclass
class CheckedRow:
    """A row's person values (``cases.models.PERSON_FIELDS``), its work values (empty when no
    employer is given), and its errors as (column, message)."""

    number: int
    household: str
    person: dict[str, Any] = field(default_factory=dict)
    employment: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    def error(self, column: str, message: Any) -> None:
        self.errors.append((column, str(message)))


def _fold(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


def _date(row: CheckedRow, column: str, text: str, calendar_text: str) -> PartialDate | None:
    if not text:
        return None
    calendar = CALENDARS.get(_fold(calendar_text).replace(" ", "_")) or CALENDARS.get(
        _fold(calendar_text)
    )
    if calendar is None:
        digits = "".join(ch for ch in text if ch.isdigit())
        year = int(digits[:4]) if len(digits) >= 4 else 0
        calendar = (
            Calendar.SOLAR_HIJRI if 0 < year < LATEST_SOLAR_HIJRI_YEAR else Calendar.GREGORIAN
        )
    try:
        return parse_partial_date(text, calendar)
    except PartialDateError as exc:
        row.error(column, message_for(exc.code))
        return None


@functools.cache
def _places() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Folded place name and kind -> (code, province code) of every place so named."""
    table: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for place in place_names():
        table.setdefault((_fold(place.text), str(place.kind)), []).append(
            (place.code, place.province_code)
        )
    return table


def _province(row: CheckedRow, text: str) -> str:
    if not text:
        return ""
    if text.upper() in provinces():
        return text.upper()
    found = _places().get((_fold(text), "province"))
    if not found:
        row.error("province", message_for("unknown_province"))
        return ""
    return found[0][0]


def _district(row: CheckedRow, text: str, province: str) -> str:
    if not text:
        return ""
    found = [
        code
        for code, province_code in _places().get((_fold(text), "district"), [])
        if not province or province_code == province
    ]
    if len(found) != 1:
        row.error("district", message_for("district_not_in_province"))
        return ""
    return found[0]


def _tazkira(text: str) -> dict[str, str]:
    if not text:
        return {"tazkira_kind": ""}
    if "/" in text:
        parts = [part.strip() for part in text.split("/")]
        parts += [""] * (3 - len(parts))
        return {
            "tazkira_kind": "paper",
            "tazkira_volume": parts[0],
            "tazkira_page": parts[1],
            "tazkira_registration": "/".join(parts[2:]).strip("/"),
        }
    return {"tazkira_kind": "electronic", "tazkira_number": text}


def _collect(row: CheckedRow, error: ValidationError, columns: dict[str, str]) -> None:
    for field_name, messages in error.message_dict.items():
        column = columns.get(field_name, "given_name")
        for message in messages:
            if (column, str(message)) not in row.errors:
                row.error(column, message)


def check_row(number: int, cells: dict[str, str]) -> CheckedRow:
    """Read and validate one row. Every problem is reported (not only the first)."""
    row = CheckedRow(number=number, household=cells.get("household", "").strip())
    if not row.household:
        row.error("household", _("Give the household key: the same value for one family."))
    relationship = RELATIONSHIPS.get(_fold(cells.get("relationship", "")))
    if relationship is None:
        row.error(
            "relationship",
            _("Write principal, spouse, child, parent, sibling or other."),
        )
    sex = SEXES.get(_fold(cells.get("sex", "")))
    if sex is None:
        row.error("sex", _("Write male or female, or leave it empty."))
    province = _province(row, cells.get("province", ""))
    person: dict[str, Any] = {
        "relationship": relationship or Relationship.OTHER,
        "sex": sex or Sex.UNKNOWN,
        "given_name_latin": cells.get("given_name", ""),
        "father_name_latin": cells.get("father_name", ""),
        "grandfather_name_latin": cells.get("grandfather_name", ""),
        "family_name_latin": cells.get("family_name", ""),
        "given_name_arabic": cells.get("given_name_dari", ""),
        "father_name_arabic": cells.get("father_name_dari", ""),
        "grandfather_name_arabic": cells.get("grandfather_name_dari", ""),
        "family_name_arabic": cells.get("family_name_dari", ""),
        "birth_date": _date(
            row, "birth_date", cells.get("birth_date", ""), cells.get("calendar", "")
        ),
        "birth_province": province,
        "birth_district": _district(row, cells.get("district", ""), province),
        "phone": cells.get("phone", ""),
        "passport_number": cells.get("passport", ""),
        **_tazkira(cells.get("tazkira", "")),
    }
    candidate = Person(**person)
    try:
        candidate.full_clean(exclude=["case"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        _collect(row, exc, PERSON_COLUMNS)
    # The model's validation normalises phones, passports and tazkira numbers in place.
    row.person = {name: getattr(candidate, name) for name in person}
    row.person = {name: value for name, value in row.person.items() if value not in (None, "")}
    row.person.setdefault("relationship", person["relationship"])
    row.employment = _employment(row, cells)
    return row


def _employment(row: CheckedRow, cells: dict[str, str]) -> dict[str, Any]:
    employer = cells.get("employer", "")
    if not employer:
        return {}
    kind_text = _fold(cells.get("employer_kind", "")).replace(" ", "_")
    kind = kind_text if kind_text in EmployerKind.values else None
    if kind is None:
        row.error("employer_kind", _("Write one of the kinds of employer listed in the template."))
    interpreter = _fold(cells.get("interpreter", ""))
    if interpreter not in YES | NO:
        row.error("interpreter", _("Write yes or no."))
    data: dict[str, Any] = {
        "employer_name": employer,
        "employer_kind": kind or EmployerKind.OTHER,
        "role": cells.get("job_title", ""),
        "interpreter": interpreter in YES,
        "start_date": _date(
            row, "employment_start", cells.get("employment_start", ""), cells.get("calendar", "")
        ),
        "end_date": _date(
            row, "employment_end", cells.get("employment_end", ""), cells.get("calendar", "")
        ),
    }
    candidate = Employment(**data)
    try:
        candidate.full_clean(
            exclude=["case", "person"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        _collect(row, exc, EMPLOYMENT_COLUMNS)
    return {name: value for name, value in data.items() if value not in (None, "")}


def check_households(rows: list[CheckedRow]) -> None:
    """Each household needs exactly one principal: otherwise every row of it gets the error."""
    principals: dict[str, int] = {}
    for row in rows:
        if row.household and row.person.get("relationship") == Relationship.PRINCIPAL:
            principals[row.household] = principals.get(row.household, 0) + 1
    for row in rows:
        if not row.household:
            continue
        count = principals.get(row.household, 0)
        if count == 0:
            row.error("relationship", _("This household has no principal applicant."))
        elif count > 1:
            row.error("relationship", _("This household has more than one principal applicant."))


def row_record(row: CheckedRow, record_id: str) -> PersonRecord:
    """The row as the linkage engine compares it (its household is the file's key)."""
    from safepassage.linkage.records import person_record

    record = person_record(Person(**row.person))
    return dataclasses.replace(record, record_id=record_id, household_id=f"import:{row.household}")
