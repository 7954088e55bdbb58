"""Building cases whose eligibility is known, and running queued background jobs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management import call_command
from tests.conftest import sample_pdf

from safepassage.cases import services as case_services
from safepassage.cases.models import Case, StageEvent
from safepassage.core.models import Organization, Role
from safepassage.core.services import membership_grant, user_create
from safepassage.engine.dates import PartialDate
from safepassage.engine.eligibility import read_shipped_rule_file

PASSWORD = "correct horse battery staple"
ALL_SIV_DOCUMENTS = ("hr_letter", "recommendation", "tazkira", "threat_evidence")

# The two-year rule of the shipped SIV file (COM applications from October 2015 to July
# 2021), as it stands and lowered to one year.
TWO_YEARS = "minimum_service_days = 730\nwindow_end = 2020-12-31"
ONE_YEAR = "minimum_service_days = 365\nwindow_end = 2020-12-31"


def siv_text_with_one_year_rule() -> str:
    text = read_shipped_rule_file("siv_602b.toml")
    assert text.count(TWO_YEARS) == 1
    return text.replace(TWO_YEARS, ONE_YEAR)


def member(org: Organization, username: str, role: Role) -> Any:
    user = user_create(username=username, password=PASSWORD)
    membership_grant(actor=None, organization=org, user=user, role=role)
    return user


def siv_case(
    org: Organization,
    *,
    service_days: int,
    documents: tuple[str, ...] = ALL_SIV_DOCUMENTS,
    com_submitted_on: dt.date | None = dt.date(2018, 6, 1),
) -> Case:
    """A principal with ``service_days`` of US military service from 1 January 2016, the
    given documents on file, and (by default) a COM application made on 1 June 2018, when
    the two-year rule was in force."""
    case = case_services.case_open(
        actor=None,
        organization=org,
        channel="staff",
        program="siv",
        principal={
            "sex": "male",
            "given_name_latin": "Test",
            "birth_date": PartialDate(1985, 3, 1),
            "tazkira_kind": "electronic",
            "tazkira_number": "1399-0101-12345",
        },
    )
    start = dt.date(2016, 1, 1)
    end = start + dt.timedelta(days=service_days - 1)
    principal = case.people.get()
    case_services.employment_add(
        actor=None,
        case=case,
        person=principal,
        data={
            "employer_name": "Task Force",
            "employer_kind": "us_military",
            "start_date": PartialDate(start.year, start.month, start.day),
            "end_date": PartialDate(end.year, end.month, end.day),
        },
    )
    for kind in documents:
        case_services.document_attach(
            actor=None, case=case, kind=kind, content=sample_pdf(kind), original_name=f"{kind}.pdf"
        )
    if com_submitted_on is not None:
        # The day the COM package was sent, as the pipeline records it (the stage guards
        # are not what these tests are about).
        StageEvent.objects.create(
            case=case,
            from_stage=case.stage,
            to_stage="com_submitted",
            reason="sent",
            effective_on=com_submitted_on,
        )
    return case


def run_queued_tasks() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
