"""Bulk loading of generated or imported households through the ORM, in batches.

Each batch is one transaction: a crash mid-load leaves whole households or none. Values are
encrypted by the fields exactly as on a single save; only validation of trusted generated
data is skipped (imports of outside files validate row by row before they get here).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.db import transaction

from safepassage.cases.models import (
    EMPLOYMENT_FIELDS,
    PERSON_FIELDS,
    Case,
    Employment,
    Person,
    StageEvent,
)
from safepassage.core.models import Organization
from safepassage.engine.reference import new_reference
from safepassage.protection import blind_index, keys
from safepassage.protection.audit import audit_record

if TYPE_CHECKING:
    from safepassage.synth import SynthHousehold

# The generator has every written field but these (typed by staff only).
_PERSON_ATTRS = tuple(f for f in PERSON_FIELDS if f != "name_on_passport")
_EMPLOYMENT_ATTRS = tuple(
    f for f in EMPLOYMENT_FIELDS if f not in ("location_detail", "contract_number")
)


@dataclass(frozen=True)
class LoadResult:
    cases: int
    people: int
    employment: int


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _unique_references(count: int) -> list[str]:
    references: set[str] = set()
    while len(references) < count:
        wanted = {new_reference() for _ in range(count - len(references))}
        taken = set(Case.objects.filter(reference__in=wanted).values_list("reference", flat=True))
        references |= wanted - taken
    return list(references)


def households_load(
    *,
    organization: Organization,
    households: Iterable[SynthHousehold],
    batch_size: int = 500,
    assignees: list[Any] | None = None,
) -> LoadResult:
    """Store households as cases of ``organization``; returns how many rows were written."""
    totals = [0, 0, 0]
    for number, batch in enumerate(_batches(households, batch_size)):
        references = _unique_references(len(batch))
        cases: list[Case] = []
        people: list[Person] = []
        jobs: list[Employment] = []
        events: list[StageEvent] = []
        for index, household in enumerate(batch):
            assignee = assignees[index % len(assignees)] if assignees else None
            case = Case(
                organization=organization,
                reference=references[index],
                program=household.program,
                channel=household.channel,
                assigned_to=assignee,
            )
            cases.append(case)
            events.append(StageEvent(case=case, to_stage=case.stage, reason=""))
            principal: Person | None = None
            for synth_person in household.people:
                person = Person(case=case)
                for attr in _PERSON_ATTRS:
                    setattr(person, attr, getattr(synth_person, attr))
                people.append(person)
                if synth_person.relationship == "principal":
                    principal = person
            if principal is None:
                raise ValueError("a household needs a principal applicant")
            for synth_job in household.employment:
                job = Employment(case=case, person=principal)
                for attr in _EMPLOYMENT_ATTRS:
                    setattr(job, attr, getattr(synth_job, attr))
                jobs.append(job)
        keys.prepare_scopes(case.pk for case in cases)
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            Person.objects.bulk_create(people)
            blind_index.index_people(people, replace=False)
            Employment.objects.bulk_create(jobs)
            StageEvent.objects.bulk_create(events)
            audit_record(
                actor=None,
                action="cases.bulk_load",
                target=organization,
                organization_id=organization.pk,
                batch=number,
                cases=len(cases),
                people=len(people),
            )
        totals[0] += len(cases)
        totals[1] += len(people)
        totals[2] += len(jobs)
    return LoadResult(*totals)
