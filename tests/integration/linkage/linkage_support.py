"""Households for the duplicate review tests, built with the real case services: one family
entered twice with different spellings, a brother who shares a father, a grandfather and a
phone (never the same person), and an unrelated household."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.management import call_command
from django.test import TestCase

from safepassage.cases import services
from safepassage.cases.models import Case, Person
from safepassage.engine.dates import PartialDate
from safepassage.linkage.models import LinkageRun, MatchProposal


def run_jobs() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def open_household(
    org: Any, actor: Any, principal: dict[str, Any], *members: dict[str, Any]
) -> Case:
    case = services.case_open(
        actor=actor, organization=org, channel="staff", program="siv", principal=principal
    )
    for member in members:
        services.person_add(actor=actor, case=case, data=member)
    return case


ZABIHULLAH = {
    "sex": "male",
    "given_name_latin": "Zabihullah",
    "father_name_latin": "Abdul Ghafoor",
    "grandfather_name_latin": "Ghulam Hazrat",
    "given_name_arabic": "ذبیح الله",
    "birth_date": PartialDate(1986, 3, 21),
    "phone": "0701234567",
}
ZABIULLAH = {  # the same man, entered again by a partner with other spellings
    "sex": "male",
    "given_name_latin": "Zabiullah",
    "father_name_latin": "Abdulghafoor",
    "grandfather_name_latin": "Gholam Hazrat",
    "birth_date": PartialDate(1986),
    "phone": "+93 70 123 4567",
}
RAHIMULLAH = {  # his brother: same father, grandfather and phone, another man
    "sex": "male",
    "given_name_latin": "Rahimullah",
    "father_name_latin": "Abdul Ghafoor",
    "grandfather_name_latin": "Ghulam Hazrat",
    "birth_date": PartialDate(1990),
    "phone": "0701234567",
}
AHMAD_SHAH = {
    "sex": "male",
    "given_name_latin": "Ahmad Shah",
    "father_name_latin": "Mohammad Nabi",
    "grandfather_name_latin": "Sher Ali",
    "birth_date": PartialDate(1975, 5, 2),
    "phone": "0799999999",
}


@dataclass
class Households:
    first: Case
    again: Case
    brother: Case
    unrelated: Case

    def person(self, case: Case) -> Person:
        return case.people.get(relationship="principal")


def households(org: Any, actor: Any) -> Households:
    return Households(
        first=open_household(org, actor, ZABIHULLAH),
        again=open_household(org, actor, ZABIULLAH),
        brother=open_household(org, actor, RAHIMULLAH),
        unrelated=open_household(org, actor, AHMAD_SHAH),
    )


def search(org: Any, actor: Any) -> LinkageRun:
    """A duplicate search started as a supervisor would and run by the worker."""
    from safepassage.linkage.services import linkage_run_start

    with TestCase.captureOnCommitCallbacks(execute=True):
        run = linkage_run_start(actor=actor, organization=org)
    run_jobs()
    run.refresh_from_db()
    return run


def proposal_between(first: Person, second: Person) -> MatchProposal:
    left, right = sorted([first, second], key=lambda person: str(person.pk))
    return MatchProposal.objects.get(left_person=left, right_person=right)
