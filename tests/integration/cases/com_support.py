"""Helpers of the DS-157 and COM package tests: a case as the NVC needs it, built with the
real services, and the DS-157 answers of a complete form."""

from __future__ import annotations

from typing import Any

from tests.conftest import sample_jpeg, sample_pdf

from safepassage.cases import services
from safepassage.cases.ds157 import ds157_save
from safepassage.cases.models import Case, Document
from safepassage.engine.dates import Calendar, PartialDate

PASSPORT_NAME = "ZABIHULLAH NOORZAI"
GIVEN_NAME = "Zabihullah"
FATHER_NAME = "Ghulam Hazrat"
ADDRESS = "House 12, Street 4, Karte Char, Kabul"
CLAN = "Noorzai"

COMPLETE_ANSWERS: dict[str, Any] = {
    "other_names_answer": "yes",
    "other_names": ["Zabiullah Noorzai"],
    "current_address": ADDRESS,
    "previous_addresses": ["Lashkar Gah, Helmand"],
    "travel_answer": "yes",
    "countries_visited": [
        {"country": "Pakistan", "from_date": "2022-01", "to_date": "2022-02", "purpose": "family"}
    ],
    "organizations_answer": "no",
    "organizations": [],
    "skills_firearms": "yes",
    "skills_explosives": "no",
    "skills_nbc": "no",
    "skills_explanation": "Weapons handling course with the Afghan National Army, 2008.",
    "military_answer": "yes",
    "military_service": [
        {
            "country": "Afghanistan",
            "branch": "Afghan National Army",
            "rank": "Sergeant",
            "specialty": "Infantry",
            "from_date": "2006-03",
            "to_date": "2009-05",
        }
    ],
    "clan_tribe_answer": "yes",
    "clan_tribe": CLAN,
    "languages": ["Pashto", "Dari", "English"],
    "education_answer": "yes",
    "education": [
        {
            "institution": "Kabul University",
            "address": "Jamal Mina, Kabul",
            "course": "English literature",
            "from_date": "2002",
            "to_date": "2005",
        }
    ],
}


def open_siv_case(org: Any, actor: Any) -> Case:
    """A case whose principal has what the DS-157 takes from the case, with one employment."""
    case = services.case_open(
        actor=actor,
        organization=org,
        channel="staff",
        program="siv",
        principal={
            "given_name_latin": GIVEN_NAME,
            "father_name_latin": FATHER_NAME,
            "name_on_passport": PASSPORT_NAME,
            "sex": "male",
            "birth_date": PartialDate(1988, 3, 21, Calendar.GREGORIAN),
            "birth_province": "AF-HEL",
            "passport_number": "P01234567",
        },
    )
    principal = case.people.get(relationship="principal")
    services.employment_add(
        actor=actor,
        case=case,
        person=principal,
        data={
            "employer_name": "US Army, Task Force Helmand",
            "employer_kind": "us_military",
            "role": "Interpreter",
            "interpreter": True,
            "start_date": PartialDate(2010, 1, 1, Calendar.GREGORIAN),
            "end_date": PartialDate(2013, 6, 30, Calendar.GREGORIAN),
            "supervisor_name": "Capt. John Miller",
        },
    )
    return case


def fill_ds157(case: Case, actor: Any) -> None:
    ds157_save(actor=actor, case=case, data=COMPLETE_ANSWERS)


def attach_documents(case: Case, actor: Any) -> list[Document]:
    """HR letter, recommendation and passport of the principal, a badge photo of the case,
    and a family member's tazkira and a photo (those two stay out of the package)."""
    principal = case.people.get(relationship="principal")
    child = services.person_add(
        actor=actor, case=case, data={"relationship": "child", "given_name_latin": "Wahid"}
    )

    def attach(kind: str, content: bytes, name: str, person: Any = principal) -> Document:
        return services.document_attach(
            actor=actor, case=case, kind=kind, content=content, original_name=name, person=person
        )

    return [
        attach("hr_letter", sample_pdf("HR letter"), f"{GIVEN_NAME}-hr.pdf"),
        attach("recommendation", sample_pdf("Recommendation"), "recommendation.pdf"),
        attach("passport", sample_jpeg((10, 10, 200)), "passport.jpg"),
        attach("badge", sample_jpeg((200, 200, 10)), "badge.jpg", person=None),
        attach("tazkira", sample_jpeg((50, 50, 50)), "child-tazkira.jpg", person=child),
        attach("photo", sample_jpeg((90, 10, 90)), "photo.jpg"),
    ]
