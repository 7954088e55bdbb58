"""Households and events for the priority tests, built with the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management import call_command
from django.utils import timezone
from tests.conftest import sample_pdf

from safepassage.cases import services
from safepassage.cases.household import case_household_set
from safepassage.cases.models import Case
from safepassage.engine.dates import PartialDate
from safepassage.engine.places import districts

PRINCIPAL = {
    "sex": "male",
    "given_name_latin": "Zabihullah",
    "father_name_latin": "Abdul Ghafoor",
    "birth_date": PartialDate(1986),
    "phone": "0701234567",
}


def district_code(name: str, province: str) -> str:
    return next(
        d.code for d in districts().values() if d.name_en == name and d.province_code == province
    )


LASHKAR_GAH = district_code("Lashkar Gah", "AF-HEL")
NAD_ALI = district_code("Nad Ali", "AF-HEL")
KABUL = district_code("Kabul", "AF-KAB")
PAGHMAN = district_code("Paghman", "AF-KAB")
NAHRI_SHAHI = district_code("Nahri Shahi", "AF-BAL")


def household(
    org: Any,
    actor: Any,
    *,
    district: str = "",
    categories: tuple[str, ...] = (),
    interpreter: bool = False,
    employer_kind: str = "us_based_ngo",
    children_born: tuple[int, ...] = (),
    threat_documents: int = 0,
    medical_needs: bool = False,
    sex: str = "male",
) -> Case:
    case = services.case_open(
        actor=actor,
        organization=org,
        channel="staff",
        program="siv",
        principal={**PRINCIPAL, "sex": sex},
    )
    principal = case.people.get()
    services.employment_add(
        actor=actor,
        case=case,
        person=principal,
        data={
            "employer_name": "Employer",
            "employer_kind": employer_kind,
            "role": "Role",
            "interpreter": interpreter,
            "start_date": PartialDate(2012),
            "end_date": PartialDate(2016),
        },
    )
    for year in children_born:
        services.person_add(
            actor=actor,
            case=case,
            data={"relationship": "child", "sex": "female", "given_name_latin": "Maryam",
                  "birth_date": PartialDate(year)},
        )  # fmt: skip
    for number in range(threat_documents):
        services.document_attach(
            actor=actor,
            case=case,
            kind="threat_evidence",
            content=sample_pdf(f"night letter {number}"),
            original_name=f"letter-{number}.pdf",
        )
    province = districts()[district].province_code if district else ""
    case_household_set(
        actor=actor,
        case=case,
        data={
            "current_province": province,
            "current_district": district,
            "threat_categories": list(categories),
            "medical_needs": medical_needs,
        },
    )
    return case


def incident(org: Any, actor: Any, district: str, *, kind: str = "targeted_killing",
             day: dt.date | None = None, affiliates: bool = True) -> Any:  # fmt: skip
    from safepassage.threat.services import incident_record

    return incident_record(
        actor=actor,
        organization=org,
        day=day or timezone.localdate(),
        province=districts()[district].province_code,
        district=district,
        kind=kind,
        targets_affiliates=affiliates,
    )


def run_jobs() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
