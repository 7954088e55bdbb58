"""The adapter between stored people and the linkage engine: person rows read in batches of
cases (their data keys unwrapped together), decrypted in memory and turned into
:class:`~safepassage.engine.linkage.PersonRecord` values. Nothing is written anywhere."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence

from safepassage.cases.models import Case, Person, Sex, TazkiraKind
from safepassage.engine.linkage import PersonRecord
from safepassage.protection import keys

READ_BATCH_CASES = 500
"""Cases read per query: their data keys are unwrapped in one call to the key store."""


def person_record(person: Person) -> PersonRecord:
    """The linkage view of one stored person (decrypts their fields)."""
    tazkira: str | tuple[str, str, str] = ""
    if person.tazkira_kind == TazkiraKind.ELECTRONIC:
        tazkira = person.tazkira_number or ""
    elif person.tazkira_kind == TazkiraKind.PAPER:
        tazkira = (
            person.tazkira_volume or "",
            person.tazkira_page or "",
            person.tazkira_registration or "",
        )
    return PersonRecord(
        record_id=str(person.pk),
        household_id=str(person.case_id),
        given_name_latin=person.given_name_latin or "",
        father_name_latin=person.father_name_latin or "",
        grandfather_name_latin=person.grandfather_name_latin or "",
        family_name_latin=person.family_name_latin or "",
        given_name_arabic=person.given_name_arabic or "",
        father_name_arabic=person.father_name_arabic or "",
        grandfather_name_arabic=person.grandfather_name_arabic or "",
        family_name_arabic=person.family_name_arabic or "",
        sex="" if person.sex == Sex.UNKNOWN else person.sex,
        birth_date=person.birth_date,
        birth_province=person.birth_province,
        tazkira=tazkira,
        passport=person.passport_number or "",
        phone=person.phone or "",
        relationship=person.relationship,
    )


def live_case_ids(organization_ids: Sequence[int]) -> list[uuid.UUID]:
    """The cases (not erased) of these organisations, in a stable order."""
    return list(
        Case.objects.filter(organization_id__in=organization_ids, erased_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def records_of_cases(
    case_ids: Sequence[uuid.UUID],
    *,
    batch_cases: int = READ_BATCH_CASES,
    progress: Callable[[int], None] | None = None,
) -> Iterator[PersonRecord]:
    """Every person of ``case_ids`` as a linkage record, a batch of cases at a time;
    ``progress`` is told the number of people read after each batch."""
    read = 0
    for start in range(0, len(case_ids), batch_cases):
        batch = case_ids[start : start + batch_cases]
        keys.load_scopes(batch)
        people = Person.objects.filter(case_id__in=batch).order_by("case_id", "created_at", "pk")
        for person in people.iterator(chunk_size=2000):
            read += 1
            yield person_record(person)
        if progress is not None:
            progress(read)
